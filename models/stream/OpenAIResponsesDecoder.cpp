#include "stream/OpenAIResponsesDecoder.h"

#include "stream/WireDocument.h"
#include "stream/WireErrors.h"

namespace Slopscope {

namespace {

using WireJson::member;

std::optional<Usage> responsesUsage(const WireValue &u)
{
    if (!u.isObject())
        return std::nullopt;
    Usage usage;
    usage.inputTokens = WireJson::integer(member(u, "input_tokens"));   // includes cached_tokens
    usage.outputTokens = WireJson::integer(member(u, "output_tokens")); // includes reasoning_tokens
    usage.totalTokens = WireJson::integer(member(u, "total_tokens"));
    usage.reasoningTokens = WireJson::integer(member(member(u, "output_tokens_details"), "reasoning_tokens"));
    usage.cachedInputTokens = WireJson::integer(member(member(u, "input_tokens_details"), "cached_tokens"));
    if (usage == Usage())
        return std::nullopt;
    return usage;
}

bool isFunctionCall(const WireValue &item)
{
    const auto type = WireJson::string(member(item, "type"));
    return type && (*type == u"function_call" || *type == u"custom_tool_call");
}

bool isReasoning(const WireValue &item)
{
    const auto type = WireJson::string(member(item, "type"));
    return type && *type == u"reasoning";
}

} // namespace

void OpenAIResponsesDecoder::keepReasoningItem(const WireValue &item)
{
    // Without encrypted_content the item cannot go back: with "store": false the server knows no
    // "rs_" id and rejects the request, so an item the request did not ask to be sealed is dropped.
    const QString sealed = WireJson::string(member(item, "encrypted_content")).value_or(QString());
    if (sealed.isEmpty() || decided())
        return;
    ReasoningItem kept;
    kept.id = WireJson::string(member(item, "id")).value_or(QString());
    kept.encryptedContent = sealed;
    const WireValue summary = member(item, "summary");
    for (qsizetype i = 0; i < summary.size(); ++i)
        kept.summary.append(WireJson::string(member(summary.at(i), "text")).value_or(QString()));
    QList<ReasoningItem> &items = state().reasoningItems;
    // output_item.done repeats what .added announced, final: replace rather than add twice.
    for (ReasoningItem &existing : items) {
        if (!kept.id.isEmpty() && existing.id == kept.id) {
            existing = std::move(kept);
            return;
        }
    }
    items.append(std::move(kept));
}

void OpenAIResponsesDecoder::handleRecord(const QString &type, const QByteArray &data)
{
    const WireDocument parsed(data);
    const WireValue event = parsed.root();
    if (!event.isObject()) {
        skipOrFailNonObject(type, data);
        return;
    }
    // The JSON repeats the event name as "type"; either will do.
    const QString kind = WireJson::string(member(event, "type")).value_or(type);

    if (kind == u"response.output_text.delta") {
        if (const auto delta = WireJson::nonEmptyString(member(event, "delta")))
            addAnswer(*delta);
    } else if (kind == u"response.refusal.delta") {
        if (const auto delta = WireJson::nonEmptyString(member(event, "delta")))
            addRefusal(*delta);
    } else if (kind == u"response.reasoning_summary_text.delta" || kind == u"response.reasoning_text.delta") {
        if (const auto delta = WireJson::nonEmptyString(member(event, "delta")))
            addReasoning(*delta);
    } else if (kind == u"response.function_call_arguments.delta" || kind == u"response.custom_tool_call_input.delta") {
        // Function-call arguments are not the first content event (fixture openai-responses/02).
        if (const auto delta = WireJson::nonEmptyString(member(event, "delta")))
            appendToolArguments(functionCallSlot(event), *delta, false);
    } else if (kind == u"response.output_item.added" || kind == u"response.output_item.done") {
        if (const WireValue item = member(event, "item"); isFunctionCall(item))
            fillFunctionCall(functionCallSlot(event), item);
        else if (isReasoning(item))
            keepReasoningItem(item);
    } else if (kind == u"response.function_call_arguments.done") {
        const int slot = functionCallSlot(event);
        if (slot >= 0 && state().toolCalls[slot].arguments.isEmpty()) {
            if (const auto arguments = WireJson::nonEmptyString(member(event, "arguments")))
                appendToolArguments(slot, *arguments, false);
        }
    } else if (kind == u"response.created" || kind == u"response.in_progress" || kind == u"response.queued") {
        applyResponse(member(event, "response"));
    } else if (kind == u"response.completed" || kind == u"response.incomplete" || kind == u"response.failed") {
        // The event name decides when the Response object lacks a status.
        applyTerminal(member(event, "response"), kind.mid(int(qstrlen("response."))));
        state().terminalMarkerSeen = true;
        stopReading();
    } else if (kind == u"error") {
        failInBand(WireErrors::fromJson(event));
    }
    // Everything else (annotations, search progress, content_part.*) carries nothing we measure.
}

int OpenAIResponsesDecoder::functionCallSlot(const WireValue &event)
{
    const WireValue item = member(event, "item");
    QString itemId = WireJson::string(member(item, "id")).value_or(QString());
    if (itemId.isEmpty())
        itemId = WireJson::string(member(event, "item_id")).value_or(QString());
    const auto outputIndex = WireJson::integer(member(event, "output_index"));
    if (!itemId.isEmpty() && m_toolCallByItem.contains(itemId))
        return m_toolCallByItem.value(itemId);
    if (outputIndex && m_toolCallByOutput.contains(*outputIndex))
        return m_toolCallByOutput.value(*outputIndex);
    const int slot = addToolCall(WireJson::string(member(item, "call_id")).value_or(QString()),
                                 WireJson::string(member(item, "name")).value_or(QString()), false);
    if (slot < 0)
        return slot;
    if (!itemId.isEmpty())
        m_toolCallByItem.insert(itemId, slot);
    if (outputIndex)
        m_toolCallByOutput.insert(*outputIndex, slot);
    return slot;
}

void OpenAIResponsesDecoder::fillFunctionCall(int slot, const WireValue &item)
{
    if (slot < 0 || decided())
        return;
    ToolCall &call = state().toolCalls[slot];
    setIfEmpty(call.id, member(item, "call_id"));
    setIfEmpty(call.name, member(item, "name"));
    // Arguments normally stream as deltas; an item that already carries them (output_item.done
    // without deltas, a non-streamed response) fills them in.
    if (call.arguments.isEmpty()) {
        if (const auto arguments = WireJson::nonEmptyString(member(item, "arguments")))
            appendToolArguments(slot, *arguments, false);
    }
}

void OpenAIResponsesDecoder::applyResponse(const WireValue &response)
{
    if (decided())
        return;
    StreamResult &r = state();
    setIfEmpty(r.responseId, member(response, "id"));
    setIfEmpty(r.model, member(response, "model"));
    if (const auto usage = responsesUsage(member(response, "usage")))
        r.usage = usage; // only the terminal Response object carries it
}

void OpenAIResponsesDecoder::applyTerminal(const WireValue &response, const QString &fallbackStatus)
{
    applyResponse(response);
    if (decided())
        return;
    const QString status = WireJson::string(member(response, "status")).value_or(fallbackStatus);
    if (status == u"completed") {
        state().finishReason = status;
        complete();
    } else if (status == u"incomplete") {
        // The reason (max_output_tokens, content_filter) says more than the status.
        state().finishReason =
            WireJson::string(member(member(response, "incomplete_details"), "reason")).value_or(status);
        markIncomplete();
    } else if (status == u"failed") {
        if (const WireValue error = member(response, "error"); WireJson::present(error)) {
            failInBand(WireErrors::fromJson(error));
        } else {
            ProviderError failed;
            failed.type = status;
            failInBand(std::move(failed));
        }
    }
}

void OpenAIResponsesDecoder::handleWholeBody(const WireValue &document)
{
    // A non-streamed Response object: its output items hold the whole answer.
    const WireValue output = member(document, "output");
    for (qsizetype i = 0; i < output.size(); ++i) {
        const WireValue item = output.at(i);
        const QString type = WireJson::string(member(item, "type")).value_or(QString());
        if (type == u"message") {
            const WireValue content = member(item, "content");
            for (qsizetype j = 0; j < content.size(); ++j) {
                const WireValue part = content.at(j);
                const QString partType = WireJson::string(member(part, "type")).value_or(QString());
                if (partType == u"output_text") {
                    if (const auto text = WireJson::nonEmptyString(member(part, "text")))
                        addAnswer(*text);
                } else if (partType == u"refusal") {
                    if (const auto text = WireJson::nonEmptyString(member(part, "refusal")))
                        addRefusal(*text);
                }
            }
        } else if (type == u"reasoning") {
            const WireValue summary = member(item, "summary");
            for (qsizetype j = 0; j < summary.size(); ++j) {
                if (const auto text = WireJson::nonEmptyString(member(summary.at(j), "text")))
                    addReasoning(*text);
            }
            keepReasoningItem(item);
        } else if (isFunctionCall(item)) {
            fillFunctionCall(addToolCall(QString(), QString(), false), item);
        }
    }
    applyTerminal(document, QString());
}

} // namespace Slopscope
