#include "sim/SimOpenAIChatEncoder.h"

#include "sim/SimRandom.h"

namespace Slopscope {

namespace {

using V = SimJson::Value;

std::string s(const QString &q)
{
    return q.toStdString();
}
std::string s(const QByteArray &b)
{
    return b.toStdString();
}

V usageObject(const SimUsageCounts &u)
{
    V usage = V::object();
    usage["prompt_tokens"] = u.input;
    usage["completion_tokens"] = u.output;
    usage["total_tokens"] = u.input + u.output;
    usage["prompt_tokens_details"] = V{{"cached_tokens", 0}, {"audio_tokens", 0}};
    usage["completion_tokens_details"] = V{{"reasoning_tokens", u.reasoning},
                                           {"audio_tokens", 0},
                                           {"accepted_prediction_tokens", 0},
                                           {"rejected_prediction_tokens", 0}};
    return usage;
}

} // namespace

SimOpenAIChatEncoder::SimOpenAIChatEncoder(SimEncodeContext context)
    : SimEncoder(std::move(context))
{
    m_id = "chatcmpl-" + randomChars("id", 29, kSimBase62);
    m_fingerprint = "fp_" + randomChars("fp", 10, kSimHex);
    m_requestId = "req_" + randomChars("request-id", 32, kSimHex);
    m_obfuscationState = SimRandom::derive(m_ctx.seed, "obfuscation");

    auto makeTemplate = [&](const char *field) {
        V delta = V::object();
        delta[field] = s(kSimPieceMarker);
        V choice = V::object();
        choice["index"] = 0;
        choice["delta"] = delta;
        choice["logprobs"] = nullptr;
        choice["finish_reason"] = nullptr;
        const QByteArray text = "data: " + SimJson::dump(chunk(V::array({choice})), SimJson::Style::Compact) + "\n\n";
        QList<QByteArray> markers{'"' + kSimPieceMarker + '"'};
        if (m_ctx.includeObfuscation)
            markers.append('"' + kSimObfuscationMarker + '"');
        return SimJsonTemplate(text, markers);
    };
    m_content = makeTemplate("content");
    m_reasoning = makeTemplate("reasoning");
}

QByteArray SimOpenAIChatEncoder::streamContentType() const
{
    return "text/event-stream; charset=utf-8";
}

SimHeaders SimOpenAIChatEncoder::openAIHeaders(const QByteArray &requestId, int status)
{
    SimHeaders h{{"openai-version", "2020-10-01"},
                 {"openai-processing-ms", "1"},
                 {"x-request-id", requestId},
                 {"x-ratelimit-limit-requests", "10000"},
                 {"x-ratelimit-limit-tokens", "30000000"},
                 {"x-ratelimit-remaining-requests", status == 429 ? "0" : "9999"},
                 {"x-ratelimit-remaining-tokens", status == 429 ? "0" : "29999000"},
                 {"x-ratelimit-reset-requests", "6ms"},
                 {"x-ratelimit-reset-tokens", "2ms"}};
    return h;
}

SimHeaders SimOpenAIChatEncoder::providerHeaders(int status) const
{
    return openAIHeaders(m_requestId, status);
}

V SimOpenAIChatEncoder::chunk(V choices) const
{
    V c = V::object();
    c["id"] = s(m_id);
    c["object"] = "chat.completion.chunk";
    c["created"] = m_ctx.createdSecs;
    c["model"] = s(m_ctx.model);
    c["service_tier"] = "default";
    c["system_fingerprint"] = s(m_fingerprint);
    c["choices"] = std::move(choices);
    if (m_ctx.includeUsage)
        c["usage"] = nullptr;
    if (m_ctx.includeObfuscation)
        c["obfuscation"] = s(kSimObfuscationMarker);
    return c;
}

QByteArray SimOpenAIChatEncoder::obfuscation()
{
    // A random-length pad, as the real API sends against length side channels.
    SimRandom rng(m_obfuscationState);
    m_obfuscationState = rng.next();
    const int n = 1 + rng.below(15);
    QByteArray out(n + 2, '"');
    for (int i = 0; i < n; ++i)
        out[i + 1] = kSimBase62[rng.below(62)];
    return out;
}

void SimOpenAIChatEncoder::appendChunk(QByteArray &out, const SimJsonTemplate &t, QByteArrayView piece)
{
    const QByteArray quoted = SimJson::quoted(piece);
    if (m_ctx.includeObfuscation)
        t.render(out, {quoted, obfuscation()});
    else
        t.render(out, {quoted});
}

// Whole events built outside the per-token path: the obfuscation marker is replaced in place.
namespace {
void appendWithObfuscation(QByteArray &out, QByteArray event, const QByteArray &obf)
{
    const QByteArray marker = '"' + kSimObfuscationMarker + '"';
    event.replace(marker, obf);
    out.append(event);
}
} // namespace

void SimOpenAIChatEncoder::begin(QByteArray &out)
{
    V choice = V::object();
    choice["index"] = 0;
    choice["delta"] = V{{"role", "assistant"}, {"content", ""}, {"refusal", nullptr}};
    choice["logprobs"] = nullptr;
    choice["finish_reason"] = nullptr;
    appendWithObfuscation(out, "data: " + SimJson::dump(chunk(V::array({choice})), SimJson::Style::Compact) + "\n\n",
                          obfuscation());
}

void SimOpenAIChatEncoder::reasoning(QByteArray &out, QByteArrayView piece)
{
    appendChunk(out, m_reasoning, piece);
}

void SimOpenAIChatEncoder::answer(QByteArray &out, QByteArrayView piece)
{
    appendChunk(out, m_content, piece);
}

void SimOpenAIChatEncoder::toolCallChunks(QByteArray &out)
{
    const auto send = [&](V call) {
        V choice = V::object();
        choice["index"] = 0;
        choice["delta"] = V{{"tool_calls", V::array({std::move(call)})}};
        choice["logprobs"] = nullptr;
        choice["finish_reason"] = nullptr;
        appendWithObfuscation(
            out, "data: " + SimJson::dump(chunk(V::array({choice})), SimJson::Style::Compact) + "\n\n", obfuscation());
    };
    // As the API streams them: the first fragment names the call, later ones carry only
    // argument text (WIRE-PROTOCOLS.md, openai-chat/04).
    for (int i = 0; i < m_ctx.toolCalls.size(); ++i) {
        const ChatToolCall &call = m_ctx.toolCalls.at(i);
        send(V{{"index", i},
               {"id", s(toolCallId(i, "call_", 24))},
               {"type", "function"},
               {"function", V{{"name", s(call.name)}, {"arguments", ""}}}});
        for (const QByteArray &piece : argumentPieces(call.arguments))
            send(V{{"index", i}, {"function", V{{"arguments", s(piece)}}}});
    }
}

void SimOpenAIChatEncoder::finish(QByteArray &out, const SimFinishInfo &info)
{
    toolCallChunks(out);
    V choice = V::object();
    choice["index"] = 0;
    choice["delta"] = V::object();
    choice["logprobs"] = nullptr;
    choice["finish_reason"] = info.reason != SimFinish::Stop ? "length"
                              : m_ctx.toolCalls.isEmpty()    ? "stop"
                                                             : "tool_calls";
    appendWithObfuscation(out, "data: " + SimJson::dump(chunk(V::array({choice})), SimJson::Style::Compact) + "\n\n",
                          obfuscation());
    if (m_ctx.includeUsage) {
        V last = chunk(V::array());
        last["usage"] = usageObject(info.usage);
        if (m_ctx.includeObfuscation) {
            // "obfuscation" stays the last key, after "usage", as recorded.
            last.erase("obfuscation");
            last["obfuscation"] = s(kSimObfuscationMarker);
        }
        appendWithObfuscation(out, "data: " + SimJson::dump(last, SimJson::Style::Compact) + "\n\n", obfuscation());
    }
    out.append("data: [DONE]\n\n");
}

void SimOpenAIChatEncoder::inBandError(QByteArray &out, bool overloaded)
{
    V err = V::object();
    err["message"] = overloaded ? "The engine is currently overloaded, please try again later."
                                : "The server had an error while processing your request. Sorry about that!";
    err["type"] = "server_error";
    err["param"] = nullptr;
    err["code"] = nullptr;
    appendSse(out, {}, SimJson::dump(V{{"error", err}}, SimJson::Style::Compact));
}

void SimOpenAIChatEncoder::malformed(QByteArray &out)
{
    out.append("data: {\"id\":\"" + m_id + "\",\"object\":\"chat.completion.chunk\",\"created\":" +
               QByteArray::number(m_ctx.createdSecs) + ",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"tru\n\n");
}

SimHttpResponse SimOpenAIChatEncoder::wholeBody(const QByteArray &reasoning, const QByteArray &text,
                                                const SimFinishInfo &info)
{
    V message = V::object();
    message["role"] = "assistant";
    message["content"] = text.toStdString();
    if (m_ctx.reasoningVisible && !reasoning.isEmpty())
        message["reasoning"] = reasoning.toStdString();
    message["refusal"] = nullptr;
    message["annotations"] = V::array();
    if (!m_ctx.toolCalls.isEmpty()) {
        V calls = V::array();
        for (int i = 0; i < m_ctx.toolCalls.size(); ++i)
            calls.push_back(V{{"id", s(toolCallId(i, "call_", 24))},
                              {"type", "function"},
                              {"function", V{{"name", s(m_ctx.toolCalls.at(i).name)},
                                             {"arguments", s(m_ctx.toolCalls.at(i).arguments)}}}});
        message["tool_calls"] = std::move(calls);
    }
    V choice = V::object();
    choice["index"] = 0;
    choice["message"] = message;
    choice["logprobs"] = nullptr;
    choice["finish_reason"] = info.reason != SimFinish::Stop ? "length"
                              : m_ctx.toolCalls.isEmpty()    ? "stop"
                                                             : "tool_calls";
    V body = V::object();
    body["id"] = s(m_id);
    body["object"] = "chat.completion";
    body["created"] = m_ctx.createdSecs;
    body["model"] = s(m_ctx.model);
    body["choices"] = V::array({choice});
    body["usage"] = usageObject(info.usage);
    body["service_tier"] = "default";
    body["system_fingerprint"] = s(m_fingerprint);
    SimHttpResponse r;
    r.headers = openAIHeaders(m_requestId, 200);
    r.headers.prepend({"content-type", "application/json"});
    r.body = SimJson::dump(body, SimJson::Style::Pretty2) + '\n';
    return r;
}

SimHttpResponse SimOpenAIChatEncoder::openAIError(SimErrorKind kind, const QString &detail, const SimFault &fault,
                                                  const QString &model, const QByteArray &requestId)
{
    SimHttpResponse r;
    V err = V::object();
    V code = nullptr;
    QString type = QStringLiteral("invalid_request_error");
    QString message = detail;
    switch (kind) {
    case SimErrorKind::MissingKey:
        r.status = 401;
        message = QStringLiteral(
            "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer "
            "auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're "
            "accessing the API from your browser and are prompted for a username and password. You can obtain an API "
            "key from https://platform.openai.com/account/api-keys.");
        break;
    case SimErrorKind::MissingVersion:
    case SimErrorKind::InvalidRequest:
        r.status = 400;
        break;
    case SimErrorKind::ModelNotFound:
        r.status = 404;
        message = QStringLiteral("The model `%1` does not exist or you do not have access to it.").arg(model);
        code = "model_not_found";
        break;
    case SimErrorKind::RateLimited:
        r.status = 429;
        type = QStringLiteral("tokens");
        code = "rate_limit_exceeded";
        message = QStringLiteral("Rate limit reached for %1 in organization org-slopscopesim on tokens per min (TPM): "
                                 "Limit 30000, Used 29882, Requested 1024. Please try again in %2s. Visit "
                                 "https://platform.openai.com/account/rate-limits to learn more.")
                      .arg(model, QString::fromLatin1(retryAfterText(fault)));
        break;
    case SimErrorKind::ServerError:
        r.status = fault.status > 0 ? fault.status : 500;
        type = QStringLiteral("server_error");
        message = r.status == 503
                      ? QStringLiteral("The engine is currently overloaded, please try again later.")
                      : QStringLiteral("The server had an error while processing your request. Sorry about that!");
        break;
    case SimErrorKind::Overloaded:
        r.status = 503;
        type = QStringLiteral("server_error");
        message = QStringLiteral("The engine is currently overloaded, please try again later.");
        break;
    case SimErrorKind::PayloadTooLarge:
        r.status = 413;
        break;
    case SimErrorKind::UnknownPath:
        r.status = 404;
        break;
    }
    err["message"] = message.toStdString();
    err["type"] = type.toStdString();
    err["param"] = nullptr;
    err["code"] = code;
    r.headers = openAIHeaders(requestId, r.status);
    r.headers.prepend({"content-type", "application/json; charset=utf-8"});
    if (kind == SimErrorKind::RateLimited) {
        r.headers.append({"retry-after", retryAfterText(fault)});
        if (fault.retryAfterMs)
            r.headers.append({"retry-after-ms", QByteArray::number(*fault.retryAfterMs)});
    }
    r.body = SimJson::dump(V{{"error", err}}, SimJson::Style::Pretty4) + '\n';
    return r;
}

SimHttpResponse SimOpenAIChatEncoder::error(SimErrorKind kind, const QString &detail, const SimFault &fault) const
{
    return openAIError(kind, detail, fault, m_ctx.model, m_requestId);
}

} // namespace Slopscope
