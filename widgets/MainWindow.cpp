#include "MainWindow.h"

#include "report/ReportData.h"
#include "report/ReportExport.h"
#include "store/HistoryStore.h"
#include "store/HistoryWriter.h"
#include "store/RecordedRun.h"
#include "store/RunRecorder.h"

#include "core/Version.h"
#include "DiffView.h"
#include "LeaderboardView.h"
#include "NWayDiffView.h"
#include "ProviderStatusStrip.h"
#include "QuadrantChart.h"
#include "RatingBook.h"
#include "ResultMatrixView.h"
#include "run/RunSession.h"
#include "views/ProviderStatusBoard.h"
#include "StreamPane.h"
#include "StreamPaneGrid.h"
#include "SuiteEditor.h"
#include "TargetListWidget.h"
#include "Translations.h"
#include "views/LeaderboardModel.h"
#include "views/ResultMatrixModel.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QSettings>
#include <QSpinBox>
#include <QStatusBar>
#include <QTableView>
#include <QTabWidget>
#include <QToolBar>
#include <QUndoStack>

namespace Slopscope {

namespace {

std::optional<double> nsToMs(const std::optional<qint64> &ns)
{
    if (!ns)
        return std::nullopt;
    return static_cast<double>(*ns) / 1e6;
}

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setWindowIcon(QIcon(QStringLiteral(":/slopscope/icons/slopscope.svg")));
    setObjectName(QStringLiteral("MainWindow"));

    m_session = new RunSession(this);
    connect(m_session, &RunSession::cellStarted, this, &MainWindow::onCellStarted);
    connect(m_session, &RunSession::cellContent, this, &MainWindow::onCellContent);
    connect(m_session, &RunSession::cellFinished, this, &MainWindow::onCellFinished);
    connect(m_session, &RunSession::summaryChanged, this, &MainWindow::onSummary);
    connect(m_session, &RunSession::providerStatusChanged, this, &MainWindow::onProviderStatus);
    connect(m_session, &RunSession::progress, this, &MainWindow::onProgress);
    connect(m_session, &RunSession::runFinished, this, &MainWindow::onRunFinished);
    connect(m_session, &RunSession::dispatchHeldChanged, this, &MainWindow::onDispatchHeld);

    m_panes = new StreamPaneGrid(this);
    m_panes->setObjectName(QStringLiteral("streamPanes"));
    setCentralWidget(m_panes);

    auto *targetsDock = new QDockWidget(tr("Targets"), this);
    m_targetsDock = targetsDock;
    targetsDock->setObjectName(QStringLiteral("targetsDock"));
    m_targets = new TargetListWidget(targetsDock);
    targetsDock->setWidget(m_targets);
    addDockWidget(Qt::LeftDockWidgetArea, targetsDock);

    createSuiteDock();
    createQuadrant();
    resizeDocks({targetsDock, m_quadrantDock}, {360, 560}, Qt::Horizontal);
    createResults();

    m_providerStatus = new ProviderStatusBoard(this);
    m_providerStrip = new ProviderStatusStrip(m_providerStatus, this);
    statusBar()->addPermanentWidget(m_providerStrip);
    m_workspaceStatus = new QLabel(this);
    statusBar()->addPermanentWidget(m_workspaceStatus);

