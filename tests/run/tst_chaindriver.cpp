#include "run/ChainDriver.h"
#include "run/ChainTurnCodec.h"

// ChainDriver: the exact requests a chain cell sends (follow-up turns, tool rounds with scripted
// results, failures, interrupts, made-up call ids), the tool-round cap and the cell's grade.

#include <QTest>

using namespace Slopscope;

namespace {

Suite chainSuite(const QByteArray &caseBody)
{
    auto suite = Suite::fromJson(
        R"({"name": "s", "defaults": {"system": "be brief"}, "cases": [{"id": "c", "prompt": "weather in {{city}}?",
            "vars": {"city": "Oslo"}, )" +
            caseBody + "}]}",
        QStringLiteral("chain.json"));
    if (!suite)
        qFatal("%s", qPrintable(suite.error()));
    return suite.value();
}

ChatRequest firstRequest(const Suite &suite)
{
    ChatRequest r;
    r.id = QStringLiteral("c||0|t");
    r.targetId = QStringLiteral("t");
    r.caseId = QStringLiteral("c");
    r.messages = suite.messagesFor(suite.cases.first());
    return r;
}

JobResult answer(const QString &text, QList<ToolCall> calls = {}, qint64 in = 10, qint64 out = 5)
{
    JobResult j;
    j.state = JobState::Completed;
    j.result.outcome = StreamOutcome::Complete;
    j.result.text = text;
    j.result.toolCalls = std::move(calls);
    Usage u;
    u.inputTokens = in;
    u.outputTokens = out;
    j.result.usage = u;
    return j;
}

RequestMetrics ms(qint64 ttftMs, qint64 e2eMs)
{
    RequestMetrics m;
    m.ttftNs = ttftMs * 1'000'000;
    m.e2eNs = e2eMs * 1'000'000;
    return m;
}

RequestCost usd(double v)
{
    RequestCost c;
    c.usd = v;
    return c;
}

ChatMessage msg(const char *role, const QString &content)
{
    return {QString::fromLatin1(role), content};
}

ChatMessage toolMsg(const QString &id, const QString &name, const QString &content, bool error)
{
    ChatMessage m{QStringLiteral("tool"), content};
    m.toolCallId = id;
    m.toolName = name;
    m.toolError = error;
    return m;
}

} // namespace

class TestChainDriver final : public QObject
{
    Q_OBJECT

private slots:
    void followUpTurnsCarryTheAnswers();
    void toolRoundsSendTheScriptedResults();
    void toolRoundCapEndsTheChain();
    void failureKeepsTheTurnsSoFar();
    void unscriptedToolCallsEndTheTurn();
    void judgedChecksWaitForTheJudge();
    void thoughtsGoBackAndAreKept();
};

void TestChainDriver::followUpTurnsCarryTheAnswers()
{
    const Suite suite = chainSuite(R"("assert": [{"type": "icontains", "value": "rain"}],
        "turns": [{"user": "and tomorrow in {{city}}?", "assert": [{"type": "icontains", "value": "sun"}]},
                  {"user": "thanks", "assert": [{"type": "icontains", "value": "welcome"}]}])");
    ChainDriver d(suite, suite.cases.first(), nullptr, firstRequest(suite));
    auto second = d.onAnswer(answer(QStringLiteral("Rain today.")), ms(100, 400), usd(0.01));
    QVERIFY(second);
    QCOMPARE(second->id, QStringLiteral("c||0|t#2"));
    const QList<ChatMessage> expected2{
        msg("system", QStringLiteral("be brief")), msg("user", QStringLiteral("weather in Oslo?")),
        msg("assistant", QStringLiteral("Rain today.")), msg("user", QStringLiteral("and tomorrow in Oslo?"))};
    QCOMPARE(second->messages, expected2);
    auto third = d.onAnswer(answer(QStringLiteral("Cloudy.")), ms(50, 200), usd(0.02));
    QVERIFY(third);
    QCOMPARE(third->messages.size(), 6);
    QCOMPARE(third->messages.at(4), msg("assistant", QStringLiteral("Cloudy.")));
    QCOMPARE(third->messages.at(5), msg("user", QStringLiteral("thanks")));
    QVERIFY(!d.onAnswer(answer(QStringLiteral("You're welcome!")), ms(30, 100), usd(0.03)));
    QVERIFY(d.finished());

    QCOMPARE(d.turns().size(), 3);
    QCOMPARE(d.turns().at(1).user, QStringLiteral("and tomorrow in Oslo?"));
    QCOMPARE(d.turns().at(1).answer, QStringLiteral("Cloudy."));
    QVERIFY(d.turns().at(0).grade.pass);
    QVERIFY(!d.turns().at(1).grade.pass); // no "sun"
    QVERIFY(d.turns().at(2).grade.pass);
    QCOMPARE(d.turns().at(0).ttftNs, 100'000'000);
    QCOMPARE(d.turns().at(2).costUsd, 0.03);
    QCOMPARE(d.turns().at(2).inputTokens, 10);
    const CaseGrade g = d.grade();
    QVERIFY(!g.pass);
    QVERIFY(qAbs(g.score - 2.0 / 3.0) < 1e-9);
}

