#include "quality/Chain.h"
#include "quality/SuiteWriter.h"

// Chain cases in suite files: "turns", "tool_results" and "max_tool_rounds", their errors, their
// round trip through SuiteWriter, and which scripted result answers which tool call.

#include <QTest>

using namespace Slopscope;

namespace {

// A case object spliced into a one-case suite, on its own line so errors name line 3.
QByteArray suiteWith(const QByteArray &caseBody)
{
    return "{\n  \"name\": \"s\", \"cases\": [\n    {\"id\": \"a\", \"prompt\": \"p {{x}}\", \"vars\": {\"x\": "
           "\"1\"}, " +
           caseBody + "}\n  ]\n}\n";
}

} // namespace

class TestChainSuite final : public QObject
{
    Q_OBJECT

private slots:
    void parsesTurnsAndToolResults();
    void rejects_data();
    void rejects();
    void variantsCannotHaveTurns();
    void roundTripsThroughTheWriter();
    void scriptAnswersCallsInOrderAndRepeatsTheLast();
    void turnScriptOverridesTheCaseScript();
};

void TestChainSuite::parsesTurnsAndToolResults()
{
    const auto suite = Suite::fromJson(suiteWith(R"(
        "assert": [{"type": "icontains", "value": "one"}],
        "tool_results": [{"tool": "lookup", "kind": "error", "content": "HTTP 503"},
                         {"tool": "*", "content": {"status": "ok", "results": []}}],
        "max_tool_rounds": 2,
        "turns": [{"user": "and {{x}} again?", "assert": [{"type": "contains", "value": "2"}]},
                  {"user": "last", "tool_results": [{"tool": "lookup", "kind": "interrupt", "content": "stop"},
                                                    {"tool": "lookup", "kind": "missing", "content": "{}"}]}])"),
                                       QStringLiteral("t.json"));
    QVERIFY2(suite.ok(), qPrintable(suite.error()));
    const SuiteCase &c = suite.value().cases.first();
    QVERIFY(Chain::isChain(c));
    QCOMPARE(Chain::turnCount(c), 3);
    QCOMPARE(c.maxToolRounds, 2);
    QCOMPARE(c.assertions.size(), 1);
    QCOMPARE(c.turns.size(), 2);
    QCOMPARE(c.turns.at(0).user, QStringLiteral("and {{x}} again?")); // rendered when sent, not when parsed
    QCOMPARE(c.turns.at(0).assertions.size(), 1);
    QCOMPARE(c.turns.at(0).assertions.first().type, QStringLiteral("contains"));
    QVERIFY(c.turns.at(0).toolResults.isEmpty());
    QCOMPARE(c.turns.at(1).toolResults.size(), 2);
    QCOMPARE(c.turns.at(1).toolResults.at(0).kind, ToolResultKind::Interrupt);
    QCOMPARE(c.turns.at(1).toolResults.at(1).kind, ToolResultKind::Missing);
    QCOMPARE(c.toolResults.size(), 2);
    QCOMPARE(c.toolResults.at(0),
             (ScriptedToolResult{QStringLiteral("lookup"), ToolResultKind::Error, QStringLiteral("HTTP 503")}));
    // No kind: a plain result; JSON content is sent as its text.
    QCOMPARE(c.toolResults.at(1).kind, ToolResultKind::Result);
    QCOMPARE(c.toolResults.at(1).content, QStringLiteral(R"({"results":[],"status":"ok"})"));

    const auto plain = Suite::fromJson(suiteWith(R"("reference": "r")"), QStringLiteral("t.json"));
    QVERIFY(plain.ok());
    QVERIFY(!Chain::isChain(plain.value().cases.first()));
    QCOMPARE(plain.value().cases.first().maxToolRounds, SuiteCase::kDefaultMaxToolRounds);
}

