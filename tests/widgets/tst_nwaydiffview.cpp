#include "NWayDiffView.h"
#include "views/DisagreementModel.h"
#include "views/ResultMatrixModel.h"
#include "WidgetsFixture.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QPlainTextEdit>
#include <QScrollArea>
#include <QScrollBar>
#include <QTabWidget>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QThreadPool>

#include <memory>

using namespace Slopscope;
using ViewsFixture::cell;

namespace {

int pixelsOf(QPlainTextEdit *edit, const QColor &color)
{
    const QImage shot = edit->viewport()->grab().toImage();
    int n = 0;
    for (int y = 0; y < shot.height(); ++y) {
        for (int x = 0; x < shot.width(); ++x)
            n += shot.pixelColor(x, y).rgb() == color.rgb() ? 1 : 0;
    }
    return n;
}

void fill(ResultMatrixModel &model, const QStringList &answers)
{
    model.setSuite(ViewsFixture::suite());
    QList<TargetConfig> targets;
    for (int i = 0; i < answers.size(); ++i)
        targets << ViewsFixture::target(QStringLiteral("t%1").arg(i));
    model.setTargets(targets);
    for (int i = 0; i < answers.size(); ++i)
        model.addCell(cell(QStringLiteral("t%1").arg(i), QStringLiteral("alpha"), 1, true, answers.at(i)));
}

// An answer long enough that the comparison runs on a worker, ending with `last`.
QString longAnswer(const QString &last)
{
    QString text;
    while (text.size() <= NWayDiffView::kSyncCompareChars / 2)
        text += QStringLiteral("and so on ");
    return text + last;
}

} // namespace

class TestNWayDiffView final : public QObject
{
    Q_OBJECT

private slots:
    void listsTheDisputedNumber();
    void highlightsExactlyTheDisputedText();
    void clickingARowScrollsEveryColumn();
    void showsMarkupAsText();
    void followsTheCaseAndLiveAnswers();
    void manyTargetsScrollSideways();
    void waitsWhileOnAHiddenTab();
    void longAnswersAreComparedOffTheGuiThread();
    void staleComparisonIsDroppedAndDestroyingIsSafe();
};

