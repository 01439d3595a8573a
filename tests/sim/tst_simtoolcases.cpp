// The bundled tool-calling suite (resources/demo/suites/tools.json) against the simulator, end to
// end through the engine's requests, the simulator's personas and the project's decoders, graded
// by the Grader: right personas make valid calls in every dialect, wrong ones fail, and a tool
// result is answered honestly or papered over according to the persona.
#include "SimEngineExchange.h"

#include "engine/AssistantTurn.h"
#include "engine/RequestBuilder.h"
#include "quality/Grader.h"
#include "quality/Suite.h"
#include "sim/SimServer.h"
#include "stream/StreamDecoder.h"

#include <QElapsedTimer>
#include <QTest>

using namespace Slopscope;

Q_DECLARE_METATYPE(Slopscope::Dialect)

class TestSimToolCases final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void rightPersonasCallRightTool_data();
    void rightPersonasCallRightTool();
    void wrongPersonaFailsTheCall();
    void textOnlyWithoutTools();
    void callWaitsItsTimeToFirstToken();
    void toolResultAnswered_data();
    void toolResultAnswered();

private:
    StreamResult send(const ChatRequest &request, Dialect dialect);
    ChatRequest caseRequest(const SuiteCase &c, const QString &model, const CaseVariant *variant = nullptr) const;

    SimServer m_server;
    Suite m_suite;
};

void TestSimToolCases::initTestCase()
{
    QVERIFY(m_server.loadDefaults());
    QVERIFY(m_server.loadPersonasFile(QStringLiteral(SLOPSCOPE_TEST_DATA "/sim/personas_test.json")));
    QVERIFY(m_server.listen());
    auto suite = Suite::fromFile(QStringLiteral(":/slopscope/demo/suites/tools.json"));
    QVERIFY2(suite, qPrintable(suite ? QString() : suite.error()));
    m_suite = suite.value();
    QVERIFY(m_suite.cases.size() >= 2);
}

ChatRequest TestSimToolCases::caseRequest(const SuiteCase &c, const QString &model, const CaseVariant *variant) const
{
    ChatRequest r;
    r.id = c.id;
    r.targetId = QStringLiteral("t");
    r.providerId = QStringLiteral("sim");
    r.model = model;
    r.messages = m_suite.messagesFor(c, variant);
    r.tools = m_suite.toolsFor(c);
    return r;
}

StreamResult TestSimToolCases::send(const ChatRequest &request, Dialect dialect)
{
    return SimTest::sendThroughEngine(request, dialect, m_server.baseUrl());
}

void TestSimToolCases::rightPersonasCallRightTool_data()
{
    QTest::addColumn<Dialect>("dialect");
    QTest::addColumn<QString>("model");
    QTest::newRow("openai-chat") << Dialect::OpenAIChat << u"t-chat"_qs;
    QTest::newRow("responses") << Dialect::OpenAIResponses << u"t-chat"_qs;
    QTest::newRow("anthropic") << Dialect::Anthropic << u"t-claude"_qs;
    QTest::newRow("gemini") << Dialect::Gemini << u"t-gemini"_qs;
    QTest::newRow("ollama") << Dialect::Ollama << u"t-ollama"_qs;
}

void TestSimToolCases::rightPersonasCallRightTool()
{
    QFETCH(Dialect, dialect);
    QFETCH(QString, model);
    for (const SuiteCase &c : std::as_const(m_suite.cases)) {
        const StreamResult result = send(caseRequest(c, model), dialect);
        QCOMPARE(result.outcome, StreamOutcome::Complete);
        QVERIFY2(!result.toolCalls.isEmpty(), qPrintable(c.id + u": " + result.text));
        const CaseGrade grade =
            Grader::gradeAll(m_suite.assertionsFor(c), {result.text, c.reference, {}, {}, result.toolCalls});
        for (const Grade &g : grade.grades)
            QVERIFY2(g.pass, qPrintable(c.id + u' ' + g.type + u": " + g.reason));
        QVERIFY(grade.pass);
        // The call goes back as the next turn's assistant message with an id the result can name.
        const ChatMessage turn = assistantTurnFrom(result);
        QCOMPARE(turn.toolCalls.size(), result.toolCalls.size());
        QVERIFY(!turn.toolCalls.first().id.isEmpty());
    }
}

