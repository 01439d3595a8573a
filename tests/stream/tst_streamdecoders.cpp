// Decoder behaviour the recorded fixtures do not show: non-streamed answers, proxies' HTML pages,
// truncation in every dialect, caps, events after the terminal marker, cumulative usage with
// non-zero cache counters, and the order of the deltas.

#include "stream/Utf8.h"
#include "stream/OpenAIChatDecoder.h"
#include "stream/StreamDecoder.h"
#include "stream/WireErrors.h"

#include <QTest>

using namespace Slopscope;

namespace {

struct Decoded
{
    StreamResult result;
    QList<ContentDelta> deltas;
};

Decoded decodeWith(StreamDecoder &decoder, const QByteArray &body, qsizetype piece)
{
    Decoded out;
    for (qsizetype pos = 0; pos < body.size(); pos += piece) {
        decoder.feed(QByteArrayView(body).sliced(pos, qMin(piece, body.size() - pos)));
        out.deltas += decoder.takeDeltas();
    }
    decoder.finish();
    out.deltas += decoder.takeDeltas();
    out.result = decoder.result();
    return out;
}

// Decodes whole and one byte per feed; both must agree on everything checked here.
Decoded decode(Dialect dialect, const QByteArray &body, int status = 200,
               const QByteArray &contentType = "text/event-stream")
{
    auto whole = makeStreamDecoder(dialect, status, contentType);
    Decoded a = decodeWith(*whole, body, qMax<qsizetype>(1, body.size()));
    auto bytewise = makeStreamDecoder(dialect, status, contentType);
    const Decoded b = decodeWith(*bytewise, body, 1);
    if (a.result.text != b.result.text || a.result.outcome != b.result.outcome || a.result.usage != b.result.usage ||
        a.result.eventsDispatched != b.result.eventsDispatched || a.result.keepAlives != b.result.keepAlives)
        QTest::qFail("one byte per feed decodes differently", __FILE__, __LINE__);
    return a;
}

QByteArray sse(std::initializer_list<QByteArray> dataLines)
{
    QByteArray out;
    for (const QByteArray &data : dataLines)
        out += "data: " + data + "\n\n";
    return out;
}

QByteArray named(const QByteArray &event, const QByteArray &data)
{
    return "event: " + event + "\ndata: " + data + "\n\n";
}

} // namespace

class TestStreamDecoders final : public QObject
{
    Q_OBJECT

private slots:
    // Choosing the parser from status and Content-Type.
    void htmlErrorPageFromProxy();
    void htmlPageWithOkStatus();
    void errorExcerptsNeverEndInHalfACharacter();
    void plainTextAndEmptyErrorBodies();
    void errorBodyShapes_data();
    void errorBodyShapes();
    void protobufDurations();
    void contentTypeIsCaseAndParameterInsensitive();
    void missingContentTypeUsesDialectFraming();

    // Non-streamed answers (2xx application/json where a stream was asked for).
    void wholeOpenAIChatCompletion();
    void wholeAnthropicMessage();
    void wholeGeminiArray();
    void wholeResponsesObject();
    void wholeOllamaObject();
    void wholeJsonErrorWithOkStatus();
    void wholeJsonMalformed();

    // Outcomes.
    void truncatedInEveryDialect_data();
    void truncatedInEveryDialect();
    void emptyStreamIsTruncated();
    void eventsAfterDoneIgnored();
    void errorEventWithoutJson();
    void responsesIncompleteAndFailed();
    void geminiBlockedPrompt();
    void feedAfterFinishIgnored();

    // Content and usage.
    void anthropicCumulativeUsageWithCaches();
    void anthropicUnknownEventsIgnored();
    void openAIWithoutUsageIsUnknown();
    void openAICompatibleReasoningAndLegacyUsage();
    void ollamaThinkingAndToolCalls();
    void deltasInArrivalOrder();
    void splitCodePointsAndInvalidBytes();
    void escapedSurrogatePair();

    // Bounds.
    void hugeEventGivesErrorState();
    void responseCapGivesErrorState();
    void oneMebibyteOneBytePerFeed();
};

