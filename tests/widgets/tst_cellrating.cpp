#include "../views/ViewsFixture.h"
#include "CellDetailPanel.h"
#include "core/Workspace.h"
#include "judge/JudgeCall.h"
#include "MainWindow.h"
#include "RatedCellDelegate.h"
#include "RatingBar.h"
#include "RatingBook.h"
#include "ResultMatrixView.h"
#include "run/RunSession.h"
#include "store/HistoryStore.h"
#include "store/HistoryWriter.h"
#include "store/SqliteConnection.h"
#include "store/RecordedRun.h"
#include "TargetListWidget.h"
#include "views/LeaderboardModel.h"
#include "views/ResultMatrixModel.h"
#include "views/ViewText.h"

#include <QAbstractButton>
#include <QFile>
#include <QLineEdit>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

using namespace Slopscope;

namespace {

Suite smallSuite()
{
    const QByteArray json = R"({"name": "Rating check", "cases": [
        {"id": "capital", "prompt": "What is the capital of France?", "reference": "Paris",
         "assert": [{"type": "icontains", "value": "Paris"}]},
        {"id": "sum", "prompt": "What is 2 + 3?", "reference": "5",
         "assert": [{"type": "contains", "value": "5"}]}]})";
    auto suite = Suite::fromJson(json, QStringLiteral("<test>"));
    return suite ? suite.value() : Suite{};
}

QList<StoredRating> storedRatings(const QString &path, const QString &runId)
{
    HistoryStore store;
    if (!store.open(path, HistoryStore::Mode::ReadOnly))
        return {};
    const auto ratings = store.humanRatings(runId);
    return ratings ? ratings.value() : QList<StoredRating>{};
}

QString jobIdAt(const MainWindow &window, int row, int column)
{
    const QList<CellResult> runs = window.resultMatrixModel()->cellsAt(row, column);
    return runs.isEmpty() ? QString() : jobIdOf(runs.constLast());
}

} // namespace

class TestCellRating final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void failWritesTheCellIntoTheHistory();
    void starsWithANoteRoundTripAndTheLatestWins();
    void withoutAHistoryRatingsStayInMemory();
    void leaderboardFollowsRatings();
    void unreadableRatingsAreReported();

private:
    QTemporaryDir m_dir;
    QString m_historyPath;
    QString m_runId;
};

