// What thinking models need back after a tool call, from the wire to the next request: Gemini's
// thoughtSignature on its functionCall part and Anthropic's thinking / redacted_thinking blocks
// before the tool_use blocks. Decoded from recorded streams (tests/data/wire, see SOURCES.md
// there) and from real-shaped ones built here, carried by assistantTurnFrom and encoded by the
// request builder; the dialects without such data round-trip their calls unchanged.
#include "engine/AssistantTurn.h"
#include "engine/DialectMessages.h"
#include "engine/RequestBuilder.h"
#include "stream/StreamDecoder.h"

#include <QFile>
#include <QTest>

#include <nlohmann/json.hpp>

using namespace Slopscope;

namespace {

using ojson = nlohmann::ordered_json;

QByteArray fixture(const char *path)
{
    QFile f(QStringLiteral(SLOPSCOPE_TEST_DATA "/wire/") + QString::fromUtf8(path));
    if (!f.open(QIODevice::ReadOnly))
        qWarning("cannot read %s", path);
    return f.readAll();
}

StreamResult decode(Dialect dialect, const QByteArray &bytes, const QByteArray &contentType = "text/event-stream")
{
    auto decoder = makeStreamDecoder(dialect, 200, contentType);
    decoder->feed(bytes);
    decoder->finish();
    return decoder->result();
}

// Every `data:` payload of an SSE body, parsed.
QList<ojson> events(const QByteArray &sse)
{
    QList<ojson> out;
    for (QByteArray line : sse.split('\n')) {
        line = line.trimmed();
        if (line.startsWith("data:"))
            out.append(ojson::parse(line.mid(5).trimmed().toStdString(), nullptr, false));
    }
    return out;
}

QByteArray sse(const QList<QByteArray> &namedEvents)
{
    QByteArray out;
    for (const QByteArray &e : namedEvents) {
        const ojson parsed = ojson::parse(e.toStdString());
        out += "event: " + QByteArray::fromStdString(parsed.at("type").get<std::string>()) + "\ndata: " + e + "\n\n";
    }
    return out;
}

// Anthropic with extended thinking calling a tool, in the shapes of the recorded stream
// anthropic/04 (thinking deltas, one signature_delta before the block stops) and the SDK's
// tool_use recording anthropic/02; the redacted_thinking block arrives whole, as documented.
const QByteArray kAnthropicThinkingTool = sse({
    R"({"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"usage":{"input_tokens":50,"output_tokens":1}}})",
    R"({"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}})",
    R"({"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"The user wants "}})",
    R"({"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"the weather."}})",
    R"({"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"EqQBCgIYAhIM1gbcDa9GJwZA2b3h"}})",
    R"({"type":"content_block_stop","index":0})",
    R"({"type":"content_block_start","index":1,"content_block":{"type":"redacted_thinking","data":"EmwKAhgBEgy3va3pzix/LafPsn4a"}})",
    R"({"type":"content_block_stop","index":1})",
    R"({"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_01","name":"get_weather","input":{}}})",
    R"({"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":""}})",
    R"({"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"{\"city\": \"Paris\"}"}})",
    R"({"type":"content_block_stop","index":2})",
    R"({"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":40}})",
    R"({"type":"message_stop"})",
});

ProviderConfig provider(Dialect dialect)
{
    ProviderConfig p;
    p.id = QStringLiteral("p");
    p.dialect = dialect;
    p.baseUrl = QStringLiteral("https://example.com/v1");
    return p;
}

// The next request after `answer`: the question, the assistant turn decoded from it, and a
// result for its first call; returns the request body.
ojson nextRequest(Dialect dialect, const StreamResult &answer)
{
    ChatRequest r;
    r.id = QStringLiteral("job");
    r.targetId = QStringLiteral("t");
    r.providerId = QStringLiteral("p");
    r.model = QStringLiteral("m-1");
    ToolSpec tool;
    tool.name = answer.toolCalls.value(0).name;
    r.tools = {tool};
    const ChatMessage turn = assistantTurnFrom(answer);
    ChatMessage result{QStringLiteral("tool"), QStringLiteral("{\"ok\":true}")};
    result.toolCallId = turn.toolCalls.value(0).id;
    result.toolName = turn.toolCalls.value(0).name;
    r.messages = {ChatMessage{QStringLiteral("user"), QStringLiteral("Go.")}, turn, result};
    const auto built = RequestBuilder::build(r, provider(dialect), SecretString(QStringLiteral("k")));
    if (!built) {
        qWarning("%s", qPrintable(built.error()));
        return {};
    }
    return ojson::parse(built.value().body.toStdString());
}

} // namespace

