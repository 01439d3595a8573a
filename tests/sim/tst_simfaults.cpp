#include "SimTestClient.h"

#include "sim/SimServer.h"

#include <QTest>

using namespace Slopscope;
using SimTest::json;

namespace {

const QByteArray kBearer = "Authorization: Bearer sk-test";

QByteArray chat(const char *model = "t-chat", bool stream = true)
{
    nlohmann::json b{{"model", model},
                     {"messages", nlohmann::json::array({{{"role", "user"}, {"content", "Tell me about tea."}}})},
                     {"stream", stream},
                     {"stream_options", {{"include_usage", true}}}};
    return QByteArray::fromStdString(b.dump());
}

QByteArray fault(const QByteArray &spec)
{
    return "x-sim-fault: " + spec;
}

int contentEvents(const QByteArray &body)
{
    int n = 0;
    for (const auto &e : SimTest::sseEvents(body)) {
        const auto j = json(e.data);
        n += !j.is_discarded() && j.contains("choices") && !j["choices"].empty() &&
                     j["choices"][0]["delta"].contains("content") && !j["choices"][0]["delta"].contains("role")
                 ? 1
                 : 0;
    }
    return n;
}

} // namespace

class TestSimFaults final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void rateLimit();
    void serverErrors_data();
    void serverErrors();
    void overloaded();
    void anthropicInBandOverloaded();
    void openAIInBandError();
    void inBandErrorOtherDialects();
    void dropAfterTokens();
    void stallThenResume();
    void stallForever();
    void trickle();
    void html502();
    void jsonBodyForAStream();
    void malformedLine();
    void redirect();
    void personaFaultAndOptOut();
    void badFaultHeader();

private:
    SimTest::Response send(const QByteArray &request, int timeoutMs = 20000)
    {
        return SimTest::exchange(m_server.serverPort(), request, timeoutMs);
    }
    SimServer m_server;
};

void TestSimFaults::initTestCase()
{
    QVERIFY(m_server.loadDefaults());
    QVERIFY(m_server.loadPersonasFile(QStringLiteral(SLOPSCOPE_TEST_DATA "/sim/personas_test.json")));
    QVERIFY(m_server.listen());
}

void TestSimFaults::rateLimit()
{
    auto r = send(SimTest::post("/v1/chat/completions", chat(),
                                {kBearer, fault("rate_limit;retry_after=2;retry_after_ms=1500")}));
    QCOMPARE(r.status, 429);
    QCOMPARE(r.header("retry-after"), QByteArray("2"));
    QCOMPARE(r.header("retry-after-ms"), QByteArray("1500"));
    QCOMPARE(r.header("x-ratelimit-remaining-tokens"), QByteArray("0"));
    QVERIFY(r.body.startsWith("{\n    \"error\": {\n")); // 4-space pretty, as OpenAI
    SIM_JCOMPARE(json(r.body)["error"]["code"], "rate_limit_exceeded");

    const QByteArray anthropic =
        R"({"model":"t-claude","max_tokens":5,"messages":[{"role":"user","content":"hi"}],"stream":true})";
    r = send(SimTest::post("/v1/messages", anthropic,
                           {"x-api-key: k", "anthropic-version: 2023-06-01", fault("429;retry_after=17")}));
    QCOMPARE(r.status, 429);
    QCOMPARE(r.header("retry-after"), QByteArray("17"));
    SIM_JCOMPARE(json(r.body)["error"]["type"], "rate_limit_error");

    r = send(SimTest::post("/v1beta/models/t-gemini:streamGenerateContent?alt=sse",
                           R"({"contents":[{"parts":[{"text":"hi"}]}]})",
                           {"x-goog-api-key: k", fault("rate_limit;retry_after=38")}));
    QCOMPARE(r.status, 429);
    const auto g = json(r.body);
    SIM_JCOMPARE(g["error"]["status"], "RESOURCE_EXHAUSTED");
    SIM_JCOMPARE(g["error"]["details"][0]["retryDelay"], "38s");
    QVERIFY(r.header("retry-after").isEmpty()); // Gemini carries it in the body only
    QCOMPARE(m_server.records().last().fault, QStringLiteral("rate_limit;retry_after=38"));
    QCOMPARE(m_server.records().last().outcome, QStringLiteral("http_error"));
}

void TestSimFaults::serverErrors_data()
{
    QTest::addColumn<QByteArray>("spec");
    QTest::addColumn<int>("status");
    QTest::newRow("500") << QByteArray("server_error") << 500;
    QTest::newRow("502") << QByteArray("502") << 502;
    QTest::newRow("503") << QByteArray("server_error;status=503") << 503;
}

void TestSimFaults::serverErrors()
{
    QFETCH(QByteArray, spec);
    QFETCH(int, status);
    const auto r = send(SimTest::post("/v1/chat/completions", chat(), {kBearer, fault(spec)}));
    QCOMPARE(r.status, status);
    SIM_JCOMPARE(json(r.body)["error"]["type"], "server_error");
    const auto o = send(SimTest::post("/api/chat", R"({"model":"t-ollama","messages":[]})", {fault(spec)}));
    QCOMPARE(o.status, status);
    QVERIFY(json(o.body).contains("error"));
}