void TestNWayDiffView::listsTheDisputedNumber()
{
    ResultMatrixModel model;
    fill(model, {QStringLiteral("The tower is 330 m tall."), QStringLiteral("The tower is 324 m tall."),
                 QStringLiteral("It is 330 m high.")});
    NWayDiffView view(&model);
    QAbstractItemModelTester tester(view.factModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    view.showCase(0);
    QCOMPARE(view.columns().size(), 3);
    QAbstractItemModel *facts = view.factTable()->model();
    QCOMPARE(facts->rowCount(), 2);
    QCOMPARE(facts->index(0, DisagreementModel::ValueColumn).data().toString(), QStringLiteral("330"));
    QCOMPARE(facts->index(0, DisagreementModel::StatedByColumn).data().toString(), QStringLiteral("T0, T2"));
    QCOMPARE(facts->index(0, DisagreementModel::OthersColumn).data().toString(), QStringLiteral("T1"));
    QCOMPARE(facts->index(1, DisagreementModel::ValueColumn).data().toString(), QStringLiteral("324"));
    QCOMPARE(facts->index(1, DisagreementModel::StatedByColumn).data().toString(), QStringLiteral("T1"));
    QVERIFY(
        facts->index(1, 0).data(Qt::ToolTipRole).toString().contains(QStringLiteral("T0, T2 state something else")));
    QVERIFY(view.summaryText().contains(QStringLiteral("2 disputed")));
}

void TestNWayDiffView::highlightsExactlyTheDisputedText()
{
    ResultMatrixModel model;
    fill(model, {QStringLiteral("Paris has 2,100,000 people."), QStringLiteral("Paris has 2.1 million people."),
                 QStringLiteral("About 2100000 live in Paris.")});
    NWayDiffView view(&model);
    view.resize(1000, 500);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.showCase(0);
    // 2,100,000 and 2100000 are one value; 2.1 is another. Paris is agreed by all three.
    QCOMPARE(view.highlightedIn(0), QStringList{QStringLiteral("2,100,000")});
    QCOMPARE(view.highlightedIn(1), QStringList{QStringLiteral("2.1")});
    QCOMPARE(view.highlightedIn(2), QStringList{QStringLiteral("2100000")});
    QCOMPARE(view.underlinedIn(0), QStringList{QStringLiteral("Paris")});
    QCOMPARE(view.underlinedIn(2), QStringList{QStringLiteral("Paris")});
    const QTextEdit::ExtraSelection first = view.columns().at(0)->extraSelections().constFirst();
    QCOMPARE(first.cursor.selectionStart(), 10);
    QCOMPARE(first.cursor.selectionEnd(), 19);
    // The answer's own text is untouched; the marks are drawn, not written into it.
    QCOMPARE(view.columns().at(0)->toPlainText(), QStringLiteral("Paris has 2,100,000 people."));
    QVERIFY(view.columns().at(1)->accessibleDescription().contains(QStringLiteral("“2.1” is stated by T1")));
    // Drawn: the highlight colour is on screen, and gone once the answers agree.
    const QColor highlight = first.format.background().color();
    QVERIFY(pixelsOf(view.columns().at(0), highlight) > 20);
    model.addCell(
        cell(QStringLiteral("t1"), QStringLiteral("alpha"), 1, true, QStringLiteral("Paris has 2,100,000."), 1));
    QTRY_COMPARE(view.columns().at(1)->toPlainText(), QStringLiteral("Paris has 2,100,000."));
    QVERIFY(view.highlightedIn(0).isEmpty());
    QCOMPARE(pixelsOf(view.columns().at(0), highlight), 0);
}

void TestNWayDiffView::clickingARowScrollsEveryColumn()
{
    QString filler;
    for (int i = 0; i < 80; ++i)
        filler += QStringLiteral("line of filler text\n");
    ResultMatrixModel model;
    fill(model, {filler + QStringLiteral("It opened in 1889."), filler + QStringLiteral("It opened in 1887."),
                 QStringLiteral("It opened in 1889.\n") + filler});
    NWayDiffView view(&model);
    view.resize(1000, 600);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.showCase(0);
    QCOMPARE(view.factModel()->rowCount(), 2);
    for (QPlainTextEdit *edit : view.columns())
        QCOMPARE(edit->verticalScrollBar()->value(), 0);
    QTableView *table = view.factTable();
    const QRect cell = table->visualRect(table->model()->index(0, DisagreementModel::ValueColumn));
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, cell.center());
    // 1889: columns 0 and 2 select it; column 0 had to scroll down to it, column 1 does not state it.
    QPlainTextEdit *a = view.columns().at(0);
    QCOMPARE(a->textCursor().selectedText(), QStringLiteral("1889"));
    QVERIFY(a->verticalScrollBar()->value() > 0);
    QVERIFY(a->viewport()->rect().intersects(a->cursorRect()));
    QVERIFY(!view.columns().at(1)->textCursor().hasSelection());
    QCOMPARE(view.columns().at(2)->textCursor().selectedText(), QStringLiteral("1889"));
    // The keyboard picks the next fact the same way.
    QTest::keyClick(table, Qt::Key_Down);
    QCOMPARE(view.columns().at(1)->textCursor().selectedText(), QStringLiteral("1887"));
    QVERIFY(!a->textCursor().hasSelection());
}

void TestNWayDiffView::showsMarkupAsText()
{
    const QString hostile = QStringLiteral("<b>x</b><img src=http://x> costs 5");
    ResultMatrixModel model;
    fill(model, {hostile, QStringLiteral("it costs 6"), QStringLiteral("it costs 5")});
    NWayDiffView view(&model);
    view.showCase(0);
    QCOMPARE(view.columns().at(0)->toPlainText(), hostile);
    QCOMPARE(view.highlightedIn(0), QStringList{QStringLiteral("5")});
    QCOMPARE(view.factModel()->rowCount(), 2);
}