    createRunBar();
    createActions();
    routeUndoShortcuts(nullptr); // Ctrl+Z: the lineup's until the Suite panel has the focus
    loadBundledSuites();
    resize(1600, 900);
    setWorkspace(Workspace{});
}

MainWindow::~MainWindow()
{
    // The panel and the application report focus and edits while the children are destroyed,
    // after this window has stopped being one.
    disconnect(qApp, nullptr, this, nullptr);
    m_suiteEditor->disconnect(this);
    m_suiteEditor->undoStack()->disconnect(this);
    if (m_targetEdits)
        m_targetEdits->disconnect(this); // clearing an unclean stack reports cleanChanged
}

void MainWindow::createRunBar()
{
    QToolBar *bar = addToolBar(tr("Run"));
    bar->setObjectName(QStringLiteral("runBar"));
    bar->setMovable(false);

    m_suiteBox = new QComboBox(bar);
    m_suiteBox->setObjectName(QStringLiteral("suiteBox"));
    m_suiteBox->setMinimumContentsLength(28);
    m_suiteBox->setAccessibleName(tr("Suite"));
    bar->addWidget(new QLabel(tr("Suite "), bar));
    bar->addWidget(m_suiteBox);

    m_repeats = new QSpinBox(bar);
    m_repeats->setRange(1, 100);
    m_repeats->setAccessibleName(tr("Repeats"));
    bar->addWidget(new QLabel(tr("  Repeats "), bar));
    bar->addWidget(m_repeats);

    m_variants = new QCheckBox(tr("Variants"), bar);
    m_variants->setToolTip(tr("Also send each case's rewordings, to measure brittleness."));
    bar->addWidget(m_variants);

    createSpendCap(bar); // MainWindowRunOptions.cpp
    bar->addSeparator();

    m_run = bar->addAction(tr("&Run"), this, [this] { startRun(); });
    m_run->setObjectName(QStringLiteral("runAction"));
    m_run->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    m_run->setToolTip(tr("Run the suite on the checked targets (Ctrl+R)"));
    m_stop = bar->addAction(tr("&Stop"), this, [this] {
        if (m_runAfterKeys) {
            m_runAfterKeys = false;
            statusBar()->showMessage(tr("The run was not started."), 5000);
            updateRunActions();
        }
        m_session->cancel();
    });
    m_stop->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Period));
    m_stop->setToolTip(tr("Stop the run, keeping what has arrived (Ctrl+.)"));
    bar->addSeparator();

    m_progress = new QProgressBar(bar);
    m_progress->setObjectName(QStringLiteral("runProgress"));
    m_progress->setMinimumWidth(220);
    m_progress->setFormat(tr("%v / %m"));
    m_progress->setValue(0);
    bar->addWidget(m_progress);
    m_spend = new QLabel(bar);
    m_spend->setMargin(6);
    bar->addWidget(m_spend);
    updateRunActions();
}