void TestSimFaults::overloaded()
{
    const QByteArray anthropic =
        R"({"model":"t-claude","max_tokens":5,"messages":[{"role":"user","content":"hi"}],"stream":true})";
    auto r =
        send(SimTest::post("/v1/messages", anthropic, {"x-api-key: k", "anthropic-version: 2023-06-01", fault("529")}));
    QCOMPARE(r.status, 529);
    QCOMPARE(r.body.left(67),
             QByteArray(R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"})").left(67));
    r = send(SimTest::post("/v1/chat/completions", chat(), {kBearer, fault("overloaded")}));
    QCOMPARE(r.status, 503);
}

void TestSimFaults::anthropicInBandOverloaded()
{
    const QByteArray body =
        R"({"model":"t-claude","max_tokens":100,"messages":[{"role":"user","content":"Tell me about tea."}],"stream":true})";
    const auto r = send(SimTest::post(
        "/v1/messages", body, {"x-api-key: k", "anthropic-version: 2023-06-01", fault("overloaded_inband;after=3")}));
    QCOMPARE(r.status, 200); // the error comes after the 200
    QVERIFY(r.terminated);
    const auto events = SimTest::sseEvents(r.body);
    int deltas = 0;
    for (const auto &e : events)
        deltas += e.event == "content_block_delta" ? 1 : 0;
    QCOMPARE(deltas, 3);
    QCOMPARE(events.last().event, QByteArray("error"));
    const auto err = json(events.last().data);
    SIM_JCOMPARE(err["error"]["type"], "overloaded_error");
    SIM_JCOMPARE(err["error"]["message"], "Overloaded");
    QVERIFY(!r.body.contains("message_stop") && !r.body.contains("message_delta"));
    QCOMPARE(m_server.records().last().outcome, QStringLiteral("in_band_error"));
    QCOMPARE(m_server.records().last().tokensSent, 3);
}

void TestSimFaults::openAIInBandError()
{
    const auto r = send(SimTest::post("/v1/chat/completions", chat(), {kBearer, fault("error_inband;after=2")}));
    QCOMPARE(r.status, 200);
    QCOMPARE(contentEvents(r.body), 2);
    const auto events = SimTest::sseEvents(r.body);
    const auto last = json(events.last().data);
    SIM_JCOMPARE(last["error"]["type"], "server_error");
    QVERIFY(events.last().event.isEmpty()); // an unnamed event, as OpenAI sends it
    QVERIFY(!r.body.contains("[DONE]"));
}

void TestSimFaults::inBandErrorOtherDialects()
{
    auto r = send(SimTest::post("/api/chat",
                                R"({"model":"t-ollama","messages":[{"role":"user","content":"Tell me about tea."}]})",
                                {fault("error_inband;after=4")}));
    QList<QByteArray> lines = r.body.split('\n');
    QCOMPARE(lines.size(), 6); // 4 tokens, the error, the final LF
    QCOMPARE(lines[4], QByteArray(R"({"error":"an error was encountered while running the model: unexpected EOF"})"));

    r = send(SimTest::post("/v1/responses", R"({"model":"t-chat","input":"Tell me about tea.","stream":true})",
                           {kBearer, fault("error_inband;after=1")}));
    const auto events = SimTest::sseEvents(r.body);
    QCOMPARE(events.last().event, QByteArray("error"));
    SIM_JCOMPARE(json(events.last().data)["code"], "server_error");
    SIM_JCOMPARE(json(events.last().data)["sequence_number"], events.size() - 1);

    r = send(SimTest::post("/v1beta/models/t-gemini:streamGenerateContent?alt=sse",
                           R"({"contents":[{"parts":[{"text":"Tell me about tea."}]}]})",
                           {"x-goog-api-key: k", fault("overloaded_inband;after=2")}));
    const auto g = SimTest::sseEvents(r.body, true);
    QCOMPARE(g.size(), 3);
    SIM_JCOMPARE(json(g.last().data)["error"]["status"], "UNAVAILABLE");
}

void TestSimFaults::dropAfterTokens()
{
    const auto r = send(SimTest::post("/v1/chat/completions", chat(), {kBearer, fault("drop;after=2")}));
    QCOMPARE(r.status, 200);
    QVERIFY(!r.ok);
    QVERIFY(r.closed);
    QVERIFY(!r.terminated);
    QCOMPARE(contentEvents(r.body), 2);
    QTRY_COMPARE(m_server.records().last().outcome, QStringLiteral("dropped"));
}

