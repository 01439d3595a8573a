#include "LongTextView.h"

#include <QApplication>
#include <QClipboard>
#include <QTest>
#include <QTextBlock>
#include <QTextCursor>

using namespace Slopscope;

namespace {

int longestBlock(const QTextDocument *doc)
{
    int longest = 0;
    for (QTextBlock b = doc->begin(); b.isValid(); b = b.next())
        longest = std::max(longest, b.length() - 1);
    return longest;
}

// A Markdown table `columns` wide: header, separator and one row, each a single line.
QString wideTable(int columns)
{
    QString header = QStringLiteral("|");
    QString rule = QStringLiteral("|");
    QString row = QStringLiteral("|");
    for (int i = 0; i < columns; ++i) {
        header += QStringLiteral(" c%1 |").arg(i);
        rule += QStringLiteral("---|");
        row += QStringLiteral(" %1 |").arg(i * 7);
    }
    return header + u'\n' + rule + u'\n' + row + u'\n';
}

} // namespace

class TestLongTextView final : public QObject
{
    Q_OBJECT

private slots:
    void keepsTheTextExactly_data();
    void keepsTheTextExactly();
    void copyGivesTheTextWithoutTheDisplaysBreaks();
    void textOffsetsMapPastHardBreaks();
};

void TestLongTextView::keepsTheTextExactly_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("pieceChars"); // appended in pieces this long; 0: set at once
    QTest::addColumn<int>("minBlocks");

    const QString words = QStringLiteral("lorem ipsum dolor ").repeated(2000); // 36,000 characters, one line
    const QString noSpace = QStringLiteral("x").repeated(50'000);
    // A pair (😀) straddles every hard break if it can.
    const QString pairs = QStringLiteral("a") + QStringLiteral("😀").repeated(10'000);
    const QString table = wideTable(10'000);
    QTest::newRow("short") << QStringLiteral("Hello,\nworld") << 0 << 2;
    QTest::newRow("empty lines and a final newline") << QStringLiteral("\n\na\n\n") << 0 << 5;
    QTest::newRow("one long line, set") << words << 0 << 36'000 / LongTextView::kHardBlockChars;
    QTest::newRow("one long line, streamed") << words << 37 << 36'000 / LongTextView::kHardBlockChars;
    QTest::newRow("no space, set") << noSpace << 0 << 50'000 / LongTextView::kHardBlockChars;
    QTest::newRow("no space, streamed") << noSpace << 97 << 50'000 / LongTextView::kHardBlockChars;
    QTest::newRow("surrogate pairs") << pairs << 0 << 20'000 / LongTextView::kHardBlockChars;
    QTest::newRow("surrogate pairs, streamed odd") << pairs << 31 << 20'000 / LongTextView::kHardBlockChars;
    QTest::newRow("10,000-column table") << table << 0 << int(table.size() / LongTextView::kHardBlockChars);
    QTest::newRow("10,000-column table, streamed") << table << 53 << int(table.size() / LongTextView::kHardBlockChars);
    QTest::newRow("spaces at the limit") << QStringLiteral(" ").repeated(9'000) << 13 << 4;
}

void TestLongTextView::keepsTheTextExactly()
{
    QFETCH(QString, text);
    QFETCH(int, pieceChars);
    QFETCH(int, minBlocks);
    LongTextView view;
    if (pieceChars == 0) {
        view.setText(QStringLiteral("old text, replaced"));
        view.setText(text);
    } else {
        for (qsizetype i = 0; i < text.size(); i += pieceChars)
            view.appendText(text.mid(i, pieceChars));
    }
    const QString shown = view.text();
    if (shown != text) {
        qsizetype at = 0;
        while (at < std::min(shown.size(), text.size()) && shown.at(at) == text.at(at))
            ++at;
        QFAIL(qPrintable(QStringLiteral("differs at %1 of %2: '%3' instead of '%4'")
                             .arg(at)
                             .arg(text.size())
                             .arg(shown.mid(std::max<qsizetype>(0, at - 10), 20), text.mid(std::max<qsizetype>(0, at - 10), 20))));
    }
    // Short paragraphs however the text came: that is what keeps each insert's layout cheap.
    // (One more when an append ended between the halves of a surrogate pair at the limit.)
    QVERIFY2(longestBlock(view.document()) <= LongTextView::kHardBlockChars + 1,
             qPrintable(QString::number(longestBlock(view.document()))));
    QVERIFY2(view.document()->blockCount() >= minBlocks, qPrintable(QString::number(view.document()->blockCount())));
    // No block begins with the low half of a pair split from its high half.
    for (QTextBlock b = view.document()->begin(); b.isValid(); b = b.next())
        QVERIFY(b.text().isEmpty() || !b.text().front().isLowSurrogate());
}

void TestLongTextView::copyGivesTheTextWithoutTheDisplaysBreaks()
{
    LongTextView view;
    const QString line = QStringLiteral("| cell ").repeated(3000) + QStringLiteral("|\nnext line");
    view.setText(line);
    QVERIFY(view.document()->blockCount() > 3);
    QVERIFY(view.toPlainText() != line); // the display has its breaks…
    view.selectAll();
    view.copy();
    QCOMPARE(QApplication::clipboard()->text(), line); // …the copy has none

    // A selection across a break: the space the display broke at is back.
    const QTextBlock second = view.document()->begin().next();
    QTextCursor cursor(view.document());
    cursor.setPosition(second.position() - 5);
    cursor.setPosition(second.position() + 5, QTextCursor::KeepAnchor);
    view.setTextCursor(cursor);
    view.copy();
    const QString copied = QApplication::clipboard()->text();
    QCOMPARE(copied.size(), 10); // 4 + the space the display broke at + 5
    QVERIFY2(line.contains(copied), qPrintable(copied));
}

void TestLongTextView::textOffsetsMapPastHardBreaks()
{
    LongTextView view;
    const QString text = QStringLiteral("y").repeated(LongTextView::kHardBlockChars * 2 + 10) + QStringLiteral(" END");
    view.setText(text);
    const qsizetype end = text.indexOf(QStringLiteral("END"));
    const int from = view.displayPosition(end);
    const int to = view.displayPosition(end + 3);
    QCOMPARE(to - from, 3);
    QCOMPARE(view.textBetween(from, to), QStringLiteral("END"));
    QCOMPARE(view.displayPosition(0), 0);
    QCOMPARE(view.displayPosition(end), int(end) + 2); // two hard breaks before it
}

QTEST_MAIN(TestLongTextView)
#include "tst_longtextview.moc"
