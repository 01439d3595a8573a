#include "core/Workspace.h"
#include "DiffView.h"
#include "LeaderboardView.h"
#include "MainWindow.h"
#include "NWayDiffView.h"
#include "QuadrantChart.h"
#include "ResultMatrixView.h"
#include "quality/Suite.h"
#include "run/RunSession.h"
#include "store/HistoryStore.h"
#include "StreamPane.h"
#include "StreamPaneGrid.h"
#include "TargetListWidget.h"
#include "views/LeaderboardModel.h"
#include "views/ResultMatrixModel.h"

#include <QAction>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFileInfo>
#include <QMessageBox>
#include <QPushButton>
#include <QScopeGuard>
#include <QSettings>
#include <QSignalSpy>
#include <QStatusBar>
#include <QMenu>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QStandardPaths>
#include <QTabWidget>

#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

#include <algorithm>

using namespace Slopscope;

class TestMainWindow final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void showsTheDemoLineup();
    void uncheckedTargetsLeaveTheRun();
    void theSpendCapStopsTheRun();
    void retryingABrokenOffAnswerReplacesItsText();
    void aCellNeverSentShowsWhyInItsPane();
    void viewMenuOpensEachResultsPage();
    void leaderboardAndQuadrantShareTheSelection();
    void aRunFillsTheResultsViews();
    void heldDispatchIsShownAndTheRunGoesOn();
    void unusableHistoryAsksBeforeRunningWithoutIt_data();
    void unusableHistoryAsksBeforeRunningWithoutIt();
};

void TestMainWindow::initTestCase()
{
    // The quadrant's bar reads the application's QSettings: not the developer's own choices.
    QStandardPaths::setTestModeEnabled(true);
}

void TestMainWindow::showsTheDemoLineup()
{
    MainWindow window;
    const Workspace demo = Workspace::demo();
    window.setWorkspace(demo);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.windowTitle().contains(demo.name));
    TargetListWidget *list = window.targetList();
    QCOMPARE(list->topLevelItemCount(), demo.targets.size());
    QCOMPARE(list->topLevelItem(0)->text(TargetListWidget::LabelColumn), demo.targets.first().label);
    QCOMPARE(list->checkedTargetIds().size(), demo.targets.size());
    // Prices from the workspace, formatted; a target without prices would say "unknown".
    QVERIFY(list->topLevelItem(0)->text(TargetListWidget::PriceColumn).contains(QStringLiteral("0.35")));
}

void TestMainWindow::uncheckedTargetsLeaveTheRun()
{
    MainWindow window;
    window.setWorkspace(Workspace::demo());
    TargetListWidget *list = window.targetList();
    list->topLevelItem(1)->setCheckState(TargetListWidget::LabelColumn, Qt::Unchecked);
    const QStringList ids = list->checkedTargetIds();
    QCOMPARE(ids.size(), list->topLevelItemCount() - 1);
    QVERIFY(!ids.contains(window.workspace().targets.at(1).id));
}