void TestSimFaults::stallThenResume()
{
    const auto r = send(SimTest::post("/v1/chat/completions", chat(), {kBearer, fault("stall;after=2;ms=300")}));
    QVERIFY(r.ok && r.terminated);
    QCOMPARE(contentEvents(r.body), 12);
    const SimRecord &rec = m_server.records().last();
    QCOMPARE(rec.outcome, QStringLiteral("complete"));
    // The schedule moved back by the stall: a lower bound, never flaky.
    QVERIFY(rec.lastByteMs - rec.firstContentMs >= 300.0);
    QVERIFY(rec.plannedLastTokenMs + 300.0 <= rec.lastByteMs + 0.001);
}

void TestSimFaults::stallForever()
{
    const auto r = send(SimTest::post("/v1/chat/completions", chat(), {kBearer, fault("stall;after=3")}), 600);
    QVERIFY(!r.ok);
    QCOMPARE(contentEvents(r.body), 3);
    // The client gave up (its socket went away with exchange()); the server notices and records it.
    QTRY_COMPARE(m_server.records().last().outcome, QStringLiteral("stalled"));
    QCOMPARE(m_server.records().last().tokensSent, 3);
}

void TestSimFaults::trickle()
{
    const auto r = send(SimTest::post("/v1/chat/completions", chat("t-chat"),
                                      {kBearer, "x-sim-tokens: 2", fault("trickle;interval_ms=1")}));
    QVERIFY(r.ok && r.terminated);
    QVERIFY(r.chunks.size() > 100);
    for (const QByteArray &chunk : r.chunks)
        QCOMPARE(chunk.size(), 1);
    QVERIFY(r.body.endsWith("data: [DONE]\n\n"));
    QCOMPARE(contentEvents(r.body), 2);
}

void TestSimFaults::html502()
{
    const auto r = send(SimTest::post("/v1/chat/completions", chat(), {kBearer, fault("html_502")}));
    QCOMPARE(r.status, 502);
    QCOMPARE(r.header("content-type"), QByteArray("text/html"));
    QVERIFY(r.body.contains("<h1>502 Bad Gateway</h1>"));
}

void TestSimFaults::jsonBodyForAStream()
{
    const auto r = send(SimTest::post("/v1/chat/completions", chat(), {kBearer, fault("json_body")}));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("content-type"), QByteArray("application/json"));
    SIM_JCOMPARE(json(r.body)["object"], "chat.completion");
    SIM_JCOMPARE(json(r.body)["usage"]["completion_tokens"], 12);
}

void TestSimFaults::malformedLine()
{
    const auto r = send(SimTest::post("/v1/chat/completions", chat(), {kBearer, fault("malformed;after=2")}));
    QVERIFY(r.ok && r.terminated);
    int broken = 0;
    for (const auto &e : SimTest::sseEvents(r.body))
        broken += e.data != "[DONE]" && json(e.data).is_discarded() ? 1 : 0;
    QCOMPARE(broken, 1);
    QCOMPARE(contentEvents(r.body), 12); // the stream goes on after it
    QVERIFY(r.body.endsWith("data: [DONE]\n\n"));
}

void TestSimFaults::redirect()
{
    SimServer other;
    QVERIFY(other.loadDefaults());
    QVERIFY(other.loadPersonasFile(QStringLiteral(SLOPSCOPE_TEST_DATA "/sim/personas_test.json")));
    QVERIFY(other.listen());
    const QByteArray spec = "redirect;port=" + QByteArray::number(other.serverPort());
    auto r = send(SimTest::post("/v1/chat/completions", chat(), {kBearer, fault(spec)}));
    QCOMPARE(r.status, 307);
    const QByteArray location = r.header("location");
    QCOMPARE(location, "http://127.0.0.1:" + QByteArray::number(other.serverPort()) + "/v1/chat/completions");
    // Following it by hand lands on the other server.
    r = SimTest::exchange(other.serverPort(), SimTest::post("/v1/chat/completions", chat(), {kBearer}));
    QCOMPARE(r.status, 200);
    QCOMPARE(other.records().size(), 1);
}

void TestSimFaults::personaFaultAndOptOut()
{
    auto r = send(SimTest::post("/v1/chat/completions", chat("t-faulty"), {kBearer}));
    QCOMPARE(r.status, 429);
    QCOMPARE(r.header("retry-after"), QByteArray("7"));
    r = send(SimTest::post("/v1/chat/completions", chat("t-faulty"), {kBearer, fault("none")}));
    QCOMPARE(r.status, 200);
    m_server.setPersonaFaultsEnabled(false);
    r = send(SimTest::post("/v1/chat/completions", chat("t-faulty"), {kBearer}));
    QCOMPARE(r.status, 200);
    m_server.setPersonaFaultsEnabled(true);
}

void TestSimFaults::badFaultHeader()
{
    const auto r = send(SimTest::post("/v1/chat/completions", chat(), {kBearer, fault("explode")}));
    QCOMPARE(r.status, 400);
    QVERIFY(json(r.body)["error"]["message"].get<std::string>().find("x-sim-fault") != std::string::npos);
}

QTEST_GUILESS_MAIN(TestSimFaults)
#include "tst_simfaults.moc"
