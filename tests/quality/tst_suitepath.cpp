#include "quality/SuitePath.h"
#include "quality/Suite.h"

#include <QTest>

using namespace Slopscope;

// SuitePath: the suite parser's lazy field path. Spelt out, it must read exactly as the
// QStringList paths it replaced, or error messages (and their line and column) would change.
class TestSuitePath final : public QObject
{
    Q_OBJECT

private slots:
    void spellsOutFromTheRootDown();
    void siblingsShareAParentWithoutTouchingIt();
    void errorsStillNameTheWrappedToolField();
};

void TestSuitePath::spellsOutFromTheRootDown()
{
    const SuitePath root;
    QVERIFY(root.toStringList().isEmpty());
    const SuitePath cases = root / "cases";
    const SuitePath third = cases / std::size_t{2};
    QCOMPARE((third / "assert" / std::size_t{0} / "value").toStringList(),
             (QStringList{QStringLiteral("cases"), QStringLiteral("2"), QStringLiteral("assert"), QStringLiteral("0"),
                          QStringLiteral("value")}));
    // A name read from the document keeps its text, dots and all.
    QCOMPARE((third / QStringLiteral("prompt.x")).toStringList(),
             (QStringList{QStringLiteral("cases"), QStringLiteral("2"), QStringLiteral("prompt.x")}));
    QCOMPARE((root / "défauts").toStringList(), QStringList{QStringLiteral("défauts")}); // UTF-8 keys
}

void TestSuitePath::siblingsShareAParentWithoutTouchingIt()
{
    const SuitePath root; // a path keeps a pointer to its parent: the root must outlive it
    const SuitePath cases = root / "cases";
    const SuitePath first = cases / std::size_t{0};
    const SuitePath second = cases / std::size_t{1};
    QCOMPARE(first.toStringList(), (QStringList{QStringLiteral("cases"), QStringLiteral("0")}));
    QCOMPARE(second.toStringList(), (QStringList{QStringLiteral("cases"), QStringLiteral("1")}));
    QCOMPARE(cases.toStringList(), QStringList{QStringLiteral("cases")});
    const SuitePath copy = second; // a copy names the same place
    QCOMPARE((copy / "id").toStringList(), (QStringList{QStringLiteral("cases"), QStringLiteral("1"), QStringLiteral("id")}));
}

void TestSuitePath::errorsStillNameTheWrappedToolField()
{
    // An OpenAI-style tool ({"type": "function", "function": {...}}): the path goes through
    // "function", a branch the parser picks after making the tool's own path.
    // (Json::locate places the error at the offending value, column 76.)
    const QByteArray json = R"({"name": "s", "cases": [{"id": "c1", "prompt": "p",
        "tools": [{"type": "function", "function": {"name": "f", "colour": 1}}]}]})";
    const auto suite = Suite::fromJson(json, QStringLiteral("t.json"));
    QVERIFY(!suite);
    QVERIFY2(suite.error().startsWith(QStringLiteral("t.json:2:76: cases[0].tools[0].function.colour: unknown key")),
             qPrintable(suite.error()));
}

QTEST_GUILESS_MAIN(TestSuitePath)
#include "tst_suitepath.moc"