void MainWindow::createResults()
{
    m_matrixModel = new ResultMatrixModel(this);
    m_leaderboardModel = new LeaderboardModel(this);

    m_resultsDock = new QDockWidget(tr("Results"), this);
    m_resultsDock->setObjectName(QStringLiteral("resultsDock"));
    m_resultsTabs = new QTabWidget(m_resultsDock);
    m_resultsTabs->setObjectName(QStringLiteral("resultsTabs"));
    m_resultsTabs->setAccessibleName(tr("Results"));
    m_matrixView = new ResultMatrixView(m_matrixModel, m_resultsTabs);
    m_matrixView->setAccessibleName(tr("Results matrix"));
    // Ratings name the run on screen: the one opened from the history, else the live (or last) one.
    m_matrixView->ratings()->setRunIdSource([this] { return m_shownRun ? shownRunId() : recordedRunId(); });
    m_leaderboard = new LeaderboardView(m_leaderboardModel, m_resultsTabs);
    m_diff = new DiffView(m_matrixModel, m_resultsTabs);
    m_diff->setAccessibleName(tr("Answer diff"));
    m_resultsTabs->addTab(m_matrixView, tr("&Matrix"));
    m_resultsTabs->addTab(m_leaderboard, tr("&Leaderboard"));
    m_resultsTabs->addTab(m_diff, tr("&Diff"));
    createDisagreements();
    m_resultsDock->setWidget(m_resultsTabs);
    addDockWidget(Qt::BottomDockWidgetArea, m_resultsDock);
    resizeDocks({m_resultsDock}, {320}, Qt::Vertical);

    // One selected target across the views: leaderboard row ↔ quadrant bubble.
    connect(m_leaderboard, &LeaderboardView::targetSelected, m_quadrant, &QuadrantChart::setSelectedTarget);
    connect(m_quadrant, &QuadrantChart::targetClicked, this, [this](const QString &targetId) {
        m_quadrant->setSelectedTarget(targetId);
        m_leaderboard->selectTarget(targetId);
    });
    connect(m_matrixView, &ResultMatrixView::cellSelected, this, &MainWindow::onMatrixCellSelected);
    connect(m_matrixView, &ResultMatrixView::detailUnreadable, this,
            [this](const QString &message) { statusBar()->showMessage(message, 30'000); });
    // Each rating moves the judge–human agreement the leaderboard shows.
    connect(m_matrixView->ratings(), &RatingBook::changed, m_leaderboardModel,
            [this] { m_leaderboardModel->setAgreement(m_matrixView->agreementByTarget()); });
    connect(m_matrixView->ratings(), &RatingBook::ratingsUnreadable, this,
            [this](const QString &message) { statusBar()->showMessage(message, 30'000); });
}

void MainWindow::onMatrixCellSelected(int row, int column)
{
    // The diff follows the matrix: the selected answer against the reference, or, for a case
    // without one, against the first other target.
    QString left;
    if (m_matrixModel->referenceAt(row).isEmpty()) {
        for (int c = 0; c < m_matrixModel->columnCount(); ++c) {
            if (c != column) {
                left = m_matrixModel->targetIdAt(c);
                break;
            }
        }
    }
    m_diff->compare(row, left, m_matrixModel->targetIdAt(column));
}

void MainWindow::showResults(ResultsPage page, bool enlarge)
{
    m_resultsDock->show();
    m_resultsDock->raise();
    QWidget *widget = page == ResultsPage::Matrix          ? static_cast<QWidget *>(m_matrixView)
                      : page == ResultsPage::Leaderboard   ? static_cast<QWidget *>(m_leaderboard)
                      : page == ResultsPage::Disagreements ? static_cast<QWidget *>(m_disagreements)
                                                           : static_cast<QWidget *>(m_diff);
    m_resultsTabs->setCurrentWidget(widget);
    // Something to read at once: the first answer, when nothing is selected yet.
    if (page == ResultsPage::Matrix && !m_matrixView->table()->currentIndex().isValid() &&
        m_matrixModel->rowCount() > 0)
        m_matrixView->selectCell(0, 0);
    widget->setFocus(Qt::ShortcutFocusReason);
    if (enlarge)
        resizeDocks({m_resultsDock}, {height() * 2 / 3}, Qt::Vertical);
}

void MainWindow::createActions()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    createSuiteActions(file, edit);
    QAction *open = file->addAction(tr("Open &Workspace…"), this, &MainWindow::openWorkspace);
    // Ctrl+O opens a suite, the document this window edits; workspaces are opened less often.
    open->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    createWorkspaceActions(file);
    file->addSeparator();
    QAction *exportChart = file->addAction(tr("&Export Quadrant…"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export Quadrant"), QStringLiteral("quadrant.png"),
                                                          tr("PNG image (*.png);;SVG image (*.svg);;PDF (*.pdf)"));
        QString error;
        if (!path.isEmpty() && !m_quadrant->exportTo(path, &error))
            QMessageBox::warning(this, tr("Cannot export the quadrant"), error);
    });
    exportChart->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    QAction *exportRun = file->addAction(tr("Export &Results…"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Export Results"), QStringLiteral("report.html"),
            tr("HTML report (*.html);;PDF report (*.pdf);;Markdown report (*.md);;Summary (*.json);;"
               "Results, one JSON line each (*.jsonl);;Results table (*.csv);;Chart (*.png *.svg)"));
        if (path.isEmpty())
            return;
        QApplication::setOverrideCursor(Qt::WaitCursor);
        const Status written = exportResults(path);
        QApplication::restoreOverrideCursor();
        if (written.ok())
            statusBar()->showMessage(tr("Exported %1").arg(QDir::toNativeSeparators(path)), 5000);
        else
            QMessageBox::warning(this, tr("Cannot export the results"), written.error());
    });
    exportRun->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    file->addSeparator();
    m_history = file->addAction(tr("&History…"), this, &MainWindow::showHistory);
    m_history->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_H));
    m_history->setEnabled(false); // until setHistoryPath opens one
    m_drift = file->addAction(tr("&Drift…"), this, &MainWindow::showDrift);
    m_drift->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_H));
    m_drift->setToolTip(tr("One target's quality, speed and cost across the recorded runs"));
    m_drift->setEnabled(false);
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), qApp, &QApplication::closeAllWindows);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    const auto page = [this, view](const QString &text, ResultsPage p, Qt::Key key) {
        QAction *action = view->addAction(text, this, [this, p] { showResults(p); });
        action->setShortcut(QKeySequence(Qt::CTRL | key));
    };
    page(tr("Results &Matrix"), ResultsPage::Matrix, Qt::Key_1);
    page(tr("&Leaderboard"), ResultsPage::Leaderboard, Qt::Key_2);
    page(tr("&Diff"), ResultsPage::Diff, Qt::Key_3);
    page(tr("Disa&greements"), ResultsPage::Disagreements, Qt::Key_8);
    view->addSeparator();
    QAction *toggleResults = m_resultsDock->toggleViewAction();
    toggleResults->setText(tr("Show &Results"));
    toggleResults->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_4));
    view->addAction(toggleResults);
    QAction *toggleTargets = m_targetsDock->toggleViewAction();
    toggleTargets->setText(tr("Show &Targets"));
    toggleTargets->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_5));
    view->addAction(toggleTargets);
    QAction *toggleQuadrant = m_quadrantDock->toggleViewAction();
    toggleQuadrant->setText(tr("Show &Quadrant"));
    toggleQuadrant->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_6));
    view->addAction(toggleQuadrant);
    QAction *toggleSuite = m_suiteDock->toggleViewAction();
    toggleSuite->setText(tr("Show &Suite"));
    toggleSuite->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_7));
    view->addAction(toggleSuite);
    createQuickCompare(view);

    QMenu *run = menuBar()->addMenu(tr("&Run"));
    run->addAction(m_run);
    run->addAction(m_stop);
    createRoutingActions(run);
    createArenaAction(run);
    createTargetActions(run);
    createRunOptionActions(run);

    QMenu *settings = menuBar()->addMenu(tr("&Settings"));
    QAction *preferences = settings->addAction(tr("&Preferences…"), this, [this] { showSettings(); });
    preferences->setMenuRole(QAction::PreferencesRole);
    // Linux desktops have no standard binding for Preferences; Ctrl+, is the common one.
    const QList<QKeySequence> bindings = QKeySequence::keyBindings(QKeySequence::Preferences);
    preferences->setShortcuts(bindings.isEmpty() ? QList<QKeySequence>{QKeySequence(Qt::CTRL | Qt::Key_Comma)}
                                                 : bindings);
    createLanguageMenu(settings->addMenu(tr("&Language")));

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Slopscope"), this, &MainWindow::showAbout);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
}