void TestStreamDecoders::htmlErrorPageFromProxy()
{
    const QByteArray page = "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title><style>p{}</style></head>"
                            "<body><h1>502 Bad Gateway</h1><hr><center>nginx</center></body></html>\n";
    const Decoded d = decode(Dialect::OpenAIChat, page, 502, "text/html");
    QCOMPARE(d.result.outcome, StreamOutcome::Error);
    QVERIFY(d.result.error);
    QCOMPARE(d.result.error->httpStatus, 502);
    QCOMPARE(d.result.error->message, QStringLiteral("502 Bad Gateway"));
    QVERIFY(!d.result.error->inBand);
    QVERIFY(d.deltas.isEmpty());
    // Without a title, the page's text stands in, scripts left out and cut short.
    const QByteArray noTitle =
        "<html><body><script>var x = 1;</script><p>Access " + QByteArray(500, 'x') + "</p></body></html>";
    const Decoded e = decode(Dialect::Anthropic, noTitle, 403, "text/html; charset=utf-8");
    QVERIFY(e.result.error->message.startsWith(QStringLiteral("Access xxx")));
    QCOMPARE(e.result.error->message.size(), 200);
}

void TestStreamDecoders::htmlPageWithOkStatus()
{
    // A captive portal answering 200 with a page (RELIABILITY.md B-6) is not an empty success.
    const Decoded d = decode(Dialect::Gemini, "<html><title>Hotel WiFi login</title></html>", 200, "text/html");
    QCOMPARE(d.result.outcome, StreamOutcome::Error);
    QCOMPARE(d.result.error->type, QStringLiteral("unexpected_content_type"));
    QCOMPARE(d.result.error->message, QStringLiteral("Hotel WiFi login"));
    QCOMPARE(d.result.error->httpStatus, 200);
}

// Found by fuzz_decoder_openai_responses: an error page cut to its excerpt length right inside
// a character outside the BMP (an emoji, two UTF-16 units) left half of it in the message.
void TestStreamDecoders::errorExcerptsNeverEndInHalfACharacter()
{
    const auto whole = [](const QString &text) {
        for (qsizetype i = 0; i < text.size(); ++i) {
            const QChar c = text.at(i);
            if (c.isHighSurrogate() && (i + 1 == text.size() || !text.at(i + 1).isLowSurrogate()))
                return false;
            if (c.isLowSurrogate() && (i == 0 || !text.at(i - 1).isHighSurrogate()))
                return false;
        }
        return true;
    };
    const QString smile = QStringLiteral("\U0001F600");
    QCOMPARE(smile.size(), 2);
    const QString body = QString(199, u'a') + smile + QStringLiteral("tail");
    const ProviderError page = WireErrors::fromBody(
        (QStringLiteral("<html><body>") + body + QStringLiteral("</body></html>")).toUtf8(), 502);
    QVERIFY2(whole(page.message), qPrintable(page.message.right(8)));
    QCOMPARE(page.message, QString(199, u'a'));
    const ProviderError text = WireErrors::fromBody(body.toUtf8(), 500);
    QVERIFY(whole(text.message));
    QCOMPARE(text.message, QString(199, u'a'));

    QCOMPARE(Utf8::leftWhole(body, 200), QString(199, u'a'));
    QCOMPARE(Utf8::leftWhole(body, 201), QString(199, u'a') + smile);
    QCOMPARE(Utf8::leftWhole(body, 199), QString(199, u'a'));
    QCOMPARE(Utf8::leftWhole(body, 10'000), body);
    QCOMPARE(Utf8::leftWhole(smile, 1), QString());
}

void TestStreamDecoders::plainTextAndEmptyErrorBodies()
{
    const Decoded text =
        decode(Dialect::Ollama, "upstream connect error or disconnect/reset before headers\n", 503, "text/plain");
    QCOMPARE(text.result.error->message, QStringLiteral("upstream connect error or disconnect/reset before headers"));
    QCOMPARE(text.result.error->httpStatus, 503);
    const Decoded empty = decode(Dialect::OpenAIResponses, QByteArray(), 500, QByteArray());
    QCOMPARE(empty.result.outcome, StreamOutcome::Error);
    QCOMPARE(empty.result.error->httpStatus, 500);
    QVERIFY(empty.result.error->message.isEmpty());
    QVERIFY(!empty.result.usage);
}

void TestStreamDecoders::errorBodyShapes_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("message");
    QTest::newRow("vllm")
        << QByteArray(
               R"({"object":"error","message":"max_tokens too large","type":"BadRequestError","param":null,"code":400})")
        << QStringLiteral("BadRequestError") << QStringLiteral("400") << QStringLiteral("max_tokens too large");
    QTest::newRow("fastapi") << QByteArray(R"({"detail":"Not Found"})") << QString() << QString()
                             << QStringLiteral("Not Found");
    QTest::newRow("gemini array") << QByteArray(
                                         R"([{"error":{"code":400,"message":"bad","status":"INVALID_ARGUMENT"}}])")
                                  << QStringLiteral("INVALID_ARGUMENT") << QStringLiteral("400")
                                  << QStringLiteral("bad");
    QTest::newRow("code only") << QByteArray(R"({"error":{"code":"model_not_found","message":"no such model"}})")
                               << QStringLiteral("model_not_found") << QStringLiteral("model_not_found")
                               << QStringLiteral("no such model");
}

void TestStreamDecoders::errorBodyShapes()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, type);
    QFETCH(QString, code);
    QFETCH(QString, message);
    const Decoded d = decode(Dialect::OpenAIChat, body, 400, "application/json");
    QCOMPARE(d.result.outcome, StreamOutcome::Error);
    QCOMPARE(d.result.error->type, type);
    QCOMPARE(d.result.error->code, code);
    QCOMPARE(d.result.error->message, message);
}

