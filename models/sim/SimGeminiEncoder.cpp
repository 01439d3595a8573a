#include "sim/SimGeminiEncoder.h"

namespace Slopscope {

namespace {

using V = SimJson::Value;

constexpr int kCountMarker = 987654321;
constexpr int kTotalMarker = 987654322;

} // namespace

SimGeminiEncoder::SimGeminiEncoder(SimEncodeContext context)
    : SimEncoder(std::move(context))
{
    m_responseId = randomChars("response-id", 23, kSimBase62);
    const bool thoughts = m_ctx.reasoningTokens > 0;
    auto makeTemplate = [&](bool thought) {
        V part = V{{"text", kSimPieceMarker.toStdString()}};
        if (thought)
            part["thought"] = true;
        const V value = thought ? response(V::array({part}), nullptr, 0, kCountMarker, true)
                                : response(V::array({part}), nullptr, kCountMarker, m_ctx.reasoningTokens, thoughts);
        QByteArray text;
        appendEvent(text, value);
        // Markers in text order: the answer chunk has candidates before total, the thought chunk
        // total before thoughts.
        const QByteArray count = QByteArray::number(kCountMarker);
        const QByteArray total = QByteArray::number(kTotalMarker);
        return thought ? SimJsonTemplate(text, {'"' + kSimPieceMarker + '"', total, count})
                       : SimJsonTemplate(text, {'"' + kSimPieceMarker + '"', count, total});
    };
    m_answer = makeTemplate(false);
    m_thought = makeTemplate(true);
}

V SimGeminiEncoder::response(V parts, const char *finishReason, int candidates, int thoughts, bool withThoughts) const
{
    V candidate = V::object();
    candidate["content"] = V{{"parts", std::move(parts)}, {"role", "model"}};
    if (finishReason)
        candidate["finishReason"] = finishReason;
    candidate["index"] = 0;
    V usage = V::object();
    usage["promptTokenCount"] = m_ctx.inputTokens;
    if (candidates > 0)
        usage["candidatesTokenCount"] = candidates;
    const bool markers = candidates == kCountMarker || thoughts == kCountMarker;
    usage["totalTokenCount"] = markers ? kTotalMarker : m_ctx.inputTokens + candidates + (withThoughts ? thoughts : 0);
    usage["promptTokensDetails"] = V::array({V{{"modality", "TEXT"}, {"tokenCount", m_ctx.inputTokens}}});
    if (withThoughts)
        usage["thoughtsTokenCount"] = thoughts;
    V r = V::object();
    r["candidates"] = V::array({candidate});
    r["usageMetadata"] = usage;
    r["modelVersion"] = m_ctx.model.toStdString();
    r["responseId"] = m_responseId.toStdString();
    return r;
}

void SimGeminiEncoder::appendEvent(QByteArray &out, const V &value) const
{
    out.append("data: ");
    out.append(SimJson::dump(value, SimJson::Style::ColonSpace));
    out.append("\r\n\r\n");
}

QByteArray SimGeminiEncoder::streamContentType() const
{
    return "text/event-stream";
}

SimHeaders SimGeminiEncoder::providerHeaders(int) const
{
    return {{"vary", "Origin"},
            {"vary", "X-Origin"},
            {"vary", "Referer"},
            {"content-disposition", "attachment"},
            {"server", "scaffolding on HTTPServer2"},
            {"server-timing", "gfet4t7; dur=1"}};
}

void SimGeminiEncoder::begin(QByteArray &)
{
    // Gemini sends nothing before the first generated text.
}

void SimGeminiEncoder::reasoning(QByteArray &out, QByteArrayView piece)
{
    if (!m_ctx.reasoningVisible)
        return;
    ++m_thoughtCount;
    m_thought.render(out, {SimJson::quoted(piece), QByteArray::number(m_ctx.inputTokens + m_thoughtCount),
                           QByteArray::number(m_thoughtCount)});
}

void SimGeminiEncoder::answer(QByteArray &out, QByteArrayView piece)
{
    ++m_answerCount;
    m_answer.render(out, {SimJson::quoted(piece), QByteArray::number(m_answerCount),
                          QByteArray::number(m_ctx.inputTokens + m_answerCount + m_ctx.reasoningTokens)});
}

void SimGeminiEncoder::finish(QByteArray &out, const SimFinishInfo &info)
{
    const int answerTokens = info.usage.output - info.usage.reasoning;
    // Gemini sends a call whole, as a functionCall part, and still finishes with STOP.
    V parts = V::array();
    for (const ChatToolCall &call : m_ctx.toolCalls)
        parts.push_back(
            V{{"functionCall", V{{"name", call.name.toStdString()}, {"args", argumentsObject(call.arguments)}}}});
    if (parts.empty())
        parts.push_back(V{{"text", ""}});
    appendEvent(out, response(parts, info.reason == SimFinish::Stop ? "STOP" : "MAX_TOKENS", answerTokens,
                              info.usage.reasoning, info.usage.reasoning > 0));
}

void SimGeminiEncoder::inBandError(QByteArray &out, bool overloaded)
{
    const V body =
        overloaded ? errorBody(503, QStringLiteral("The model is overloaded. Please try again later."), "UNAVAILABLE")
                   : errorBody(500,
                               QStringLiteral("An internal error has occurred. Please retry or report in "
                                              "https://developers.generativeai.google/guide/troubleshooting"),
                               "INTERNAL");
    appendEvent(out, body);
}

void SimGeminiEncoder::malformed(QByteArray &out)
{
    out.append("data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"tru\r\n\r\n");
}

SimHttpResponse SimGeminiEncoder::wholeBody(const QByteArray &reasoning, const QByteArray &text,
                                            const SimFinishInfo &info)
{
    V parts = V::array();
    if (m_ctx.reasoningVisible && !reasoning.isEmpty())
        parts.push_back(V{{"text", reasoning.toStdString()}, {"thought", true}});
    parts.push_back(V{{"text", text.toStdString()}});
    for (const ChatToolCall &call : m_ctx.toolCalls)
        parts.push_back(
            V{{"functionCall", V{{"name", call.name.toStdString()}, {"args", argumentsObject(call.arguments)}}}});
    const int answerTokens = info.usage.output - info.usage.reasoning;
    SimHttpResponse r;
    r.headers = providerHeaders(200);
    r.headers.prepend({"content-type", "application/json; charset=UTF-8"});
    r.body = SimJson::dump(response(parts, info.reason == SimFinish::Stop ? "STOP" : "MAX_TOKENS", answerTokens,
                                    info.usage.reasoning, info.usage.reasoning > 0),
                           SimJson::Style::Pretty2) +
             '\n';
    return r;
}

V SimGeminiEncoder::errorBody(int code, const QString &message, const char *status)
{
    return V{{"error", V{{"code", code}, {"message", message.toStdString()}, {"status", status}}}};
}

SimHttpResponse SimGeminiEncoder::error(SimErrorKind kind, const QString &detail, const SimFault &fault) const
{
    SimHttpResponse r;
    V body;
    switch (kind) {
    case SimErrorKind::MissingKey:
        r.status = 401;
        body = errorBody(
            401,
            QStringLiteral("Method doesn't allow unregistered callers (callers without established identity). "
                           "Please use API Key or other form of API consumer identity to call this API."),
            "UNAUTHENTICATED");
        break;
    case SimErrorKind::MissingVersion:
    case SimErrorKind::InvalidRequest:
        r.status = 400;
        body = errorBody(400, detail, "INVALID_ARGUMENT");
        break;
    case SimErrorKind::ModelNotFound:
        r.status = 404;
        body =
            errorBody(404,
                      QStringLiteral("models/%1 is not found for API version v1beta, or is not supported for "
                                     "generateContent. Call ListModels to see the list of available models and their "
                                     "supported methods.")
                          .arg(m_ctx.model),
                      "NOT_FOUND");
        break;
    case SimErrorKind::RateLimited: {
        r.status = 429;
        body =
            errorBody(429,
                      QStringLiteral("You exceeded your current quota, please check your plan and billing details. For "
                                     "more information on this error, head to: "
                                     "https://ai.google.dev/gemini-api/docs/rate-limits."),
                      "RESOURCE_EXHAUSTED");
        // Gemini carries the delay in the body, not in a header.
        const double seconds =
            fault.retryAfterMs ? static_cast<double>(*fault.retryAfterMs) / 1000.0 : fault.retryAfterSeconds;
        const QByteArray delay = QByteArray::number(seconds, 'g', 10) + 's';
        V retryInfo = V::object();
        retryInfo["@type"] = "type.googleapis.com/google.rpc.RetryInfo";
        retryInfo["retryDelay"] = delay.toStdString();
        body["error"]["details"] = V::array({retryInfo});
        break;
    }
    case SimErrorKind::ServerError:
        r.status = fault.status > 0 ? fault.status : 500;
        body = r.status == 503
                   ? errorBody(503, QStringLiteral("The model is overloaded. Please try again later."), "UNAVAILABLE")
                   : errorBody(r.status, QStringLiteral("An internal error has occurred."), "INTERNAL");
        break;
    case SimErrorKind::Overloaded:
        r.status = 503;
        body = errorBody(503, QStringLiteral("The model is overloaded. Please try again later."), "UNAVAILABLE");
        break;
    case SimErrorKind::PayloadTooLarge:
        r.status = 413;
        body = errorBody(413, QStringLiteral("Request payload size exceeds the limit."), "INVALID_ARGUMENT");
        break;
    case SimErrorKind::UnknownPath:
        r.status = 404;
        body = errorBody(404, detail, "NOT_FOUND");
        break;
    }
    r.headers = providerHeaders(r.status);
    r.headers.prepend({"content-type", "application/json; charset=UTF-8"});
    r.body = SimJson::dump(body, SimJson::Style::Pretty2) + '\n';
    return r;
}

} // namespace Slopscope