void MainWindow::createLanguageMenu(QMenu *menu)
{
    auto *group = new QActionGroup(menu);
    const QString current = Translations::chosen();
    const auto add = [this, menu, group, &current](const QString &text, const QString &code) {
        QAction *action = menu->addAction(text);
        action->setCheckable(true);
        action->setChecked(code == current);
        action->setData(code);
        group->addAction(action);
        connect(action, &QAction::triggered, this, [this, code] {
            if (code == Translations::chosen())
                return;
            Translations::choose(code);
            statusBar()->showMessage(tr("The language changes when Slopscope starts again."), 10000);
        });
    };
    add(tr("System Default"), QString());
    menu->addSeparator();
    const QStringList codes = Translations::available();
    for (const QString &code : codes)
        add(Translations::nativeName(code), code);
}

void MainWindow::setWorkspace(const Workspace &workspace, const QString &path)
{
    m_session->cancel();
    m_workspacePath = path;
    if (m_targetEdits)
        m_targetEdits->clear(); // its edits belong to the workspace being replaced
    m_workspace = workspace;
    m_targets->setWorkspace(workspace);
    m_panes->setTargets(workspace.targets);
    m_quadrant->clearPoints();
    m_matrixModel->setTargets(workspace.targets);
    m_leaderboardModel->setTargets(workspace.targets);
    updateTitle();
    m_workspaceStatus->setText(tr("%n target(s)", nullptr, static_cast<int>(workspace.targets.size())));
    loadKeys();
    updateRunActions();
}