void TestStreamDecoders::protobufDurations()
{
    QCOMPARE(WireErrors::durationSeconds(u"38s"), std::optional<double>(38.0));
    QCOMPARE(WireErrors::durationSeconds(u"0.5s"), std::optional<double>(0.5));
    QCOMPARE(WireErrors::durationSeconds(u"1.000340s"), std::optional<double>(1.00034));
    QCOMPARE(WireErrors::durationSeconds(u"38"), std::nullopt);
    QCOMPARE(WireErrors::durationSeconds(u"-1s"), std::nullopt);
    QCOMPARE(WireErrors::durationSeconds(u"s"), std::nullopt);
    QCOMPARE(WireErrors::durationSeconds(u"nans"), std::nullopt);
}

void TestStreamDecoders::contentTypeIsCaseAndParameterInsensitive()
{
    const QByteArray body = sse({R"({"choices":[{"index":0,"delta":{"content":"hi"}}]})", "[DONE]"});
    const Decoded d = decode(Dialect::OpenAIChat, body, 200, "Text/Event-Stream ; charset=UTF-8");
    QCOMPARE(d.result.outcome, StreamOutcome::Complete);
    QCOMPARE(d.result.text, QStringLiteral("hi"));
}

void TestStreamDecoders::missingContentTypeUsesDialectFraming()
{
    const Decoded ollama = decode(Dialect::Ollama,
                                  R"({"message":{"content":"a"},"done":true})"
                                  "\n",
                                  200, QByteArray());
    QCOMPARE(ollama.result.outcome, StreamOutcome::Complete);
    QCOMPARE(ollama.result.text, QStringLiteral("a"));
    const Decoded chat =
        decode(Dialect::OpenAIChat, sse({R"({"choices":[{"delta":{"content":"b"}}]})", "[DONE]"}), 200, QByteArray());
    QCOMPARE(chat.result.text, QStringLiteral("b"));
    QVERIFY(chat.result.streamed);
}

void TestStreamDecoders::wholeOpenAIChatCompletion()
{
    const QByteArray body = R"({"id":"chatcmpl-1","object":"chat.completion","model":"gpt-4o-mini-2024-07-18",
        "choices":[{"index":0,"message":{"role":"assistant","content":"Paris.","refusal":null,
        "tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{\"a\":1}"}}]},
        "finish_reason":"stop"}],
        "usage":{"prompt_tokens":10,"completion_tokens":3,"total_tokens":13,
        "prompt_tokens_details":{"cached_tokens":4},"completion_tokens_details":{"reasoning_tokens":1}}})";
    const Decoded d = decode(Dialect::OpenAIChat, body, 200, "application/json");
    QCOMPARE(d.result.outcome, StreamOutcome::Complete);
    QVERIFY(!d.result.streamed);
    QCOMPARE(d.result.text, QStringLiteral("Paris."));
    QCOMPARE(d.result.finishReason, QStringLiteral("stop"));
    QCOMPARE(d.result.model, QStringLiteral("gpt-4o-mini-2024-07-18"));
    QCOMPARE(d.result.toolCalls.size(), 1);
    QCOMPARE(d.result.toolCalls[0].name, QStringLiteral("f"));
    QCOMPARE(d.result.toolCalls[0].arguments, QStringLiteral("{\"a\":1}"));
    QVERIFY(d.result.usage);
    QCOMPARE(d.result.usage->inputTokens, 10);
    QCOMPARE(d.result.usage->outputTokens, 3);
    QCOMPARE(d.result.usage->cachedInputTokens, 4);
    QCOMPARE(d.result.usage->reasoningTokens, 1);
    QCOMPARE(d.result.eventsDispatched, 1);
    QCOMPARE(d.result.firstContentEventIndex, 0);
    QCOMPARE(d.deltas.first().text, QStringLiteral("Paris."));
}