// One short recorded run (two cases × two simulated targets) that every test opens again.
void TestCellRating::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
    m_historyPath = m_dir.filePath(QStringLiteral("history.sqlite"));
    MainWindow window;
    window.setWorkspace(Workspace::demo());
    window.addSuite(smallSuite());
    TargetListWidget *list = window.targetList();
    for (int i = 2; i < list->topLevelItemCount(); ++i)
        list->topLevelItem(i)->setCheckState(TargetListWidget::LabelColumn, Qt::Unchecked);
    QVERIFY(window.setHistoryPath(m_historyPath).ok());
    QVERIFY(window.startRun());
    QTRY_VERIFY_WITH_TIMEOUT(!window.session()->isRunning(), 60'000);
    QCOMPARE(window.session()->done(), 4);
    m_runId = window.recordedRunId();
    const auto completed = [this] {
        const auto run = RecordedRun::load(m_historyPath, m_runId);
        return run.ok() && run.value().record.state == RunState::Completed;
    };
    QTRY_VERIFY_WITH_TIMEOUT(completed(), 10'000);

    // The live run, still on screen, is rated into its own record.
    ResultMatrixView *view = window.resultMatrixView();
    QVERIFY(view->selectCell(0, 1));
    view->detail()->ratingBar()->button(RatingBar::kPassId)->click();
    QTRY_COMPARE(storedRatings(m_historyPath, m_runId).size(), 1);
    QCOMPARE(storedRatings(m_historyPath, m_runId).constFirst().jobId, jobIdAt(window, 0, 1));
    QCOMPARE(storedRatings(m_historyPath, m_runId).constFirst().rating, 1);
}

void TestCellRating::failWritesTheCellIntoTheHistory()
{
    MainWindow window;
    QVERIFY(window.setHistoryPath(m_historyPath).ok());
    QVERIFY(window.showRecordedRun(m_runId).ok());
    ResultMatrixView *view = window.resultMatrixView();
    QVERIFY(view->selectCell(0, 0));
    RatingBar *bar = view->detail()->ratingBar();
    QVERIFY(bar->isEnabled());
    QVERIFY(bar->noticeText().isEmpty()); // recorded: no "not kept" notice
    const QString jobId = jobIdAt(window, 0, 0);
    const ResultMatrixModel *matrix = window.resultMatrixModel();
    QCOMPARE(jobId, composeJobId(matrix->caseIdAt(0), matrix->variantIdAt(0), 0, matrix->targetIdAt(0)));

    const qsizetype before = storedRatings(m_historyPath, m_runId).size();
    bar->button(RatingBar::kFailId)->click();
    // The writer emits `committed` for results only: the rating is awaited in the file itself.
    QTRY_COMPARE(storedRatings(m_historyPath, m_runId).size(), before + 1);
    const StoredRating stored = storedRatings(m_historyPath, m_runId).constLast();
    QCOMPARE(stored.runId, m_runId);
    QCOMPARE(stored.jobId, jobId);
    QCOMPARE(stored.kind, QStringLiteral("pass_fail"));
    QCOMPARE(stored.rating, 0);
    QVERIFY(stored.comment.isEmpty());
    // The matrix marks the cell; the other cells are not marked.
    const QModelIndex rated = view->table()->currentIndex();
    QCOMPARE(view->cellDelegate()->marker(rated), QStringLiteral("[fail]"));
    QCOMPARE(view->cellDelegate()->toolTipLine(rated), QStringLiteral("Rated: fail"));
    QCOMPARE(view->cellDelegate()->marker(rated.siblingAtColumn(1)), QStringLiteral("[pass]")); // the live run's
    QVERIFY(view->cellDelegate()->marker(rated.siblingAtRow(1)).isEmpty());

    // Undo withdraws it: the history appends a withdrawal, so the cell reads as unrated again,
    // here, when the run is opened again, and in the reports.
    QVERIFY(bar->undoButton()->isEnabled());
    bar->undoButton()->click();
    QTRY_COMPARE(storedRatings(m_historyPath, m_runId).size(), before + 2);
    QCOMPARE(storedRatings(m_historyPath, m_runId).constLast().kind, QStringLiteral("withdrawn"));
    QCOMPARE(storedRatings(m_historyPath, m_runId).constLast().jobId, jobId);
    QVERIFY(view->cellDelegate()->marker(rated).isEmpty());
    QVERIFY(!bar->button(RatingBar::kFailId)->isChecked());
    QVERIFY(!bar->undoButton()->isEnabled());
    const auto reread = RecordedRun::load(m_historyPath, m_runId);
    QVERIFY2(reread.ok(), qPrintable(reread.error()));
    QStringList ratedCells;
    for (const HumanRating &h : reread.value().humanRatings())
        ratedCells.append(h.cellId);
    QVERIFY(!ratedCells.contains(jobId));
    QVERIFY(ratedCells.contains(jobIdAt(window, 0, 1))); // the other cell's rating stands
    MainWindow again;
    QVERIFY(again.setHistoryPath(m_historyPath).ok());
    QVERIFY(again.showRecordedRun(m_runId).ok());
    QVERIFY(again.resultMatrixView()->selectCell(0, 0));
    QVERIFY(again.resultMatrixView()->cellDelegate()->marker(again.resultMatrixView()->table()->currentIndex()).isEmpty());
    QVERIFY(!again.resultMatrixView()->detail()->ratingBar()->undoButton()->isEnabled());
}

void TestCellRating::starsWithANoteRoundTripAndTheLatestWins()
{
    const QString note = QStringLiteral("<b>html</b> stays text");
    QString jobId;
    {
        MainWindow window;
        QVERIFY(window.setHistoryPath(m_historyPath).ok());
        QVERIFY(window.showRecordedRun(m_runId).ok());
        window.show();
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        ResultMatrixView *view = window.resultMatrixView();
        window.showResults(MainWindow::ResultsPage::Matrix);
        QVERIFY(view->selectCell(1, 1));
        jobId = jobIdAt(window, 1, 1);
        RatingBar *bar = view->detail()->ratingBar();
        bar->noteEdit()->setText(note);
        view->table()->setFocus();
        QTRY_VERIFY(view->table()->hasFocus());
        QTest::keyClick(view->table(), Qt::Key_4); // the key the tooltip names
        QVERIFY(bar->button(4)->isChecked());
        QTRY_VERIFY(storedRatings(m_historyPath, m_runId).size() >= 1 &&
                    storedRatings(m_historyPath, m_runId).constLast().jobId == jobId);
        const StoredRating stored = storedRatings(m_historyPath, m_runId).constLast();
        QCOMPARE(stored.kind, QStringLiteral("stars"));
        QCOMPARE(stored.rating, 4);
        QCOMPARE(stored.comment, note);
    }

    // Opened again from the history: the panel and the matrix show the stored rating.
    MainWindow window;
    QVERIFY(window.setHistoryPath(m_historyPath).ok());
    QVERIFY(window.showRecordedRun(m_runId).ok());
    ResultMatrixView *view = window.resultMatrixView();
    QVERIFY(view->selectCell(1, 1));
    RatingBar *bar = view->detail()->ratingBar();
    QVERIFY(bar->button(4)->isChecked());
    QVERIFY(!bar->button(RatingBar::kPassId)->isChecked());
    QCOMPARE(bar->noteEdit()->text(), note);
    const QModelIndex cell = view->table()->currentIndex();
    QCOMPARE(view->cellDelegate()->marker(cell), QStringLiteral("[★4]"));
    const QString line = view->cellDelegate()->toolTipLine(cell);
    QCOMPARE(line, QStringLiteral("Rated: ★★★★☆ — ") + note);
    // Shown as text in the rich-text tooltip: the markup escaped, never applied.
    QVERIFY(ViewText::html(line).contains(QStringLiteral("&lt;b&gt;html&lt;/b&gt;")));

    // Re-rating appends in the history; the latest rating is the one shown.
    const qsizetype before = storedRatings(m_historyPath, m_runId).size();
    bar->button(RatingBar::kPassId)->click();
    QTRY_COMPARE(storedRatings(m_historyPath, m_runId).size(), before + 1);
    QCOMPARE(storedRatings(m_historyPath, m_runId).constLast().rating, 1);
    QCOMPARE(storedRatings(m_historyPath, m_runId).constLast().kind, QStringLiteral("pass_fail"));
    QVERIFY(bar->button(RatingBar::kPassId)->isChecked());
    QVERIFY(!bar->button(4)->isChecked());
    QCOMPARE(view->cellDelegate()->marker(cell), QStringLiteral("[pass]"));

    // Undo brings the 4 stars back, in the history too (appended again, so it is the latest).
    QVERIFY(bar->undoButton()->isEnabled());
    bar->undoButton()->click();
    QVERIFY(bar->button(4)->isChecked());
    QTRY_COMPARE(storedRatings(m_historyPath, m_runId).size(), before + 2);
    const StoredRating latest = storedRatings(m_historyPath, m_runId).constLast();
    QCOMPARE(latest.jobId, jobId);
    QCOMPARE(latest.kind, QStringLiteral("stars"));
    QCOMPARE(latest.rating, 4);
    QCOMPARE(latest.comment, note);
}

void TestCellRating::withoutAHistoryRatingsStayInMemory()
{
    ResultMatrixModel model;
    model.setSuite(ViewsFixture::suite());
    model.setTargets({ViewsFixture::target(QStringLiteral("a")), ViewsFixture::target(QStringLiteral("b"))});
    const CellResult answer = ViewsFixture::cell(QStringLiteral("a"), model.caseIdAt(0), 1.0, true);
    model.addCell(answer);
    ResultMatrixView view(&model);
    view.resize(1200, 500);
    view.show();
    view.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&view));
    QVERIFY(view.selectCell(0, 0));
    RatingBar *bar = view.detail()->ratingBar();
    QVERIFY(bar->noticeText().contains(QStringLiteral("session only")));
    view.table()->setFocus();
    QTRY_VERIFY(view.table()->hasFocus());
    QTest::keyClick(view.table(), Qt::Key_F);
    QVERIFY(bar->button(RatingBar::kFailId)->isChecked());
    const auto kept = view.ratings()->latest(answer.job.jobId);
    QVERIFY(kept.has_value());
    QCOMPARE(kept->kind, QStringLiteral("pass_fail"));
    QCOMPARE(kept->rating, 0);
    QVERIFY(!view.ratings()->persistent());
    QCOMPARE(view.cellDelegate()->marker(view.table()->currentIndex()), QStringLiteral("[fail]"));
    if (const QString keep = qEnvironmentVariable("SLOPSCOPE_TEST_ARTIFACTS"); !keep.isEmpty())
        view.grab().save(keep + QStringLiteral("/cell-rating-nodb.png"));
    // In memory only: the single rating can be taken back entirely.
    QVERIFY(bar->undoButton()->isEnabled());
    bar->undoButton()->click();
    QVERIFY(!view.ratings()->latest(answer.job.jobId).has_value());
    QVERIFY(!bar->button(RatingBar::kFailId)->isChecked());
    QVERIFY(view.cellDelegate()->marker(view.table()->currentIndex()).isEmpty());
    // A digit outside 1–5 is no rating.
    QTest::keyClick(view.table(), Qt::Key_7);
    QVERIFY(!view.ratings()->latest(answer.job.jobId).has_value());
    QVERIFY(bar->agreementText().isEmpty()); // no judge-graded answer rated

    // A judge-graded answer: the panel compares the person's rating with the judge's verdict.
    CellResult judged = ViewsFixture::cell(QStringLiteral("b"), model.caseIdAt(0), 1.0, true);
    judged.grade.grades.first().type = QStringLiteral("llm-rubric");
    JudgeCall call;
    call.assertionIndex = 0;
    judged.judgeCalls.append(call);
    model.addCell(judged);
    QVERIFY(view.selectCell(0, 1));
    bar->button(RatingBar::kFailId)->click();
    QVERIFY(bar->agreementText().startsWith(QStringLiteral("Agreement with the judge: 0% ")));
    QVERIFY(bar->agreementText().contains(QStringLiteral("over 1 rated answer")));
    bar->button(5)->click(); // 5 stars count as a pass: now the judge and the person agree
    QVERIFY(bar->agreementText().contains(QStringLiteral("100%")));
    if (const QString keep = qEnvironmentVariable("SLOPSCOPE_TEST_ARTIFACTS"); !keep.isEmpty())
        view.grab().save(keep + QStringLiteral("/cell-rating-agreement.png"));
    // The judge's verdict changes (a re-grade): the figure follows the cell, not a kept copy.
    judged.grade.grades.first().pass = false;
    judged.grade.pass = false;
    model.addCell(judged);
    QVERIFY(bar->agreementText().startsWith(QStringLiteral("Agreement with the judge: 0% ")));

}