class TestThinkingRoundTrip final : public QObject
{
    Q_OBJECT

private slots:
    // Recorded: Gemini 3's call carries its thoughtSignature, kept byte for byte.
    void geminiSignatureDecoded()
    {
        const QByteArray bytes = fixture("gemini/03_function_call_thought_signature.sse");
        std::string expected;
        for (const ojson &e : events(bytes)) {
            for (const auto &part : e["candidates"][0]["content"].value("parts", ojson::array())) {
                if (part.contains("thoughtSignature"))
                    expected = part.at("thoughtSignature").get<std::string>();
            }
        }
        QVERIFY(expected.size() > 100);
        const StreamResult r = decode(Dialect::Gemini, bytes);
        QCOMPARE(r.outcome, StreamOutcome::Complete);
        QCOMPARE(r.toolCalls.size(), 1);
        QCOMPARE(r.toolCalls[0].name, u"get_country"_qs);
        QCOMPARE(r.toolCalls[0].thoughtSignature, QString::fromStdString(expected));
        // Split a byte at a time, the same.
        auto decoder = makeStreamDecoder(Dialect::Gemini, 200, "text/event-stream");
        for (char c : bytes)
            decoder->feed(QByteArray(1, c));
        decoder->finish();
        QCOMPARE(decoder->result().toolCalls.value(0).thoughtSignature, QString::fromStdString(expected));
    }

    // The same from a whole (non-streamed) body; a call without one keeps none.
    void geminiSignatureInWholeBody()
    {
        const QByteArray body =
            R"({"candidates":[{"content":{"role":"model","parts":[{"functionCall":{"name":"a","args":{}},"thoughtSignature":"c2ln"},{"functionCall":{"name":"b","args":{}}}]},"finishReason":"STOP"}]})";
        const StreamResult r = decode(Dialect::Gemini, body, "application/json");
        QCOMPARE(r.toolCalls.size(), 2);
        QCOMPARE(r.toolCalls[0].thoughtSignature, u"c2ln"_qs);
        QVERIFY(r.toolCalls[1].thoughtSignature.isEmpty());
    }

    // Recorded: Anthropic's thinking block with its text and the one signature_delta.
    void anthropicThinkingDecoded()
    {
        const QByteArray bytes = fixture("anthropic/04_thinking_signature_real.sse");
        QString signature;
        for (const ojson &e : events(bytes)) {
            if (e.value("type", "") == "content_block_delta" && e["delta"].value("type", "") == "signature_delta")
                signature += QString::fromStdString(e["delta"]["signature"].get<std::string>());
        }
        QVERIFY(signature.size() > 100);
        const StreamResult r = decode(Dialect::Anthropic, bytes);
        QCOMPARE(r.outcome, StreamOutcome::Complete);
        QCOMPARE(r.thinkingBlocks.size(), 1);
        QVERIFY(!r.thinkingBlocks[0].redacted);
        QCOMPARE(r.thinkingBlocks[0].thinking, r.reasoningText);
        QVERIFY(!r.reasoningText.isEmpty());
        QCOMPARE(r.thinkingBlocks[0].signature, signature);
    }