void MainWindow::updateRunActions()
{
    const bool running = m_session->isRunning() || m_runAfterKeys;
    m_run->setEnabled(!running && !m_awaitingHistoryConsent && !m_suites.isEmpty() && !m_workspace.targets.isEmpty());
    m_stop->setEnabled(running);
    m_suiteBox->setEnabled(!running);
    m_repeats->setEnabled(!running);
    m_variants->setEnabled(!running);
    m_spendCap->setEnabled(!running);
    if (m_history)
        m_history->setEnabled(!running && !m_historyPath.isEmpty());
    if (m_drift)
        m_drift->setEnabled(!m_historyPath.isEmpty()); // read-only: fine during a run
    lockWorkspaceEdits(running);
}

Status MainWindow::exportResults(const QString &path)
{
    if (!m_shownRun && m_session->results().isEmpty())
        return Error{tr("There are no results to export yet: run a suite first.")};
    ReportData report;
    if (m_shownRun) {
        if (const Status complete = completeShownRun(); !complete.ok())
            return complete;
        report = ReportData::fromRecordedRun(*m_shownRun);
    } else {
        ReportRunInfo info;
        info.runId = recordedRunId();
        info.startedAt = m_runStartedAt;
        if (!m_session->isRunning())
            info.endedAt = QDateTime::currentDateTimeUtc();
        report = ReportData::fromSession(*m_session, info);
    }
    // The ratings on screen, session-only ones included, over what the history has.
    report.setHumanRatings(m_matrixView->ratings()->humanRatings(report.cells));
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (ReportExport::isReportPath(path))
        return ReportExport::writeReport(path, report);
    if (suffix == u"png" || suffix == u"svg")
        return ReportExport::writeChart(path, report);
    if (suffix == u"json")
        return ReportExport::writeSummary(path, report);
    if (suffix == u"jsonl")
        return ReportExport::writeJsonl(path, report);
    if (suffix == u"csv")
        return ReportExport::writeCsv(path, report);
    return Error{tr("%1: choose a file ending in .html, .pdf, .md, .json, .jsonl, .csv, .png or .svg.")
                     .arg(QDir::toNativeSeparators(path))};
}

QString MainWindow::recordedRunId() const
{
    return m_recorder ? m_recorder->runId() : QString();
}

void MainWindow::onHistoryProblem(const StoreProblem &problem)
{
    switch (problem.kind) {
    case StoreProblem::Kind::None:
        statusBar()->showMessage(tr("History: saved again."), 5000);
        return;
    case StoreProblem::Kind::Busy:
        // Another process holds the file for a moment: the writer waits and retries.
        statusBar()->showMessage(tr("History: %1 (waiting)").arg(problem.message));
        return;
    case StoreProblem::Kind::DiskFull:
        // RELIABILITY F-9: the recorder holds new cells until the disk has room (onDispatchHeld
        // says so); what finished waits in memory. A run is paused, not lost.
        if (m_session->isRunning())
            return;
        break;
    case StoreProblem::Kind::ReadOnly:
    case StoreProblem::Kind::Failed:
        break;
    }
    // Results that cannot be kept are not worth paying for: stop sending, keep what finished
    // queued in memory (the writer retries) and say so.
    const bool wasRunning = m_session->isRunning();
    if (wasRunning)
        m_session->cancel();
    statusBar()->showMessage(wasRunning ? tr("History: %1. The run was stopped; %n finished result(s) wait in "
                                             "memory and are saved as soon as the disk allows.",
                                             nullptr, problem.queued)
                                              .arg(problem.message)
                                        : tr("History: %1").arg(problem.message));
}