void TestStreamDecoders::wholeAnthropicMessage()
{
    const QByteArray body = R"({"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5",
        "content":[{"type":"thinking","thinking":"hmm","signature":"x"},{"type":"text","text":"Hi"},
                   {"type":"tool_use","id":"toolu_1","name":"get","input":{"q":"x"}}],
        "stop_reason":"tool_use","usage":{"input_tokens":5,"cache_read_input_tokens":100,
        "cache_creation_input_tokens":20,"output_tokens":7}})";
    const Decoded d = decode(Dialect::Anthropic, body, 200, "application/json");
    QCOMPARE(d.result.outcome, StreamOutcome::Complete);
    QCOMPARE(d.result.text, QStringLiteral("Hi"));
    QCOMPARE(d.result.reasoningText, QStringLiteral("hmm"));
    QCOMPARE(d.result.finishReason, QStringLiteral("tool_use"));
    QCOMPARE(d.result.toolCalls.size(), 1);
    QCOMPARE(d.result.toolCalls[0].arguments, QStringLiteral("{\"q\":\"x\"}"));
    QCOMPARE(d.result.usage->inputTokens, 125); // all prompt tokens, cached ones included
    QCOMPARE(d.result.usage->cachedInputTokens, 100);
    QCOMPARE(d.result.usage->cacheCreationInputTokens, 20);
}

void TestStreamDecoders::wholeGeminiArray()
{
    // Without alt=sse Gemini answers with one JSON array of chunks.
    const QByteArray body = R"([{"candidates":[{"content":{"parts":[{"text":"think","thought":true}]}}]},
        {"candidates":[{"content":{"parts":[{"text":"Hello"}]},"finishReason":"STOP"}],
         "usageMetadata":{"promptTokenCount":4,"candidatesTokenCount":2,"thoughtsTokenCount":3,"totalTokenCount":9},
         "modelVersion":"gemini-2.5-flash"}])";
    const Decoded d = decode(Dialect::Gemini, body, 200, "application/json; charset=UTF-8");
    QCOMPARE(d.result.outcome, StreamOutcome::Complete);
    QCOMPARE(d.result.text, QStringLiteral("Hello"));
    QCOMPARE(d.result.reasoningText, QStringLiteral("think"));
    QCOMPARE(d.result.usage->outputTokens, 5); // candidates + thoughts
    QCOMPARE(d.result.usage->reasoningTokens, 3);
    QVERIFY(!d.result.streamed);
}

void TestStreamDecoders::wholeResponsesObject()
{
    const QByteArray body = R"({"id":"resp_1","object":"response","status":"incomplete","model":"gpt-5",
        "incomplete_details":{"reason":"max_output_tokens"},
        "output":[{"type":"reasoning","summary":[{"type":"summary_text","text":"plan"}]},
                  {"type":"message","content":[{"type":"output_text","text":"Partial"}]},
                  {"type":"function_call","call_id":"call_9","name":"f","arguments":"{}"}],
        "usage":{"input_tokens":3,"output_tokens":9,"total_tokens":12,"output_tokens_details":{"reasoning_tokens":6}}})";
    const Decoded d = decode(Dialect::OpenAIResponses, body, 200, "application/json");
    QCOMPARE(d.result.outcome, StreamOutcome::Incomplete);
    QCOMPARE(d.result.finishReason, QStringLiteral("max_output_tokens"));
    QCOMPARE(d.result.text, QStringLiteral("Partial"));
    QCOMPARE(d.result.reasoningText, QStringLiteral("plan"));
    QCOMPARE(d.result.toolCalls.size(), 1);
    QCOMPARE(d.result.toolCalls[0].id, QStringLiteral("call_9"));
    QCOMPARE(d.result.usage->reasoningTokens, 6);
}

void TestStreamDecoders::wholeOllamaObject()
{
    const QByteArray body = R"({"model":"llama3.2","message":{"role":"assistant","content":"Blue."},"done":true,
        "done_reason":"stop","prompt_eval_count":26,"eval_count":3,"eval_duration":30000000})";
    const Decoded d = decode(Dialect::Ollama, body, 200, "application/json; charset=utf-8");
    QCOMPARE(d.result.outcome, StreamOutcome::Complete);
    QCOMPARE(d.result.text, QStringLiteral("Blue."));
    QCOMPARE(d.result.usage->inputTokens, 26);
    QCOMPARE(d.result.serverTokensPerSecond.value_or(0), 100.0);
}

void TestStreamDecoders::wholeJsonErrorWithOkStatus()
{
    const Decoded d = decode(Dialect::OpenAIChat, R"({"error":{"message":"quota","type":"insufficient_quota"}})", 200,
                             "application/json");
    QCOMPARE(d.result.outcome, StreamOutcome::Error);
    QCOMPARE(d.result.error->type, QStringLiteral("insufficient_quota"));
    QVERIFY(d.result.error->inBand);
}

