#include "DiffView.h"
#include "SideBySideDiff.h"
#include "views/ResultMatrixModel.h"
#include "WidgetsFixture.h"

#include <QComboBox>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>
#include <QTextCursor>
#include <QThreadPool>

#include <memory>

using namespace Slopscope;
using ViewsFixture::cell;

namespace {

QStringList pieces(const QString &text, const QList<SideBySideDiff::Range> &ranges)
{
    QStringList out;
    for (const SideBySideDiff::Range &r : ranges)
        out << text.mid(r.start, r.length);
    return out;
}

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

// Words enough that the pair is diffed on a worker, ending in `last`.
QString longAnswer(const QString &last)
{
    QString text;
    while (text.size() <= DiffView::kSyncDiffChars)
        text += QStringLiteral("word%1 ").arg(text.size() % 97);
    return text + last;
}

} // namespace

class TestDiffView final : public QObject
{
    Q_OBJECT

private slots:
    void wordDiff_data();
    void wordDiff();
    void tooLongIsSkipped();
    void highlightsAChangedWord();
    void firstSightWhenTargetsArriveLater();
    void followsTheChosenSides();
    void showsMarkupAsText();
    void scrollsTogether();
    void longPairIsDiffedOffTheGuiThread();
    void staleDiffIsDropped();
    void destroyedMidDiffIsSafe();
};

void TestDiffView::wordDiff_data()
{
    QTest::addColumn<QString>("left");
    QTest::addColumn<QString>("right");
    QTest::addColumn<QStringList>("removed");
    QTest::addColumn<QStringList>("added");
    QTest::addColumn<int>("common");

    QTest::newRow("one word") << QStringLiteral("The capital is Paris.") << QStringLiteral("The capital is Lyon.")
                              << QStringList{QStringLiteral("Paris.")} << QStringList{QStringLiteral("Lyon.")} << 3;
    QTest::newRow("same") << QStringLiteral("a b c") << QStringLiteral("a b c") << QStringList{} << QStringList{} << 3;
    QTest::newRow("whitespace ignored") << QStringLiteral("a  b\n\tc") << QStringLiteral("a b c") << QStringList{}
                                        << QStringList{} << 3;
    QTest::newRow("neighbours merge") << QStringLiteral("keep x y z keep") << QStringLiteral("keep keep")
                                      << QStringList{QStringLiteral("x y z")} << QStringList{} << 2;
    // dtl swaps its inputs when the first is longer; the sides must still come out right.
    QTest::newRow("longer left") << QStringLiteral("one two three four five") << QStringLiteral("one 2 five")
                                 << QStringList{QStringLiteral("two three four")} << QStringList{QStringLiteral("2")}
                                 << 2;
    QTest::newRow("longer right") << QStringLiteral("one 2 five") << QStringLiteral("one two three four five")
                                  << QStringList{QStringLiteral("2")} << QStringList{QStringLiteral("two three four")}
                                  << 2;
    QTest::newRow("empty left") << QString() << QStringLiteral("all new") << QStringList{}
                                << QStringList{QStringLiteral("all new")} << 0;
    QTest::newRow("empty right") << QStringLiteral("all gone") << QString() << QStringList{QStringLiteral("all gone")}
                                 << QStringList{} << 0;
    QTest::newRow("unicode") << QStringLiteral("naïve café 😀 ok") << QStringLiteral("naïve cafe 😀 ok")
                             << QStringList{QStringLiteral("café")} << QStringList{QStringLiteral("cafe")} << 3;
}

void TestDiffView::wordDiff()
{
    QFETCH(QString, left);
    QFETCH(QString, right);
    QFETCH(QStringList, removed);
    QFETCH(QStringList, added);
    QFETCH(int, common);
    const SideBySideDiff::Result r = SideBySideDiff::compute(left, right);
    QVERIFY(r.complete);
    QCOMPARE(pieces(left, r.removed), removed);
    QCOMPARE(pieces(right, r.added), added);
    QCOMPARE(r.commonWords, qsizetype(common));
}

void TestDiffView::tooLongIsSkipped()
{
    QString big;
    for (qsizetype i = 0; i < SideBySideDiff::kMaxWords / 2 + 1; ++i)
        big += QStringLiteral("w ");
    const SideBySideDiff::Result r = SideBySideDiff::compute(big, big);
    QVERIFY(!r.complete);
    QVERIFY(r.removed.isEmpty() && r.added.isEmpty());
}