void TestChainDriver::toolRoundsSendTheScriptedResults()
{
    const Suite suite = chainSuite(R"("assert": [{"type": "icontains", "value": "could not"}],
        "tool_results": [{"tool": "weather", "kind": "error", "content": "HTTP 503"},
                         {"tool": "weather", "kind": "missing", "content": {"results": []}},
                         {"tool": "*", "kind": "interrupt", "content": "use {{city}} please"}])");
    ChainDriver d(suite, suite.cases.first(), nullptr, firstRequest(suite));
    // Round 1: two calls, one without an id (Gemini, Ollama).
    auto r2 = d.onAnswer(answer(QString(), {{QStringLiteral("id_a"), QStringLiteral("weather"), QStringLiteral("{}")},
                                            {QString(), QStringLiteral("search"), QStringLiteral("{\"q\":1}")}}),
                         ms(100, 300), usd(0.01));
    QVERIFY(r2);
    ChatMessage assistant{QStringLiteral("assistant"), QString()};
    assistant.toolCalls = {{QStringLiteral("id_a"), QStringLiteral("weather"), QStringLiteral("{}")},
                           {QStringLiteral("call_1"), QStringLiteral("search"), QStringLiteral("{\"q\":1}")}};
    const QList<ChatMessage> expected2{
        msg("system", QStringLiteral("be brief")),
        msg("user", QStringLiteral("weather in Oslo?")),
        assistant,
        toolMsg(QStringLiteral("id_a"), QStringLiteral("weather"), QStringLiteral("HTTP 503"), true),
        toolMsg(QStringLiteral("call_1"), QStringLiteral("search"),
                QStringLiteral("interrupted: the user stopped this call before it returned"), true),
        msg("user", QStringLiteral("use Oslo please"))};
    QCOMPARE(r2->messages, expected2);
    QCOMPARE(r2->id, QStringLiteral("c||0|t#2"));
    // Round 2: the second call of "weather" gets the second entry.
    auto r3 =
        d.onAnswer(answer(QStringLiteral("retrying"), {{QString(), QStringLiteral("weather"), QStringLiteral("{}")}}),
                   ms(80, 200), usd(0.01));
    QVERIFY(r3);
    QCOMPARE(r3->messages.size(), expected2.size() + 2);
    ChatMessage assistant2{QStringLiteral("assistant"), QStringLiteral("retrying")};
    assistant2.toolCalls = {{QStringLiteral("call_2"), QStringLiteral("weather"), QStringLiteral("{}")}};
    QCOMPARE(r3->messages.at(expected2.size()), assistant2);
    QCOMPARE(r3->messages.last(),
             toolMsg(QStringLiteral("call_2"), QStringLiteral("weather"), QStringLiteral(R"({"results":[]})"), false));
    QVERIFY(!d.onAnswer(answer(QStringLiteral("I could not get the weather.")), ms(50, 100), usd(0.01)));

    const ChainTurnResult &turn = d.turns().first();
    QCOMPARE(d.turns().size(), 1);
    QCOMPARE(turn.requests, 3);
    QCOMPARE(turn.toolCalls.size(), 3);
    QCOMPARE(turn.toolResults.size(), 3);
    QCOMPARE(turn.toolResults.at(0).kind, ToolResultKind::Error);
    QCOMPARE(turn.toolResults.at(1).kind, ToolResultKind::Interrupt);
    QCOMPARE(turn.toolResults.at(1).content, QStringLiteral("use Oslo please"));
    QCOMPARE(turn.toolResults.at(2).kind, ToolResultKind::Missing);
    QCOMPARE(turn.ttftNs, 100'000'000); // the turn's first request
    QCOMPARE(turn.e2eNs, 600'000'000);  // all three
    QCOMPARE(turn.outputTokens, 15);
    QVERIFY(qAbs(*turn.costUsd - 0.03) < 1e-12);
    QVERIFY(turn.grade.pass);
    QVERIFY(d.grade().pass);
    QCOMPARE(d.grade().score, 1.0);
}

