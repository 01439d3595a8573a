// Tool calls through the simulator: what SimChatRequest reads back from the engine's own
// request bodies, and what the project's decoders read from each encoder's tool-call stream.
#include "tst_simtools.h"

#include "engine/RequestBuilder.h"
#include "sim/SimChatRequest.h"
#include "sim/SimEncoder.h"
#include "stream/StreamDecoder.h"

#include <QTest>

using namespace Slopscope;

Q_DECLARE_METATYPE(Slopscope::Dialect)

namespace {

const QList<ChatToolCall> kCalls = {
    {QString(), QStringLiteral("get_weather"), QStringLiteral(R"({"city":"Paris","unit":"C"})")},
    {QString(), QStringLiteral("lookup"), QStringLiteral(R"({"q":"crème brûlée 🍮","n":2})")}};

StreamResult decode(Dialect dialect, const QByteArray &contentType, const QByteArray &bytes)
{
    auto decoder = makeStreamDecoder(dialect, 200, contentType);
    // Byte by byte: a call's fragments must survive any split.
    for (qsizetype i = 0; i < bytes.size(); ++i)
        decoder->feed(QByteArrayView(bytes).sliced(i, 1));
    decoder->finish();
    return decoder->result();
}

ToolSpec weatherTool()
{
    ToolSpec t;
    t.name = QStringLiteral("get_weather");
    t.description = QStringLiteral("Current weather");
    t.parameters = nlohmann::json::parse(R"({"type":"object","properties":{"city":{"type":"string"}}})");
    return t;
}

} // namespace

void tst_SimTools::encodersRoundTrip_data()
{
    QTest::addColumn<Dialect>("dialect");
    QTest::addColumn<bool>("stream");
    QTest::addColumn<QString>("finish");
    QTest::addColumn<bool>("hasIds");
    QTest::newRow("openai-chat stream") << Dialect::OpenAIChat << true << u"tool_calls"_qs << true;
    QTest::newRow("openai-chat whole") << Dialect::OpenAIChat << false << u"tool_calls"_qs << true;
    QTest::newRow("responses stream") << Dialect::OpenAIResponses << true << u"completed"_qs << true;
    QTest::newRow("responses whole") << Dialect::OpenAIResponses << false << u"completed"_qs << true;
    QTest::newRow("anthropic stream") << Dialect::Anthropic << true << u"tool_use"_qs << true;
    QTest::newRow("anthropic whole") << Dialect::Anthropic << false << u"tool_use"_qs << true;
    QTest::newRow("gemini stream") << Dialect::Gemini << true << u"STOP"_qs << false;
    QTest::newRow("gemini whole") << Dialect::Gemini << false << u"STOP"_qs << false;
    QTest::newRow("ollama stream") << Dialect::Ollama << true << u"stop"_qs << false;
    QTest::newRow("ollama whole") << Dialect::Ollama << false << u"stop"_qs << false;
}

void tst_SimTools::encodersRoundTrip()
{
    QFETCH(Dialect, dialect);
    QFETCH(bool, stream);
    QFETCH(QString, finish);
    QFETCH(bool, hasIds);
    SimEncodeContext ctx;
    ctx.model = QStringLiteral("sim-model");
    ctx.seed = 42;
    ctx.createdSecs = 1'700'000'000;
    ctx.wallStartNs = 1'700'000'000'000'000'000;
    ctx.includeUsage = true;
    ctx.inputTokens = 12;
    ctx.toolCalls = kCalls;
    auto encoder = SimEncoder::create(dialect, ctx);
    SimFinishInfo info;
    info.usage = {12, 3, 0};
    QByteArray bytes;
    QByteArray contentType;
    if (stream) {
        encoder->begin(bytes);
        encoder->answer(bytes, "Checking");
        encoder->answer(bytes, ".");
        encoder->finish(bytes, info);
        contentType = encoder->streamContentType();
    } else {
        const SimHttpResponse r = encoder->wholeBody({}, "Checking.", info);
        bytes = r.body;
        for (const auto &[name, value] : r.headers) {
            if (name.toLower() == "content-type")
                contentType = value;
        }
    }
    const StreamResult result = decode(dialect, contentType, bytes);
    QCOMPARE(result.outcome, StreamOutcome::Complete);
    QCOMPARE(result.text, u"Checking."_qs);
    QCOMPARE(result.finishReason, finish);
    QCOMPARE(result.toolCalls.size(), kCalls.size());
    for (int i = 0; i < kCalls.size(); ++i) {
        QCOMPARE(result.toolCalls[i].name, kCalls[i].name);
        QVERIFY2(nlohmann::json::parse(result.toolCalls[i].arguments.toStdString()) ==
                     nlohmann::json::parse(kCalls[i].arguments.toStdString()),
                 qPrintable(result.toolCalls[i].arguments));
        QCOMPARE(!result.toolCalls[i].id.isEmpty(), hasIds);
    }
    if (hasIds)
        QVERIFY(result.toolCalls[0].id != result.toolCalls[1].id);
    // Streamed arguments are sent as the persona wrote them, byte for byte.
    if (stream && dialect != Dialect::Gemini && dialect != Dialect::Ollama)
        QCOMPARE(result.toolCalls[1].arguments, kCalls[1].arguments);
}