    void anthropicRedactedAndToolUse()
    {
        const StreamResult r = decode(Dialect::Anthropic, kAnthropicThinkingTool);
        QCOMPARE(r.outcome, StreamOutcome::Complete);
        QCOMPARE(r.thinkingBlocks.size(), 2);
        QCOMPARE(r.thinkingBlocks[0],
                 (ThinkingBlock{u"The user wants the weather."_qs, u"EqQBCgIYAhIM1gbcDa9GJwZA2b3h"_qs}));
        QCOMPARE(r.thinkingBlocks[1], (ThinkingBlock{QString(), QString(), u"EmwKAhgBEgy3va3pzix/LafPsn4a"_qs, true}));
        QCOMPARE(r.toolCalls.size(), 1);
        QCOMPARE(r.toolCalls[0].arguments, u"{\"city\": \"Paris\"}"_qs);
        // The redacted block adds nothing readable.
        QCOMPARE(r.reasoningText, u"The user wants the weather."_qs);
    }

    // A whole Anthropic message keeps its blocks too.
    void anthropicWholeBody()
    {
        const QByteArray body =
            R"({"id":"msg_1","type":"message","role":"assistant","model":"m","content":[{"type":"thinking","thinking":"Hmm.","signature":"c2ln"},{"type":"redacted_thinking","data":"ZGF0YQ=="},{"type":"tool_use","id":"toolu_1","name":"f","input":{}}],"stop_reason":"tool_use","usage":{"input_tokens":1,"output_tokens":2}})";
        const StreamResult r = decode(Dialect::Anthropic, body, "application/json");
        QCOMPARE(r.thinkingBlocks.size(), 2);
        QCOMPARE(r.thinkingBlocks[0], (ThinkingBlock{u"Hmm."_qs, u"c2ln"_qs}));
        QCOMPARE(r.thinkingBlocks[1].redactedData, u"ZGF0YQ=="_qs);
    }

    void geminiRoundTrip()
    {
        const StreamResult answer = decode(Dialect::Gemini, fixture("gemini/03_function_call_thought_signature.sse"));
        const ojson body = nextRequest(Dialect::Gemini, answer);
        const ojson &model = body["contents"][1];
        QCOMPARE(QString::fromStdString(model["role"].get<std::string>()), u"model"_qs);
        const ojson expected = {{"functionCall", {{"name", "get_country"}, {"args", ojson::object()}}},
                                {"thoughtSignature", answer.toolCalls[0].thoughtSignature.toStdString()}};
        QCOMPARE(QString::fromStdString(model["parts"].dump()),
                 QString::fromStdString(ojson::array({expected}).dump()));
    }

    void anthropicRoundTrip()
    {
        const ojson body = nextRequest(Dialect::Anthropic, decode(Dialect::Anthropic, kAnthropicThinkingTool));
        QCOMPARE(QString::fromStdString(body["messages"][1].dump()),
                 QString::fromUtf8(
                     R"({"role":"assistant","content":[{"type":"thinking","thinking":"The user wants the weather.","signature":"EqQBCgIYAhIM1gbcDa9GJwZA2b3h"},)"
                     R"({"type":"redacted_thinking","data":"EmwKAhgBEgy3va3pzix/LafPsn4a"},)"
                     R"({"type":"tool_use","id":"toolu_01","name":"get_weather","input":{"city":"Paris"}}]})"));
        QCOMPARE(QString::fromStdString(body["messages"][2]["content"][0]["tool_use_id"].get<std::string>()),
                 u"toolu_01"_qs);
    }

    // Recorded (gpt-5, include reasoning.encrypted_content): the reasoning item is kept with the
    // encrypted_content of its output_item.done, which replaces the one .added announced.
    void responsesReasoningItemDecoded()
    {
        const QByteArray bytes = fixture("openai-responses/02_reasoning_function_call_gpt5.sse");
        std::string id;
        std::string sealed;
        for (const ojson &e : events(bytes)) {
            if (e.value("type", "") == "response.output_item.done" && e["item"].value("type", "") == "reasoning") {
                id = e["item"]["id"].get<std::string>();
                sealed = e["item"]["encrypted_content"].get<std::string>();
            }
        }
        QVERIFY(sealed.size() > 1000);
        const StreamResult r = decode(Dialect::OpenAIResponses, bytes);
        QCOMPARE(r.outcome, StreamOutcome::Complete);
        QCOMPARE(r.reasoningItems.size(), 1);
        QCOMPARE(r.reasoningItems[0],
                 (ReasoningItem{QString::fromStdString(id), QString::fromStdString(sealed), QStringList()}));
        // A byte at a time, the same.
        auto decoder = makeStreamDecoder(Dialect::OpenAIResponses, 200, "text/event-stream");
        for (char c : bytes)
            decoder->feed(QByteArray(1, c));
        decoder->finish();
        QCOMPARE(decoder->result().reasoningItems, r.reasoningItems);
    }