void TestSimToolCases::wrongPersonaFailsTheCall()
{
    int failedValidity = 0;
    for (const SuiteCase &c : std::as_const(m_suite.cases)) {
        for (int v = -1; v < c.variants.size(); ++v) {
            const CaseVariant *variant = v < 0 ? nullptr : &c.variants.at(v);
            const StreamResult result = send(caseRequest(c, u"t-wrong"_qs, variant), Dialect::OpenAIChat);
            QVERIFY2(!result.toolCalls.isEmpty(), qPrintable(c.id));
            QCOMPARE(result.finishReason, u"tool_calls"_qs);
            const CaseGrade grade = Grader::gradeAll(m_suite.assertionsFor(c, variant),
                                                     {result.text, c.reference, {}, {}, result.toolCalls});
            QVERIFY2(!grade.pass, qPrintable(c.id + u": " + result.toolCalls.first().name + u' ' +
                                             result.toolCalls.first().arguments));
            for (const Grade &g : grade.grades) {
                if (g.type == u"is-valid-tool-call" && !g.pass)
                    ++failedValidity;
            }
        }
    }
    // Some wrong calls miss a required argument, which no schema lets through.
    QVERIFY(failedValidity > 0);
}

// The same case without tools on the request gets text, never a call the request did not offer.
void TestSimToolCases::textOnlyWithoutTools()
{
    ChatRequest r = caseRequest(m_suite.cases.first(), u"t-chat"_qs);
    r.tools.clear();
    const StreamResult result = send(r, Dialect::OpenAIChat);
    QCOMPARE(result.outcome, StreamOutcome::Complete);
    QVERIFY(result.toolCalls.isEmpty());
    QVERIFY(!result.text.isEmpty());
    QCOMPARE(result.finishReason, u"stop"_qs);
}

// A call-only answer has no text tokens, but the call still comes after the time to first token.
void TestSimToolCases::callWaitsItsTimeToFirstToken()
{
    QElapsedTimer timer;
    timer.start();
    const StreamResult result = send(caseRequest(m_suite.cases.first(), u"t-slowcall"_qs), Dialect::OpenAIChat);
    QVERIFY(!result.toolCalls.isEmpty());
    QVERIFY2(timer.elapsed() >= 380, qPrintable(QString::number(timer.elapsed())));
}

void TestSimToolCases::toolResultAnswered_data()
{
    QTest::addColumn<Dialect>("dialect");
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("content");
    QTest::addColumn<bool>("error");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("notExpected");
    const QString ok = QStringLiteral("{\"temperature\": -3, \"unit\": \"celsius\"}");
    QTest::newRow("result, openai") << Dialect::OpenAIChat << u"t-chat"_qs << ok << false << ok << u"failed"_qs;
    QTest::newRow("result, anthropic") << Dialect::Anthropic << u"t-claude"_qs << ok << false << ok << u"failed"_qs;
    QTest::newRow("result, gemini") << Dialect::Gemini << u"t-gemini"_qs << ok << false << u"-3"_qs << u"failed"_qs;
    QTest::newRow("result, ollama") << Dialect::Ollama << u"t-ollama"_qs << ok << false << ok << u"failed"_qs;
    QTest::newRow("result, responses") << Dialect::OpenAIResponses << u"t-chat"_qs << ok << false << ok << u"failed"_qs;
    QTest::newRow("is_error, anthropic") << Dialect::Anthropic << u"t-claude"_qs << u"service unavailable"_qs << true
                                         << u"failed (service unavailable)"_qs << u"Done!"_qs;
    QTest::newRow("error in content, openai")
        << Dialect::OpenAIChat << u"t-chat"_qs << u"Error: city not found"_qs << false << u"failed"_qs << u"Done!"_qs;
    QTest::newRow("error, sloptimized") << Dialect::OpenAIChat << u"t-slop"_qs << u"Error: city not found"_qs << false
                                        << u"Everything worked"_qs << u"failed"_qs;
}

// The second step of a tool case: the persona answers from the result it was given.
void TestSimToolCases::toolResultAnswered()
{
    QFETCH(Dialect, dialect);
    QFETCH(QString, model);
    QFETCH(QString, content);
    QFETCH(bool, error);
    QFETCH(QString, expected);
    QFETCH(QString, notExpected);
    const SuiteCase &c = m_suite.cases.first();
    ChatRequest r = caseRequest(c, model);
    const StreamResult first = send(r, dialect);
    QVERIFY(!first.toolCalls.isEmpty());
    const ChatMessage turn = assistantTurnFrom(first);
    ChatMessage result{u"tool"_qs, content};
    result.toolCallId = turn.toolCalls.first().id;
    result.toolName = turn.toolCalls.first().name;
    result.toolError = error;
    r.messages << turn << result;
    const StreamResult second = send(r, dialect);
    QCOMPARE(second.outcome, StreamOutcome::Complete);
    QVERIFY(second.toolCalls.isEmpty());
    QVERIFY2(second.text.contains(expected), qPrintable(second.text));
    QVERIFY2(!second.text.contains(notExpected), qPrintable(second.text));
}

QTEST_GUILESS_MAIN(TestSimToolCases)
#include "tst_simtoolcases.moc"
