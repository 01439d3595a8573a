// Hostile and odd input through every dialect's decoder (RELIABILITY.md B-8, B-10, B-11, B-12):
// surrogate pairs split across reads and across events, empty `data:` lines and unknown events,
// Gemini's safety blocks, Ollama's NDJSON splits, deep nesting and huge objects.

#include "stream/StreamDecoder.h"

#include <QTest>

using namespace Slopscope;

namespace {

// One dialect's way of carrying a piece of answer text, and of ending the stream cleanly.
struct DialectWire
{
    Dialect dialect;
    QByteArray contentType;
    QByteArray (*content)(const QByteArray &jsonText); // jsonText is already JSON-escaped
    QByteArray end;
};

QByteArray chatContent(const QByteArray &t)
{
    return R"(data: {"choices":[{"index":0,"delta":{"content":")" + t + "\"}}]}\n\n";
}
QByteArray responsesContent(const QByteArray &t)
{
    return "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"delta\":\"" + t +
           "\"}\n\n";
}
QByteArray anthropicContent(const QByteArray &t)
{
    return "event: content_block_delta\ndata: "
           R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":")" +
           t + "\"}}\n\n";
}
QByteArray geminiContent(const QByteArray &t)
{
    return R"(data: {"candidates":[{"content":{"parts":[{"text":")" + t + "\"}]}}]}\n\n";
}
QByteArray ollamaContent(const QByteArray &t)
{
    return R"({"model":"m","message":{"role":"assistant","content":")" + t + "\"},\"done\":false}\n";
}

QList<DialectWire> allDialects()
{
    return {
        {Dialect::OpenAIChat, "text/event-stream", chatContent, "data: [DONE]\n\n"},
        {Dialect::OpenAIResponses, "text/event-stream", responsesContent,
         "event: response.completed\ndata: "
         R"({"type":"response.completed","response":{"status":"completed","usage":{"input_tokens":3,"output_tokens":2}}})"
         "\n\n"},
        {Dialect::Anthropic, "text/event-stream", anthropicContent,
         "event: message_delta\ndata: "
         R"({"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":2}})"
         "\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"},
        {Dialect::Gemini, "text/event-stream", geminiContent,
         R"(data: {"candidates":[{"content":{"parts":[]},"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":3,"candidatesTokenCount":2}})"
         "\n\n"},
        {Dialect::Ollama, "application/x-ndjson", ollamaContent,
         R"({"model":"m","message":{"role":"assistant","content":""},"done":true,"done_reason":"stop","prompt_eval_count":3,"eval_count":2})"
         "\n"},
    };
}

// Rows named after the dialect, carrying the index into allDialects().
void addDialectRows()
{
    QTest::addColumn<int>("wire");
    const QList<DialectWire> wires = allDialects();
    for (int i = 0; i < wires.size(); ++i)
        QTest::newRow(qPrintable(dialectName(wires[i].dialect))) << i;
}

StreamResult decodePieces(const DialectWire &wire, const QList<QByteArray> &pieces, QString *streamed = nullptr)
{
    auto decoder = makeStreamDecoder(wire.dialect, 200, wire.contentType);
    for (const QByteArray &piece : pieces) {
        decoder->feed(piece);
        for (const ContentDelta &d : decoder->takeDeltas()) {
            if (streamed && d.kind == ContentKind::Answer)
                *streamed += d.text;
        }
    }
    decoder->finish();
    for (const ContentDelta &d : decoder->takeDeltas()) {
        if (streamed && d.kind == ContentKind::Answer)
            *streamed += d.text;
    }
    return decoder->result();
}

bool hasLoneSurrogate(const QString &text)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text[i].isHighSurrogate() && (i + 1 == text.size() || !text[i + 1].isLowSurrogate()))
            return true;
        if (text[i].isLowSurrogate() && (i == 0 || !text[i - 1].isHighSurrogate()))
            return true;
    }
    return false;
}

} // namespace

