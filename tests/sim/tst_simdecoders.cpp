// The simulator against the project's own stream decoders (models/stream): what the decoders
// extract from the simulator's bytes must equal the simulator's ground truth.
#include "SimTestClient.h"

#include "sim/SimServer.h"
#include "stream/StreamDecoder.h"

#include <QTest>

using namespace Slopscope;

namespace {

struct Call
{
    Dialect dialect;
    QByteArray request;
};

QByteArray chatBody(const char *model, bool stream)
{
    nlohmann::json b{{"model", model},
                     {"messages", nlohmann::json::array({{{"role", "user"}, {"content", "Tell me about tea."}}})},
                     {"stream", stream},
                     {"stream_options", {{"include_usage", true}}}};
    return QByteArray::fromStdString(b.dump());
}

} // namespace

Q_DECLARE_METATYPE(Slopscope::Dialect)

class TestSimDecoders final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void decodesWhatWasSent_data();
    void decodesWhatWasSent();
    void decodesFaults_data();
    void decodesFaults();

private:
    StreamResult decode(Dialect dialect, const SimTest::Response &r, bool byteByByte);
    SimServer m_server;
};

void TestSimDecoders::initTestCase()
{
    QVERIFY(m_server.loadDefaults());
    QVERIFY(m_server.loadPersonasFile(QStringLiteral(SLOPSCOPE_TEST_DATA "/sim/personas_test.json")));
    QVERIFY(m_server.listen());
}

StreamResult TestSimDecoders::decode(Dialect dialect, const SimTest::Response &r, bool byteByByte)
{
    auto decoder = makeStreamDecoder(dialect, r.status, r.header("content-type"));
    if (byteByByte) {
        for (qsizetype i = 0; i < r.body.size(); ++i)
            decoder->feed(QByteArrayView(r.body).sliced(i, 1));
    } else {
        decoder->feed(r.body);
    }
    decoder->finish();
    return decoder->result();
}

void TestSimDecoders::decodesWhatWasSent_data()
{
    QTest::addColumn<Dialect>("dialect");
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<QString>("finish");
    const QList<QByteArray> bearer{"Authorization: Bearer k"};
    const QList<QByteArray> anthropic{"x-api-key: k", "anthropic-version: 2023-06-01"};
    QTest::newRow("openai stream") << Dialect::OpenAIChat
                                   << SimTest::post("/v1/chat/completions", chatBody("t-think", true), bearer)
                                   << QStringLiteral("stop");
    QTest::newRow("openai whole") << Dialect::OpenAIChat
                                  << SimTest::post("/v1/chat/completions", chatBody("t-hidden", false), bearer)
                                  << QStringLiteral("stop");
    QTest::newRow("responses stream")
        << Dialect::OpenAIResponses
        << SimTest::post("/v1/responses", R"({"model":"t-hidden","input":"Tell me about tea.","stream":true})", bearer)
        << QStringLiteral("completed");
    QTest::newRow("anthropic stream")
        << Dialect::Anthropic
        << SimTest::post(
               "/v1/messages",
               R"({"model":"t-claude","max_tokens":50,"thinking":{"type":"enabled","budget_tokens":100},"messages":[{"role":"user","content":"Tell me about tea."}],"stream":true})",
               anthropic)
        << QStringLiteral("end_turn");
    QTest::newRow("anthropic whole")
        << Dialect::Anthropic
        << SimTest::post(
               "/v1/messages",
               R"({"model":"t-claude","max_tokens":50,"messages":[{"role":"user","content":"Tell me about tea."}]})",
               anthropic)
        << QStringLiteral("end_turn");
    QTest::newRow("gemini stream") << Dialect::Gemini
                                   << SimTest::post("/v1beta/models/t-gemini:streamGenerateContent?alt=sse",
                                                    R"({"contents":[{"parts":[{"text":"Tell me about tea."}]}]})",
                                                    {"x-goog-api-key: k"})
                                   << QStringLiteral("STOP");
    QTest::newRow("ollama stream")
        << Dialect::Ollama
        << SimTest::post("/api/chat",
                         R"({"model":"t-ollama","messages":[{"role":"user","content":"Tell me <about> tea."}]})", {})
        << QStringLiteral("stop");
}

