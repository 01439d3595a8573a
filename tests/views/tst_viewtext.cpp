// Names from a suite file are anyone's: control, bidi and zero-width characters in them are shown
// visibly in the lists and headers (RELIABILITY.md B-2).

#include "views/SuiteCaseModel.h"
#include "views/ViewText.h"

#include <QAbstractItemModelTester>
#include <QRandomGenerator>
#include <QTest>

using namespace Slopscope;

class TestViewText final : public QObject
{
    Q_OBJECT

private slots:
    void visibleName_data();
    void visibleName();
    void suiteCaseModelShowsIdsVisibly();
    void escapeInvisible_data();
    void escapeInvisible();
    void escapeRoundTripsExactly();
    void firstLineOfHugeText_data();
    void firstLineOfHugeText();
};

void TestViewText::visibleName_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("shown");
    QTest::newRow("plain") << u"case-1 é 日本 😀"_qs << u"case-1 é 日本 😀"_qs;
    QTest::newRow("NUL") << (u"a"_qs + QChar(0) + u"b"_qs) << u"a<U+0000>b"_qs;
    QTest::newRow("RTL override") << u"invoice\u202Etxt.exe"_qs << u"invoice<U+202E>txt.exe"_qs;
    QTest::newRow("zero-width space and joiner") << u"x\u200By\u200Dz"_qs << u"x<U+200B>y<U+200D>z"_qs;
    QTest::newRow("bidi isolate, BOM") << u"\u2066a\u2069\uFEFF"_qs << u"<U+2066>a<U+2069><U+FEFF>"_qs;
    QTest::newRow("newline, tab, DEL, C1") << u"a\nb\tc\u007Fd\u0085"_qs << u"a<U+000A>b<U+0009>c<U+007F>d<U+0085>"_qs;
}

void TestViewText::visibleName()
{
    QFETCH(QString, name);
    QFETCH(QString, shown);
    QCOMPARE(ViewText::visibleName(name), shown);
}

void TestViewText::escapeInvisible_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("escaped");
    QTest::newRow("plain") << u"case-1 é 日本 😀"_qs << u"case-1 é 日本 😀"_qs;
    QTest::newRow("RTL override") << u"invoice\u202Etxt.exe"_qs << u"invoice\\u202Etxt.exe"_qs;
    QTest::newRow("zero-width, BOM, isolate") << u"a\u200Bb\uFEFF\u2066"_qs << u"a\\u200Bb\\uFEFF\\u2066"_qs;
    QTest::newRow("NUL, C1") << (u"a"_qs + QChar(0) + u"\u0085"_qs) << u"a\\u0000\\u0085"_qs;
    // A backslash is doubled only where it could start an escape.
    QTest::newRow("lone backslash") << u"C:\\tmp\\x"_qs << u"C:\\tmp\\x"_qs;
    QTest::newRow("backslash before u") << u"a\\u202E"_qs << u"a\\\\u202E"_qs;
    QTest::newRow("two backslashes") << u"a\\\\b"_qs << u"a\\\\\\b"_qs;
    QTest::newRow("backslash before a control") << u"a\\\u202E"_qs << u"a\\\\\\u202E"_qs;
}

void TestViewText::escapeInvisible()
{
    QFETCH(QString, name);
    QFETCH(QString, escaped);
    QCOMPARE(ViewText::escapeInvisible(name), escaped);
    QCOMPARE(ViewText::unescapeInvisible(escaped), name);
    // What the field shows holds no raw invisible character.
    QCOMPARE(ViewText::visibleName(escaped), escaped);
}

// unescape(escape(s)) == s for any s over an alphabet made of the hard cases.
void TestViewText::escapeRoundTripsExactly()
{
    const QString alphabet = u"\\uU0aE2F\u202E\u200B\uFEFF\n"_qs;
    QRandomGenerator rng(42);
    for (int run = 0; run < 20000; ++run) {
        QString s;
        const int length = int(rng.bounded(12));
        for (int i = 0; i < length; ++i)
            s += alphabet.at(int(rng.bounded(int(alphabet.size()))));
        const QString escaped = ViewText::escapeInvisible(s);
        QVERIFY2(ViewText::unescapeInvisible(escaped) == s, qPrintable(escaped));
        QCOMPARE(ViewText::visibleName(escaped), escaped);
    }
    // Typed escapes decode; malformed ones and surrogate halves stay as typed.
    QCOMPARE(ViewText::unescapeInvisible(u"a\\u202eb"_qs), u"a\u202Eb"_qs);
    QCOMPARE(ViewText::unescapeInvisible(u"a\\u20"_qs), u"a\\u20"_qs);
    QCOMPARE(ViewText::unescapeInvisible(u"a\\uD800"_qs), u"a\\uD800"_qs);
}

void TestViewText::suiteCaseModelShowsIdsVisibly()
{
    Suite suite;
    SuiteCase c;
    c.id = u"evil\u202Egnp.js"_qs;
    suite.cases.append(c);
    SuiteCaseModel model;
    QAbstractItemModelTester tester(&model);
    model.setSuite(suite);
    QCOMPARE(model.index(0, 0).data().toString(), u"evil<U+202E>gnp.js"_qs);
    QCOMPARE(model.index(0, 0).data(SuiteCaseModel::CaseIdRole).toString(), c.id); // the id itself is kept
}

void TestViewText::firstLineOfHugeText_data()
{
    // A matrix cell asks for its first line at every repaint: a 50 MB answer with no newline
    // must give the same short line as a short one (B-14). Only its start is read.
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    const QString ellipsis(QChar(0x2026));
    const QString huge = QStringLiteral("abcdefgh").repeated(50 * 1024 * 1024 / 8);
    QTest::newRow("50 MB, no newline") << huge << huge.left(79) + ellipsis;
    QTest::newRow("short") << QStringLiteral("Paris.") << QStringLiteral("Paris.");
    QTest::newRow("long blank run, then a line")
        << QStringLiteral(" ").repeated(100'000) + QStringLiteral("\n  Paris\nLyon") << QStringLiteral("Paris");
    QTest::newRow("line just over 80") << QStringLiteral("x").repeated(81) << QStringLiteral("x").repeated(79) + ellipsis;
    QTest::newRow("line of 80") << QStringLiteral("x").repeated(80) << QStringLiteral("x").repeated(80);
    QTest::newRow("controls dropped") << QStringLiteral("\x1b[31mred\nnext") << QStringLiteral("[31mred");
    QTest::newRow("table row of 10,000 columns")
        << QStringLiteral("| col ").repeated(10'000) + QStringLiteral("|\n|---|")
        << QStringLiteral("| col ").repeated(14).left(79) + ellipsis;
}

void TestViewText::firstLineOfHugeText()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    QCOMPARE(ViewText::firstLine(text), expected);
}

QTEST_GUILESS_MAIN(TestViewText)
#include "tst_viewtext.moc"