// The run bar's spend cap goes into the run: the run stops once it has spent it, says so, and
// the cap is kept for the next session.
void TestMainWindow::theSpendCapStopsTheRun()
{
    QSettings().remove(QStringLiteral("run/spend_cap_usd"));
    const auto forget = qScopeGuard([] { QSettings().remove(QStringLiteral("run/spend_cap_usd")); });
    MainWindow window;
    window.setWorkspace(Workspace::demo());
    QString cases;
    for (int i = 0; i < 30; ++i)
        cases += QStringLiteral(R"(%1{"id": "c%2", "prompt": "Explain topic %2 in detail."})").arg(i ? u"," : u"").arg(i);
    auto suite = Suite::fromJson(QStringLiteral(R"({"name": "s", "cases": [%1]})").arg(cases).toUtf8(), QStringLiteral("<test>"));
    QVERIFY2(suite.ok(), qPrintable(suite.error()));
    window.addSuite(suite.value());
    auto *cap = window.findChild<QDoubleSpinBox *>(QStringLiteral("spendCap"));
    QVERIFY(cap);
    QCOMPARE(cap->value(), 0.0);
    QCOMPARE(cap->text(), QStringLiteral("no cap"));
    cap->setValue(0.0001); // far below what 30 cases on every demo target cost
    QVERIFY(window.startRun());
    QVERIFY(!cap->isEnabled()); // fixed while the run goes
    QTRY_VERIFY_WITH_TIMEOUT(!window.session()->isRunning(), 60'000);
    QVERIFY2(window.session()->stopReason().contains(u"spend cap"), qPrintable(window.session()->stopReason()));
    QVERIFY(window.session()->spentUsd() >= 0.0001);
    const auto &cells = window.session()->results();
    const auto answered = std::count_if(cells.cbegin(), cells.cend(),
                                        [](const CellResult &c) { return c.job.state == JobState::Completed; });
    QVERIFY2(answered < 30 * window.targetList()->checkedTargetIds().size(), qPrintable(QString::number(answered)));
    QVERIFY(cap->isEnabled());
    QCOMPARE(QSettings().value(QStringLiteral("run/spend_cap_usd")).toDouble(), 0.0001);
}

// Run ▸ Retry Broken-Off Answers: a stream that breaks off is sent again, and the pane shows the
// new attempt's text in place of the partial one, never the two spliced together.
void TestMainWindow::retryingABrokenOffAnswerReplacesItsText()
{
    QSettings().remove(QStringLiteral("run/retry_truncated"));
    const auto forget = qScopeGuard([] { QSettings().remove(QStringLiteral("run/retry_truncated")); });
    Workspace workspace = Workspace::demo();
    for (ProviderConfig &p : workspace.providers) {
        if (p.id == u"sim-openai") {
            p.maxRetries = 1;
            p.headers.insert(QStringLiteral("x-sim-fault"), QStringLiteral("drop;after=6"));
        }
    }
    const QString target = QStringLiteral("qwen3-coder");
    QCOMPARE(workspace.target(target)->providerId, QStringLiteral("sim-openai"));
    MainWindow window;
    window.setWorkspace(workspace);
    auto suite = Suite::fromJson(R"({"name": "s", "cases": [{"id": "c1", "prompt": "Explain hash tables."}]})",
                                 QStringLiteral("<test>"));
    QVERIFY2(suite.ok(), qPrintable(suite.error()));
    window.addSuite(suite.value());
    TargetListWidget *list = window.targetList();
    for (int i = 0; i < list->topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = list->topLevelItem(i);
        const QString id = item->data(TargetListWidget::LabelColumn, Qt::UserRole).toString();
        item->setCheckState(TargetListWidget::LabelColumn, id == target ? Qt::Checked : Qt::Unchecked);
    }
    auto *retry = window.findChild<QAction *>(QStringLiteral("retryTruncatedAction"));
    QVERIFY(retry);
    QVERIFY(!retry->isChecked()); // off unless asked for: a retry pays for the tokens twice
    retry->setChecked(true);
    QVERIFY(window.startRun());
    QTRY_VERIFY_WITH_TIMEOUT(!window.session()->isRunning(), 60'000);
    QCOMPARE(window.session()->results().size(), 1);
    const CellResult cell = window.session()->results().constFirst();
    QCOMPARE(cell.job.state, JobState::Truncated);
    QCOMPARE(cell.job.attempts(), 2);
    const QString partial = cell.job.result.text;
    QVERIFY(!partial.isEmpty());
    const QString shown = window.streamPanes()->pane(target)->answerText();
    QVERIFY2(shown.startsWith(partial) && shown.count(partial) == 1, qPrintable(shown));
    QVERIFY(QSettings().value(QStringLiteral("run/retry_truncated")).toBool());
}

// A target whose key is missing never sends a request: its pane must say why, not stay idle.
void TestMainWindow::aCellNeverSentShowsWhyInItsPane()
{
    qunsetenv("SLOPSCOPE_TEST_MISSING_KEY");
    Workspace workspace = Workspace::demo();
    ProviderConfig remote;
    remote.id = QStringLiteral("remote");
    remote.dialect = Dialect::OpenAIChat;
    remote.baseUrl = QStringLiteral("https://api.example.invalid/v1");
    remote.apiKeyEnv = QStringLiteral("SLOPSCOPE_TEST_MISSING_KEY");
    QVERIFY(workspace.addProvider(remote).ok());
    TargetConfig keyless;
    keyless.id = QStringLiteral("keyless");
    keyless.label = QStringLiteral("Keyless");
    keyless.providerId = remote.id;
    keyless.model = QStringLiteral("m");
    keyless.color = QStringLiteral("#336699");
    QVERIFY(workspace.addTarget(keyless).ok());
    MainWindow window;
    window.setWorkspace(workspace);
    auto suite = Suite::fromJson(R"({"name": "s", "cases": [{"id": "c1", "prompt": "Capital of France?"},
                                                           {"id": "c2", "prompt": "2 + 3?"}]})",
                                 QStringLiteral("<test>"));
    QVERIFY2(suite.ok(), qPrintable(suite.error()));
    window.addSuite(suite.value());
    TargetListWidget *list = window.targetList();
    const QString simulated = workspace.targets.constFirst().id;
    for (int i = 0; i < list->topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = list->topLevelItem(i);
        const QString id = item->data(TargetListWidget::LabelColumn, Qt::UserRole).toString();
        item->setCheckState(TargetListWidget::LabelColumn,
                            id == keyless.id || id == simulated ? Qt::Checked : Qt::Unchecked);
    }
    QVERIFY(window.startRun());
    // The keychain is asked for the missing key first: the run starts once it has answered.
    QTRY_VERIFY_WITH_TIMEOUT(window.session()->total() == 4, 30'000);
    QTRY_VERIFY_WITH_TIMEOUT(!window.session()->isRunning(), 60'000);
    QCOMPARE(window.session()->done(), 4);
    StreamPane *pane = window.streamPanes()->pane(keyless.id);
    QVERIFY(pane);
    QCOMPARE(pane->state(), StreamPane::State::Failed);
    QVERIFY2(pane->stateText().contains(QStringLiteral("No API key for provider remote")), qPrintable(pane->stateText()));
    // The simulated target's pane shows its own last answer, as before.
    QCOMPARE(window.streamPanes()->pane(simulated)->state(), StreamPane::State::Done);
}

namespace {

QAction *findAction(QWidget *window, const QKeySequence &shortcut)
{
    for (QAction *menu : window->findChild<QMenuBar *>()->actions()) {
        for (QAction *action : menu->menu()->actions()) {
            if (action->shortcut() == shortcut)
                return action;
        }
    }
    return nullptr;
}

} // namespace

void TestMainWindow::viewMenuOpensEachResultsPage()
{
    MainWindow window;
    window.setWorkspace(Workspace::demo());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const struct
    {
        Qt::Key key;
        QWidget *page;
    } pages[] = {
        {Qt::Key_2, window.leaderboardView()},
        {Qt::Key_3, window.diffView()},
        {Qt::Key_8, window.disagreementsView()},
        {Qt::Key_1, window.resultMatrixView()}};
    for (const auto &p : pages) {
        QAction *action = findAction(&window, QKeySequence(Qt::CTRL | p.key));
        QVERIFY(action);
        action->trigger();
        QCOMPARE(window.resultsTabs()->currentWidget(), p.page);
        QVERIFY(!p.page->accessibleName().isEmpty());
    }
    // The shortcut itself, pressed on the window.
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QTest::keyClick(&window, Qt::Key_2, Qt::ControlModifier);
    QCOMPARE(window.resultsTabs()->currentWidget(), window.leaderboardView());
    // The lineup gives the results their columns and rows before anything runs.
    QCOMPARE(window.resultMatrixModel()->columnCount(), window.workspace().targets.size());
    QCOMPARE(window.leaderboardModel()->rowCount(), window.workspace().targets.size());
}

void TestMainWindow::leaderboardAndQuadrantShareTheSelection()
{
    MainWindow window;
    window.setWorkspace(Workspace::demo());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.showResults(MainWindow::ResultsPage::Leaderboard);
    const QString second = window.workspace().targets.at(1).id;
    const int row = window.leaderboardModel()->rowOfTarget(second);
    LeaderboardView *board = window.leaderboardView();
    const QModelIndex index = board->model()->index(board->shownOrder().indexOf(second), 0);
    QVERIFY(row >= 0 && index.isValid());
    QTest::mouseClick(board->viewport(), Qt::LeftButton, {}, board->visualRect(index).center());
    QCOMPARE(window.quadrant()->selectedTarget(), second);
    // And back: a click on a bubble selects the row.
    const QString first = window.workspace().targets.at(0).id;
    Q_EMIT window.quadrant()->targetClicked(first);
    QCOMPARE(board->selectedTarget(), first);
    QCOMPARE(window.quadrant()->selectedTarget(), first);
}

void TestMainWindow::aRunFillsTheResultsViews()
{
    MainWindow window;
    window.setWorkspace(Workspace::demo());
    QTemporaryDir historyDir;
    const QString historyPath = historyDir.filePath(QStringLiteral("history.sqlite"));
    QVERIFY(window.setHistoryPath(historyPath).ok());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.startRun());
    // The demo lineup answers from the embedded simulator on 127.0.0.1.
    QTRY_VERIFY_WITH_TIMEOUT(!window.session()->isRunning(), 240'000);
    const ResultMatrixModel *matrix = window.resultMatrixModel();
    QVERIFY(matrix->rowCount() > 0);
    QCOMPARE(matrix->columnCount(), window.targetList()->checkedTargetIds().size());
    int answered = 0;
    for (int r = 0; r < matrix->rowCount(); ++r) {
        for (int c = 0; c < matrix->columnCount(); ++c)
            answered += matrix->index(r, c).data(ResultMatrixModel::RunsRole).toInt();
    }
    QCOMPARE(answered, window.session()->done());
    // Recorded as it ran: the history holds every result, and the run as completed.
    const QString runId = window.recordedRunId();
    QVERIFY(!runId.isEmpty());
    const auto recorded = [&historyPath, &runId]() -> std::optional<RunRecord> {
        HistoryStore store;
        if (!store.open(historyPath, HistoryStore::Mode::ReadOnly))
            return std::nullopt;
        auto run = store.run(runId);
        return run ? std::optional<RunRecord>(run.value()) : std::nullopt;
    };
    QTRY_VERIFY_WITH_TIMEOUT(recorded() && recorded()->state == RunState::Completed, 10'000);
    QCOMPARE(recorded()->cells, window.session()->done());
    // File ▸ Export Results writes what slopscope-cli writes.
    const QString html = historyDir.filePath(QStringLiteral("report.html"));
    QVERIFY(window.exportResults(html).ok());
    QFile report(html);
    QVERIFY(report.open(QIODevice::ReadOnly));
    const QByteArray page = report.readAll();
    QVERIFY(page.contains("Content-Security-Policy") && page.contains(runId.toLatin1()));
    QVERIFY(window.exportResults(historyDir.filePath(QStringLiteral("results.jsonl"))).ok());
    const Status refused = window.exportResults(historyDir.filePath(QStringLiteral("results.docx")));
    QVERIFY(!refused.ok() && refused.error().contains(QStringLiteral("results.docx")));
    // Summaries are coalesced; the last one lands shortly after the run.
    QTRY_VERIFY(window.leaderboardModel()
                    ->index(0, LeaderboardModel::QualityColumn)
                    .data(LeaderboardModel::SortRole)
                    .isValid());
    // Selecting a cell shows its answer and points the diff at it.
    window.showResults(MainWindow::ResultsPage::Matrix);
    QVERIFY(window.resultMatrixView()->selectCell(0, 0));
    QCOMPARE(window.diffView()->rightEdit()->toPlainText(),
             matrix->index(0, 0).data(ResultMatrixModel::AnswerRole).toString());
    // ... and the disagreements page at its case, one column per target, once it is looked at
    // (a hidden page compares nothing).
    window.showResults(MainWindow::ResultsPage::Disagreements);
    QTRY_COMPARE(window.disagreementsView()->columns().size(), matrix->columnCount());
    QCOMPARE(window.disagreementsView()->columns().constFirst()->toPlainText(),
             matrix->index(0, 0).data(ResultMatrixModel::AnswerRole).toString());
}

// RELIABILITY F-9: while the recorder holds dispatch (a full disk), the window says why and the run
// waits rather than being cancelled; once released it completes.
void TestMainWindow::heldDispatchIsShownAndTheRunGoesOn()
{
    QTemporaryDir historyDir;
    MainWindow window;
    window.setWorkspace(Workspace::demo());
    QVERIFY(window.setHistoryPath(historyDir.filePath(QStringLiteral("history.sqlite"))).ok());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    RunSession *session = window.session();
    QVERIFY(window.startRun());
    const QString reason = QStringLiteral("Disk full: 2 result(s) waiting to be saved");
    session->holdDispatch(reason);
    QSignalSpy started(session, &RunSession::cellStarted);
    const QString shown = window.statusBar()->currentMessage();
    QVERIFY2(shown.startsWith(reason) && shown.contains(u"No new cell is sent"), qPrintable(shown));
    QTest::qWait(2000); // whatever was in flight goes on; nothing new starts
    QVERIFY(session->isRunning());
    QVERIFY(session->done() < session->total());
    QCOMPARE(started.size(), 0);
    session->releaseDispatch();
    QTRY_VERIFY_WITH_TIMEOUT(!session->isRunning(), 240'000);
    QCOMPARE(session->done(), session->total());
    QVERIFY(session->stopReason().isEmpty()); // completed, not cancelled
}

void TestMainWindow::unusableHistoryAsksBeforeRunningWithoutIt_data()
{
    QTest::addColumn<bool>("goOn");
    QTest::newRow("continue without history") << true;
    QTest::newRow("quit") << false;
}

// RELIABILITY F-12: a profile folder that cannot hold the history is named, and the app runs
// without history only once the user said so.
void TestMainWindow::unusableHistoryAsksBeforeRunningWithoutIt()
{
    QFETCH(bool, goOn);
    QTemporaryDir dir;
    const QString folder = dir.filePath(QStringLiteral("profile"));
    QVERIFY(QDir().mkpath(folder));
    // Read-only; as root (who writes anyway) a folder that is a file instead: either fails to open.
    QString path = folder + QStringLiteral("/history.sqlite");
    if (::geteuid() == 0) {
        QFile blocker(dir.filePath(QStringLiteral("not-a-folder")));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        path = blocker.fileName() + QStringLiteral("/history.sqlite");
    } else {
        QVERIFY(QFile::setPermissions(folder, QFile::ReadOwner | QFile::ExeOwner));
    }
    MainWindow window;
    window.setWorkspace(Workspace::demo());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QSignalSpy quit(&window, &MainWindow::quitRequested);
    const Status opened = window.setHistoryPath(path);
    QVERIFY(!opened.ok());
    auto *box = window.findChild<QMessageBox *>(QStringLiteral("historyUnavailableBox"));
    QVERIFY(box);
    QVERIFY2(box->text().contains(opened.error()), qPrintable(box->text()));
    const QString named = QDir::toNativeSeparators(QFileInfo(path).absolutePath());
    QVERIFY2(box->text().contains(named) || box->text().contains(QFileInfo(path).absolutePath()),
             qPrintable(box->text()));
    QCOMPARE(box->windowModality(), Qt::WindowModal);
    // Nothing runs until the user answered.
    QVERIFY(window.isAwaitingHistoryConsent());
    QVERIFY(!window.startRun());
    QVERIFY(window.recordedRunId().isEmpty());
    auto *run = window.findChild<QAction *>(QStringLiteral("runAction"));
    QVERIFY(run);
    QVERIFY(!run->isEnabled());

    QAbstractButton *answer = nullptr;
    for (QAbstractButton *b : box->buttons()) {
        if (box->buttonRole(b) == (goOn ? QMessageBox::AcceptRole : QMessageBox::RejectRole))
            answer = b;
    }
    QVERIFY(answer);
    QCOMPARE(box->defaultButton() == answer, !goOn); // Enter does not agree to lose results
    QVERIFY(answer->text().remove(u'&').contains(goOn ? u"Continue Without History"_qs : u"Quit"_qs));
    answer->click();
    QTRY_VERIFY(!window.findChild<QMessageBox *>(QStringLiteral("historyUnavailableBox")));
    QVERIFY(!window.isAwaitingHistoryConsent());
    QCOMPARE(quit.size(), goOn ? 0 : 1);
    if (goOn) {
        QVERIFY(window.statusBar()->currentMessage().contains(u"No history"));
        QVERIFY(run->isEnabled());
    }
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
