#include "stream/OpenAIChatDecoder.h"

#include "stream/WireDocument.h"
#include "stream/WireErrors.h"

namespace Slopscope {

namespace {

using WireJson::member;

// prompt_tokens already include cached tokens and completion_tokens include reasoning tokens, which
// is the meaning Usage has (RELIABILITY.md B-13), so the fields map one to one.
std::optional<Usage> openAIUsage(const WireValue &u)
{
    if (!u.isObject())
        return std::nullopt;
    Usage usage;
    usage.inputTokens = WireJson::integer(member(u, "prompt_tokens"));
    if (!usage.inputTokens)
        usage.inputTokens = WireJson::integer(member(u, "input_tokens"));
    usage.outputTokens = WireJson::integer(member(u, "completion_tokens"));
    if (!usage.outputTokens)
        usage.outputTokens = WireJson::integer(member(u, "output_tokens"));
    usage.totalTokens = WireJson::integer(member(u, "total_tokens"));
    usage.reasoningTokens = WireJson::integer(member(member(u, "completion_tokens_details"), "reasoning_tokens"));
    usage.cachedInputTokens = WireJson::integer(member(member(u, "prompt_tokens_details"), "cached_tokens"));
    usage.costUsd = WireJson::number(member(u, "cost")); // OpenRouter: USD credits
    if (usage == Usage())
        return std::nullopt;
    return usage;
}

std::optional<double> perSecond(std::optional<qint64> tokens, std::optional<double> seconds)
{
    if (!tokens || !seconds || *seconds <= 0)
        return std::nullopt;
    return double(*tokens) / *seconds;
}

} // namespace

void OpenAIChatDecoder::handleRecord(const QString &type, const QByteArray &data)
{
    // [DONE] is not JSON: compare the text, as openai-python does, and stop reading.
    if (data.startsWith("[DONE]")) {
        state().terminalMarkerSeen = true;
        complete();
        stopReading();
        return;
    }
    const bool errorEvent = type == u"error"; // Groq and others name in-band errors
    const WireDocument parsed(data);
    const WireValue chunk = parsed.root();
    if (!chunk.isObject()) {
        skipOrFailNonObject(type, data);
        return;
    }
    handleChunk(chunk);
    // OpenRouter sends the error in a chunk that also carries usage: the chunk is read first.
    if (errorEvent || WireJson::present(member(chunk, "error")))
        failInBand(WireErrors::fromJson(chunk));
}

void OpenAIChatDecoder::handleChunk(const WireValue &chunk)
{
    StreamResult &r = state();
    setIfEmpty(r.responseId, member(chunk, "id"));
    setIfEmpty(r.model, member(chunk, "model"));
    handleUsage(chunk);

    // The include_usage chunk has "choices": [] — and some chunks have no choices at all.
    const WireValue choices = member(chunk, "choices");
    for (qsizetype position = 0; position < choices.size(); ++position) {
        const WireValue choice = choices.at(position);
        const qint64 index = WireJson::integer(member(choice, "index")).value_or(position);
        WireValue delta = member(choice, "delta");
        if (delta.isUndefined())
            delta = member(choice, "message"); // a non-streamed chat.completion
        const auto content = WireJson::nonEmptyString(member(delta, "content"));
        if (index != 0) {
            // n>1: the answer is choice 0; the others still count as content events.
            if (content)
                countOtherChoiceContent();
            continue;
        }
        if (content)
            addAnswer(*content);
        if (const auto refusal = WireJson::nonEmptyString(member(delta, "refusal")))
            addRefusal(*refusal);
        // llama.cpp and vLLM say reasoning_content, OpenRouter and Groq say reasoning; one is enough.
        auto reasoning = WireJson::nonEmptyString(member(delta, "reasoning_content"));
        if (!reasoning)
            reasoning = WireJson::nonEmptyString(member(delta, "reasoning"));
        if (reasoning)
            addReasoning(*reasoning);
        if (const WireValue toolCalls = member(delta, "tool_calls"); toolCalls.isArray())
            handleToolCalls(toolCalls);
        // A later chunk with finish_reason null (OpenRouter's usage chunk) does not undo an earlier one.
        if (const auto finish = WireJson::nonEmptyString(member(choice, "finish_reason")); finish && !decided())
            r.finishReason = *finish;
    }
}

void OpenAIChatDecoder::handleToolCalls(const WireValue &toolCalls)
{
    const WireValue calls = toolCalls;
    for (qsizetype position = 0; position < calls.size(); ++position) {
        const WireValue call = calls.at(position);
        const qint64 index = WireJson::integer(member(call, "index")).value_or(position);
        const WireValue function = member(call, "function");
        const QString id = WireJson::string(member(call, "id")).value_or(QString());
        const QString name = WireJson::string(member(function, "name")).value_or(QString());
        int slot = m_toolCallByIndex.value(index, -1);
        if (slot < 0) {
            // The first fragment (id, name, often empty arguments) is the first output of a
            // tool-call-only turn: fixtures openai-chat/04 and 09 take TTFT there.
            slot = addToolCall(id, name, true);
            if (slot < 0)
                return;
            m_toolCallByIndex.insert(index, slot);
        } else {
            ToolCall &existing = state().toolCalls[slot];
            if (existing.id.isEmpty())
                existing.id = id;
            if (existing.name.isEmpty())
                existing.name = name;
        }
        if (const auto arguments = WireJson::nonEmptyString(member(function, "arguments")))
            appendToolArguments(slot, *arguments, true);
    }
}

void OpenAIChatDecoder::handleUsage(const WireValue &chunk)
{
    StreamResult &r = state();
    // Usage is cumulative wherever it appears (vLLM continuous_usage_stats sends it on every chunk):
    // the last one wins, never a sum. "usage": null on ordinary chunks is no usage.
    const WireValue groqUsage = member(member(chunk, "x_groq"), "usage");
    std::optional<Usage> usage = openAIUsage(member(chunk, "usage"));
    if (!usage)
        usage = openAIUsage(groqUsage); // Groq without include_usage
    if (usage && !decided())
        r.usage = usage;

    // Decode speed measured by the server, where it reports one.
    if (const auto tps = WireJson::number(member(member(chunk, "timings"), "predicted_per_second")))
        r.serverTokensPerSecond = tps; // llama.cpp
    if (const auto tps = perSecond(WireJson::integer(member(groqUsage, "completion_tokens")),
                                   WireJson::number(member(groqUsage, "completion_time"))))
        r.serverTokensPerSecond = tps; // Groq
    if (const auto tps = perSecond(WireJson::integer(member(member(chunk, "usage"), "completion_tokens")),
                                   WireJson::number(member(member(chunk, "time_info"), "completion_time"))))
        r.serverTokensPerSecond = tps; // Cerebras
}

void OpenAIChatDecoder::handleWholeBody(const WireValue &document)
{
    handleChunk(document);
    if (member(document, "choices").isArray())
        complete();
}

void OpenAIChatDecoder::handleEndOfStream()
{
    // No [DONE]: truncated, whatever finish_reason said (WIRE-PROTOCOLS.md §0). The base class
    // marks it so.
}

} // namespace Slopscope
