#include "WireFixtureKit.h"

#include "stream/NdjsonParser.h"
#include "stream/SseParser.h"

#include <QDir>
#include <QFile>
#include <QTest>

#include <cmath>

namespace Slopscope::Test {

namespace {

QString wireDir()
{
    // SLOPSCOPE_SOURCE_DIR rather than SLOPSCOPE_TEST_DATA: the latter is evaluated inside
    // slopscope_add_test() and names the caller's folder (tests/stream/data), not tests/data.
    return QStringLiteral(SLOPSCOPE_SOURCE_DIR "/tests/data/wire");
}

std::optional<Dialect> dialectOfProtocol(const QString &protocol)
{
    if (protocol.startsWith(u"openai-chat") || protocol.startsWith(u"openai-compatible"))
        return Dialect::OpenAIChat;
    if (protocol.startsWith(u"openai-responses"))
        return Dialect::OpenAIResponses;
    if (protocol.startsWith(u"anthropic"))
        return Dialect::Anthropic;
    if (protocol.startsWith(u"gemini"))
        return Dialect::Gemini;
    if (protocol.startsWith(u"ollama"))
        return Dialect::Ollama;
    return std::nullopt;
}

QString q(const Json &v)
{
    return QString::fromStdString(v.get<std::string>());
}

QString str(const std::optional<qint64> &v)
{
    return v ? QString::number(*v) : QStringLiteral("null");
}

QString outcomeName(StreamOutcome o)
{
    switch (o) {
    case StreamOutcome::Pending:
        return QStringLiteral("pending");
    case StreamOutcome::Complete:
        return QStringLiteral("complete");
    case StreamOutcome::Truncated:
        return QStringLiteral("truncated");
    case StreamOutcome::Error:
        return QStringLiteral("error");
    case StreamOutcome::Incomplete:
        return QStringLiteral("incomplete");
    }
    return {};
}

std::optional<qint64> expectedCount(const Json &usage, const char *key)
{
    if (!usage.contains(key) || usage.at(key).is_null())
        return std::nullopt;
    return usage.at(key).get<qint64>();
}

void compareUsage(Diff &d, const Fixture &f, const std::optional<Usage> &actual, const Json &expected)
{
    if (expected.is_null()) {
        if (actual)
            d.fail(QStringLiteral("usage: got input %1 output %2, expected unknown (null)")
                       .arg(str(actual->inputTokens), str(actual->outputTokens)));
        return;
    }
    if (!actual) {
        d.fail(QStringLiteral("usage: got none, expected an object"));
        return;
    }
    static const char *const known[] = {"input_tokens",
                                        "output_tokens",
                                        "total_tokens",
                                        "reasoning_tokens",
                                        "cached_input_tokens",
                                        "cache_read_input_tokens",
                                        "cache_creation_input_tokens",
                                        "cost_usd"};
    for (auto it = expected.begin(); it != expected.end(); ++it) {
        if (std::find_if(std::begin(known), std::end(known), [&](const char *k) { return it.key() == k; }) ==
            std::end(known))
            d.fail(QStringLiteral("usage: expected.json key %1 is not compared").arg(QString::fromStdString(it.key())));
    }
    // expected.json records each provider's own meaning; Usage has one normalised meaning (see
    // StreamTypes.h), so two providers need their expected numbers translated:
    //  - Anthropic's input_tokens exclude both cache buckets, Usage::inputTokens includes them;
    //  - Gemini's candidatesTokenCount excludes thoughtsTokenCount, Usage::outputTokens includes it.
    std::optional<qint64> input = expectedCount(expected, "input_tokens");
    std::optional<qint64> output = expectedCount(expected, "output_tokens");
    const auto reasoning = expectedCount(expected, "reasoning_tokens");
    const auto cacheRead = expectedCount(expected, "cache_read_input_tokens");
    const auto cacheCreation = expectedCount(expected, "cache_creation_input_tokens");
    if (f.dialect == Dialect::Anthropic && input)
        input = *input + cacheRead.value_or(0) + cacheCreation.value_or(0);
    if (f.dialect == Dialect::Gemini && output)
        output = *output + reasoning.value_or(0);

    d.check(QStringLiteral("usage.inputTokens"), actual->inputTokens, input);
    d.check(QStringLiteral("usage.outputTokens"), actual->outputTokens, output);
    d.check(QStringLiteral("usage.totalTokens"), actual->totalTokens, expectedCount(expected, "total_tokens"));
    d.check(QStringLiteral("usage.reasoningTokens"), actual->reasoningTokens, reasoning);
    const auto cached = cacheRead ? cacheRead : expectedCount(expected, "cached_input_tokens");
    d.check(QStringLiteral("usage.cachedInputTokens"), actual->cachedInputTokens, cached);
    d.check(QStringLiteral("usage.cacheCreationInputTokens"), actual->cacheCreationInputTokens, cacheCreation);
    std::optional<double> cost;
    if (expected.contains("cost_usd") && !expected.at("cost_usd").is_null())
        cost = expected.at("cost_usd").get<double>();
    d.check(QStringLiteral("usage.costUsd"), actual->costUsd, cost);
}

void compareError(Diff &d, const Fixture &f, const std::optional<ProviderError> &actual, const Json &expected)
{
    if (expected.is_null()) {
        if (actual)
            d.fail(QStringLiteral("error: got %1 \"%2\", expected none").arg(actual->type, actual->message));
        return;
    }
    if (!actual) {
        d.fail(QStringLiteral("error: got none"));
        return;
    }
    if (expected.is_string()) { // Ollama's {"error": "text"}
        d.check(QStringLiteral("error.message"), actual->message, q(expected));
        d.check(QStringLiteral("error.inBand"), actual->inBand, true);
        return;
    }
    const Json &e = expected.contains("error") && expected.at("error").is_object() ? expected.at("error") : expected;
    if (e.contains("http_status")) {
        d.check(QStringLiteral("error.httpStatus"), actual->httpStatus, e.at("http_status").get<int>());
        d.check(QStringLiteral("error.inBand"), actual->inBand, false);
    } else {
        d.check(QStringLiteral("error.inBand"), actual->inBand, true);
        d.check(QStringLiteral("error.httpStatus"), actual->httpStatus, 0);
    }
    if (e.contains("message"))
        d.check(QStringLiteral("error.message"), actual->message, q(e.at("message")));
    if (e.contains("message_prefix") && !actual->message.startsWith(q(e.at("message_prefix"))))
        d.fail(QStringLiteral("error.message: \"%1\" does not start with the expected prefix").arg(actual->message));
    // "type": "error" is the envelope tag of Anthropic / Responses error events, not the kind.
    if (e.contains("type") && q(e.at("type")) != u"error")
        d.check(QStringLiteral("error.type"), actual->type, q(e.at("type")));
    if (e.contains("status"))
        d.check(QStringLiteral("error.type"), actual->type, q(e.at("status")));
    if (e.contains("code")) {
        const Json &code = e.at("code");
        const QString expectedCode = code.is_null()     ? QString()
                                     : code.is_string() ? q(code)
                                                        : QString::number(code.get<qint64>());
        d.check(QStringLiteral("error.code"), actual->code, expectedCode);
    }
    d.check(QStringLiteral("error.clientSide"), actual->clientSide, false);

    // A retry delay is compared when it travels in the body (Gemini RetryInfo); one carried by a
    // Retry-After header is the engine's business and must not be invented from the body.
    const Json &headers = f.document.at("response").at("headers");
    const bool inHeader = headers.contains("retry-after") || headers.contains("retry-after-ms");
    const Json &top = f.document.at("expected");
    std::optional<double> delay;
    if (top.contains("retry_delay_seconds") && !inHeader)
        delay = top.at("retry_delay_seconds").get<double>();
    d.check(QStringLiteral("error.retryAfterSeconds"), actual->retryAfterSeconds, delay);
}

void compareToolCalls(Diff &d, const QList<ToolCall> &actual, const Json &expected)
{
    const Json *calls = nullptr;
    if (expected.contains("tool_calls"))
        calls = &expected.at("tool_calls");
    else if (expected.contains("function_calls"))
        calls = &expected.at("function_calls");
    if (expected.contains("tool_input_json")) {
        d.check(QStringLiteral("toolCalls.size"), int(actual.size()), 1);
        if (!actual.isEmpty())
            d.check(QStringLiteral("toolCalls[0].arguments"), actual[0].arguments, q(expected.at("tool_input_json")));
        return;
    }
    if (!calls) {
        d.check(QStringLiteral("toolCalls.size"), int(actual.size()), 0);
        return;
    }
    d.check(QStringLiteral("toolCalls.size"), int(actual.size()), int(calls->size()));
    for (size_t i = 0; i < calls->size() && i < size_t(actual.size()); ++i) {
        const Json &c = calls->at(i);
        const ToolCall &a = actual[qsizetype(i)];
        const QString at = QStringLiteral("toolCalls[%1].").arg(i);
        if (c.contains("name"))
            d.check(at + u"name", a.name, q(c.at("name")));
        if (c.contains("id"))
            d.check(at + u"id", a.id, q(c.at("id")));
        if (c.contains("call_id"))
            d.check(at + u"id", a.id, q(c.at("call_id")));
        if (c.contains("arguments"))
            d.check(at + u"arguments", a.arguments, q(c.at("arguments")));
        if (c.contains("args")) {
            const QByteArray utf8 = a.arguments.toUtf8();
            const Json args = Json::parse(utf8.cbegin(), utf8.cend(), nullptr, false);
            if (args != c.at("args"))
                d.fail(at + QStringLiteral("arguments: %1 is not the expected args object").arg(a.arguments));
        }
    }
}

// Decoder-level two-feed split offsets: all of them for bodies up to kExhaustiveBytes; for larger
// ones every offset near both ends plus an even spread, so that the replays of one fixture stay
// within kSplitBudgetBytes decoded bytes (a few seconds of a Debug build).
constexpr qsizetype kExhaustiveBytes = 6 * 1024;
constexpr qint64 kSplitBudgetBytes = 20'000'000;

} // namespace

QList<Fixture> loadFixtures(QString *problem)
{
    QList<Fixture> fixtures;
    const QDir root(wireDir());
    const QStringList dirs = root.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    for (const QString &dir : dirs) {
        const QDir sub(root.filePath(dir));
        const QStringList files = sub.entryList({QStringLiteral("*.expected.json")}, QDir::Files, QDir::Name);
        for (const QString &file : files) {
            QFile expectedFile(sub.filePath(file));
            if (!expectedFile.open(QIODevice::ReadOnly)) {
                *problem = QStringLiteral("cannot read %1").arg(expectedFile.fileName());
                return {};
            }
            const QByteArray text = expectedFile.readAll();
            Fixture f;
            f.document = Json::parse(text.cbegin(), text.cend(), nullptr, false);
            if (!f.document.is_object()) {
                *problem = QStringLiteral("%1 is not JSON").arg(expectedFile.fileName());
                return {};
            }
            f.name = dir + u'/' + file.chopped(int(qstrlen(".expected.json")));
            QFile body(sub.filePath(QString::fromStdString(f.document.at("fixture").get<std::string>())));
            if (!body.open(QIODevice::ReadOnly)) {
                *problem = QStringLiteral("cannot read %1").arg(body.fileName());
                return {};
            }
            f.body = body.readAll();
            const auto dialect =
                dialectOfProtocol(QString::fromStdString(f.document.at("protocol").get<std::string>()));
            if (!dialect) {
                *problem = QStringLiteral("%1: unknown protocol").arg(f.name);
                return {};
            }
            f.dialect = *dialect;
            const Json &response = f.document.at("response");
            f.status = response.at("status").get<int>();
            const Json &headers = response.at("headers");
            if (headers.contains("content-type"))
                f.contentType = QByteArray::fromStdString(headers.at("content-type").get<std::string>());
            fixtures.append(std::move(f));
        }
    }
    return fixtures;
}

// Feeds body[cuts[i], cuts[i+1]) in turn; cuts start with 0 and end with body.size().
Run decode(const Fixture &f, const std::vector<qsizetype> &cuts)
{
    auto decoder = makeStreamDecoder(f.dialect, f.status, f.contentType);
    Run run;
    const QByteArrayView body(f.body);
    for (size_t i = 0; i + 1 < cuts.size(); ++i) {
        decoder->feed(body.sliced(cuts[i], cuts[i + 1] - cuts[i]));
        run.deltas += decoder->takeDeltas();
    }
    decoder->finish();
    run.deltas += decoder->takeDeltas();
    run.result = decoder->result();
    return run;
}

// Everything expected.json states about the result.
Diff compareWithExpected(const Fixture &f, const StreamResult &r)
{
    Diff d;
    const Json &e = f.document.at("expected");
    d.check(QStringLiteral("outcome"), outcomeName(r.outcome), q(e.at("outcome")));
    d.check(QStringLiteral("text"), r.text, q(e.at("text")));
    QString reasoning;
    for (const char *key : {"thinking_text", "reasoning_text", "thought_text"}) {
        if (e.contains(key))
            reasoning = q(e.at(key));
    }
    d.check(QStringLiteral("reasoningText"), r.reasoningText, reasoning);
    d.check(QStringLiteral("refusal"), r.refusal, e.contains("refusal") ? q(e.at("refusal")) : QString());
    if (e.contains("finish_reason"))
        d.check(QStringLiteral("finishReason"), r.finishReason,
                e.at("finish_reason").is_null() ? QString() : q(e.at("finish_reason")));
    if (e.contains("model"))
        d.check(QStringLiteral("model"), r.model, q(e.at("model")));
    if (e.contains("response_id"))
        d.check(QStringLiteral("responseId"), r.responseId, q(e.at("response_id")));
    if (e.contains("usage"))
        compareUsage(d, f, r.usage, e.at("usage"));
    if (e.contains("error"))
        compareError(d, f, r.error, e.at("error"));
    if (e.contains("terminal_marker_seen"))
        d.check(QStringLiteral("terminalMarkerSeen"), r.terminalMarkerSeen, e.at("terminal_marker_seen").get<bool>());
    for (const char *key : {"sse_events_dispatched", "ndjson_objects"}) {
        if (e.contains(key))
            d.check(QStringLiteral("eventsDispatched"), r.eventsDispatched, e.at(key).get<int>());
    }
    for (const char *key : {"content_events", "text_delta_events"}) {
        if (e.contains(key))
            d.check(QStringLiteral("contentEvents"), r.contentEvents, e.at(key).get<int>());
    }
    for (const char *key : {"first_content_event_index", "first_content_object_index"}) {
        if (e.contains(key))
            d.check(QStringLiteral("firstContentEventIndex"), r.firstContentEventIndex,
                    e.at(key).is_null() ? -1 : e.at(key).get<int>());
    }
    if (e.contains("ping_events"))
        d.check(QStringLiteral("keepAlives"), r.keepAlives, e.at("ping_events").get<int>());
    if (e.contains("server_tokens_per_second")) {
        const double expected = e.at("server_tokens_per_second").get<double>();
        if (!r.serverTokensPerSecond || std::fabs(*r.serverTokensPerSecond - expected) > 1e-3)
            d.check(QStringLiteral("serverTokensPerSecond"), r.serverTokensPerSecond, std::optional<double>(expected));
    }
    compareToolCalls(d, r.toolCalls, e);
    const bool success = f.status >= 200 && f.status < 300;
    d.check(QStringLiteral("streamed"), r.streamed, success);
    return d;
}

// Split-independence: a run must equal the reference run in every field.
Diff compareWithReference(const StreamResult &r, const StreamResult &ref)
{
    Diff d;
    d.check(QStringLiteral("outcome"), outcomeName(r.outcome), outcomeName(ref.outcome));
    d.check(QStringLiteral("text"), r.text, ref.text);
    d.check(QStringLiteral("reasoningText"), r.reasoningText, ref.reasoningText);
    d.check(QStringLiteral("refusal"), r.refusal, ref.refusal);
    d.check(QStringLiteral("toolCalls.size"), int(r.toolCalls.size()), int(ref.toolCalls.size()));
    for (qsizetype i = 0; i < r.toolCalls.size() && i < ref.toolCalls.size(); ++i) {
        d.check(QStringLiteral("toolCalls.id"), r.toolCalls[i].id, ref.toolCalls[i].id);
        d.check(QStringLiteral("toolCalls.name"), r.toolCalls[i].name, ref.toolCalls[i].name);
        d.check(QStringLiteral("toolCalls.arguments"), r.toolCalls[i].arguments, ref.toolCalls[i].arguments);
    }
    d.check(QStringLiteral("finishReason"), r.finishReason, ref.finishReason);
    d.check(QStringLiteral("model"), r.model, ref.model);
    d.check(QStringLiteral("responseId"), r.responseId, ref.responseId);
    if (r.usage != ref.usage)
        d.fail(QStringLiteral("usage differs"));
    d.check(QStringLiteral("error"), r.error.has_value(), ref.error.has_value());
    if (r.error && ref.error) {
        d.check(QStringLiteral("error.type"), r.error->type, ref.error->type);
        d.check(QStringLiteral("error.code"), r.error->code, ref.error->code);
        d.check(QStringLiteral("error.message"), r.error->message, ref.error->message);
        d.check(QStringLiteral("error.httpStatus"), r.error->httpStatus, ref.error->httpStatus);
        d.check(QStringLiteral("error.inBand"), r.error->inBand, ref.error->inBand);
        d.check(QStringLiteral("error.retryAfterSeconds"), r.error->retryAfterSeconds, ref.error->retryAfterSeconds);
    }
    d.check(QStringLiteral("terminalMarkerSeen"), r.terminalMarkerSeen, ref.terminalMarkerSeen);
    d.check(QStringLiteral("streamed"), r.streamed, ref.streamed);
    d.check(QStringLiteral("eventsDispatched"), r.eventsDispatched, ref.eventsDispatched);
    d.check(QStringLiteral("contentEvents"), r.contentEvents, ref.contentEvents);
    d.check(QStringLiteral("firstContentEventIndex"), r.firstContentEventIndex, ref.firstContentEventIndex);
    d.check(QStringLiteral("keepAlives"), r.keepAlives, ref.keepAlives);
    d.check(QStringLiteral("serverTokensPerSecond"), r.serverTokensPerSecond, ref.serverTokensPerSecond);
    return d;
}

// The deltas handed out must add up to the result: per kind, and per tool call.
Diff compareDeltas(const Run &run)
{
    Diff d;
    QString answer;
    QString reasoning;
    QString refusal;
    QList<QString> arguments(run.result.toolCalls.size());
    for (const ContentDelta &delta : run.deltas) {
        switch (delta.kind) {
        case ContentKind::Answer:
            answer += delta.text;
            break;
        case ContentKind::Reasoning:
            reasoning += delta.text;
            break;
        case ContentKind::Refusal:
            refusal += delta.text;
            break;
        case ContentKind::ToolCall:
            if (delta.toolCallIndex < 0 || delta.toolCallIndex >= arguments.size())
                d.fail(QStringLiteral("tool-call delta with index %1").arg(delta.toolCallIndex));
            else
                arguments[delta.toolCallIndex] += delta.text;
            break;
        }
        if (delta.kind != ContentKind::ToolCall && delta.text.isEmpty())
            d.fail(QStringLiteral("empty content delta"));
    }
    d.check(QStringLiteral("deltas(Answer)"), answer, run.result.text);
    d.check(QStringLiteral("deltas(Reasoning)"), reasoning, run.result.reasoningText);
    d.check(QStringLiteral("deltas(Refusal)"), refusal, run.result.refusal);
    for (qsizetype i = 0; i < arguments.size(); ++i)
        d.check(QStringLiteral("deltas(ToolCall %1)").arg(i), arguments[i], run.result.toolCalls[i].arguments);
    return d;
}

std::vector<qsizetype> wholeCuts(qsizetype size)
{
    return {0, size};
}

std::vector<qsizetype> splitOffsets(const QByteArray &body)
{
    const qsizetype n = body.size();
    std::vector<qsizetype> offsets;
    if (n <= kExhaustiveBytes) {
        for (qsizetype k = 0; k <= n; ++k)
            offsets.push_back(k);
        return offsets;
    }
    const qint64 runs = qMax<qint64>(64, kSplitBudgetBytes / n);
    const qsizetype edge = qsizetype(qMin<qint64>(1024, runs / 4));
    const qsizetype stride = qsizetype(qMax<qint64>(1, (n - 2 * edge) / qMax<qint64>(1, runs - 2 * edge)));
    for (qsizetype k = 0; k <= n; ++k) {
        if (k < edge || k > n - edge || (k - edge) % stride == 0)
            offsets.push_back(k);
    }
    return offsets;
}

// The body cut after each blank line (the end of an SSE event); the last window holds the rest.
QList<QByteArray> sseWindows(const QByteArray &body)
{
    QList<QByteArray> windows;
    qsizetype start = 0;
    qsizetype lineStart = 0;
    for (qsizetype i = 0; i < body.size(); ++i) {
        const char c = body.at(i);
        if (c != '\r' && c != '\n')
            continue;
        qsizetype end = i + 1;
        if (c == '\r' && end < body.size() && body.at(end) == '\n')
            ++end;
        const bool emptyLine = i == lineStart;
        i = end - 1;
        lineStart = end;
        if (emptyLine) {
            windows.append(body.mid(start, end - start));
            start = end;
        }
    }
    if (start < body.size())
        windows.append(body.mid(start));
    return windows;
}

QList<QByteArray> ndjsonWindows(const QByteArray &body)
{
    QList<QByteArray> windows;
    qsizetype start = 0;
    for (qsizetype i = 0; i < body.size(); ++i) {
        if (body.at(i) == '\n') {
            windows.append(body.mid(start, i + 1 - start));
            start = i + 1;
        }
    }
    if (start < body.size())
        windows.append(body.mid(start));
    return windows;
}

// What the framing layer makes of some feeds: "type\ndata" per SSE event, plus the comment count
// (keep-alives must survive splits too); the lines for NDJSON.
QList<QByteArray> frame(bool ndjson, const QList<QByteArray> &feeds)
{
    QList<QByteArray> out;
    if (ndjson) {
        NdjsonParser parser;
        for (const QByteArray &feed : feeds)
            parser.feed(feed);
        parser.finish();
        return parser.takeLines();
    }
    SseParser parser;
    for (const QByteArray &feed : feeds)
        parser.feed(feed);
    parser.finish();
    const QList<SseEvent> events = parser.takeEvents();
    for (const SseEvent &event : events)
        out.append(event.type.toUtf8() + '\n' + event.data);
    out.append("comments:" + QByteArray::number(parser.comments()));
    return out;
}

void addFixtureRows(const QList<Fixture> &fixtures, bool streamsOnly)
{
    QTest::addColumn<int>("index");
    for (qsizetype i = 0; i < fixtures.size(); ++i) {
        const QByteArray &type = fixtures[i].contentType;
        if (!streamsOnly || type.startsWith("text/event-stream") || type.contains("ndjson"))
            QTest::newRow(qPrintable(fixtures[i].name)) << int(i);
    }
}

} // namespace Slopscope::Test