class TestBadInputDecoders final : public QObject
{
    Q_OBJECT

private slots:
    // B-8
    void surrogatePairSplitAcrossReads_data() { addDialectRows(); }
    void surrogatePairSplitAcrossReads();
    void surrogatePairSplitAcrossEvents_data() { addDialectRows(); }
    void surrogatePairSplitAcrossEvents();
    // B-10
    void emptyDataAndUnknownEventsSkipped_data() { addDialectRows(); }
    void emptyDataAndUnknownEventsSkipped();
    // B-11
    void geminiBlockedPrompt();
    void geminiSafetyFinishReason();
    void geminiTextInFinishChunk();
    void ollamaTwoObjectsPerReadAndOneAcrossThree();
    // B-12
    void deepNestingIsMalformed_data() { addDialectRows(); }
    void deepNestingIsMalformed();
    void millionKeyObject();
};

void TestBadInputDecoders::surrogatePairSplitAcrossReads()
{
    // Within one event the escaped pair may be cut by the network anywhere, even inside "\ud83d":
    // the event is decoded whole, so the emoji comes out intact.
    QFETCH(int, wire);
    const DialectWire w = allDialects().at(wire);
    const QByteArray event = w.content(R"(a\ud83d\ude00b)");
    const QByteArray body = event + w.end;
    const qsizetype escape = event.indexOf("\\ud83d");
    QVERIFY(escape > 0);
    for (qsizetype cut = escape; cut <= escape + 12; ++cut) {
        QString streamed;
        const StreamResult r = decodePieces(w, {body.left(cut), body.mid(cut)}, &streamed);
        QCOMPARE(r.outcome, StreamOutcome::Complete);
        QCOMPARE(r.text, QStringLiteral("a\U0001F600b"));
        QCOMPARE(streamed, r.text);
    }
}

void TestBadInputDecoders::surrogatePairSplitAcrossEvents()
{
    // Each event's JSON is decoded on its own, so a pair split across two events is two lone
    // halves: each becomes U+FFFD (providers never send this; no lone surrogate may reach the DB).
    QFETCH(int, wire);
    const DialectWire w = allDialects().at(wire);
    const QByteArray body = w.content(R"(a\ud83d)") + w.content(R"(\ude00b)") + w.end;
    QString streamed;
    const StreamResult r = decodePieces(w, {body}, &streamed);
    QCOMPARE(r.outcome, StreamOutcome::Complete);
    QCOMPARE(r.text, QStringLiteral("a\uFFFD\uFFFDb"));
    QCOMPARE(streamed, r.text);
    QVERIFY(!hasLoneSurrogate(r.text));
    // Byte by byte gives the same.
    QList<QByteArray> bytes;
    for (const char c : body)
        bytes.append(QByteArray(1, c));
    QCOMPARE(decodePieces(w, bytes).text, r.text);
}

void TestBadInputDecoders::emptyDataAndUnknownEventsSkipped()
{
    QFETCH(int, wire);
    const DialectWire w = allDialects().at(wire);
    const QByteArray clean = w.content("Hel") + w.content("lo") + w.end;
    QByteArray noisy;
    if (w.dialect == Dialect::Ollama) {
        // NDJSON: blank lines and objects of a future API version.
        noisy = w.content("Hel") + "\n  \n" +
                R"({"model":"m","future_field":{"x":[1,2]},"done":false})"
                "\n" +
                w.content("lo") + "\n" + w.end;
    } else {
        noisy = w.content("Hel") + "data:\n\n" + "data: \n\n" + ": comment\n\n" +
                "event: ping\ndata: {\"type\":\"ping\"}\n\n" +
                "event: future_event\ndata: {\"type\":\"future_event\",\"stuff\":[1,2,3]}\n\n" + "data: not json\n\n" +
                w.content("lo") + w.end;
    }
    const StreamResult a = decodePieces(w, {clean});
    QList<QByteArray> bytes;
    for (const char c : noisy)
        bytes.append(QByteArray(1, c));
    for (const StreamResult &b : {decodePieces(w, {noisy}), decodePieces(w, bytes)}) {
        QCOMPARE(b.outcome, StreamOutcome::Complete);
        QCOMPARE(b.text, QStringLiteral("Hello"));
        QCOMPARE(b.text, a.text);
        QCOMPARE(b.usage, a.usage);
        QCOMPARE(b.finishReason, a.finishReason);
        QCOMPARE(b.contentEvents, a.contentEvents);
        QVERIFY(!b.error);
    }
}