void TestStreamDecoders::wholeJsonMalformed()
{
    const Decoded d =
        decode(Dialect::Anthropic, R"({"id":"msg_1","content":[{"type":"text","te)", 200, "application/json");
    QCOMPARE(d.result.outcome, StreamOutcome::Error);
    QCOMPARE(d.result.error->type, QStringLiteral("malformed_response"));
    QVERIFY(d.result.error->clientSide);
}

void TestStreamDecoders::truncatedInEveryDialect_data()
{
    QTest::addColumn<int>("dialect");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("text");
    // finish_reason without [DONE] is still truncated.
    QTest::newRow("openai-chat") << int(Dialect::OpenAIChat) << QByteArray("text/event-stream")
                                 << sse({R"({"choices":[{"index":0,"delta":{"content":"Hel"}}]})",
                                         R"({"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]})"}) +
                                        "data: [DO"
                                 << QStringLiteral("Hel");
    QTest::newRow("anthropic")
        << int(Dialect::Anthropic) << QByteArray("text/event-stream")
        << named("content_block_delta",
                 R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hel"}})") +
               "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_re"
        << QStringLiteral("Hel");
    QTest::newRow("gemini") << int(Dialect::Gemini) << QByteArray("text/event-stream")
                            << sse({R"({"candidates":[{"content":{"parts":[{"text":"Hel"}]}}]})"})
                            << QStringLiteral("Hel");
    QTest::newRow("responses") << int(Dialect::OpenAIResponses) << QByteArray("text/event-stream")
                               << named("response.output_text.delta",
                                        R"({"type":"response.output_text.delta","delta":"Hel"})")
                               << QStringLiteral("Hel");
    QTest::newRow("ollama") << int(Dialect::Ollama) << QByteArray("application/x-ndjson")
                            << QByteArray(R"({"message":{"content":"Hel"},"done":false})"
                                          "\n{\"message\":{\"cont")
                            << QStringLiteral("Hel");
}

void TestStreamDecoders::truncatedInEveryDialect()
{
    QFETCH(int, dialect);
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, body);
    QFETCH(QString, text);
    const Decoded d = decode(Dialect(dialect), body, 200, contentType);
    QCOMPARE(d.result.outcome, StreamOutcome::Truncated);
    QCOMPARE(d.result.text, text); // partial text kept
    QVERIFY(!d.result.terminalMarkerSeen);
    QVERIFY(!d.result.error);
    QVERIFY(!d.result.usage); // unknown, not 0
}

void TestStreamDecoders::emptyStreamIsTruncated()
{
    const Decoded d = decode(Dialect::OpenAIChat, ": keep-alive\n\n", 200);
    QCOMPARE(d.result.outcome, StreamOutcome::Truncated);
    QCOMPARE(d.result.eventsDispatched, 0);
    QCOMPARE(d.result.keepAlives, 1);
    QCOMPARE(d.result.firstContentEventIndex, -1);
    QVERIFY(d.deltas.isEmpty());
}

void TestStreamDecoders::eventsAfterDoneIgnored()
{
    const QByteArray body =
        ": before\n\n" +
        sse({R"({"choices":[{"index":0,"delta":{"content":"A"}}]})", "[DONE]",
             R"({"choices":[{"index":0,"delta":{"content":"B"}}]})", R"({"error":{"message":"late"}})"}) +
        ": after\n\n";
    const Decoded d = decode(Dialect::OpenAIChat, body);
    QCOMPARE(d.result.keepAlives, 1); // the comment after [DONE] is never read, whatever the reads
    QCOMPARE(d.result.outcome, StreamOutcome::Complete);
    QCOMPARE(d.result.text, QStringLiteral("A"));
    QCOMPARE(d.result.eventsDispatched, 2);
    QVERIFY(!d.result.error);
}

void TestStreamDecoders::errorEventWithoutJson()
{
    const QByteArray body =
        sse({R"({"choices":[{"index":0,"delta":{"content":"A"}}]})"}) + "event: error\ndata: upstream went away\n\n";
    const Decoded d = decode(Dialect::OpenAIChat, body);
    QCOMPARE(d.result.outcome, StreamOutcome::Error);
    QCOMPARE(d.result.error->message, QStringLiteral("upstream went away"));
    QVERIFY(d.result.error->inBand);
    QCOMPARE(d.result.text, QStringLiteral("A"));
}