    // A whole Response body keeps its sealed items with their summaries; an item without
    // encrypted_content cannot go back under store:false and is not kept.
    void responsesReasoningItemInWholeBody()
    {
        const QByteArray body =
            R"({"id":"resp_1","object":"response","status":"completed","model":"o3","output":[)"
            R"({"id":"rs_1","type":"reasoning","encrypted_content":"gAAAAABc2VhbGVk","summary":[{"type":"summary_text","text":"First."},{"type":"summary_text","text":"Second."}]},)"
            R"({"id":"rs_2","type":"reasoning","summary":[]},)"
            R"({"id":"fc_1","type":"function_call","call_id":"call_1","name":"f","arguments":"{}"}],"usage":{"input_tokens":1,"output_tokens":2}})";
        const StreamResult r = decode(Dialect::OpenAIResponses, body, "application/json");
        QCOMPARE(r.reasoningItems.size(), 1);
        QCOMPARE(r.reasoningItems[0],
                 (ReasoningItem{u"rs_1"_qs, u"gAAAAABc2VhbGVk"_qs, QStringList{u"First."_qs, u"Second."_qs}}));
        QCOMPARE(r.reasoningText, u"First.Second."_qs);
    }

    // The item goes back first, byte for byte, then the call and its output.
    void responsesRoundTrip()
    {
        const StreamResult answer =
            decode(Dialect::OpenAIResponses, fixture("openai-responses/02_reasoning_function_call_gpt5.sse"));
        const ojson body = nextRequest(Dialect::OpenAIResponses, answer);
        const ojson expected = {{"type", "reasoning"},
                                {"id", answer.reasoningItems[0].id.toStdString()},
                                {"summary", ojson::array()},
                                {"encrypted_content", answer.reasoningItems[0].encryptedContent.toStdString()}};
        QCOMPARE(QString::fromStdString(body["input"][1].dump()), QString::fromStdString(expected.dump()));
        QCOMPARE(QString::fromStdString(body["input"][2]["type"].get<std::string>()), u"function_call"_qs);
        QCOMPARE(QString::fromStdString(body["input"][3]["type"].get<std::string>()), u"function_call_output"_qs);

        // With a summary and a text answer: summary parts typed, the item before the message.
        ChatMessage turn{u"assistant"_qs, u"Done."_qs};
        turn.reasoningItems = {ChatReasoningItem{u"rs_9"_qs, u"c2Vh"_qs, {u"Why."_qs}}};
        const ojson input = ojson::parse(
            DialectMessages::messages(Dialect::OpenAIResponses, {ChatMessage{u"user"_qs, u"Q"_qs}, turn}).dump());
        QCOMPARE(QString::fromStdString(input.dump()),
                 QString::fromUtf8(R"([{"role":"user","content":"Q"},)"
                                   R"({"type":"reasoning","id":"rs_9","summary":[{"type":"summary_text","text":"Why."}],"encrypted_content":"c2Vh"},)"
                                   R"({"role":"assistant","content":"Done."}])"));
    }

