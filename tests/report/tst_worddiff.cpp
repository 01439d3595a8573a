#include "report/WordDiff.h"

#include <QTest>

using namespace Slopscope;

namespace {

using Kind = DiffSegment::Kind;

// "=same" "+added" "-removed", joined by '|', so expectations read at a glance.
QString describe(const QList<DiffSegment> &segments)
{
    QStringList parts;
    for (const DiffSegment &s : segments) {
        const QChar mark = s.kind == Kind::Same ? u'=' : s.kind == Kind::Added ? u'+' : u'-';
        parts.append(mark + s.text);
    }
    return parts.join(u'|');
}

// What the diff turns `from` into, read back from its segments.
QString rebuiltTarget(const QList<DiffSegment> &segments)
{
    QString out;
    for (const DiffSegment &s : segments) {
        if (s.kind != Kind::Removed)
            out += s.text;
    }
    return out;
}

} // namespace

class TestWordDiff final : public QObject
{
    Q_OBJECT

private slots:
    void diffs_data();
    void diffs();
    void keepsTheTargetsSpacing();
    void refusesTablesBeyondTheCap();
    void longCommonEndsNeedNoTable();
};

void TestWordDiff::diffs_data()
{
    QTest::addColumn<QString>("from");
    QTest::addColumn<QString>("to");
    QTest::addColumn<QString>("expected");
    QTest::newRow("identical") << QStringLiteral("a b c") << QStringLiteral("a b c") << QStringLiteral("=a b c");
    QTest::newRow("one word changed") << QStringLiteral("The answer is 4") << QStringLiteral("The answer is 5")
                                      << QStringLiteral("=The answer is |-4|+5");
    QTest::newRow("insertion") << QStringLiteral("a c") << QStringLiteral("a b c") << QStringLiteral("=a |+b |=c");
    QTest::newRow("deletion") << QStringLiteral("a b c") << QStringLiteral("a c") << QStringLiteral("=a |-b |=c");
    QTest::newRow("from empty") << QString() << QStringLiteral("x y") << QStringLiteral("+x y");
    QTest::newRow("to empty") << QStringLiteral("x y") << QString() << QStringLiteral("-x y");
    // LCS of (a b c d) and (b a d c) has length 2 (b d); on ties the removal comes first.
    QTest::newRow("reordered") << QStringLiteral("a b c d") << QStringLiteral("b a d c")
                               << QStringLiteral("-a |=b |-c |+a |=d |+c");
}

void TestWordDiff::diffs()
{
    QFETCH(QString, from);
    QFETCH(QString, to);
    QFETCH(QString, expected);
    const auto segments = WordDiff::diff(from, to);
    QVERIFY(segments.has_value());
    QCOMPARE(describe(*segments), expected);
    QCOMPARE(rebuiltTarget(*segments), to);
}

void TestWordDiff::keepsTheTargetsSpacing()
{
    const QString to = QStringLiteral("  first line\n\nsecond   line\t");
    const auto segments = WordDiff::diff(QStringLiteral("first line second word"), to);
    QVERIFY(segments.has_value());
    QCOMPARE(rebuiltTarget(*segments), to);
    QCOMPARE(describe(*segments), QStringLiteral("=  first line\n\nsecond   |-word|+line\t"));
}

void TestWordDiff::refusesTablesBeyondTheCap()
{
    QStringList a;
    QStringList b;
    for (int i = 0; i < 100; ++i) {
        a.append(QStringLiteral("a%1").arg(i));
        b.append(QStringLiteral("b%1").arg(i));
    }
    QVERIFY(!WordDiff::diff(a.join(u' '), b.join(u' '), 100 * 100).has_value());
    QVERIFY(WordDiff::diff(a.join(u' '), b.join(u' '), 101 * 101).has_value());
}

void TestWordDiff::longCommonEndsNeedNoTable()
{
    // 5,000 shared words around one change: only a 1 × 1 table, well under a tiny cap.
    QStringList words;
    for (int i = 0; i < 2500; ++i)
        words.append(QStringLiteral("w%1").arg(i));
    const QString head = words.join(u' ');
    const QString from = head + QStringLiteral(" old ") + head;
    const QString to = head + QStringLiteral(" new ") + head;
    const auto segments = WordDiff::diff(from, to, 16);
    QVERIFY(segments.has_value());
    QCOMPARE(segments->size(), 4);
    QCOMPARE(segments->at(1), (DiffSegment{Kind::Removed, QStringLiteral("old ")}));
    QCOMPARE(segments->at(2), (DiffSegment{Kind::Added, QStringLiteral("new ")}));
    QCOMPARE(rebuiltTarget(*segments), to);
}

QTEST_GUILESS_MAIN(TestWordDiff)
#include "tst_worddiff.moc"
