#include "core/Workspace.h"
#include "CellDetailPanel.h"
#include "ChunkSparkline.h"
#include "HistoryBrowser.h"
#include "MainWindow.h"
#include "QuickCompareView.h"
#include "ResultMatrixView.h"
#include "run/QuickCompareSession.h"
#include "run/RunSpec.h"
#include "run/RunSession.h"
#include "store/HistoryStore.h"
#include "store/RecordedRun.h"
#include "TargetListWidget.h"
#include "views/LeaderboardModel.h"
#include "views/ResultMatrixModel.h"
#include "views/RunListModel.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace Slopscope;

namespace {

// Two cases, so a run of two simulated targets stays short.
Suite smallSuite()
{
    const QByteArray json = R"({"name": "History check", "cases": [
        {"id": "capital", "prompt": "What is the capital of France?", "reference": "Paris",
         "assert": [{"type": "icontains", "value": "Paris"}]},
        {"id": "sum", "prompt": "What is 2 + 3?", "reference": "5",
         "assert": [{"type": "contains", "value": "5"}]}]})";
    auto suite = Suite::fromJson(json, QStringLiteral("<test>"));
    return suite ? suite.value() : Suite{};
}

// What the results views show, cell by cell and target by target, to compare live and recorded.
QStringList viewContents(const MainWindow &window)
{
    QStringList out;
    const ResultMatrixModel *matrix = window.resultMatrixModel();
    for (int r = 0; r < matrix->rowCount(); ++r) {
        for (int c = 0; c < matrix->columnCount(); ++c) {
            const QModelIndex i = matrix->index(r, c);
            out << QStringLiteral("%1/%2: %3 runs, %4")
                       .arg(r)
                       .arg(c)
                       .arg(i.data(ResultMatrixModel::RunsRole).toInt())
                       .arg(i.data(ResultMatrixModel::AnswerRole).toString());
        }
    }
    const LeaderboardModel *board = window.leaderboardModel();
    for (int r = 0; r < board->rowCount(); ++r) {
        for (int c = 0; c < board->columnCount(); ++c)
            out << board->index(r, c).data().toString();
    }
    return out;
}

} // namespace

class TestHistoryBrowser final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void listsTheRecordedRun();
    void filtersRuns();
    void aRecordedRunShowsAsItDidLive();
    void aDamagedHistoryOffersItsBackup_data();
    void aDamagedHistoryOffersItsBackup(); // before the run is deleted
    void exportsAndDeletesARun();
    void aQuickCompareExchangeIsARunOfItsOwn();
    void noHistoryRecordsNoQuickCompare();

private:
    QTemporaryDir m_dir;
    QString m_historyPath;
    QString m_runId;
    QStringList m_live; // the views at the end of the live run
    QStringList m_targetIds;
};