    // Sealed reasoning is asked for where the model reasons: effort set, or an OpenAI reasoning
    // family by name; never for a model that does not reason (OpenAI rejects the include there).
    void responsesIncludeAsked_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("effort");
        QTest::addColumn<bool>("asked");
        QTest::newRow("o3 by name") << u"o3"_qs << QString() << true;
        QTest::newRow("gpt-5 routed") << u"openai/gpt-5-mini"_qs << QString() << true;
        QTest::newRow("gpt-5-chat") << u"gpt-5-chat-latest"_qs << QString() << false;
        QTest::newRow("gpt-4o") << u"gpt-4o"_qs << QString() << false;
        QTest::newRow("effort set") << u"my-model"_qs << u"low"_qs << true;
        QTest::newRow("effort none") << u"gpt-5.1"_qs << u"none"_qs << false;
    }
    void responsesIncludeAsked()
    {
        QFETCH(QString, model);
        QFETCH(QString, effort);
        QFETCH(bool, asked);
        ChatRequest r;
        r.id = u"job"_qs;
        r.targetId = u"t"_qs;
        r.providerId = u"p"_qs;
        r.model = model;
        r.params.reasoningEffort = effort;
        r.messages = {ChatMessage{u"user"_qs, u"Go."_qs}};
        const auto built = RequestBuilder::build(r, provider(Dialect::OpenAIResponses), SecretString(u"k"_qs));
        QVERIFY(built);
        const ojson body = ojson::parse(built.value().body.toStdString());
        QCOMPARE(body.contains("include"), asked);
        if (asked)
            QCOMPARE(QString::fromStdString(body["include"].dump()), u"[\"reasoning.encrypted_content\"]"_qs);
        // Chat Completions has no such items: never asked there.
        const auto chat = RequestBuilder::build(r, provider(Dialect::OpenAIChat), SecretString(u"k"_qs));
        QVERIFY(!ojson::parse(chat.value().body.toStdString()).contains("include"));
    }

    // The other dialects have no such data: the call goes back as decoded, with nothing added
    // (Responses: besides its reasoning item).
    void otherDialectsRoundTrip()
    {
        const StreamResult chat = decode(Dialect::OpenAIChat, fixture("openai-chat/04_tool_calls.sse"));
        QVERIFY(!chat.toolCalls.isEmpty());
        const ojson chatBody = nextRequest(Dialect::OpenAIChat, chat);
        const ojson &call = chatBody["messages"][1]["tool_calls"][0];
        QCOMPARE(QString::fromStdString(call["id"].get<std::string>()), chat.toolCalls[0].id);
        QCOMPARE(QString::fromStdString(call["function"]["arguments"].get<std::string>()), chat.toolCalls[0].arguments);
        QCOMPARE(call.size(), std::size_t(3)); // id, type, function

        const StreamResult responses =
            decode(Dialect::OpenAIResponses, fixture("openai-responses/02_reasoning_function_call_gpt5.sse"));
        QVERIFY(!responses.toolCalls.isEmpty());
        const ojson responsesBody = nextRequest(Dialect::OpenAIResponses, responses);
        const ojson &item = responsesBody["input"][2]; // after its reasoning item (responsesRoundTrip)
        QCOMPARE(QString::fromStdString(item["type"].get<std::string>()), u"function_call"_qs);
        QCOMPARE(QString::fromStdString(item["call_id"].get<std::string>()), responses.toolCalls[0].id);
        QCOMPARE(QString::fromStdString(item["name"].get<std::string>()), responses.toolCalls[0].name);

        const QByteArray ollamaLines =
            R"({"model":"m","created_at":"2025-01-01T00:00:00Z","message":{"role":"assistant","content":"","tool_calls":[{"function":{"name":"get_weather","arguments":{"city":"Paris"}}}]},"done":false})"
            "\n"
            R"({"model":"m","created_at":"2025-01-01T00:00:01Z","message":{"role":"assistant","content":""},"done":true,"done_reason":"stop"})"
            "\n";
        const StreamResult ollama = decode(Dialect::Ollama, ollamaLines, "application/x-ndjson");
        QCOMPARE(ollama.toolCalls.size(), 1);
        const ojson ollamaBody = nextRequest(Dialect::Ollama, ollama);
        QCOMPARE(QString::fromStdString(ollamaBody["messages"][1].dump()),
                 QString::fromUtf8(
                     R"({"role":"assistant","content":"","tool_calls":[{"function":{"name":"get_weather","arguments":{"city":"Paris"}}}]})"));
    }
};

QTEST_GUILESS_MAIN(TestThinkingRoundTrip)
#include "tst_thinkingroundtrip.moc"
