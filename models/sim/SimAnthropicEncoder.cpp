#include "sim/SimAnthropicEncoder.h"

#include "sim/SimRandom.h"

#include "sim/SimTime.h"

namespace Slopscope {

namespace {

using V = SimJson::Value;

const QByteArray kPad = "@@sim.pad@@";

V usageObject(int input, int output, bool full)
{
    V u = V::object();
    u["input_tokens"] = input;
    u["cache_creation_input_tokens"] = 0;
    u["cache_read_input_tokens"] = 0;
    if (full)
        u["cache_creation"] = V{{"ephemeral_5m_input_tokens", 0}, {"ephemeral_1h_input_tokens", 0}};
    u["output_tokens"] = output;
    if (full) {
        u["service_tier"] = "standard";
        u["inference_geo"] = "not_available";
    }
    return u;
}

} // namespace

SimAnthropicEncoder::SimAnthropicEncoder(SimEncodeContext context)
    : SimEncoder(std::move(context))
{
    m_messageId = "msg_01" + randomChars("id", 22, kSimBase62);
    m_requestId = "req_011C" + randomChars("request-id", 20, kSimBase62);
    m_padState = SimRandom::derive(m_ctx.seed, "padding");

    auto makeTemplate = [](const char *type, const char *field, int index) {
        V d = V::object();
        d["type"] = "content_block_delta";
        d["index"] = index;
        d["delta"] = V{{"type", type}, {field, kSimPieceMarker.toStdString()}};
        QByteArray json = SimJson::dump(d, SimJson::Style::Compact);
        json.insert(json.size() - 1, kPad);
        QByteArray text;
        appendSse(text, "content_block_delta", json);
        return SimJsonTemplate(text, {'"' + kSimPieceMarker + '"', kPad});
    };
    const bool thinking = m_ctx.reasoningVisible;
    m_thinkingDelta = makeTemplate("thinking_delta", "thinking", 0);
    m_textDelta = makeTemplate("text_delta", "text", thinking ? 1 : 0);
}

QByteArray SimAnthropicEncoder::streamContentType() const
{
    return "text/event-stream; charset=utf-8";
}

SimHeaders SimAnthropicEncoder::providerHeaders(int status) const
{
    const QByteArray reset = SimTime::isoSeconds(m_ctx.createdSecs + 60) + 'Z';
    return {{"request-id", m_requestId},
            {"anthropic-ratelimit-requests-limit", "4000"},
            {"anthropic-ratelimit-requests-remaining", status == 429 ? "0" : "3999"},
            {"anthropic-ratelimit-requests-reset", reset},
            {"anthropic-ratelimit-input-tokens-limit", "2000000"},
            {"anthropic-ratelimit-input-tokens-remaining", status == 429 ? "0" : "1999000"},
            {"anthropic-ratelimit-input-tokens-reset", reset},
            {"anthropic-ratelimit-output-tokens-limit", "400000"},
            {"anthropic-ratelimit-output-tokens-remaining", "400000"},
            {"anthropic-ratelimit-output-tokens-reset", reset},
            {"cache-control", "no-cache"}};
}

QByteArray SimAnthropicEncoder::padding()
{
    SimRandom rng(m_padState);
    m_padState = rng.next();
    return QByteArray(rng.below(16), ' ');
}

void SimAnthropicEncoder::padded(QByteArray &out, const char *event, const V &data)
{
    QByteArray json = SimJson::dump(data, SimJson::Style::Compact);
    json.insert(json.size() - 1, padding());
    appendSse(out, event, json);
}

QByteArray SimAnthropicEncoder::signature() const
{
    // Stands in for the opaque base64 signature of a thinking block.
    return randomChars("signature", 344, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") + "==";
}

void SimAnthropicEncoder::begin(QByteArray &out)
{
    V message = V::object();
    message["model"] = m_ctx.model.toStdString();
    message["id"] = m_messageId.toStdString();
    message["type"] = "message";
    message["role"] = "assistant";
    message["content"] = V::array();
    message["stop_reason"] = nullptr;
    message["stop_sequence"] = nullptr;
    message["usage"] = usageObject(m_ctx.inputTokens, 1, true);
    padded(out, "message_start", V{{"type", "message_start"}, {"message", message}});
    if (m_ctx.reasoningVisible) {
        padded(out, "content_block_start",
               V{{"type", "content_block_start"},
                 {"index", 0},
                 {"content_block", V{{"type", "thinking"}, {"thinking", ""}, {"signature", ""}}}});
        m_thinkingOpen = true;
    } else {
        padded(out, "content_block_start",
               V{{"type", "content_block_start"}, {"index", 0}, {"content_block", V{{"type", "text"}, {"text", ""}}}});
        m_textOpen = true;
    }
    appendSse(out, "ping", "{\"type\": \"ping\"}");
}

void SimAnthropicEncoder::reasoning(QByteArray &out, QByteArrayView piece)
{
    if (!m_thinkingOpen)
        return;
    m_thinkingDelta.render(out, {SimJson::quoted(piece), padding()});
}

void SimAnthropicEncoder::openTextBlock(QByteArray &out)
{
    if (m_textOpen)
        return;
    if (m_thinkingOpen) {
        // As recorded: an empty thinking delta, the signature, then the block closes.
        appendSse(
            out, "content_block_delta",
            "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"\"}}");
        const QByteArray signatureEvent =
            "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"" +
            signature() + "\"}}";
        appendSse(out, "content_block_delta", signatureEvent);
        padded(out, "content_block_stop", V{{"type", "content_block_stop"}, {"index", 0}});
        m_thinkingOpen = false;
        m_block = 1;
    }
    padded(
        out, "content_block_start",
        V{{"type", "content_block_start"}, {"index", m_block}, {"content_block", V{{"type", "text"}, {"text", ""}}}});
    m_textOpen = true;
}

void SimAnthropicEncoder::answer(QByteArray &out, QByteArrayView piece)
{
    openTextBlock(out);
    m_textDelta.render(out, {SimJson::quoted(piece), padding()});
}

void SimAnthropicEncoder::finish(QByteArray &out, const SimFinishInfo &info)
{
    openTextBlock(out);
    padded(out, "content_block_stop", V{{"type", "content_block_stop"}, {"index", m_block}});
    // Each call is its own tool_use block after the text; its input streams as JSON fragments,
    // the first one empty, as recorded.
    for (int i = 0; i < m_ctx.toolCalls.size(); ++i) {
        const int index = m_block + 1 + i;
        const V block{{"type", "tool_use"},
                      {"id", toolCallId(i, "toolu_01", 22).toStdString()},
                      {"name", m_ctx.toolCalls.at(i).name.toStdString()},
                      {"input", V::object()}};
        padded(out, "content_block_start",
               V{{"type", "content_block_start"}, {"index", index}, {"content_block", block}});
        QList<QByteArray> pieces{QByteArray()};
        pieces.append(argumentPieces(m_ctx.toolCalls.at(i).arguments));
        for (const QByteArray &piece : pieces)
            padded(out, "content_block_delta",
                   V{{"type", "content_block_delta"},
                     {"index", index},
                     {"delta", V{{"type", "input_json_delta"}, {"partial_json", piece.toStdString()}}}});
        padded(out, "content_block_stop", V{{"type", "content_block_stop"}, {"index", index}});
    }
    const char *stopReason = info.reason != SimFinish::Stop ? "max_tokens"
                             : m_ctx.toolCalls.isEmpty()    ? "end_turn"
                                                            : "tool_use";
    V delta = V{{"stop_reason", stopReason}, {"stop_sequence", nullptr}};
    padded(out, "message_delta",
           V{{"type", "message_delta"},
             {"delta", delta},
             {"usage", usageObject(info.usage.input, info.usage.output, false)}});
    padded(out, "message_stop", V{{"type", "message_stop"}});
}

void SimAnthropicEncoder::inBandError(QByteArray &out, bool overloaded)
{
    V err = V::object();
    err["details"] = nullptr;
    err["type"] = overloaded ? "overloaded_error" : "api_error";
    err["message"] = overloaded ? "Overloaded" : "Internal server error";
    padded(out, "error", V{{"type", "error"}, {"error", err}});
}

void SimAnthropicEncoder::malformed(QByteArray &out)
{
    out.append("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":" +
               QByteArray::number(m_block) + ",\"delta\":{\"type\":\"text_delta\",\"text\":\"tru\n\n");
}

SimHttpResponse SimAnthropicEncoder::wholeBody(const QByteArray &reasoning, const QByteArray &text,
                                               const SimFinishInfo &info)
{
    V content = V::array();
    if (m_ctx.reasoningVisible && !reasoning.isEmpty())
        content.push_back(
            V{{"type", "thinking"}, {"thinking", reasoning.toStdString()}, {"signature", signature().toStdString()}});
    content.push_back(V{{"type", "text"}, {"text", text.toStdString()}});
    for (int i = 0; i < m_ctx.toolCalls.size(); ++i)
        content.push_back(V{{"type", "tool_use"},
                            {"id", toolCallId(i, "toolu_01", 22).toStdString()},
                            {"name", m_ctx.toolCalls.at(i).name.toStdString()},
                            {"input", argumentsObject(m_ctx.toolCalls.at(i).arguments)}});
    V body = V::object();
    body["model"] = m_ctx.model.toStdString();
    body["id"] = m_messageId.toStdString();
    body["type"] = "message";
    body["role"] = "assistant";
    body["content"] = content;
    body["stop_reason"] = info.reason != SimFinish::Stop ? "max_tokens"
                          : m_ctx.toolCalls.isEmpty()    ? "end_turn"
                                                         : "tool_use";
    body["stop_sequence"] = nullptr;
    body["usage"] = usageObject(info.usage.input, info.usage.output, true);
    SimHttpResponse r;
    r.headers = providerHeaders(200);
    r.headers.prepend({"content-type", "application/json"});
    r.body = SimJson::dump(body, SimJson::Style::Compact);
    return r;
}

SimHttpResponse SimAnthropicEncoder::error(SimErrorKind kind, const QString &detail, const SimFault &fault) const
{
    SimHttpResponse r;
    QString type;
    QString message = detail;
    switch (kind) {
    case SimErrorKind::MissingKey:
        r.status = 401;
        type = QStringLiteral("authentication_error");
        message = QStringLiteral("x-api-key header is required");
        break;
    case SimErrorKind::MissingVersion:
        r.status = 400;
        type = QStringLiteral("invalid_request_error");
        message = QStringLiteral("anthropic-version: header is required");
        break;
    case SimErrorKind::InvalidRequest:
        r.status = 400;
        type = QStringLiteral("invalid_request_error");
        break;
    case SimErrorKind::ModelNotFound:
        r.status = 404;
        type = QStringLiteral("not_found_error");
        message = QStringLiteral("model: %1").arg(m_ctx.model);
        break;
    case SimErrorKind::RateLimited:
        r.status = 429;
        type = QStringLiteral("rate_limit_error");
        message =
            QStringLiteral("This request would exceed the rate limit for your organization of 30,000 input tokens "
                           "per minute. For details, refer to: https://docs.claude.com/en/api/rate-limits.");
        break;
    case SimErrorKind::ServerError:
        r.status = fault.status > 0 ? fault.status : 500;
        type = QStringLiteral("api_error");
        message = QStringLiteral("Internal server error");
        break;
    case SimErrorKind::Overloaded:
        r.status = 529;
        type = QStringLiteral("overloaded_error");
        message = QStringLiteral("Overloaded");
        break;
    case SimErrorKind::PayloadTooLarge:
        r.status = 413;
        type = QStringLiteral("request_too_large");
        message = QStringLiteral("Request exceeds the maximum allowed number of bytes.");
        break;
    case SimErrorKind::UnknownPath:
        r.status = 404;
        type = QStringLiteral("not_found_error");
        message = QStringLiteral("Not Found");
        break;
    }
    V err = V{{"type", type.toStdString()}, {"message", message.toStdString()}};
    r.headers = providerHeaders(r.status);
    r.headers.prepend({"content-type", "application/json"});
    if (kind == SimErrorKind::RateLimited) {
        r.headers.append({"retry-after", retryAfterText(fault)});
        if (fault.retryAfterMs)
            r.headers.append({"retry-after-ms", QByteArray::number(*fault.retryAfterMs)});
    }
    r.body = SimJson::dump(V{{"type", "error"}, {"error", err}, {"request_id", m_requestId.toStdString()}},
                           SimJson::Style::Compact);
    return r;
}

} // namespace Slopscope
