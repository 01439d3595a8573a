// MainWindow's side of the history: the browser, and a recorded run shown in every results view.
#include "MainWindow.h"

#include "DriftView.h"
#include "HistoryBrowser.h"
#include "QuadrantChart.h"
#include "RatingBook.h"
#include "ResultMatrixView.h"
#include "run/RunSession.h"
#include "store/HistoryStore.h"
#include "store/HistoryWriter.h"
#include "store/RecordedRun.h"
#include "store/RunRecorder.h"
#include "StreamPaneGrid.h"
#include "views/LeaderboardModel.h"
#include "views/ResultMatrixModel.h"
#include "views/RunListModel.h"

#include <QAction>
#include <QDir>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QStatusBar>

namespace Slopscope {

Status MainWindow::setHistoryPath(const QString &path)
{
    m_recorder.reset();
    m_quickRecorder.reset();
    m_historyWriter.reset();
    m_historyPath.clear();
    m_history->setEnabled(false);
    m_drift->setEnabled(false);
    HistoryStore store;
    auto opened = store.open(path);
    if (!opened) {
        askToContinueWithoutHistory(opened.error());
        return Error{opened.error()};
    }
    store.close();
    if (opened.value().recreated) {
        offerHistoryBackup(opened.value());
    } else {
        startRecording(path);
        // A -wal of another history set aside: nothing lost here, but the user should know.
        if (const QString notice = HistoryStore::recoveryNotice(opened.value()); !notice.isEmpty())
            statusBar()->showMessage(notice);
    }
    return {};
}

void MainWindow::startRecording(const QString &path)
{
    m_historyPath = path;
    m_history->setEnabled(!m_session->isRunning());
    m_drift->setEnabled(true);
    m_historyWriter = std::make_unique<HistoryWriter>();
    connect(m_historyWriter.get(), &HistoryWriter::problemChanged, this, &MainWindow::onHistoryProblem);
    m_historyWriter->start(path);
    m_matrixView->ratings()->setWriter(m_historyWriter.get());
    m_recorder = std::make_unique<RunRecorder>(m_historyWriter.get());
    m_recorder->attach(m_session);
    // Quick compare's session is attached at each exchange (QuickCompareSession::setBeforeStart).
    m_quickRecorder = std::make_unique<RunRecorder>(m_historyWriter.get());
}

// RELIABILITY F-12: a profile folder that cannot hold the history (read-only, no permission) is
// never worked around silently: results would be lost at the end of the session. The user says
// whether to run without history; the box is window-modal, so nothing runs meanwhile.
void MainWindow::askToContinueWithoutHistory(const QString &error)
{
    m_awaitingHistoryConsent = true;
    updateRunActions();
    statusBar()->showMessage(tr("History not recorded: %1").arg(error));
    auto *box = new QMessageBox(QMessageBox::Warning, tr("History Unavailable"),
                                tr("The run history cannot be saved: %1\n\nWithout it, results are lost when "
                                   "Slopscope closes. Make the folder writable and start again, or continue "
                                   "without history for this session.")
                                    .arg(error),
                                QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("historyUnavailableBox"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    QPushButton *goOn = box->addButton(tr("&Continue Without History"), QMessageBox::AcceptRole);
    QPushButton *quit = box->addButton(tr("&Quit"), QMessageBox::RejectRole);
    box->setDefaultButton(quit);
    box->setEscapeButton(quit);
    connect(box, &QMessageBox::finished, this, [this, box, goOn] {
        m_awaitingHistoryConsent = false;
        if (box->clickedButton() == goOn) {
            statusBar()->showMessage(tr("No history: results of this session are not saved."));
            updateRunActions();
            return;
        }
        Q_EMIT quitRequested();
    });
    box->open();
}

// RELIABILITY F-10: a damaged history is never replaced silently. Recording waits for the choice
// (the box is window-modal), so nothing recorded meanwhile is lost when a backup is put back.
void MainWindow::offerHistoryBackup(const OpenReport &report)
{
    auto *box = new QMessageBox(QMessageBox::Warning, tr("History Damaged"), HistoryStore::recoveryNotice(report),
                                QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("historyRecoveryBox"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    QPushButton *restore = nullptr;
    if (!report.latestBackup.isEmpty())
        restore = box->addButton(tr("&Restore Backup"), QMessageBox::AcceptRole);
    QPushButton *fresh = box->addButton(tr("Keep the &Empty History"), QMessageBox::RejectRole);
    box->setDefaultButton(restore ? restore : fresh);
    box->setEscapeButton(fresh);
    connect(box, &QMessageBox::finished, this, [this, box, restore, report] {
        if (!restore || box->clickedButton() != restore) {
            startRecording(report.path);
            return;
        }
        if (const Status restored = HistoryStore::restoreBackup(report.latestBackup, report.path); !restored.ok()) {
            QMessageBox::warning(this, tr("History Damaged"), restored.error());
            startRecording(report.path);
            return;
        }
        if (setHistoryPath(report.path).ok())
            statusBar()->showMessage(
                tr("History restored from %1.").arg(QDir::toNativeSeparators(report.latestBackup)));
    });
    box->open();
}

void MainWindow::resetResults(const Suite &suite, const QList<TargetConfig> &lineup)
{
    m_shownRun.reset();
    m_matrixView->setDetailSource({}); // a live run's cells are complete
    m_lineup = lineup;
    // Panes for the run's lineup only: idle panes of unchecked targets would push the streaming
    // ones out of view.
    m_panes->setTargets(lineup);
    m_paneJob.clear();
    m_quadrant->clearPoints();
    m_matrixModel->setSuite(suite);
    m_matrixModel->setTargets(lineup);
    m_leaderboardModel->setTargets(lineup);
}

Status MainWindow::showRecordedRun(const QString &runId)
{
    if (m_session->isRunning())
        return Error{tr("Stop the current run before opening another from the history.")};
    if (m_historyPath.isEmpty())
        return Error{tr("No history is open.")};
    // The writer ran quick_check when the app opened the file: no second full read here.
    // The matrix's needs only (L-5: a 10,000-cell run opens in well under 200 ms); the selected
    // cell's detail comes from the file when it is shown.
    auto loaded = RecordedRun::load(m_historyPath, runId, false, StoreOpenOptions{.quickCheck = false},
                                    CellLoad::Matrix);
    if (!loaded)
        return Error{loaded.error()};
    auto loadedRun = std::make_unique<RecordedRun>(std::move(loaded.value()));

    resetResults(loadedRun->spec.suite, loadedRun->lineup());
    m_matrixView->setDetailSource([path = m_historyPath, runId](const CellResult &light) -> Result<CellResult> {
        HistoryStore store;
        if (auto opened = store.open(path, HistoryStore::Mode::ReadOnly, StoreOpenOptions{.quickCheck = false});
            !opened)
            return Error{opened.error()};
        return store.cellDetail(runId, light.job.jobId);
    });
    // On show before its summaries are plotted: the quadrant reads the shown run's cells.
    m_shownRun = std::move(loadedRun);
    const RecordedRun *run = m_shownRun.get();
    for (const CellResult &cell : std::as_const(run->cells)) {
        m_matrixModel->addCell(cell);
        m_leaderboardModel->addCell(cell);
    }
    const QList<TargetSummary> summaries = run->summaries();
    for (const TargetSummary &summary : summaries)
        onSummary(summary);
    m_progress->setRange(0, std::max(run->record.plannedCells, 1));
    m_progress->setValue(run->record.okCells);
    m_spend->setText(tr("spent $%1").arg(QLocale().toString(run->record.costUsd, 'f', 4)));
    statusBar()->showMessage(tr("Showing the recorded run of %1 from %2 (%3): nothing was sent.")
                                 .arg(run->record.suiteName,
                                      QLocale().toString(run->record.startedAt.toLocalTime(), QLocale::ShortFormat),
                                      RunListModel::stateText(run->record.state)));
    updateRoutingRun(); // the routing dialog replays what is on screen
    showResults(ResultsPage::Matrix);
    return {};
}

Status MainWindow::completeShownRun()
{
    if (!m_shownRun || m_shownRun->cellLoad == CellLoad::Full)
        return {};
    auto full = RecordedRun::load(m_historyPath, m_shownRun->record.id, false, StoreOpenOptions{.quickCheck = false});
    if (!full)
        return Error{full.error()};
    m_shownRun->cells = std::move(full.value().cells);
    m_shownRun->cellLoad = CellLoad::Full;
    return {};
}

QString MainWindow::shownRunId() const
{
    return m_shownRun ? m_shownRun->record.id : QString();
}

void MainWindow::showHistory()
{
    if (m_historyPath.isEmpty())
        return;
    HistoryBrowser browser(m_historyPath, this);
    if (m_shownRun)
        browser.selectRun(m_shownRun->record.id);
    connect(&browser, &HistoryBrowser::openRequested, this, [this, &browser](const QString &runId) {
        const Status shown = showRecordedRun(runId);
        if (shown.ok())
            browser.accept();
        else
            QMessageBox::warning(&browser, tr("Cannot open the run"), shown.error());
    });
    connect(&browser, &HistoryBrowser::arenaRequested, this, [this, &browser](const QString &runId) {
        if (showArenaOnRun(runId))
            browser.accept(); // the browser is modal: the arena gets the keys once it closes
    });
    browser.exec();
}

DriftView *MainWindow::showDrift()
{
    if (m_historyPath.isEmpty())
        return nullptr;
    if (m_driftView) {
        m_driftView->reload(); // runs recorded since it opened
    } else {
        m_driftView = new DriftView(m_historyPath, this);
        m_driftView->setWindowFlag(Qt::Window);
        m_driftView->setAttribute(Qt::WA_DeleteOnClose);
    }
    // The target the results show first, when the history has it.
    if (!m_lineup.isEmpty())
        m_driftView->setTarget(m_lineup.constFirst().id);
    m_driftView->show();
    m_driftView->raise();
    m_driftView->activateWindow();
    return m_driftView;
}

} // namespace Slopscope