void MainWindow::onDispatchHeld(bool held, const QString &reason)
{
    if (!held)
        return; // the writer's "saved again" says it
    const QString detail = m_historyWriter ? m_historyWriter->problem().message : QString();
    statusBar()->showMessage(detail.isEmpty() ? tr("%1. No new cell is sent until they are saved.").arg(reason)
                                              : tr("%1. No new cell is sent until they are saved. %2").arg(reason, detail));
}

QString MainWindow::progressText() const
{
    return tr("%1 of %2 · %3").arg(m_progress->value()).arg(m_progress->maximum()).arg(m_spend->text());
}

bool MainWindow::startRun()
{
    if (m_awaitingHistoryConsent) {
        statusBar()->showMessage(tr("Answer whether to continue without history first."), 5000);
        return false;
    }
    const int index = m_suiteBox->currentIndex();
    if (index < 0 || index >= m_suites.size()) {
        statusBar()->showMessage(tr("Open a suite first."), 5000);
        return false;
    }
    // The suite as edited in the Suite panel, which always shows the run bar's choice.
    if (const QString problem = m_suiteEditor->saveProblem(); !problem.isEmpty()) {
        showSuiteEditor();
        statusBar()->showMessage(tr("Cannot run the suite: %1").arg(problem), 10'000);
        return false;
    }
    RunSpec spec;
    spec.workspace = m_workspace;
    spec.suite = m_suiteEditor->suite();
    spec.targetIds = m_targets->checkedTargetIds();
    spec.repeats = m_repeats->value();
    spec.variants = m_variants->isChecked();
    spec.maxCostUsd = spendCap();
    spec.retryTruncated = m_retryTruncated->isChecked();
    if (spec.targetIds.isEmpty()) {
        statusBar()->showMessage(tr("Check at least one target."), 5000);
        return false;
    }
    if (m_keysLoading > 0) {
        // loadKeys calls back here once the keychain has answered (or given up).
        m_runAfterKeys = true;
        statusBar()->showMessage(tr("Waiting for the keychain to give the workspace's API keys…"));
        updateRunActions();
        return true;
    }
    QList<TargetConfig> lineup;
    for (const TargetConfig &t : m_workspace.targets) {
        if (spec.targetIds.contains(t.id))
            lineup.append(t);
    }
    if (!confirmKeyHosts(lineup) || !confirmPlainHttpKeys(lineup))
        return false;
    m_proxyAskedThisRun = false;
    resetResults(spec.suite, lineup);
    m_providerStatus->clear();
    if (m_recorder)
        m_recorder->begin(spec); // written once the session has really started
    m_runStartedAt = QDateTime::currentDateTimeUtc();
    const Status started = m_session->start(spec);
    if (!started.ok()) {
        QMessageBox::warning(this, tr("Cannot start the run"), started.error());
        return false;
    }
    m_progress->setRange(0, m_session->total());
    m_progress->setValue(0);
    statusBar()->showMessage(
        tr("Running %1 on %n target(s)…", nullptr, static_cast<int>(spec.targetIds.size())).arg(spec.suite.name));
    updateRunActions();
    return true;
}

void MainWindow::onCellStarted(const QString &jobId, const QString &targetId, const QString &caseId, int attempt)
{
    StreamPane *pane = m_panes->pane(targetId);
    if (!pane)
        return;
    // Every attempt starts afresh: a retry after content (Retry Broken-Off Answers) replaces the
    // partial answer instead of being spliced onto it.
    m_paneJob.insert(targetId, jobId);
    pane->clear();
    // A chain cell's every request starts here too: its earlier turns stay above the new answer.
    pane->setTranscript(StreamPane::chainTranscript(m_session->chainTurnsSoFar(jobId)));
    pane->setState(attempt > 0 ? StreamPane::State::Retrying : StreamPane::State::Waiting,
                   attempt > 0 ? tr("attempt %1").arg(attempt + 1) : QString());
    pane->setToolTip(tr("Case %1").arg(caseId));
    // The running suite's case: the Suite panel may have changed since the run started.
    if (const SuiteCase *c = m_session->spec().suite.findCase(caseId)) {
        const QString text = !c->prompt.isEmpty()    ? c->prompt
                             : c->messages.isEmpty() ? QString()
                                                     : c->messages.last().content;
        m_panes->setCaseTitle(tr("%1: %2").arg(c->id, text));
    }
}

void MainWindow::onCellContent(const QString &jobId, const QString &targetId, const QList<ContentDelta> &deltas)
{
    if (m_paneJob.value(targetId) != jobId)
        return;
    StreamPane *pane = m_panes->pane(targetId);
    if (!pane)
        return;
    if (pane->state() != StreamPane::State::Streaming)
        pane->setState(StreamPane::State::Streaming);
    pane->appendDeltas(deltas);
}

void MainWindow::onCellFinished(const CellResult &cell)
{
    m_matrixModel->addCell(cell);
    m_leaderboardModel->addCell(cell);
    if (cell.job.proxyRefusedCredentials())
        askProxyCredentials(cell.job);
    const QString &targetId = cell.job.targetId;
    StreamPane *pane = m_panes->pane(targetId);
    if (!pane)
        return;
    if (m_paneJob.value(targetId) != cell.job.jobId) {
        // A cell that never started (no key, a refused plain-HTTP key) still shows in an idle
        // pane, so the user reads why; a pane busy with another answer keeps it.
        if (pane->state() != StreamPane::State::Idle || cell.job.attempts() > 0)
            return;
        m_paneJob.insert(targetId, cell.job.jobId);
        pane->clear();
    }
    QString detail = cell.job.error;
    if (cell.job.state == JobState::Completed)
        detail = cell.grade.pass ? tr("pass") : tr("fail (score %1)").arg(QLocale().toString(cell.grade.score, 'f', 2));
    pane->setState(StreamPane::stateFor(cell.job.state), detail);
    StreamPane::Figures f;
    f.ttftMs = nsToMs(cell.metrics.ttftNs);
    f.tokensPerSecond = cell.metrics.decodeTokensPerSecond;
    f.tokensPerSecondEstimated = cell.metrics.tokensEstimated;
    if (cell.metrics.outputTokens)
        f.outputTokens = static_cast<qint64>(*cell.metrics.outputTokens);
    f.costUsd = cell.cost.usd;
    pane->setFigures(f);
}

void MainWindow::onSummary(const TargetSummary &summary)
{
    m_leaderboardModel->updateSummary(summary);
    // Judge verdicts arrive with the (coalesced) summaries; so do a recorded run's cells.
    m_leaderboardModel->setAgreement(m_matrixView->agreementByTarget());
    plotSummary(summary);
}

void MainWindow::onProviderStatus(const ProviderStatus &status)
{
    // The strip keeps each provider's state for as long as it lasts; the status bar's own line
    // stays free for the run's messages.
    m_providerStatus->update(status);
}

void MainWindow::onProgress(int done, int total, double spentUsd)
{
    m_progress->setRange(0, std::max(total, 1));
    m_progress->setValue(done);
    m_spend->setText(tr("spent $%1").arg(QLocale().toString(spentUsd, 'f', 4)));
}

void MainWindow::onRunFinished(bool cancelled)
{
    updateRunActions();
    m_providerStatus->runEnded();
    const QString reason = m_session->stopReason();
    statusBar()->showMessage(cancelled ? tr("Run stopped: %1.").arg(reason)
                                       : tr("Run finished: %n result(s).", nullptr, m_session->done()),
                             15'000);
}

void MainWindow::openWorkspace()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Workspace"), QString(),
                                                      tr("Slopscope workspaces (*.json);;All files (*)"));
    if (path.isEmpty() || !maybeSaveWorkspace())
        return;
    auto loaded = Workspace::fromFile(path);
    if (!loaded) {
        QMessageBox::warning(this, tr("Cannot open workspace"), loaded.error());
        return;
    }
    setWorkspace(loaded.value(), path);
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About Slopscope"),
                       tr("<h3>Slopscope %1</h3><p>Price, speed and quality of LLM providers, measured on your "
                          "own prompts.</p><p>MIT licence. Third-party notices ship with the application.</p>")
                           .arg(QString::fromLatin1(kVersion)));
}

} // namespace Slopscope
