#include "sim/SimOpenAIResponsesEncoder.h"

#include "sim/SimOpenAIChatEncoder.h"
#include "sim/SimRandom.h"

#include <QCryptographicHash>

namespace Slopscope {

namespace {

using V = SimJson::Value;

constexpr int kSeqMarker = 987654321;

} // namespace

SimOpenAIResponsesEncoder::SimOpenAIResponsesEncoder(SimEncodeContext context)
    : SimEncoder(std::move(context))
{
    const QByteArray base = randomChars("resp-base", 18, kSimHex);
    m_responseId = "resp_" + base + randomChars("resp", 32, kSimHex);
    m_messageId = "msg_" + base + randomChars("msg", 32, kSimHex);
    m_reasoningId = "rs_" + base + randomChars("rs", 32, kSimHex);
    m_requestId = "req_" + randomChars("request-id", 32, kSimHex);
    m_obfuscationState = SimRandom::derive(m_ctx.seed, "obfuscation");
    m_messageIndex = m_ctx.reasoningTokens > 0 ? 1 : 0;

    V d = V::object();
    d["type"] = "response.output_text.delta";
    d["content_index"] = 0;
    d["delta"] = kSimPieceMarker.toStdString();
    d["item_id"] = m_messageId.toStdString();
    d["logprobs"] = V::array();
    d["obfuscation"] = kSimObfuscationMarker.toStdString();
    d["output_index"] = m_messageIndex;
    d["sequence_number"] = kSeqMarker;
    QByteArray text;
    appendSse(text, "response.output_text.delta", SimJson::dump(d, SimJson::Style::Compact));
    m_delta = SimJsonTemplate(
        text, {'"' + kSimPieceMarker + '"', '"' + kSimObfuscationMarker + '"', QByteArray::number(kSeqMarker)});
}

QByteArray SimOpenAIResponsesEncoder::streamContentType() const
{
    return "text/event-stream; charset=utf-8";
}

SimHeaders SimOpenAIResponsesEncoder::providerHeaders(int status) const
{
    return SimOpenAIChatEncoder::openAIHeaders(m_requestId, status);
}

QByteArray SimOpenAIResponsesEncoder::sealReasoning(const QByteArray &itemId)
{
    // Fernet-looking ("gAAAAAB" + base64url), as OpenAI's are; the digest binds it to its item.
    const QByteArray salted = QByteArray("slopscope-sim-reasoning:") + itemId;
    const QByteArray digest = QCryptographicHash::hash(salted, QCryptographicHash::Sha256);
    const QByteArray payload = itemId + ':' + digest.toHex();
    return QByteArray("gAAAAAB") + payload.toBase64(QByteArray::Base64UrlEncoding);
}

bool SimOpenAIResponsesEncoder::reasoningSealValid(const QString &itemId, const QString &sealed)
{
    return !itemId.isEmpty() && sealed.toLatin1() == sealReasoning(itemId.toUtf8());
}

V SimOpenAIResponsesEncoder::reasoningItem() const
{
    V item = V::object();
    item["id"] = m_reasoningId.toStdString();
    item["type"] = "reasoning";
    if (m_ctx.sealReasoning)
        item["encrypted_content"] = sealReasoning(m_reasoningId).toStdString();
    item["summary"] = V::array();
    return item;
}

QByteArray SimOpenAIResponsesEncoder::functionCallItemId(int index) const
{
    return "fc_" + randomChars(QByteArray("fc-").append(QByteArray::number(index)), 48, kSimHex);
}

V SimOpenAIResponsesEncoder::functionCallItem(int index, const char *status, bool withArguments) const
{
    const ChatToolCall &call = m_ctx.toolCalls.at(index);
    V item = V::object();
    item["id"] = functionCallItemId(index).toStdString();
    item["type"] = "function_call";
    item["status"] = status;
    item["arguments"] = withArguments ? call.arguments.toStdString() : std::string();
    item["call_id"] = toolCallId(index, "call_", 24).toStdString();
    item["name"] = call.name.toStdString();
    return item;
}

V SimOpenAIResponsesEncoder::messageItem(const char *status, const QByteArray &text) const
{
    V item = V::object();
    item["id"] = m_messageId.toStdString();
    item["type"] = "message";
    item["status"] = status;
    V content = V::array();
    if (std::string_view(status) != "in_progress") {
        V part = V::object();
        part["type"] = "output_text";
        part["annotations"] = V::array();
        part["logprobs"] = V::array();
        part["text"] = text.toStdString();
        content.push_back(part);
    }
    item["content"] = content;
    item["role"] = "assistant";
    return item;
}

V SimOpenAIResponsesEncoder::responseObject(const char *status, const V &output, const SimFinishInfo *info) const
{
    const bool done = std::string_view(status) != "in_progress";
    V r = V::object();
    r["id"] = m_responseId.toStdString();
    r["object"] = "response";
    r["created_at"] = m_ctx.createdSecs;
    r["status"] = status;
    r["background"] = false;
    r["completed_at"] = done && info ? V(m_ctx.createdSecs + info->totalNs / 1'000'000'000) : V(nullptr);
    r["error"] = nullptr;
    r["frequency_penalty"] = 0.0;
    r["incomplete_details"] =
        std::string_view(status) == "incomplete" ? V{{"reason", "max_output_tokens"}} : V(nullptr);
    r["instructions"] = m_ctx.instructions.isEmpty() ? V(nullptr) : V(m_ctx.instructions.toStdString());
    r["max_output_tokens"] = m_ctx.maxTokens ? V(*m_ctx.maxTokens) : V(nullptr);
    r["max_tool_calls"] = nullptr;
    r["model"] = m_ctx.model.toStdString();
    r["output"] = output;
    r["parallel_tool_calls"] = true;
    r["presence_penalty"] = 0.0;
    r["previous_response_id"] = nullptr;
    r["prompt_cache_key"] = nullptr;
    r["prompt_cache_retention"] = nullptr;
    r["reasoning"] = V{{"effort", m_ctx.reasoningTokens > 0 ? V("medium") : V(nullptr)}, {"summary", nullptr}};
    r["safety_identifier"] = nullptr;
    r["service_tier"] = done ? "default" : "auto";
    r["store"] = true;
    r["temperature"] = m_ctx.temperature.value_or(1.0);
    r["text"] = V{{"format", V{{"type", "text"}}}, {"verbosity", "medium"}};
    r["tool_choice"] = "auto";
    r["tools"] = V::array();
    r["top_logprobs"] = 0;
    r["top_p"] = 1.0;
    r["truncation"] = "disabled";
    if (done && info) {
        V usage = V::object();
        usage["input_tokens"] = info->usage.input;
        usage["input_tokens_details"] = V{{"cached_tokens", 0}};
        usage["output_tokens"] = info->usage.output;
        usage["output_tokens_details"] = V{{"reasoning_tokens", info->usage.reasoning}};
        usage["total_tokens"] = info->usage.input + info->usage.output;
        r["usage"] = usage;
    } else {
        r["usage"] = nullptr;
    }
    r["user"] = nullptr;
    r["metadata"] = V::object();
    return r;
}

void SimOpenAIResponsesEncoder::event(QByteArray &out, const char *type, V body)
{
    // "type" first and "sequence_number" placed as the recorded events place it.
    V e = V::object();
    e["type"] = type;
    for (auto it = body.begin(); it != body.end(); ++it)
        e[it.key()] = it.value();
    e["sequence_number"] = m_sequence; // keeps a placeholder's position, else goes last
    ++m_sequence;
    appendSse(out, type, SimJson::dump(e, SimJson::Style::Compact));
}

void SimOpenAIResponsesEncoder::begin(QByteArray &out)
{
    event(out, "response.created", V{{"response", responseObject("in_progress", V::array(), nullptr)}});
    event(out, "response.in_progress", V{{"response", responseObject("in_progress", V::array(), nullptr)}});
    if (m_ctx.reasoningTokens > 0) {
        V item = reasoningItem();
        event(out, "response.output_item.added", V{{"item", item}, {"output_index", 0}});
    }
}

void SimOpenAIResponsesEncoder::openMessage(QByteArray &out)
{
    if (m_messageOpen)
        return;
    m_messageOpen = true;
    if (m_ctx.reasoningTokens > 0)
        event(out, "response.output_item.done", V{{"item", reasoningItem()}, {"output_index", 0}});
    event(out, "response.output_item.added",
          V{{"item", messageItem("in_progress", {})}, {"output_index", m_messageIndex}});
    V part = V{{"type", "output_text"}, {"annotations", V::array()}, {"logprobs", V::array()}, {"text", ""}};
    event(out, "response.content_part.added",
          V{{"content_index", 0},
            {"item_id", m_messageId.toStdString()},
            {"output_index", m_messageIndex},
            {"part", part}});
}

void SimOpenAIResponsesEncoder::reasoning(QByteArray &, QByteArrayView)
{
    // Reasoning stays hidden on this API (only its token count is reported).
}

void SimOpenAIResponsesEncoder::answer(QByteArray &out, QByteArrayView piece)
{
    openMessage(out);
    m_text.append(piece);
    SimRandom rng(m_obfuscationState);
    m_obfuscationState = rng.next();
    const int n = 1 + rng.below(15);
    QByteArray obf(n + 2, '"');
    for (int i = 0; i < n; ++i)
        obf[i + 1] = kSimBase62[rng.below(62)];
    m_delta.render(out, {SimJson::quoted(piece), obf, QByteArray::number(m_sequence)});
    ++m_sequence;
}

void SimOpenAIResponsesEncoder::finish(QByteArray &out, const SimFinishInfo &info)
{
    openMessage(out);
    const bool complete = info.reason == SimFinish::Stop;
    const std::string text = m_text.toStdString();
    event(out, "response.output_text.done",
          V{{"content_index", 0},
            {"item_id", m_messageId.toStdString()},
            {"logprobs", V::array()},
            {"output_index", m_messageIndex},
            {"sequence_number", 0},
            {"text", text}});
    V part = V{{"type", "output_text"}, {"annotations", V::array()}, {"logprobs", V::array()}, {"text", text}};
    event(out, "response.content_part.done",
          V{{"content_index", 0},
            {"item_id", m_messageId.toStdString()},
            {"output_index", m_messageIndex},
            {"part", part}});
    const V item = messageItem(complete ? "completed" : "incomplete", m_text);
    event(out, "response.output_item.done", V{{"item", item}, {"output_index", m_messageIndex}});
    V output = V::array();
    if (m_ctx.reasoningTokens > 0)
        output.push_back(reasoningItem());
    output.push_back(item);
    // Each call is an output item of its own after the message: added, argument deltas, done.
    for (int i = 0; i < m_ctx.toolCalls.size(); ++i) {
        const int index = m_messageIndex + 1 + i;
        const std::string itemId = functionCallItemId(i).toStdString();
        event(out, "response.output_item.added",
              V{{"item", functionCallItem(i, "in_progress", false)}, {"output_index", index}});
        for (const QByteArray &piece : argumentPieces(m_ctx.toolCalls.at(i).arguments))
            event(out, "response.function_call_arguments.delta",
                  V{{"delta", piece.toStdString()}, {"item_id", itemId}, {"output_index", index}});
        event(out, "response.function_call_arguments.done",
              V{{"arguments", m_ctx.toolCalls.at(i).arguments.toStdString()},
                {"item_id", itemId},
                {"output_index", index}});
        const V done = functionCallItem(i, "completed", true);
        event(out, "response.output_item.done", V{{"item", done}, {"output_index", index}});
        output.push_back(done);
    }
    const char *status = complete ? "completed" : "incomplete";
    event(out, complete ? "response.completed" : "response.incomplete",
          V{{"response", responseObject(status, output, &info)}});
}

void SimOpenAIResponsesEncoder::inBandError(QByteArray &out, bool overloaded)
{
    V e = V::object();
    e["type"] = "error";
    e["code"] = overloaded ? "server_is_overloaded" : "server_error";
    e["message"] = overloaded ? "The server is overloaded. Please try again later."
                              : "An error occurred while processing your request. You can retry your request, or "
                                "contact us through our help center at help.openai.com if the error persists.";
    e["param"] = nullptr;
    e["sequence_number"] = m_sequence++;
    appendSse(out, "error", SimJson::dump(e, SimJson::Style::Compact));
}

void SimOpenAIResponsesEncoder::malformed(QByteArray &out)
{
    out.append("event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"content_index\":0,"
               "\"delta\":\"tru\n\n");
}

SimHttpResponse SimOpenAIResponsesEncoder::wholeBody(const QByteArray &, const QByteArray &text,
                                                     const SimFinishInfo &info)
{
    const bool complete = info.reason == SimFinish::Stop;
    V output = V::array();
    if (m_ctx.reasoningTokens > 0)
        output.push_back(reasoningItem());
    output.push_back(messageItem(complete ? "completed" : "incomplete", text));
    for (int i = 0; i < m_ctx.toolCalls.size(); ++i)
        output.push_back(functionCallItem(i, "completed", true));
    SimHttpResponse r;
    r.headers = providerHeaders(200);
    r.headers.prepend({"content-type", "application/json"});
    r.body =
        SimJson::dump(responseObject(complete ? "completed" : "incomplete", output, &info), SimJson::Style::Pretty2) +
        '\n';
    return r;
}

SimHttpResponse SimOpenAIResponsesEncoder::error(SimErrorKind kind, const QString &detail, const SimFault &fault) const
{
    return SimOpenAIChatEncoder::openAIError(kind, detail, fault, m_ctx.model, m_requestId);
}

} // namespace Slopscope