void TestStreamDecoders::responsesIncompleteAndFailed()
{
    const QByteArray incomplete =
        named("response.output_text.delta", R"({"type":"response.output_text.delta","delta":"Hi"})") +
        named(
            "response.incomplete",
            R"({"type":"response.incomplete","response":{"id":"r","status":"incomplete","incomplete_details":{"reason":"content_filter"},"usage":{"input_tokens":1,"output_tokens":2,"total_tokens":3}}})");
    const Decoded a = decode(Dialect::OpenAIResponses, incomplete);
    QCOMPARE(a.result.outcome, StreamOutcome::Incomplete);
    QCOMPARE(a.result.finishReason, QStringLiteral("content_filter"));
    QVERIFY(a.result.terminalMarkerSeen);
    QCOMPARE(a.result.usage->outputTokens, 2);

    const QByteArray failed = named(
        "response.failed",
        R"({"type":"response.failed","response":{"id":"r","status":"failed","error":{"code":"server_error","message":"boom"}}})");
    const Decoded b = decode(Dialect::OpenAIResponses, failed);
    QCOMPARE(b.result.outcome, StreamOutcome::Error);
    QCOMPARE(b.result.error->code, QStringLiteral("server_error"));
    QCOMPARE(b.result.error->message, QStringLiteral("boom"));
    QVERIFY(b.result.terminalMarkerSeen);
}

void TestStreamDecoders::geminiBlockedPrompt()
{
    const Decoded d = decode(
        Dialect::Gemini,
        sse({R"({"promptFeedback":{"blockReason":"SAFETY"},"usageMetadata":{"promptTokenCount":8,"totalTokenCount":8}})"}));
    QCOMPARE(d.result.outcome, StreamOutcome::Error);
    QCOMPARE(d.result.error->type, QStringLiteral("SAFETY"));
    QCOMPARE(d.result.error->code, QStringLiteral("prompt_blocked"));
    QCOMPARE(d.result.usage->inputTokens, 8);
    QVERIFY(!d.result.usage->outputTokens);
}

void TestStreamDecoders::feedAfterFinishIgnored()
{
    auto decoder = makeStreamDecoder(Dialect::OpenAIChat, 200, "text/event-stream");
    decoder->feed(sse({R"({"choices":[{"index":0,"delta":{"content":"A"}}]})"}));
    decoder->finish();
    decoder->feed(sse({R"({"choices":[{"index":0,"delta":{"content":"B"}}]})", "[DONE]"}));
    decoder->finish();
    QCOMPARE(decoder->result().text, QStringLiteral("A"));
    QCOMPARE(decoder->result().outcome, StreamOutcome::Truncated);
}

void TestStreamDecoders::anthropicCumulativeUsageWithCaches()
{
    const QByteArray body =
        named(
            "message_start",
            R"({"type":"message_start","message":{"id":"msg_1","model":"claude","usage":{"input_tokens":10,"cache_creation_input_tokens":200,"cache_read_input_tokens":3000,"output_tokens":1}}})") +
        named("content_block_start",
              R"({"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}})") +
        named("content_block_delta",
              R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x"}})") +
        named("message_delta",
              R"({"type":"message_delta","delta":{"stop_reason":"max_tokens"},"usage":{"output_tokens":40}})") +
        named(
            "message_delta",
            R"({"type":"message_delta","delta":{},"usage":{"input_tokens":10,"cache_read_input_tokens":3000,"cache_creation_input_tokens":200,"output_tokens":55}})") +
        named("message_stop", R"({"type":"message_stop"})");
    const Decoded d = decode(Dialect::Anthropic, body);
    QCOMPARE(d.result.outcome, StreamOutcome::Complete);
    QCOMPARE(d.result.finishReason, QStringLiteral("max_tokens")); // not undone by a later delta without one
    QCOMPARE(d.result.usage->outputTokens, 55);                    // the last value, never 1 + 40 + 55
    QCOMPARE(d.result.usage->inputTokens, 3210);
    QCOMPARE(d.result.usage->cachedInputTokens, 3000);
    QCOMPARE(d.result.usage->cacheCreationInputTokens, 200);
}

void TestStreamDecoders::anthropicUnknownEventsIgnored()
{
    const QByteArray body =
        named("content_block_start",
              R"({"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}})") +
        named("future_event", R"({"type":"future_event","stuff":[1,2,3]})") +
        named("content_block_delta",
              R"({"type":"content_block_delta","index":0,"delta":{"type":"future_delta","x":"y"}})") +
        named("content_block_delta",
              R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"ok"}})") +
        named("message_stop", R"({"type":"message_stop"})");
    const Decoded d = decode(Dialect::Anthropic, body);
    QCOMPARE(d.result.outcome, StreamOutcome::Complete);
    QCOMPARE(d.result.text, QStringLiteral("ok"));
    QCOMPARE(d.result.eventsDispatched, 5);
    QCOMPARE(d.result.firstContentEventIndex, 3);
}