void tst_SimTools::requestRoundTrip_data()
{
    QTest::addColumn<Dialect>("dialect");
    QTest::newRow("openai-chat") << Dialect::OpenAIChat;
    QTest::newRow("responses") << Dialect::OpenAIResponses;
    QTest::newRow("anthropic") << Dialect::Anthropic;
    QTest::newRow("gemini") << Dialect::Gemini;
    QTest::newRow("ollama") << Dialect::Ollama;
}

// The engine's request, read back by the simulator, is the conversation it was built from
// (less what a dialect cannot carry: Gemini and Ollama have no call ids, only Anthropic and
// Gemini mark a failed result).
void tst_SimTools::requestRoundTrip()
{
    QFETCH(Dialect, dialect);
    ChatMessage call{u"assistant"_qs, QString()};
    call.toolCalls = {{u"call_a"_qs, u"get_weather"_qs, QStringLiteral(R"({"city":"Paris"})")},
                      {u"call_b"_qs, u"get_weather"_qs, QStringLiteral(R"({"city":"Rome"})")}};
    ChatMessage ok{u"tool"_qs, QStringLiteral(R"({"temp":21})")};
    ok.toolCallId = u"call_a"_qs;
    ok.toolName = u"get_weather"_qs;
    ChatMessage failed{u"tool"_qs, u"no such city"_qs};
    failed.toolCallId = u"call_b"_qs;
    failed.toolName = u"get_weather"_qs;
    failed.toolError = true;
    ChatRequest request;
    request.id = u"j"_qs;
    request.targetId = u"t"_qs;
    request.model = u"sim-model"_qs;
    request.messages = {
        {u"system"_qs, u"Be brief."_qs}, {u"user"_qs, u"Weather in Paris and Rome?"_qs}, call, ok, failed};
    request.tools = {weatherTool()};
    ProviderConfig provider;
    provider.id = u"p"_qs;
    provider.dialect = dialect;
    provider.baseUrl = u"http://127.0.0.1:1/v1"_qs;
    const auto built = RequestBuilder::build(request, provider, SecretString());
    QVERIFY(built);
    const auto parsed = SimChatRequest::parse(dialect, built.value().body, u"sim-model"_qs, true);
    QVERIFY2(parsed, qPrintable(parsed ? QString() : parsed.error()));
    const SimChatRequest &r = parsed.value();
    QCOMPARE(r.tools, request.tools);
    QCOMPARE(r.prompt, u"Weather in Paris and Rome?"_qs);
    QVERIFY(r.answersToolResult());

    // System text is counted (allText), not kept among the messages.
    QList<ChatMessage> expected = request.messages.mid(1);
    const QList<ChatMessage> &got = r.messages;
    for (auto &m : expected) {
        if (dialect == Dialect::Gemini || dialect == Dialect::Ollama) {
            m.toolCallId.clear();
            for (auto &c : m.toolCalls)
                c.id.clear();
        }
        if (dialect != Dialect::Anthropic && dialect != Dialect::Gemini)
            m.toolError = false;
    }
    QCOMPARE(got, expected);
}

void tst_SimTools::promptIgnoresToolResults()
{
    const QByteArray body =
        R"({"model":"m","max_tokens":10,"messages":[{"role":"user","content":"What is 2+2?"},)"
        R"({"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"calc","input":{"x":"2+2"}}]},)"
        R"({"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"4"}]}]})";
    const auto parsed = SimChatRequest::parse(Dialect::Anthropic, body);
    QVERIFY(parsed);
    QCOMPARE(parsed.value().prompt, u"What is 2+2?"_qs);
    QCOMPARE(parsed.value().messages.last().content, u"4"_qs);
    QCOMPARE(parsed.value().messages.last().toolName, u"calc"_qs);
    QCOMPARE(parsed.value().messages[1].toolCalls.first().arguments, QStringLiteral(R"({"x":"2+2"})"));
    // A malformed call is refused, not crashed on.
    const QByteArray bad =
        R"({"model":"m","messages":[{"role":"assistant","content":"","tool_calls":[{"function":7}]}]})";
    QVERIFY(!SimChatRequest::parse(Dialect::OpenAIChat, bad));
}

QTEST_GUILESS_MAIN(tst_SimTools)