void TestDiffView::highlightsAChangedWord()
{
    ResultMatrixModel model;
    model.setSuite(ViewsFixture::suite());
    model.setTargets({ViewsFixture::target(QStringLiteral("a")), ViewsFixture::target(QStringLiteral("b"))});
    model.addCell(cell(QStringLiteral("a"), QStringLiteral("alpha"), 1, true, QStringLiteral("The capital is Paris.")));
    model.addCell(cell(QStringLiteral("b"), QStringLiteral("alpha"), 0, false, QStringLiteral("The capital is Lyon.")));
    DiffView view(&model);
    view.resize(900, 400);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.compare(0, QStringLiteral("a"), QStringLiteral("b"));
    QCOMPARE(view.leftEdit()->toPlainText(), QStringLiteral("The capital is Paris."));
    QCOMPARE(view.rightEdit()->toPlainText(), QStringLiteral("The capital is Lyon."));
    QCOMPARE(view.highlightedLeft(), QStringList{QStringLiteral("Paris.")});
    QCOMPARE(view.highlightedRight(), QStringList{QStringLiteral("Lyon.")});
    // The highlight is a background on the changed word only.
    const QList<QTextEdit::ExtraSelection> marks = view.rightEdit()->extraSelections();
    QCOMPARE(marks.size(), 1);
    QVERIFY(marks.first().format.background().color().isValid());
    QCOMPARE(marks.first().cursor.selectionStart(), 15);
    QVERIFY(view.summaryText().contains(QStringLiteral("3 words in common")));
    // Drawn: the highlight colour is on screen, and gone when the sides agree.
    const QColor highlight = marks.first().format.background().color();
    QVERIFY(pixelsOf(view.rightEdit(), highlight) > 20);
    view.compare(0, QStringLiteral("a"), QStringLiteral("a"));
    QVERIFY(view.highlightedRight().isEmpty());
    QCOMPARE(pixelsOf(view.rightEdit(), highlight), 0);
}

void TestDiffView::firstSightWhenTargetsArriveLater()
{
    // As in the main window: the view exists before the run says which targets it has.
    ResultMatrixModel model;
    DiffView view(&model);
    model.setSuite(ViewsFixture::suite());
    model.setTargets({ViewsFixture::target(QStringLiteral("a")), ViewsFixture::target(QStringLiteral("b"))});
    model.addCell(cell(QStringLiteral("a"), QStringLiteral("beta"), 1, true, QStringLiteral("A says 1")));
    QTRY_COMPARE(view.leftBox()->count(), 3);
    QCOMPARE(view.leftBox()->currentIndex(), 0);  // the reference
    QCOMPARE(view.rightBox()->currentIndex(), 1); // against the first target, not itself
    QTRY_COMPARE(view.rightEdit()->toPlainText(), QStringLiteral("A says 1"));
}

void TestDiffView::followsTheChosenSides()
{
    ResultMatrixModel model;
    model.setSuite(ViewsFixture::suite());
    model.setTargets({ViewsFixture::target(QStringLiteral("a")), ViewsFixture::target(QStringLiteral("b"))});
    DiffView view(&model);
    model.addCell(cell(QStringLiteral("a"), QStringLiteral("beta"), 1, true, QStringLiteral("Reference answer one")));
    model.addCell(cell(QStringLiteral("b"), QStringLiteral("beta"), 1, true, QStringLiteral("B says 1")));
    QTRY_COMPARE(view.caseBox()->count(), 1); // choices follow the model (coalesced)
    QCOMPARE(view.leftBox()->count(), 3);     // reference + two targets
    // First sight: reference against the first target.
    QCOMPARE(view.leftBox()->currentIndex(), 0);
    QCOMPARE(view.leftEdit()->toPlainText(), QStringLiteral("Reference answer 1"));
    QCOMPARE(view.highlightedLeft(), QStringList{QStringLiteral("1")});
    QCOMPARE(view.highlightedRight(), QStringList{QStringLiteral("one")});
    // The user picks the other target on the right.
    view.rightBox()->setCurrentIndex(view.rightBox()->findText(QStringLiteral("B")));
    QCOMPARE(view.rightEdit()->toPlainText(), QStringLiteral("B says 1"));
    QCOMPARE(view.highlightedRight(), QStringList{QStringLiteral("B says")});
    // A row inserted before the chosen one keeps the choice on the same case.
    model.addCell(cell(QStringLiteral("a"), QStringLiteral("alpha"), 1, true, QStringLiteral("x")));
    QTRY_COMPARE(view.caseBox()->count(), 2);
    QCOMPARE(view.caseBox()->currentText(), QStringLiteral("beta"));
    QCOMPARE(view.rightEdit()->toPlainText(), QStringLiteral("B says 1"));
}

void TestDiffView::showsMarkupAsText()
{
    ResultMatrixModel model;
    DiffView view(&model);
    const QString html = QStringLiteral("<h1>Hi</h1><img src=\"x\">");
    view.setTexts(QStringLiteral("L"), QStringLiteral("<h1>Hi</h1>"), QStringLiteral("R"), html);
    QCOMPARE(view.rightEdit()->toPlainText(), html);
    QCOMPARE(view.highlightedRight(), QStringList{QStringLiteral("<h1>Hi</h1><img src=\"x\">")});
}