void TestNWayDiffView::followsTheCaseAndLiveAnswers()
{
    ResultMatrixModel model;
    NWayDiffView view(&model);
    fill(model, {QStringLiteral("It is 4."), QStringLiteral("It is 4.")});
    QTRY_COMPARE(view.columns().size(), 2);
    QTRY_COMPARE(view.columns().at(1)->toPlainText(), QStringLiteral("It is 4."));
    QCOMPARE(view.factModel()->rowCount(), 0);
    QVERIFY(view.summaryText().contains(QStringLiteral("No disputed")));
    // Another case: the columns show its answers, one target with none yet.
    model.addCell(cell(QStringLiteral("t0"), QStringLiteral("beta"), 1, true, QStringLiteral("It is 5.")));
    QTRY_COMPARE(view.caseBox()->count(), 2);
    view.caseBox()->setCurrentIndex(view.caseBox()->findText(QStringLiteral("beta")));
    QCOMPARE(view.columns().at(0)->toPlainText(), QStringLiteral("It is 5."));
    QCOMPARE(view.columns().at(1)->toPlainText(), QString());
    // Its second answer arrives during the run and disagrees.
    model.addCell(cell(QStringLiteral("t1"), QStringLiteral("beta"), 1, true, QStringLiteral("It is 6.")));
    QTRY_COMPARE(view.factModel()->rowCount(), 2);
    QCOMPARE(view.highlightedIn(1), QStringList{QStringLiteral("6")});
}

void TestNWayDiffView::manyTargetsScrollSideways()
{
    QStringList answers;
    for (int i = 0; i < 14; ++i)
        answers << QStringLiteral("value %1").arg(i % 2);
    ResultMatrixModel model;
    fill(model, answers);
    NWayDiffView view(&model);
    view.resize(1200, 500);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.showCase(0);
    QCOMPARE(view.columns().size(), 14);
    QTRY_VERIFY(view.columnArea()->horizontalScrollBar()->maximum() > 0);
    // Twelve fit in the view; the thirteenth starts past its right edge.
    const int viewport = view.columnArea()->viewport()->width();
    QVERIFY(view.columns().at(12)->parentWidget()->x() >= viewport - 12);
    // Picking a fact brings the first column that states it into view.
    view.columnArea()->horizontalScrollBar()->setValue(view.columnArea()->horizontalScrollBar()->maximum());
    view.revealFact(0);
    QCOMPARE(view.columnArea()->horizontalScrollBar()->value(), 0);
}

void TestNWayDiffView::waitsWhileOnAHiddenTab()
{
    // A live run changes answers many times a second; comparing long answers for a tab nobody
    // looks at stalled the window (bench_gui_stall), so a hidden view waits until it is shown.
    ResultMatrixModel model;
    QTabWidget tabs;
    tabs.addTab(new QWidget, QStringLiteral("Matrix"));
    auto *view = new NWayDiffView(&model);
    tabs.addTab(view, QStringLiteral("Disagreements"));
    tabs.show();
    QVERIFY(QTest::qWaitForWindowExposed(&tabs));
    fill(model, {QStringLiteral("It is 4."), QStringLiteral("It is 5.")});
    QTest::qWait(300); // past the view's coalescing delay
    QCOMPARE(view->factModel()->rowCount(), 0);
    QVERIFY(view->columns().isEmpty() || view->columns().at(0)->toPlainText().isEmpty());
    tabs.setCurrentWidget(view);
    QTRY_COMPARE(view->factModel()->rowCount(), 2);
    QCOMPARE(view->columns().at(1)->toPlainText(), QStringLiteral("It is 5."));
    // Picking a case while hidden is kept and shown on return.
    tabs.setCurrentIndex(0);
    model.addCell(cell(QStringLiteral("t0"), QStringLiteral("beta"), 1, true, QStringLiteral("It is 7.")));
    view->showCase(model.rowOf(QStringLiteral("beta"), QString()));
    tabs.setCurrentWidget(view);
    QTRY_COMPARE(view->columns().at(0)->toPlainText(), QStringLiteral("It is 7."));
}

