#include "stream/AnthropicDecoder.h"

#include "stream/WireDocument.h"
#include "stream/WireErrors.h"

namespace Slopscope {

namespace {

using WireJson::member;

// A thinking block as it started (whole, in a non-streamed body): its text and signature so far,
// or a redacted block's data.
ThinkingBlock keptThinking(const WireValue &block, bool redacted)
{
    ThinkingBlock out;
    out.redacted = redacted;
    if (redacted) {
        out.redactedData = WireJson::string(member(block, "data")).value_or(QString());
    } else {
        out.thinking = WireJson::string(member(block, "thinking")).value_or(QString());
        out.signature = WireJson::string(member(block, "signature")).value_or(QString());
    }
    return out;
}

} // namespace

ThinkingBlock *AnthropicDecoder::thinkingBlock(const WireValue &index)
{
    const int slot = m_thinkingByBlock.value(WireJson::integer(index).value_or(-1), -1);
    if (slot < 0 || decided() || slot >= state().thinkingBlocks.size())
        return nullptr;
    return &state().thinkingBlocks[slot];
}

void AnthropicDecoder::handleRecord(const QString &type, const QByteArray &data)
{
    const WireDocument parsed(data);
    const WireValue event = parsed.root();
    if (!event.isObject()) {
        skipOrFailNonObject(type, data);
        return;
    }
    const QString kind = WireJson::string(member(event, "type")).value_or(type);

    if (kind == u"content_block_delta") {
        const WireValue delta = member(event, "delta");
        const QString deltaType = WireJson::string(member(delta, "type")).value_or(QString());
        if (deltaType == u"text_delta") {
            if (const auto text = WireJson::nonEmptyString(member(delta, "text")))
                addAnswer(*text);
        } else if (deltaType == u"thinking_delta") {
            if (const auto text = WireJson::nonEmptyString(member(delta, "thinking"))) {
                addReasoning(*text);
                if (ThinkingBlock *kept = thinkingBlock(member(event, "index")))
                    kept->thinking += *text;
            }
        } else if (deltaType == u"signature_delta") {
            if (ThinkingBlock *kept = thinkingBlock(member(event, "index")))
                kept->signature += WireJson::string(member(delta, "signature")).value_or(QString());
        } else if (deltaType == u"input_json_delta") {
            const qint64 block = WireJson::integer(member(event, "index")).value_or(-1);
            if (const auto json = WireJson::nonEmptyString(member(delta, "partial_json")))
                appendToolArguments(m_toolCallByBlock.value(block, -1), *json, false);
        }
        // citations_delta: nothing to measure or keep.
    } else if (kind == u"content_block_start") {
        const WireValue block = member(event, "content_block");
        const QString blockType = WireJson::string(member(block, "type")).value_or(QString());
        if (blockType == u"text") {
            if (const auto text = WireJson::nonEmptyString(member(block, "text")))
                addAnswer(*text);
        } else if (blockType == u"thinking" || blockType == u"redacted_thinking") {
            const bool redacted = blockType == u"redacted_thinking";
            if (const auto text = WireJson::nonEmptyString(member(block, "thinking")); text && !redacted)
                addReasoning(*text);
            if (!decided()) {
                state().thinkingBlocks.append(keptThinking(block, redacted));
                m_thinkingByBlock.insert(WireJson::integer(member(event, "index")).value_or(-1),
                                         int(state().thinkingBlocks.size() - 1));
            }
        } else if (blockType == u"tool_use" || blockType == u"server_tool_use") {
            // The input arrives as input_json_delta fragments; the initial "input": {} is a placeholder.
            const int slot = addToolCall(WireJson::string(member(block, "id")).value_or(QString()),
                                         WireJson::string(member(block, "name")).value_or(QString()), false);
            if (slot >= 0)
                m_toolCallByBlock.insert(WireJson::integer(member(event, "index")).value_or(-1), slot);
        }
    } else if (kind == u"message_start") {
        applyMessage(member(event, "message"));
    } else if (kind == u"message_delta") {
        if (const auto stop = WireJson::nonEmptyString(member(member(event, "delta"), "stop_reason"));
            stop && !decided()) {
            state().finishReason = *stop;
            m_stopReasonSeen = true;
        }
        applyUsage(member(event, "usage"));
    } else if (kind == u"message_stop") {
        state().terminalMarkerSeen = true;
        complete();
        stopReading();
    } else if (kind == u"ping") {
        notePing();
    } else if (kind == u"error") {
        failInBand(WireErrors::fromJson(event));
    }
    // Unknown events are ignored (Anthropic's versioning policy).
}

void AnthropicDecoder::applyMessage(const WireValue &message)
{
    StreamResult &r = state();
    setIfEmpty(r.responseId, member(message, "id"));
    setIfEmpty(r.model, member(message, "model"));
    applyUsage(member(message, "usage"));
}

void AnthropicDecoder::applyUsage(const WireValue &usage)
{
    if (!usage.isObject() || decided())
        return;
    auto take = [&usage](const char *key, std::optional<qint64> &field) {
        if (const auto value = WireJson::integer(member(usage, key)))
            field = value;
    };
    take("input_tokens", m_input);
    take("cache_creation_input_tokens", m_cacheCreation);
    take("cache_read_input_tokens", m_cacheRead);
    take("output_tokens", m_output);

    // Anthropic's input_tokens exclude both cache buckets; Usage::inputTokens includes them.
    Usage normalised;
    if (m_input)
        normalised.inputTokens = *m_input + m_cacheCreation.value_or(0) + m_cacheRead.value_or(0);
    normalised.outputTokens = m_output;
    normalised.cachedInputTokens = m_cacheRead;
    normalised.cacheCreationInputTokens = m_cacheCreation;
    if (normalised != Usage())
        state().usage = normalised;
}

void AnthropicDecoder::handleEndOfStream()
{
    // A stream that said why it stopped and then closed cleanly is complete even if message_stop
    // never arrived as a terminated event (fixture anthropic/01: no newline after message_stop).
    if (m_stopReasonSeen)
        complete();
}

void AnthropicDecoder::handleWholeBody(const WireValue &document)
{
    applyMessage(document);
    const WireValue content = member(document, "content");
    for (qsizetype i = 0; i < content.size(); ++i) {
        const WireValue block = content.at(i);
        const QString type = WireJson::string(member(block, "type")).value_or(QString());
        if (type == u"text") {
            if (const auto text = WireJson::nonEmptyString(member(block, "text")))
                addAnswer(*text);
        } else if (type == u"thinking" || type == u"redacted_thinking") {
            const bool redacted = type == u"redacted_thinking";
            if (const auto text = WireJson::nonEmptyString(member(block, "thinking")); text && !redacted)
                addReasoning(*text);
            if (!decided())
                state().thinkingBlocks.append(keptThinking(block, redacted));
        } else if (type == u"tool_use" || type == u"server_tool_use") {
            const int slot = addToolCall(WireJson::string(member(block, "id")).value_or(QString()),
                                         WireJson::string(member(block, "name")).value_or(QString()), false);
            if (const WireValue input = member(block, "input"); WireJson::present(input))
                appendToolArguments(slot, WireJson::dump(input), false);
        }
    }
    if (const auto stop = WireJson::nonEmptyString(member(document, "stop_reason")); stop && !decided()) {
        state().finishReason = *stop;
        m_stopReasonSeen = true;
    }
    if (WireJson::string(member(document, "type")).value_or(QString()) == u"message")
        complete();
}

} // namespace Slopscope