void TestDiffView::scrollsTogether()
{
    ResultMatrixModel model;
    DiffView view(&model);
    view.resize(800, 300);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QStringList left;
    QStringList right;
    for (int i = 0; i < 200; ++i) {
        left << QStringLiteral("line %1").arg(i);
        right << QStringLiteral("line %1").arg(i) << QStringLiteral("extra %1").arg(i);
    }
    view.setTexts(QStringLiteral("L"), left.join(u'\n'), QStringLiteral("R"), right.join(u'\n'));
    QScrollBar *l = view.leftEdit()->verticalScrollBar();
    QScrollBar *r = view.rightEdit()->verticalScrollBar();
    QVERIFY(l->maximum() > 0 && r->maximum() > l->maximum());
    l->setValue(l->maximum());
    QCOMPARE(r->value(), r->maximum());
    r->setValue(r->maximum() / 2);
    QVERIFY(qAbs(l->value() - l->maximum() / 2) <= 1);
    l->setValue(0);
    QCOMPARE(r->value(), 0);
}

void TestDiffView::longPairIsDiffedOffTheGuiThread()
{
    ResultMatrixModel model;
    DiffView view(&model);
    QSignalSpy ready(&view, &DiffView::diffReady);
    const QString left = longAnswer(QStringLiteral("Paris"));
    const QString right = longAnswer(QStringLiteral("Lyon"));
    view.setTexts(QStringLiteral("L"), left, QStringLiteral("R"), right);
    // Texts at once, marks later: setTexts() returned before the diff ran.
    QCOMPARE(view.leftEdit()->toPlainText().size(), left.size());
    QVERIFY(view.isComparing());
    QCOMPARE(view.summaryText(), QStringLiteral("Comparing…"));
    QVERIFY(view.highlightedRight().isEmpty());
    const QString out = qEnvironmentVariable("SLOPSCOPE_SCREENSHOT_DIR");
    view.resize(900, 400);
    if (!out.isEmpty())
        QVERIFY(view.grab().save(out + QStringLiteral("/diff-comparing.png")));
    QTRY_COMPARE(ready.count(), 1);
    if (!out.isEmpty()) {
        view.rightEdit()->moveCursor(QTextCursor::End);
        QVERIFY(view.grab().save(out + QStringLiteral("/diff-compared.png")));
    }
    QVERIFY(!view.isComparing());
    QCOMPARE(view.highlightedLeft(), QStringList{QStringLiteral("Paris")});
    QCOMPARE(view.highlightedRight(), QStringList{QStringLiteral("Lyon")});
    QVERIFY2(view.summaryText().contains(QStringLiteral("1 only left")), qPrintable(view.summaryText()));
}

void TestDiffView::staleDiffIsDropped()
{
    ResultMatrixModel model;
    DiffView view(&model);
    QSignalSpy ready(&view, &DiffView::diffReady);
    // Three pairs in a row, faster than any diff: only the last one's marks may appear.
    view.setTexts(QStringLiteral("L"), longAnswer(QStringLiteral("one")), QStringLiteral("R"),
                  longAnswer(QStringLiteral("uno")));
    view.setTexts(QStringLiteral("L"), longAnswer(QStringLiteral("two")), QStringLiteral("R"),
                  longAnswer(QStringLiteral("dos")));
    view.setTexts(QStringLiteral("L"), longAnswer(QStringLiteral("three")), QStringLiteral("R"),
                  longAnswer(QStringLiteral("tres")));
    QTRY_COMPARE(ready.count(), 1);
    QCOMPARE(view.highlightedLeft(), QStringList{QStringLiteral("three")});
    QCOMPARE(view.highlightedRight(), QStringList{QStringLiteral("tres")});
    // Nothing older lands afterwards.
    QVERIFY(QThreadPool::globalInstance()->waitForDone(10000));
    QTest::qWait(50);
    QCOMPARE(ready.count(), 1);
    QCOMPARE(view.highlightedRight(), QStringList{QStringLiteral("tres")});

    // A short pair after a long one is shown at once, and the long one's result is dropped.
    view.setTexts(QStringLiteral("L"), longAnswer(QStringLiteral("four")), QStringLiteral("R"),
                  longAnswer(QStringLiteral("cuatro")));
    view.setTexts(QStringLiteral("L"), QStringLiteral("a b"), QStringLiteral("R"), QStringLiteral("a c"));
    QVERIFY(!view.isComparing());
    QCOMPARE(view.highlightedRight(), QStringList{QStringLiteral("c")});
    QVERIFY(QThreadPool::globalInstance()->waitForDone(10000));
    QTest::qWait(50);
    QCOMPARE(view.highlightedRight(), QStringList{QStringLiteral("c")});
    QCOMPARE(view.lastDiff().commonWords, 1);
}

void TestDiffView::destroyedMidDiffIsSafe()
{
    ResultMatrixModel model;
    auto view = std::make_unique<DiffView>(&model);
    view->setTexts(QStringLiteral("L"), longAnswer(QStringLiteral("x")), QStringLiteral("R"),
                   longAnswer(QStringLiteral("y")));
    QVERIFY(view->isComparing());
    view.reset();
    // The worker ends on its own copies; its finish reaches no one (ASan would flag a dangling view).
    QVERIFY(QThreadPool::globalInstance()->waitForDone(10000));
    QCoreApplication::processEvents();
    QTest::qWait(20);
}

QTEST_MAIN(TestDiffView)
#include "tst_diffview.moc"