void TestNWayDiffView::longAnswersAreComparedOffTheGuiThread()
{
    ResultMatrixModel model;
    fill(model, {longAnswer(QStringLiteral("It costs 5.")), longAnswer(QStringLiteral("It costs 6."))});
    NWayDiffView view(&model);
    QSignalSpy ready(&view, &NWayDiffView::factsReady);
    view.showCase(0);
    // The answers show at once; the facts follow.
    QVERIFY(view.columns().at(1)->toPlainText().endsWith(QStringLiteral("It costs 6.")));
    if (view.isComparing()) {
        QCOMPARE(view.summaryText(), QStringLiteral("Comparing…"));
        QCOMPARE(view.factModel()->rowCount(), 0);
    }
    QTRY_VERIFY(!view.isComparing());
    QCOMPARE(view.factModel()->rowCount(), 2);
    QCOMPARE(view.highlightedIn(0), QStringList{QStringLiteral("5")});
    QCOMPARE(view.highlightedIn(1), QStringList{QStringLiteral("6")});
    // The same answers again (a live run's refresh) are not compared again.
    const qsizetype before = ready.count();
    view.showCase(0);
    QVERIFY(!view.isComparing());
    QCOMPARE(ready.count(), before + 1);
    QCOMPARE(view.highlightedIn(1), QStringList{QStringLiteral("6")});
}

void TestNWayDiffView::staleComparisonIsDroppedAndDestroyingIsSafe()
{
    ResultMatrixModel model;
    fill(model, {longAnswer(QStringLiteral("It costs 5.")), longAnswer(QStringLiteral("It costs 6."))});
    model.addCell(
        cell(QStringLiteral("t0"), QStringLiteral("beta"), 1, true, longAnswer(QStringLiteral("Year 1990."))));
    model.addCell(
        cell(QStringLiteral("t1"), QStringLiteral("beta"), 1, true, longAnswer(QStringLiteral("Year 1991."))));
    auto view = std::make_unique<NWayDiffView>(&model);
    QSignalSpy ready(view.get(), &NWayDiffView::factsReady);
    const int alpha = view->caseBox()->findText(QStringLiteral("alpha"));
    const int beta = view->caseBox()->findText(QStringLiteral("beta"));
    QVERIFY(alpha >= 0 && beta >= 0);
    view->caseBox()->setCurrentIndex(alpha);
    QTRY_VERIFY(!view->isComparing());
    ready.clear();
    // beta, then alpha before beta's comparison ends: beta's facts must not land on alpha's answers.
    view->caseBox()->setCurrentIndex(beta);
    QVERIFY(view->isComparing());
    view->caseBox()->setCurrentIndex(alpha);
    QTRY_VERIFY(!view->isComparing());
    QVERIFY(QThreadPool::globalInstance()->waitForDone(10000));
    QTest::qWait(50);
    QVERIFY(!view->isComparing());
    QCOMPARE(ready.count(), 1);
    QCOMPARE(view->highlightedIn(0), QStringList{QStringLiteral("5")});
    QCOMPARE(view->highlightedIn(1), QStringList{QStringLiteral("6")});

    // Destroyed while comparing: the worker ends on its own copies (ASan would flag a dangling view).
    view->caseBox()->setCurrentIndex(beta);
    QVERIFY(view->isComparing());
    view.reset();
    QVERIFY(QThreadPool::globalInstance()->waitForDone(10000));
    QCoreApplication::processEvents();
}

QTEST_MAIN(TestNWayDiffView)
#include "tst_nwaydiffview.moc"