void TestStreamDecoders::openAIWithoutUsageIsUnknown()
{
    const QByteArray body =
        sse({R"({"id":"c","choices":[{"index":0,"delta":{"role":"assistant","content":""}}],"usage":null})",
             R"({"id":"c","choices":[{"index":0,"delta":{"content":"A"}}],"usage":null})",
             R"({"id":"c","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":null})", "[DONE]"});
    const Decoded d = decode(Dialect::OpenAIChat, body);
    QCOMPARE(d.result.outcome, StreamOutcome::Complete);
    QVERIFY(!d.result.usage);
    QCOMPARE(d.result.firstContentEventIndex, 1);
}

void TestStreamDecoders::openAICompatibleReasoningAndLegacyUsage()
{
    // llama.cpp/vLLM reasoning_content; an older llama-server puts usage and timings on the finish chunk.
    const QByteArray body = sse(
        {R"({"choices":[{"index":0,"delta":{"reasoning_content":"Let me see."}}]})",
         R"({"choices":[{"index":0,"delta":{"content":"42"}}]})",
         R"({"choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":6,"total_tokens":11},"timings":{"predicted_per_second":77.5}})",
         "[DONE]"});
    const Decoded d = decode(Dialect::OpenAIChat, body);
    QCOMPARE(d.result.reasoningText, QStringLiteral("Let me see."));
    QCOMPARE(d.result.text, QStringLiteral("42"));
    QCOMPARE(d.result.usage->outputTokens, 6);
    QCOMPARE(d.result.serverTokensPerSecond, std::optional<double>(77.5));
    QCOMPARE(d.result.firstContentEventIndex, 1); // reasoning is not the first content event
}

void TestStreamDecoders::ollamaThinkingAndToolCalls()
{
    const QByteArray body =
        R"({"model":"qwen3","message":{"role":"assistant","content":"","thinking":"Weather?"},"done":false})"
        "\n"
        R"({"model":"qwen3","message":{"role":"assistant","content":"","tool_calls":[{"function":{"name":"get_weather","arguments":{"city":"Paris"}}}]},"done":false})"
        "\n\n"
        R"({"model":"qwen3","message":{"role":"assistant","content":""},"done":true,"done_reason":"stop","eval_count":9})";
    const Decoded d = decode(Dialect::Ollama, body, 200, "application/x-ndjson");
    QCOMPARE(d.result.outcome, StreamOutcome::Complete); // the unterminated last line is parsed
    QCOMPARE(d.result.reasoningText, QStringLiteral("Weather?"));
    QCOMPARE(d.result.toolCalls.size(), 1);
    QCOMPARE(d.result.toolCalls[0].name, QStringLiteral("get_weather"));
    QCOMPARE(d.result.toolCalls[0].arguments, QStringLiteral("{\"city\":\"Paris\"}"));
    QCOMPARE(d.result.eventsDispatched, 3);
    QVERIFY(!d.result.usage->inputTokens);
    QCOMPARE(d.result.usage->outputTokens, 9);
}

void TestStreamDecoders::deltasInArrivalOrder()
{
    const QByteArray body = sse(
        {R"({"choices":[{"index":0,"delta":{"reasoning":"r1"}}]})",
         R"({"choices":[{"index":0,"delta":{"content":"a1"}}]})",
         R"({"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"c0","function":{"name":"f","arguments":""}}]}}]})",
         R"({"choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"c1","function":{"name":"g","arguments":"{"}}]}}]})",
         R"({"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"[]"}}]}}]})",
         R"({"choices":[{"index":0,"delta":{"refusal":"no"}}]})", "[DONE]"});
    const Decoded d = decode(Dialect::OpenAIChat, body);
    QCOMPARE(d.deltas.size(), 7);
    const QList<ContentKind> kinds{ContentKind::Reasoning, ContentKind::Answer,   ContentKind::ToolCall,
                                   ContentKind::ToolCall,  ContentKind::ToolCall, ContentKind::ToolCall,
                                   ContentKind::Refusal};
    const QStringList texts{QStringLiteral("r1"), QStringLiteral("a1"), QString(),           QString(),
                            QStringLiteral("{"),  QStringLiteral("[]"), QStringLiteral("no")};
    const QList<int> tools{-1, -1, 0, 1, 1, 0, -1};
    for (int i = 0; i < 7; ++i) {
        QCOMPARE(d.deltas[i].kind, kinds[i]);
        QCOMPARE(d.deltas[i].text, texts[i]);
        QCOMPARE(d.deltas[i].toolCallIndex, tools[i]);
    }
    QCOMPARE(d.result.toolCalls[0].arguments, QStringLiteral("[]"));
    QCOMPARE(d.result.toolCalls[1].name, QStringLiteral("g"));
}