void TestChainSuite::rejects_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("expected");
    const auto row = [](const char *name, const char *body, const char *expected) {
        QTest::newRow(name) << QByteArray(body) << QString::fromUtf8(expected);
    };
    row("turns not a list", R"("turns": {"user": "x"})", "t.json:3:");
    row("turns not a list message", R"("turns": {"user": "x"})", "cases[0].turns: expected a non-empty list of turns");
    row("turns empty", R"("turns": [])", "cases[0].turns: expected a non-empty list of turns");
    row("turn not an object", R"("turns": ["x"])", "cases[0].turns[0]: expected an object with a \"user\" message");
    row("turn unknown key", R"("turns": [{"user": "x", "asert": []}])", "cases[0].turns[0].asert: unknown key");
    row("turn without user", R"("turns": [{"assert": []}])", "cases[0].turns[0].user: missing (a string is required)");
    row("turn user not a string", R"("turns": [{"user": 3}])", "cases[0].turns[0].user: expected a string");
    row("turn user empty", R"("turns": [{"user": "  "}])", "cases[0].turns[0].user: the user message is empty");
    row("turn unknown var", R"("turns": [{"user": "{{y}}"}])", "cases[0].turns[0].user: unknown variable {{y}}");
    row("turn bad assertion", R"("turns": [{"user": "x", "assert": [{"type": "nope"}]}])",
        "cases[0].turns[0].assert[0].type: unknown assertion type \"nope\"");
    row("turn bad tool results", R"("turns": [{"user": "x", "tool_results": []}])",
        "cases[0].turns[0].tool_results: expected a non-empty list of tool results");
    row("tool results not a list", R"("tool_results": {"tool": "t"})",
        "cases[0].tool_results: expected a non-empty list of tool results");
    row("tool result not an object", R"("tool_results": [1])",
        "cases[0].tool_results[0]: expected an object with a \"tool\", a \"kind\" and a \"content\"");
    row("tool result unknown key", R"("tool_results": [{"tool": "t", "content": "c", "result": "x"}])",
        "cases[0].tool_results[0].result: unknown key");
    row("tool result without tool", R"("tool_results": [{"content": "c"}])",
        "cases[0].tool_results[0].tool: missing (a string is required)");
    row("tool result empty tool", R"("tool_results": [{"tool": "", "content": "c"}])",
        "cases[0].tool_results[0].tool: the tool name is empty");
    row("tool result bad kind", R"("tool_results": [{"tool": "t", "kind": "timeout", "content": "c"}])",
        "cases[0].tool_results[0].kind: \"timeout\" is not a kind of tool result");
    row("tool result kind not a string", R"("tool_results": [{"tool": "t", "kind": 1, "content": "c"}])",
        "cases[0].tool_results[0].kind: expected a string");
    row("tool result without content", R"("tool_results": [{"tool": "t"}])",
        "cases[0].tool_results[0].content: missing");
    row("tool result numeric content", R"("tool_results": [{"tool": "t", "content": 4}])",
        "cases[0].tool_results[0].content: expected a string, an object or a list");
    row("interrupt with JSON", R"("tool_results": [{"tool": "t", "kind": "interrupt", "content": {}}])",
        "cases[0].tool_results[0].content: expected a string (what the user says)");
    row("interrupt empty", R"("tool_results": [{"tool": "t", "kind": "interrupt", "content": " "}])",
        "cases[0].tool_results[0].content: an interrupt needs what the user says");
    row("tool result unknown var", R"("tool_results": [{"tool": "t", "content": "{{nope}}"}])",
        "cases[0].tool_results[0].content: unknown variable {{nope}}");
    row("rounds zero", R"("max_tool_rounds": 0)", "cases[0].max_tool_rounds: expected a whole number from 1 to 100");
    row("rounds fractional", R"("max_tool_rounds": 1.5)", "cases[0].max_tool_rounds: expected a whole number");
    row("rounds too many", R"("max_tool_rounds": 101)", "cases[0].max_tool_rounds: expected a whole number");
}

void TestChainSuite::rejects()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, expected);
    const auto suite = Suite::fromJson(suiteWith(body), QStringLiteral("t.json"));
    QVERIFY(!suite.ok());
    QVERIFY2(suite.error().contains(expected), qPrintable(suite.error()));
    QVERIFY2(suite.error().startsWith(QStringLiteral("t.json:3:")), qPrintable(suite.error()));
}

void TestChainSuite::variantsCannotHaveTurns()
{
    // Variants reword the first turn only; the further turns are the case's.
    const auto suite = Suite::fromJson(
        suiteWith(R"("turns": [{"user": "x"}], "variants": [{"id": "v", "prompt": "q", "turns": [{"user": "y"}]}])"),
        QStringLiteral("t.json"));
    QVERIFY(!suite.ok());
    QVERIFY2(suite.error().contains(QStringLiteral("cases[0].variants[0].turns: unknown key")),
             qPrintable(suite.error()));
}