void TestChainDriver::toolRoundCapEndsTheChain()
{
    const Suite suite = chainSuite(R"("max_tool_rounds": 2, "tool_results": [{"tool": "*", "content": "ok"}],
        "turns": [{"user": "more"}])");
    ChainDriver d(suite, suite.cases.first(), nullptr, firstRequest(suite));
    const QList<ToolCall> call{{QStringLiteral("x"), QStringLiteral("loop"), QStringLiteral("{}")}};
    QVERIFY(d.onAnswer(answer(QString(), call), ms(1, 1), usd(0)));
    QVERIFY(d.onAnswer(answer(QString(), call), ms(1, 1), usd(0)));
    QVERIFY(!d.onAnswer(answer(QString(), call), ms(1, 1), usd(0))); // a third round is not fed
    QVERIFY(d.finished());
    QCOMPARE(d.requestsSent(), 3);
    QCOMPARE(d.turns().size(), 1);
    QVERIFY(d.turns().first().toolRoundCapHit);
    QVERIFY(!d.turns().first().grade.pass);
    QCOMPARE(d.turns().first().toolCalls.size(), 3);
    QCOMPARE(d.turns().first().toolResults.size(), 2);
    QVERIFY(!d.grade().pass);
    QCOMPARE(d.grade().score, 0.0); // the unreached second turn counts 0 too
}

void TestChainDriver::failureKeepsTheTurnsSoFar()
{
    const Suite suite = chainSuite(R"("turns": [{"user": "second"}, {"user": "third"}])");
    ChainDriver d(suite, suite.cases.first(), nullptr, firstRequest(suite));
    QVERIFY(d.onAnswer(answer(QStringLiteral("one")), ms(1, 1), usd(0.5)));
    JobResult failed = answer(QStringLiteral("partial"));
    failed.state = JobState::Failed;
    failed.error = QStringLiteral("HTTP 500");
    d.onFailure(failed, ms(1, 1), usd(0.25));
    QVERIFY(d.finished());
    QCOMPARE(d.turns().size(), 2);
    QVERIFY(d.turns().at(0).grade.pass);
    QVERIFY(!d.turns().at(1).grade.pass);
    QCOMPARE(d.turns().at(1).answer, QStringLiteral("partial"));
    QCOMPARE(d.turns().at(1).costUsd, 0.25);
    QVERIFY(!d.grade().pass);
    QVERIFY(qAbs(d.grade().score - 1.0 / 3.0) < 1e-9);
    QVERIFY(!d.onAnswer(answer(QStringLiteral("late")), ms(1, 1), usd(0))); // over is over
}

void TestChainDriver::unscriptedToolCallsEndTheTurn()
{
    // Without a script, tool calls are the answer: graded as they are, and only the text goes back.
    const Suite suite = chainSuite(R"("turns": [{"user": "next"}])");
    ChainDriver d(suite, suite.cases.first(), nullptr, firstRequest(suite));
    auto next = d.onAnswer(
        answer(QStringLiteral("calling"), {{QStringLiteral("i"), QStringLiteral("f"), QStringLiteral("{}")}}), ms(1, 1),
        usd(0));
    QVERIFY(next);
    QCOMPARE(next->messages.at(2), msg("assistant", QStringLiteral("calling")));
    QVERIFY(next->messages.at(2).toolCalls.isEmpty());
}