void TestCellRating::leaderboardFollowsRatings()
{
    MainWindow window;
    window.setWorkspace(Workspace::demo());
    window.addSuite(smallSuite());
    TargetListWidget *list = window.targetList();
    for (int i = 2; i < list->topLevelItemCount(); ++i)
        list->topLevelItem(i)->setCheckState(TargetListWidget::LabelColumn, Qt::Unchecked);
    QVERIFY(window.startRun());
    QTRY_VERIFY_WITH_TIMEOUT(!window.session()->isRunning(), 60'000);
    ResultMatrixModel *matrix = window.resultMatrixModel();
    QCOMPARE(matrix->rowCount(), 2);
    QCOMPARE(matrix->columnCount(), 2);
    // The small suite has no judge: give each answer a judge's verdict, first target T F, second T T.
    const bool judge[2][2] = {{true, true}, {false, true}}; // [case row][target column]
    for (int r = 0; r < 2; ++r) {
        for (int c = 0; c < 2; ++c) {
            CellResult cell = matrix->cellsAt(r, c).constLast();
            cell.grade.grades.first().type = QStringLiteral("llm-rubric");
            cell.grade.grades.first().pass = judge[r][c];
            JudgeCall call;
            call.judgeTargetId = QStringLiteral("judge");
            call.assertionIndex = 0;
            cell.judgeCalls.append(call);
            matrix->addCell(cell);
        }
    }
    LeaderboardModel *board = window.leaderboardModel();
    const auto shown = [&](int column) {
        const int row = board->rowOfTarget(matrix->targetIdAt(column));
        return board->index(row, LeaderboardModel::AgreementColumn);
    };
    QCOMPARE(shown(0).data().toString(), QStringLiteral("—")); // nobody rated yet

    // People: pass then fail for both targets.
    ResultMatrixView *view = window.resultMatrixView();
    RatingBar *bar = view->detail()->ratingBar();
    for (int c = 0; c < 2; ++c) {
        QVERIFY(view->selectCell(0, c));
        bar->button(RatingBar::kPassId)->click();
        QVERIFY(view->selectCell(1, c));
        bar->button(2)->click(); // 2 stars: a fail
    }
    // First target: judge T F, people T F → 100%, κ 1. Second: judge T T, people T F → 50%; the
    // judge always passes, so chance alone gives 0.5 and κ = 0.
    QCOMPARE(shown(0).data().toString(), QStringLiteral("100.0%"));
    QCOMPARE(shown(1).data().toString(), QStringLiteral("50.0%"));
    QVERIFY(shown(1).data(Qt::ToolTipRole).toString().contains(QStringLiteral("κ = 0.00")));
    QVERIFY(shown(0).data(Qt::ToolTipRole).toString().contains(QStringLiteral("over 2 answer")));

    if (const QString keep = qEnvironmentVariable("SLOPSCOPE_TEST_ARTIFACTS"); !keep.isEmpty()) {
        window.resize(1600, 900);
        window.show();
        window.showResults(MainWindow::ResultsPage::Leaderboard);
        QTest::qWait(200);
        window.grab().save(keep + QStringLiteral("/leaderboard-agreement.png"));
    }
    // Taking a rating back moves the figure again.
    QVERIFY(view->selectCell(1, 1));
    bar->undoButton()->click();
    QCOMPARE(shown(1).data().toString(), QStringLiteral("100.0%")); // one answer left: judge T, person T
}

// A history whose ratings cannot be read: the cells show as unrated and the book says why,
// once per run, instead of staying silent.
void TestCellRating::unreadableRatingsAreReported()
{
    const QString damaged = m_dir.filePath(QStringLiteral("no-ratings.sqlite"));
    QVERIFY(QFile::copy(m_historyPath, damaged));
    {
        SqliteConnection db;
        QVERIFY(db.open(damaged, SQLITE_OPEN_READWRITE).ok());
        QVERIFY(db.exec("ALTER TABLE human_ratings RENAME TO human_ratings_lost").ok());
    }
    HistoryWriter writer;
    writer.start(damaged);
    RatingBook book;
    book.setWriter(&writer);
    book.setRunIdSource([this] { return m_runId; });
    QSignalSpy unreadable(&book, &RatingBook::ratingsUnreadable);
    QVERIFY(!book.latest(QStringLiteral("capital||0|sim-a")).has_value());
    QCOMPARE(unreadable.size(), 1);
    const QString message = unreadable.constFirst().constFirst().toString();
    QVERIFY2(message.contains(damaged) && message.contains(u"ratings"), qPrintable(message));
    QVERIFY(!book.hasRatings());
    QCOMPARE(unreadable.size(), 1); // said once for the run, not at every look-up

    // The same book over the intact history reads the rating made in initTestCase.
    HistoryWriter intact;
    intact.start(m_historyPath);
    RatingBook readable;
    readable.setWriter(&intact);
    readable.setRunIdSource([this] { return m_runId; });
    QSignalSpy silent(&readable, &RatingBook::ratingsUnreadable);
    QVERIFY(readable.hasRatings());
    QCOMPARE(silent.size(), 0);
}

QTEST_MAIN(TestCellRating)

#include "tst_cellrating.moc"