void TestBadInputDecoders::geminiBlockedPrompt()
{
    // promptFeedback.blockReason with no candidates: an error the engine words as a safety block.
    const DialectWire w = allDialects().at(3);
    const StreamResult r = decodePieces(
        w,
        {R"(data: {"promptFeedback":{"blockReason":"SAFETY","safetyRatings":[]},"usageMetadata":{"promptTokenCount":8}})"
         "\n\n"});
    QCOMPARE(r.outcome, StreamOutcome::Error);
    QCOMPARE(r.error->code, QStringLiteral("prompt_blocked"));
    QCOMPARE(r.error->type, QStringLiteral("SAFETY"));
    QVERIFY(r.error->inBand);
    QVERIFY(r.text.isEmpty());
}

void TestBadInputDecoders::geminiSafetyFinishReason()
{
    // A candidate stopped with finishReason SAFETY (no parts) is not a complete, empty answer.
    const DialectWire w = allDialects().at(3);
    const QByteArray body =
        geminiContent("Part one. ") +
        R"(data: {"candidates":[{"finishReason":"SAFETY","safetyRatings":[{"category":"HARM_CATEGORY_HARASSMENT","probability":"HIGH","blocked":true}]}],"usageMetadata":{"promptTokenCount":5,"candidatesTokenCount":3}})"
        "\n\n";
    const StreamResult r = decodePieces(w, {body});
    QCOMPARE(r.outcome, StreamOutcome::Error);
    QCOMPARE(r.error->code, QStringLiteral("content_blocked"));
    QCOMPARE(r.error->type, QStringLiteral("SAFETY"));
    QCOMPARE(r.finishReason, QStringLiteral("SAFETY"));
    QCOMPARE(r.text, QStringLiteral("Part one. "));
    QCOMPARE(r.usage->outputTokens, 3);
    // Other finish reasons still complete the answer.
    const StreamResult ok = decodePieces(w, {geminiContent("x") + w.end});
    QCOMPARE(ok.outcome, StreamOutcome::Complete);
    QCOMPARE(ok.finishReason, QStringLiteral("STOP"));
}

void TestBadInputDecoders::geminiTextInFinishChunk()
{
    // No [DONE]; the last text arrives in the chunk carrying finishReason; usage is cumulative.
    const DialectWire w = allDialects().at(3);
    const QByteArray body =
        R"(data: {"candidates":[{"content":{"parts":[{"text":"A"}]}}],"usageMetadata":{"promptTokenCount":4,"totalTokenCount":4}})"
        "\n\n"
        R"(data: {"candidates":[{"content":{"parts":[{"text":"B"}]},"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":4,"candidatesTokenCount":2,"totalTokenCount":6}})"
        "\n\n";
    const StreamResult r = decodePieces(w, {body});
    QCOMPARE(r.outcome, StreamOutcome::Complete);
    QCOMPARE(r.text, QStringLiteral("AB"));
    QCOMPARE(r.usage->inputTokens, 4);
    QCOMPARE(r.usage->outputTokens, 2); // the last usageMetadata, not a sum
}