void TestChainDriver::judgedChecksWaitForTheJudge()
{
    // llm-rubric, factuality, select-best and code-tests stay waiting: RunSession has them judged
    // or run once the chain is over. Nothing is settled as not graded by the driver.
    const Suite suite = chainSuite(R"("threshold": 0.5, "reference": "rain",
        "turns": [{"user": "next", "assert": [{"type": "icontains", "value": "sun"}, {"type": "llm-rubric",
                   "value": "says \"sun\""}, {"type": "select-best"}, {"type": "code-tests", "value": "assert True"}]}])");
    ChainDriver d(suite, suite.cases.first(), nullptr, firstRequest(suite));
    QVERIFY(d.onAnswer(answer(QStringLiteral("Rain.")), ms(1, 1), usd(0)));
    // With a code block, so that code-tests has code it could run.
    QVERIFY(!d.onAnswer(answer(QStringLiteral("Sun tomorrow.\n```python\nprint(1)\n```\n")), ms(1, 1), usd(0)));
    QCOMPARE(d.turnCount(), 2);
    const ChainTurnResult &second = d.turns().at(1);
    QCOMPARE(second.grade.grades.size(), 4);
    for (const int i : {1, 2, 3}) {
        const Grade &waiting = second.grade.grades.at(i);
        QVERIFY(waiting.needsJudge);
        QVERIFY2(!waiting.reason.startsWith(QStringLiteral("not graded")), qPrintable(waiting.reason));
    }
    QVERIFY(second.grade.pendingJudge);
    QVERIFY(!second.grade.pass);
    QVERIFY(!d.grade().pass);
    QVERIFY(d.grade().pendingJudge);

    // The checks each turn is graded with: the first has the case's reference and threshold.
    const ChainDriver::TurnChecks first = d.checksFor(0);
    QCOMPARE(first.reference, QStringLiteral("rain"));
    QCOMPARE(first.threshold, 0.5);
    const ChainDriver::TurnChecks later = d.checksFor(1);
    QCOMPARE(later.assertions.size(), 4);
    QCOMPARE(later.assertions.at(1).type, QStringLiteral("llm-rubric"));
    QVERIFY(later.reference.isEmpty());
    QVERIFY(!later.threshold);

    // A verdict in, the turn and the cell are graded again: every turn passes, the mean score.
    QList<ChainTurnResult> turns = d.turns();
    turns[1].grade.grades.removeLast(); // as if only the judged checks were there
    turns[1].grade.grades.removeLast();
    Grade &judged = turns[1].grade.grades[1];
    judged.needsJudge = false;
    judged.pass = true;
    judged.score = 1.0;
    ChainDriver::settleTurn(turns[1], std::nullopt);
    QVERIFY(turns[1].grade.pass);
    QCOMPARE(turns[1].grade.score, 1.0);
    const CaseGrade cell = ChainDriver::combine(turns, 2, true);
    QCOMPARE(cell.pass, turns[0].grade.pass);
    QCOMPARE(cell.score, (turns[0].grade.score + 1.0) / 2.0);
    QCOMPARE(cell.grades.size(), turns[0].grade.grades.size() + 2);
    QVERIFY(!ChainDriver::combine(turns, 3, true).pass);  // a turn never reached
    QVERIFY(!ChainDriver::combine(turns, 2, false).pass); // the chain did not finish
}

// A thinking model's tool round: its thinking blocks and reasoning items go back with the calls,
// the turn keeps them per request, and the history's JSON restores them while the report's
// leaves the opaque parts out.
void TestChainDriver::thoughtsGoBackAndAreKept()
{
    const Suite suite = chainSuite(R"("tool_results": [{"tool": "weather", "content": "sunny"}])");
    ChainDriver d(suite, suite.cases.first(), nullptr, firstRequest(suite));
    JobResult first = answer(QString(), {{QStringLiteral("id_a"), QStringLiteral("weather"), QStringLiteral("{}"),
                                           QStringLiteral("Z2VtaW5p")}});
    first.result.thinkingBlocks = {ThinkingBlock{QStringLiteral("hmm"), QStringLiteral("c2ln")}};
    first.result.reasoningItems = {ReasoningItem{QStringLiteral("rs_1"), QStringLiteral("gAAAAABx"), {QStringLiteral("s")}}};
    const auto next = d.onAnswer(first, ms(10, 20), usd(0.01));
    QVERIFY(next);
    const ChatMessage &assistant = next->messages.at(2);
    QCOMPARE(assistant.thinking, (QList<ChatThinkingBlock>{{QStringLiteral("hmm"), QStringLiteral("c2ln")}}));
    QCOMPARE(assistant.reasoningItems,
             (QList<ChatReasoningItem>{{QStringLiteral("rs_1"), QStringLiteral("gAAAAABx"), {QStringLiteral("s")}}}));
    QCOMPARE(assistant.toolCalls.first().thoughtSignature, QStringLiteral("Z2VtaW5p"));
    QVERIFY(!d.onAnswer(answer(QStringLiteral("sunny")), ms(10, 20), usd(0.01)));

    const ChainTurnResult &turn = d.turns().first();
    QCOMPARE(turn.thoughts.size(), 1); // the second request thought nothing
    QCOMPARE(turn.thoughts.first().request, 0);
    QCOMPARE(turn.thoughts.first().thinking, assistant.thinking);
    QCOMPARE(turn.thoughts.first().reasoningItems, assistant.reasoningItems);

    const QList<ChainTurnResult> back = ChainTurnCodec::fromJson(ChainTurnCodec::toJson(d.turns()));
    QCOMPARE(back.first().thoughts, turn.thoughts);
    QCOMPARE(back.first().toolCalls.first().thoughtSignature, QStringLiteral("Z2VtaW5p"));
    const std::string report = ChainTurnCodec::toJson(d.turns(), ChainTurnCodec::Purpose::Report).dump();
    for (const char *opaque : {"c2ln", "gAAAAABx", "Z2VtaW5p", "thoughts"})
        QVERIFY2(report.find(opaque) == std::string::npos, opaque);
}

QTEST_GUILESS_MAIN(TestChainDriver)
#include "tst_chaindriver.moc"