void TestSimDecoders::decodesWhatWasSent()
{
    QFETCH(Dialect, dialect);
    QFETCH(QByteArray, request);
    QFETCH(QString, finish);
    const auto r = SimTest::exchange(m_server.serverPort(), request);
    QVERIFY(r.ok);
    const SimRecord truth = m_server.records().last();
    for (const bool byteByByte : {false, true}) {
        const StreamResult res = decode(dialect, r, byteByByte);
        QCOMPARE(res.outcome, StreamOutcome::Complete);
        QCOMPARE(res.text, truth.text);
        QCOMPARE(res.finishReason, finish);
        QVERIFY(res.usage.has_value());
        QCOMPARE(res.usage->inputTokens.value_or(-1), truth.inputTokens);
        QCOMPARE(res.usage->outputTokens.value_or(-1), truth.outputTokens);
        if (res.usage->reasoningTokens)
            QCOMPARE(*res.usage->reasoningTokens, truth.reasoningTokens);
        QVERIFY(!res.model.isEmpty());
    }
}

void TestSimDecoders::decodesFaults_data()
{
    QTest::addColumn<Dialect>("dialect");
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<StreamOutcome>("outcome");
    QTest::addColumn<int>("httpStatus");
    QTest::addColumn<bool>("streamed");
    auto chat = [](const QByteArray &fault) {
        return SimTest::post("/v1/chat/completions", chatBody("t-chat", true),
                             {"Authorization: Bearer k", "x-sim-fault: " + fault});
    };
    const QByteArray claude =
        R"({"model":"t-claude","max_tokens":50,"messages":[{"role":"user","content":"Tell me about tea."}],"stream":true})";
    QTest::newRow("429") << Dialect::OpenAIChat << chat("rate_limit;retry_after=3") << StreamOutcome::Error << 429
                         << true;
    QTest::newRow("html 502") << Dialect::OpenAIChat << chat("html_502") << StreamOutcome::Error << 502 << true;
    QTest::newRow("openai in-band") << Dialect::OpenAIChat << chat("error_inband;after=3") << StreamOutcome::Error << 0
                                    << true;
    QTest::newRow("json body") << Dialect::OpenAIChat << chat("json_body") << StreamOutcome::Complete << 0 << false;
    QTest::newRow("529") << Dialect::Anthropic
                         << SimTest::post("/v1/messages", claude,
                                          {"x-api-key: k", "anthropic-version: 2023-06-01", "x-sim-fault: 529"})
                         << StreamOutcome::Error << 529 << true;
    QTest::newRow("anthropic in-band") << Dialect::Anthropic
                                       << SimTest::post("/v1/messages", claude,
                                                        {"x-api-key: k", "anthropic-version: 2023-06-01",
                                                         "x-sim-fault: overloaded_inband;after=4"})
                                       << StreamOutcome::Error << 0 << true;
}

void TestSimDecoders::decodesFaults()
{
    QFETCH(Dialect, dialect);
    QFETCH(QByteArray, request);
    QFETCH(StreamOutcome, outcome);
    QFETCH(int, httpStatus);
    QFETCH(bool, streamed);
    const auto r = SimTest::exchange(m_server.serverPort(), request);
    const StreamResult res = decode(dialect, r, false);
    QCOMPARE(res.outcome, outcome);
    if (httpStatus == 0) // an HTTP error body is not a stream either way
        QCOMPARE(res.streamed, streamed);
    if (outcome == StreamOutcome::Error) {
        QVERIFY(res.error.has_value());
        QCOMPARE(res.error->httpStatus, httpStatus);
        QCOMPARE(res.error->inBand, httpStatus == 0);
    }
}

QTEST_GUILESS_MAIN(TestSimDecoders)
#include "tst_simdecoders.moc"
