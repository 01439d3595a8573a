#include "DecoderFuzz.h"

#include "FuzzKit.h"

#include "stream/StreamDecoder.h"

#include <QList>
#include <QStringList>

namespace Slopscope::Fuzz {

namespace {

constexpr qsizetype kBytewiseMax = 1024;

struct Response
{
    int status = 200;
    QByteArray contentType;
};

Response responseFrom(std::uint8_t b)
{
    switch (b % 8) {
    case 0:
        return {200, QByteArrayLiteral("text/event-stream")};
    case 1:
        return {200, QByteArrayLiteral("application/x-ndjson")};
    case 2:
        return {200, QByteArrayLiteral("application/json")};
    case 3:
        return {200, QByteArray()}; // the dialect's own framing
    case 4:
        return {429, QByteArrayLiteral("application/json")};
    case 5:
        return {503, QByteArrayLiteral("text/html; charset=utf-8")};
    case 6:
        return {200, QByteArrayLiteral("Text/Event-Stream; charset=UTF-8")};
    default:
        return {200, QByteArrayLiteral("text/html")};
    }
}

struct DecodeRun
{
    StreamResult result;
    QList<ContentDelta> deltas;
};

DecodeRun decode(Dialect dialect, const Response &response, QByteArrayView body, const Splits &splits)
{
    const auto decoder = makeStreamDecoder(dialect, response.status, response.contentType);
    require(decoder != nullptr, "makeStreamDecoder returns a decoder");
    DecodeRun run;
    feedSplit(body, splits, [&](QByteArrayView read) {
        decoder->feed(read);
        run.deltas += decoder->takeDeltas();
    });
    decoder->finish();
    run.deltas += decoder->takeDeltas();
    run.result = decoder->result();
    return run;
}

void sameResult(const StreamResult &r, const StreamResult &ref, const char *which)
{
    QStringList diff;
    const auto check = [&diff](bool same, const char *field) {
        if (!same)
            diff << QString::fromLatin1(field);
    };
    check(r.outcome == ref.outcome, "outcome");
    check(r.text == ref.text, "text");
    check(r.reasoningText == ref.reasoningText, "reasoningText");
    check(r.refusal == ref.refusal, "refusal");
    check(r.toolCalls.size() == ref.toolCalls.size(), "toolCalls.size");
    for (qsizetype i = 0; i < r.toolCalls.size() && i < ref.toolCalls.size(); ++i) {
        check(r.toolCalls[i].id == ref.toolCalls[i].id, "toolCalls.id");
        check(r.toolCalls[i].name == ref.toolCalls[i].name, "toolCalls.name");
        check(r.toolCalls[i].arguments == ref.toolCalls[i].arguments, "toolCalls.arguments");
    }
    check(r.finishReason == ref.finishReason, "finishReason");
    check(r.model == ref.model, "model");
    check(r.responseId == ref.responseId, "responseId");
    check(r.usage == ref.usage, "usage");
    check(r.error.has_value() == ref.error.has_value(), "error");
    if (r.error && ref.error) {
        check(r.error->httpStatus == ref.error->httpStatus, "error.httpStatus");
        check(r.error->type == ref.error->type, "error.type");
        check(r.error->code == ref.error->code, "error.code");
        check(r.error->message == ref.error->message, "error.message");
        check(r.error->inBand == ref.error->inBand, "error.inBand");
        check(r.error->clientSide == ref.error->clientSide, "error.clientSide");
        check(r.error->retryAfterSeconds == ref.error->retryAfterSeconds, "error.retryAfterSeconds");
    }
    check(r.terminalMarkerSeen == ref.terminalMarkerSeen, "terminalMarkerSeen");
    check(r.streamed == ref.streamed, "streamed");
    check(r.eventsDispatched == ref.eventsDispatched, "eventsDispatched");
    check(r.contentEvents == ref.contentEvents, "contentEvents");
    check(r.firstContentEventIndex == ref.firstContentEventIndex, "firstContentEventIndex");
    check(r.keepAlives == ref.keepAlives, "keepAlives");
    check(r.serverTokensPerSecond == ref.serverTokensPerSecond, "serverTokensPerSecond");
    require(diff.isEmpty(), which, diff.join(QStringLiteral(", ")));
}

void deltasAddUp(const DecodeRun &run)
{
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
            require(delta.toolCallIndex >= 0 && delta.toolCallIndex < arguments.size(),
                    "a tool-call delta names an existing tool call", QString::number(delta.toolCallIndex));
            arguments[delta.toolCallIndex] += delta.text;
            break;
        }
        require(delta.kind == ContentKind::ToolCall || !delta.text.isEmpty(), "no empty content delta");
    }
    require(answer == run.result.text, "answer deltas add up to the text");
    require(reasoning == run.result.reasoningText, "reasoning deltas add up to reasoningText");
    require(refusal == run.result.refusal, "refusal deltas add up to the refusal");
    for (qsizetype i = 0; i < arguments.size(); ++i)
        require(arguments[i] == run.result.toolCalls[i].arguments, "tool-call deltas add up to the arguments",
                QString::number(i));
}

void validText(const StreamResult &r)
{
    QStringList fields{r.text, r.reasoningText, r.refusal, r.finishReason, r.model, r.responseId};
    for (const ToolCall &call : r.toolCalls)
        fields << call.id << call.name << call.arguments;
    if (r.error)
        fields << r.error->type << r.error->message << r.error->code;
    for (const QString &field : std::as_const(fields))
        require(hasNoLoneSurrogate(field), "no lone surrogate in decoded text", field.left(200));
}

} // namespace

int fuzzDecoder(Dialect dialect, const std::uint8_t *data, std::size_t size)
{
    Input in(data, size);
    const Response response = responseFrom(in.takeByte());
    const Splits splits = Splits::take(in);
    const QByteArrayView body = in.rest();

    const DecodeRun whole = decode(dialect, response, body, Splits::whole());
    require(whole.result.outcome != StreamOutcome::Pending, "the outcome is decided after finish()");
    validText(whole.result);
    deltasAddUp(whole);

    const DecodeRun split = decode(dialect, response, body, splits);
    sameResult(split.result, whole.result, "same result for the chosen split");
    deltasAddUp(split);

    // One byte per read on short bodies only: it is the slowest run, and the chosen split reaches
    // it anyway ({1}).
    if (body.size() <= kBytewiseMax) {
        const DecodeRun bytewise = decode(dialect, response, body, Splits::bytewise());
        sameResult(bytewise.result, whole.result, "same result one byte per read");
        deltasAddUp(bytewise);
    }
    return 0;
}

} // namespace Slopscope::Fuzz