void TestStreamDecoders::splitCodePointsAndInvalidBytes()
{
    // A 4-byte emoji and CJK split at every byte by the one-byte run in decode(); an invalid byte
    // becomes U+FFFD and the stream goes on (RELIABILITY.md B-8).
    const QByteArray body =
        sse({"{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\xF0\x9F\x8C\x8D \xE6\x9D\xB1\"}}]}",
             "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\xFF"
             "b\"}}]}",
             "[DONE]"});
    const Decoded d = decode(Dialect::OpenAIChat, body);
    QCOMPARE(d.result.outcome, StreamOutcome::Complete);
    QCOMPARE(d.result.text, QStringLiteral("\U0001F30D \u6771a\uFFFDb"));
}

void TestStreamDecoders::escapedSurrogatePair()
{
    const QByteArray body = sse({R"({"choices":[{"index":0,"delta":{"content":"\ud83c\udf0d!"}}]})", "[DONE]"});
    const Decoded d = decode(Dialect::OpenAIChat, body);
    QCOMPARE(d.result.text, QStringLiteral("\U0001F30D!"));
}

void TestStreamDecoders::hugeEventGivesErrorState()
{
    // Through the factory's defaults: one 9 MiB data line exceeds the 8 MiB per-event cap.
    auto decoder = makeStreamDecoder(Dialect::OpenAIChat, 200, "text/event-stream");
    decoder->feed(sse({R"({"choices":[{"index":0,"delta":{"content":"ok"}}]})"}));
    decoder->feed("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"");
    const QByteArray chunk(64 * 1024, 'x');
    for (int i = 0; i < 9 * 16 && decoder->result().outcome == StreamOutcome::Pending; ++i)
        decoder->feed(chunk);
    QCOMPARE(decoder->result().outcome, StreamOutcome::Error);
    QVERIFY(decoder->result().error->clientSide);
    QCOMPARE(decoder->result().error->type, QStringLiteral("event_too_large"));
    decoder->feed("\"}}]}\n\ndata: [DONE]\n\n");
    decoder->finish();
    QCOMPARE(decoder->result().outcome, StreamOutcome::Error);
    QCOMPARE(decoder->result().text, QStringLiteral("ok"));
}

void TestStreamDecoders::responseCapGivesErrorState()
{
    OpenAIChatDecoder decoder(DecoderBase::Framing::Sse, 1024, 4096);
    const QByteArray event = sse({R"({"choices":[{"index":0,"delta":{"content":"0123456789"}}]})"});
    for (int i = 0; i < 100; ++i)
        decoder.feed(event);
    decoder.finish();
    QCOMPARE(decoder.result().outcome, StreamOutcome::Error);
    QCOMPARE(decoder.result().error->type, QStringLiteral("response_too_large"));
    QVERIFY(decoder.result().text.size() < 1000);
    // The whole-JSON framing has the same bound.
    OpenAIChatDecoder whole(DecoderBase::Framing::WholeJson, 1024, 4096);
    whole.feed(QByteArray(5000, ' '));
    whole.finish();
    QCOMPARE(whole.result().error->type, QStringLiteral("response_too_large"));
}

void TestStreamDecoders::oneMebibyteOneBytePerFeed()
{
    // Correctness only (no timing): 1 MiB of chat chunks fed one byte at a time.
    QByteArray body;
    QString expected;
    for (int i = 0; body.size() < (1 << 20); ++i) {
        const QByteArray piece = "tok" + QByteArray::number(i) + ' ';
        body += "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + piece + "\"}}]}\n\n";
        expected += QString::fromUtf8(piece);
    }
    body += "data: [DONE]\n\n";
    auto decoder = makeStreamDecoder(Dialect::OpenAIChat, 200, "text/event-stream");
    QString streamed;
    for (qsizetype i = 0; i < body.size(); ++i) {
        decoder->feed(QByteArrayView(body).sliced(i, 1));
        const QList<ContentDelta> deltas = decoder->takeDeltas();
        for (const ContentDelta &delta : deltas)
            streamed += delta.text;
    }
    decoder->finish();
    QCOMPARE(decoder->result().outcome, StreamOutcome::Complete);
    QCOMPARE(decoder->result().text, expected);
    QCOMPARE(streamed, expected);
}

QTEST_GUILESS_MAIN(TestStreamDecoders)
#include "tst_streamdecoders.moc"