void TestBadInputDecoders::ollamaTwoObjectsPerReadAndOneAcrossThree()
{
    const DialectWire w = allDialects().at(4);
    const QByteArray one = ollamaContent("one ");
    const QByteArray two = ollamaContent("two ");
    const QByteArray three = ollamaContent("three");
    const qsizetype third = three.size() / 3;
    QString streamed;
    const StreamResult r = decodePieces(
        w, {one + two, three.left(third), three.mid(third, third), three.mid(2 * third) + w.end}, &streamed);
    QCOMPARE(r.outcome, StreamOutcome::Complete);
    QCOMPARE(r.text, QStringLiteral("one two three"));
    QCOMPARE(streamed, r.text);
    QCOMPARE(r.usage->inputTokens, 3);
    QCOMPARE(r.usage->outputTokens, 2);
    QCOMPARE(r.contentEvents, 3);
}

void TestBadInputDecoders::deepNestingIsMalformed()
{
    // 200,000 nested arrays: past the parser's depth limit, so the event (or the whole body) is not
    // valid JSON. It must fail as a malformed response, not crash (no recursion) and not be skipped.
    QFETCH(int, wire);
    const DialectWire w = allDialects().at(wire);
    const QByteArray deep = QByteArray(200'000, '[') + QByteArray(200'000, ']');
    const QByteArray record =
        w.dialect == Dialect::Ollama ? QByteArray(deep + '\n') : QByteArray("data: " + deep + "\n\n");
    const StreamResult r = decodePieces(w, {w.content("ok"), record, w.content("more") + w.end});
    QCOMPARE(r.outcome, StreamOutcome::Error);
    QCOMPARE(r.error->type, QStringLiteral("malformed_response"));
    QVERIFY(r.error->clientSide);
    QCOMPARE(r.text, QStringLiteral("ok")); // nothing after the broken record is taken

    // A cut object in a stream is malformed too.
    const QByteArray cut = w.dialect == Dialect::Ollama ? QByteArray("{\"message\":{\"content\":\"x\n")
                                                        : QByteArray("data: {\"choices\":[{\"delta\"\n\n");
    QCOMPARE(decodePieces(w, {cut, w.end}).error->type, QStringLiteral("malformed_response"));

    // The non-streamed body (application/json) of every dialect.
    auto whole = makeStreamDecoder(w.dialect, 200, "application/json");
    whole->feed(deep);
    whole->finish();
    QCOMPARE(whole->result().outcome, StreamOutcome::Error);
    QCOMPARE(whole->result().error->type, QStringLiteral("malformed_response"));
}

void TestBadInputDecoders::millionKeyObject()
{
    // 1,000,000 distinct keys (about 11 MiB): in a stream it exceeds the 8 MiB per-event cap and is
    // refused before being parsed; as a non-streamed body (64 MiB cap) it parses in bounded memory
    // and, holding no answer, is not a complete one.
    QByteArray object = "{";
    object.reserve(12 * 1024 * 1024);
    for (int i = 0; i < 1'000'000; ++i) {
        object += '"' + QByteArray::number(i) + "\":0";
        object += i + 1 < 1'000'000 ? "," : "}";
    }
    QVERIFY(object.size() > 8 * 1024 * 1024);
    const DialectWire chat = allDialects().at(0);
    const StreamResult streamed = decodePieces(chat, {chat.content("ok"), "data: " + object + "\n\n", chat.end});
    QCOMPARE(streamed.outcome, StreamOutcome::Error);
    QCOMPARE(streamed.error->type, QStringLiteral("event_too_large"));
    QCOMPARE(streamed.text, QStringLiteral("ok"));

    auto whole = makeStreamDecoder(Dialect::OpenAIChat, 200, "application/json");
    whole->feed(object);
    whole->finish();
    QVERIFY(whole->result().outcome != StreamOutcome::Complete);
    QVERIFY(whole->result().text.isEmpty());
}

QTEST_GUILESS_MAIN(TestBadInputDecoders)
#include "tst_badinputdecoders.moc"