void TestChainSuite::roundTripsThroughTheWriter()
{
    const auto suite = Suite::fromJson(suiteWith(R"(
        "tool_results": [{"tool": "lookup", "kind": "missing", "content": {"results": []}}],
        "max_tool_rounds": 3,
        "turns": [{"user": "again {{x}}", "assert": [{"type": "icontains", "value": "could not"}],
                   "tool_results": [{"tool": "*", "kind": "interrupt", "content": "never mind"}]},
                  {"user": "bye"}])"),
                                       QStringLiteral("t.json"));
    QVERIFY2(suite.ok(), qPrintable(suite.error()));
    const auto again = Suite::fromJson(suiteToBytes(suite.value()), QStringLiteral("saved.json"));
    QVERIFY2(again.ok(), qPrintable(again.error()));
    const SuiteCase &a = suite.value().cases.first();
    const SuiteCase &b = again.value().cases.first();
    QCOMPARE(b.maxToolRounds, 3);
    QCOMPARE(b.toolResults, a.toolResults);
    QCOMPARE(b.turns.size(), 2);
    for (qsizetype i = 0; i < a.turns.size(); ++i) {
        QCOMPARE(b.turns.at(i).user, a.turns.at(i).user);
        QCOMPARE(b.turns.at(i).toolResults, a.turns.at(i).toolResults);
        QCOMPARE(b.turns.at(i).assertions.size(), a.turns.at(i).assertions.size());
    }
    QVERIFY(b.turns.at(0).assertions.first().value == a.turns.at(0).assertions.first().value);
    // Defaults stay out of the file.
    const auto plain = Suite::fromJson(suiteWith(R"("reference": "r")"), QStringLiteral("t.json"));
    const QByteArray bytes = suiteToBytes(plain.value());
    QVERIFY(!bytes.contains("max_tool_rounds"));
    QVERIFY(!bytes.contains("turns"));
}

void TestChainSuite::scriptAnswersCallsInOrderAndRepeatsTheLast()
{
    const QList<ScriptedToolResult> script{
        {QStringLiteral("lookup"), ToolResultKind::Error, QStringLiteral("down")},
        {QStringLiteral("lookup"), ToolResultKind::Result, QStringLiteral("42")},
        {QStringLiteral("*"), ToolResultKind::Missing, QStringLiteral("{}")},
    };
    const auto first = Chain::answer(script, QStringLiteral("lookup"), 0, 0);
    QCOMPARE(first.kind, ToolResultKind::Error);
    QCOMPARE(first.content, QStringLiteral("down"));
    QCOMPARE(Chain::answer(script, QStringLiteral("lookup"), 1, 0).content, QStringLiteral("42"));
    QCOMPARE(Chain::answer(script, QStringLiteral("lookup"), 5, 0).content, QStringLiteral("42"));
    bool wildcard = false;
    const auto other = Chain::answer(script, QStringLiteral("search"), 0, 3, &wildcard);
    QVERIFY(wildcard);
    QCOMPARE(other.kind, ToolResultKind::Missing);
    QVERIFY(other.scripted);
    const auto unscripted = Chain::answer(script.mid(0, 2), QStringLiteral("search"), 0, 0, &wildcard);
    QVERIFY(!wildcard);
    QVERIFY(!unscripted.scripted);
    QCOMPARE(unscripted.kind, ToolResultKind::Error);
}

void TestChainSuite::turnScriptOverridesTheCaseScript()
{
    SuiteCase c;
    c.toolResults = {{QStringLiteral("*"), ToolResultKind::Result, QStringLiteral("case")}};
    c.turns = {
        ChainTurn{QStringLiteral("u1"), {}, {}},
        ChainTurn{QStringLiteral("u2"), {}, {{QStringLiteral("*"), ToolResultKind::Error, QStringLiteral("turn")}}}};
    QCOMPARE(Chain::scriptFor(c, 0).first().content, QStringLiteral("case"));
    QCOMPARE(Chain::scriptFor(c, 1).first().content, QStringLiteral("case"));
    QCOMPARE(Chain::scriptFor(c, 2).first().content, QStringLiteral("turn"));
}

QTEST_GUILESS_MAIN(TestChainSuite)
#include "tst_chainsuite.moc"