void TestHistoryBrowser::initTestCase()
{
    // The quadrant's bar reads the application's QSettings: not the developer's own choices.
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
    m_historyPath = m_dir.filePath(QStringLiteral("history.sqlite"));
    MainWindow window;
    window.setWorkspace(Workspace::demo());
    window.addSuite(smallSuite());
    TargetListWidget *list = window.targetList();
    for (int i = 2; i < list->topLevelItemCount(); ++i)
        list->topLevelItem(i)->setCheckState(TargetListWidget::LabelColumn, Qt::Unchecked);
    m_targetIds = list->checkedTargetIds();
    QCOMPARE(m_targetIds.size(), 2);
    QVERIFY(window.setHistoryPath(m_historyPath).ok());
    QVERIFY(window.startRun());
    QTRY_VERIFY_WITH_TIMEOUT(!window.session()->isRunning(), 60'000);
    QCOMPARE(window.session()->done(), 4);
    m_runId = window.recordedRunId();
    QVERIFY(!m_runId.isEmpty());
    // Recorded once the writer has committed the run's end; the last summary is coalesced.
    const auto completed = [this] {
        const auto run = RecordedRun::load(m_historyPath, m_runId);
        return run.ok() && run.value().record.state == RunState::Completed;
    };
    QTRY_VERIFY_WITH_TIMEOUT(completed(), 10'000);
    QTRY_VERIFY(window.leaderboardModel()->index(1, LeaderboardModel::QualityColumn).data().toString() !=
                QStringLiteral("—"));
    QTest::qWait(400); // any summary still pending lands
    m_live = viewContents(window);
}

void TestHistoryBrowser::listsTheRecordedRun()
{
    HistoryBrowser browser(m_historyPath);
    QAbstractItemModelTester tester(browser.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    RunListModel *model = browser.model();
    QCOMPARE(model->rowCount(), 1);
    QCOMPARE(model->index(0, RunListModel::SuiteColumn).data().toString(), QStringLiteral("History check"));
    QVERIFY(model->index(0, RunListModel::TargetsColumn)
                .data(Qt::ToolTipRole)
                .toString()
                .contains(m_targetIds.join(QStringLiteral(", "))));
    QCOMPARE(model->index(0, RunListModel::StateColumn).data().toString(), QStringLiteral("completed"));
    QCOMPARE(model->index(0, RunListModel::ResultsColumn).data().toString(), QStringLiteral("4 of 4"));
    QCOMPARE(browser.selectedRunId(), m_runId);
    if (const QString keep = qEnvironmentVariable("SLOPSCOPE_TEST_ARTIFACTS"); !keep.isEmpty()) {
        browser.show();
        QVERIFY(QTest::qWaitForWindowExposed(&browser));
        browser.grab().save(keep + QStringLiteral("/history-browser.png"));
    }

    // Enter on the selected row asks the main window to open it.
    QStringList requested;
    connect(&browser, &HistoryBrowser::openRequested, this, [&requested](const QString &id) { requested << id; });
    browser.show();
    QVERIFY(QTest::qWaitForWindowExposed(&browser));
    browser.view()->setFocus();
    browser.view()->setCurrentIndex(browser.proxy()->index(0, 0));
    QTest::keyClick(browser.view(), Qt::Key_Return);
    QCOMPARE(requested, QStringList{m_runId});
}

void TestHistoryBrowser::filtersRuns()
{
    HistoryBrowser browser(m_historyPath);
    browser.setFilterText(m_targetIds.last().toUpper()); // any case
    QCOMPARE(browser.proxy()->rowCount(), 1);
    browser.setFilterText(QStringLiteral("no such suite"));
    QCOMPARE(browser.proxy()->rowCount(), 0);
    QVERIFY(browser.selectedRunId().isEmpty());
    browser.setFilterText(m_runId.left(8));
    QCOMPARE(browser.proxy()->rowCount(), 1);
    QCOMPARE(browser.selectedRunId(), m_runId);
}

void TestHistoryBrowser::aRecordedRunShowsAsItDidLive()
{
    MainWindow window;
    window.setWorkspace(Workspace::demo());
    // A history that cannot be read is a clear refusal, not a crash.
    QVERIFY(!window.showRecordedRun(m_runId).ok());
    QVERIFY(window.setHistoryPath(m_historyPath).ok());
    const Status missing = window.showRecordedRun(QStringLiteral("no-such-run"));
    QVERIFY(!missing.ok());
    QVERIFY2(missing.error().contains(QStringLiteral("no-such-run")), qPrintable(missing.error()));

    QVERIFY2(window.showRecordedRun(m_runId).ok(), qPrintable(window.showRecordedRun(m_runId).error()));
    QCOMPARE(window.shownRunId(), m_runId);
    // From the database alone: nothing was sent.
    QVERIFY(!window.session()->isRunning());
    QVERIFY(window.session()->results().isEmpty());
    QCOMPARE(viewContents(window), m_live);

    // L-5: the matrix holds the light cells; the panel reads the selected one's detail (its
    // chunk timeline) from the file, as recorded.
    const auto recorded = RecordedRun::load(m_historyPath, m_runId);
    QVERIFY2(recorded.ok(), qPrintable(recorded.error()));
    const CellResult &first = recorded.value().cells.constFirst();
    QVERIFY(!first.job.timeline.attempts.isEmpty());
    const int row = window.resultMatrixModel()->rowOf(first.caseId);
    int column = -1;
    for (int c = 0; c < window.resultMatrixModel()->columnCount(); ++c) {
        if (window.resultMatrixModel()->targetIdAt(c) == first.job.targetId)
            column = c;
    }
    QVERIFY(row >= 0 && column >= 0);
    QVERIFY(window.resultMatrixModel()->cellsAt(row, column).constLast().job.timeline.attempts.isEmpty());
    QVERIFY(window.resultMatrixView()->selectCell(row == 0 ? 1 : 0, column));
    QVERIFY(window.resultMatrixView()->selectCell(row, column));
    QCOMPARE(window.resultMatrixView()->detail()->answerText(), first.job.result.text);
    QVERIFY(window.resultMatrixView()->detail()->sparkline()->arrivalCount() > 0);

    // Export Results writes the run on screen.
    const QString html = m_dir.filePath(QStringLiteral("recorded.html"));
    QVERIFY(window.exportResults(html).ok());
    QFile report(html);
    QVERIFY(report.open(QIODevice::ReadOnly));
    QVERIFY(report.readAll().contains(m_runId.toLatin1()));
}

void TestHistoryBrowser::exportsAndDeletesARun()
{
    HistoryBrowser browser(m_historyPath);
    const QString shared = m_dir.filePath(QStringLiteral("shared-run.sqlite"));
    QVERIFY(browser.exportSelected(shared));
    {
        HistoryStore other;
        QVERIFY(other.open(m_dir.filePath(QStringLiteral("other.sqlite"))).ok());
        const auto imported = other.importRuns(shared);
        QVERIFY2(imported.ok(), qPrintable(imported.error()));
        QCOMPARE(imported.value(), QStringList{m_runId});
    }
    QVERIFY(browser.deleteSelected());
    QCOMPARE(browser.model()->rowCount(), 0);
    QVERIFY(!RecordedRun::load(m_historyPath, m_runId).ok());
}

// RELIABILITY F-10: the damaged file is moved aside, the user is told and chooses between the
// latest backup and an empty history; nothing is recorded before the choice.
void TestHistoryBrowser::aDamagedHistoryOffersItsBackup_data()
{
    QTest::addColumn<bool>("restore");
    QTest::newRow("restore the backup") << true;
    QTest::newRow("keep the empty history") << false;
}

void TestHistoryBrowser::aDamagedHistoryOffersItsBackup()
{
    QFETCH(bool, restore);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("damaged.sqlite"));
    {
        HistoryStore recorded;
        QVERIFY(recorded.open(m_historyPath, HistoryStore::Mode::ReadOnly).ok());
        QVERIFY(recorded.exportRun(m_runId, path).ok());
        HistoryStore copy;
        QVERIFY(copy.open(path).ok());
        QVERIFY(copy.backupNow().ok());
    }
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadWrite));
    file.write(QByteArray(file.size(), 'x'));
    file.close();

    MainWindow window;
    QVERIFY(window.setHistoryPath(path).ok());
    auto *box = window.findChild<QMessageBox *>(QStringLiteral("historyRecoveryBox"));
    QVERIFY(box);
    QVERIFY2(box->text().contains(QStringLiteral("damaged")), qPrintable(box->text()));
    QVERIFY(window.recordedRunId().isEmpty()); // not recording until the user chose
    QPushButton *choice = nullptr;
    for (QAbstractButton *b : box->buttons()) {
        if (box->buttonRole(b) == (restore ? QMessageBox::AcceptRole : QMessageBox::RejectRole))
            choice = qobject_cast<QPushButton *>(b);
    }
    QVERIFY(choice);
    choice->click();
    QTRY_VERIFY(!window.findChild<QMessageBox *>(QStringLiteral("historyRecoveryBox")));

    const auto runs = [&path]() -> qsizetype {
        HistoryStore store;
        if (!store.open(path, HistoryStore::Mode::ReadOnly).ok())
            return -1;
        const auto listed = store.listRuns();
        return listed ? listed.value().size() : -1;
    };
    QCOMPARE(runs(), restore ? 1 : 0);
    // Recording works again: the demo run lands in the chosen file.
    window.setWorkspace(Workspace::demo());
    window.addSuite(smallSuite());
    TargetListWidget *list = window.targetList();
    for (int i = 1; i < list->topLevelItemCount(); ++i)
        list->topLevelItem(i)->setCheckState(TargetListWidget::LabelColumn, Qt::Unchecked);
    QVERIFY(window.startRun());
    QTRY_VERIFY_WITH_TIMEOUT(!window.session()->isRunning(), 60'000);
    QVERIFY(!window.recordedRunId().isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(runs(), restore ? 2 : 1, 10'000);
    const QStringList aside = QDir(dir.path()).entryList({QStringLiteral("damaged.sqlite.corrupt-*")}, QDir::Files);
    QCOMPARE(aside.size(), 1);
}

namespace {

// One quick-compare exchange of the window's two checked targets, answered.
bool sendQuickCompare(MainWindow &window, const QString &prompt)
{
    TargetListWidget *list = window.targetList();
    for (int i = 2; i < list->topLevelItemCount(); ++i)
        list->topLevelItem(i)->setCheckState(TargetListWidget::LabelColumn, Qt::Unchecked);
    QuickCompareView *quick = window.quickCompare();
    quick->promptBox()->setPlainText(prompt);
    QSignalSpy finished(quick->session(), &QuickCompareSession::exchangeFinished);
    return quick->send() && finished.wait(60'000);
}

} // namespace

// A quick-compare exchange is a run in the history: labelled as such, found by the kind filter,
// and opened from the database like any run.
void TestHistoryBrowser::aQuickCompareExchangeIsARunOfItsOwn()
{
    const QString path = m_dir.filePath(QStringLiteral("quick.sqlite"));
    const QString prompt = QStringLiteral("What is 2 + 3? <b>bold?</b>");
    MainWindow window;
    window.setWorkspace(Workspace::demo());
    QVERIFY(window.setHistoryPath(path).ok());
    QVERIFY(sendQuickCompare(window, prompt));
    const QString runId = window.recordedQuickCompareRunId();
    QVERIFY(!runId.isEmpty());
    QVERIFY(window.recordedRunId().isEmpty()); // not the suite runs' recorder
    const auto completed = [&] {
        const auto run = RecordedRun::load(path, runId);
        return run.ok() && run.value().record.state == RunState::Completed;
    };
    QTRY_VERIFY_WITH_TIMEOUT(completed(), 10'000);

    HistoryBrowser browser(path);
    QAbstractItemModelTester tester(browser.proxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    RunListModel *model = browser.model();
    QCOMPARE(model->rowCount(), 1);
    const QModelIndex suite = model->index(0, RunListModel::SuiteColumn);
    QCOMPARE(suite.data().toString(), QStringLiteral("Quick compare: %1").arg(prompt));
    QCOMPARE(suite.data(RunListModel::KindRole).toString(), QString(kQuickCompareKind));
    QVERIFY(suite.data(Qt::ToolTipRole).toString().contains(QStringLiteral("sent to 2 target")));
    QCOMPARE(model->index(0, RunListModel::ResultsColumn).data().toString(), QStringLiteral("2 of 2"));
    if (const QString keep = qEnvironmentVariable("SLOPSCOPE_TEST_ARTIFACTS"); !keep.isEmpty()) {
        browser.show();
        QVERIFY(QTest::qWaitForWindowExposed(&browser));
        browser.grab().save(keep + QStringLiteral("/history-browser-quick.png"));
    }

    // The kind box and the text filter both find it; suite runs alone do not show it.
    browser.setKindFilter(HistoryBrowser::KindFilter::SuiteRuns);
    QCOMPARE(browser.proxy()->rowCount(), 0);
    QVERIFY(browser.selectedRunId().isEmpty());
    browser.kindFilterBox()->setCurrentIndex(
        browser.kindFilterBox()->findData(static_cast<int>(HistoryBrowser::KindFilter::QuickCompares)));
    QCOMPARE(browser.proxy()->rowCount(), 1);
    QCOMPARE(browser.selectedRunId(), runId);
    browser.setFilterText(QStringLiteral("quick compare"));
    QCOMPARE(browser.proxy()->rowCount(), 1);
    browser.setFilterText(QStringLiteral("capital of France"));
    QCOMPARE(browser.proxy()->rowCount(), 0);
    browser.setFilterText(QString());
    browser.setKindFilter(HistoryBrowser::KindFilter::All);
    QCOMPARE(browser.proxy()->rowCount(), 1);

    QStringList requested;
    connect(&browser, &HistoryBrowser::openRequested, this, [&requested](const QString &id) { requested << id; });
    browser.show();
    QVERIFY(QTest::qWaitForWindowExposed(&browser));
    browser.view()->setFocus();
    browser.view()->setCurrentIndex(browser.proxy()->index(0, 0));
    QTest::keyClick(browser.view(), Qt::Key_Return);
    QCOMPARE(requested, QStringList{runId});

    // Opened from the database: each target's answer in its cell, as it was live.
    const QuickExchange &live = window.quickCompare()->session()->exchanges().constLast();
    QVERIFY(window.showRecordedRun(runId).ok());
    QCOMPARE(window.shownRunId(), runId);
    QStringList shown;
    const ResultMatrixModel *matrix = window.resultMatrixModel();
    for (int r = 0; r < matrix->rowCount(); ++r) {
        for (int c = 0; c < matrix->columnCount(); ++c) {
            const QString answer = matrix->index(r, c).data(ResultMatrixModel::AnswerRole).toString();
            if (!answer.isEmpty())
                shown << answer;
        }
    }
    QStringList answers;
    for (const QString &target : live.targetIds)
        answers << live.answers.value(target).text;
    shown.sort();
    answers.sort();
    QCOMPARE(shown, answers);
}

// --no-db: quick compare still answers, and nothing is recorded anywhere.
void TestHistoryBrowser::noHistoryRecordsNoQuickCompare()
{
    MainWindow window;
    window.setWorkspace(Workspace::demo());
    QVERIFY(sendQuickCompare(window, QStringLiteral("Say hi.")));
    QVERIFY(window.recordedQuickCompareRunId().isEmpty());
    QVERIFY(!window.quickCompare()->session()->exchanges().constLast().answers.isEmpty());
}

QTEST_MAIN(TestHistoryBrowser)
#include "tst_historybrowser.moc"
