#include "stream/GeminiDecoder.h"

#include "stream/WireDocument.h"
#include "stream/WireErrors.h"

namespace Slopscope {

namespace {

using WireJson::member;

// The finish reasons Gemini documents for a response withheld by its content filters.
bool isSafetyBlock(const QString &reason)
{
    return reason == u"SAFETY" || reason == u"PROHIBITED_CONTENT" || reason == u"BLOCKLIST" || reason == u"SPII" ||
           reason == u"IMAGE_SAFETY";
}

} // namespace

void GeminiDecoder::handleRecord(const QString &type, const QByteArray &data)
{
    const WireDocument parsed(data);
    const WireValue chunk = parsed.root();
    if (!chunk.isObject()) {
        skipOrFailNonObject(type, data);
        return;
    }
    handleChunk(chunk);
}

void GeminiDecoder::handleChunk(const WireValue &chunk)
{
    if (WireJson::present(member(chunk, "error"))) {
        failInBand(WireErrors::fromJson(chunk));
        return;
    }
    StreamResult &r = state();
    setIfEmpty(r.responseId, member(chunk, "responseId"));
    setIfEmpty(r.model, member(chunk, "modelVersion"));

    const WireValue candidates = member(chunk, "candidates");
    const WireValue candidate = candidates.isEmpty() ? WireValue() : candidates.at(0);
    const auto finishReason = WireJson::nonEmptyString(member(candidate, "finishReason"));
    applyUsage(member(chunk, "usageMetadata"), finishReason.has_value());

    const WireValue parts = member(member(candidate, "content"), "parts");
    for (qsizetype i = 0; i < parts.size(); ++i) {
        const WireValue part = parts.at(i);
        if (const auto text = WireJson::nonEmptyString(member(part, "text"))) {
            // Parts flagged "thought" are thought summaries, not answer text.
            if (WireJson::boolean(member(part, "thought")).value_or(false))
                addReasoning(*text);
            else
                addAnswer(*text);
        } else if (const WireValue call = member(part, "functionCall"); call.isObject()) {
            // A function call arrives whole; it is not the first content event (fixture gemini/03).
            const int slot = addToolCall(WireJson::string(member(call, "id")).value_or(QString()),
                                         WireJson::string(member(call, "name")).value_or(QString()), false);
            if (const WireValue args = member(call, "args"); WireJson::present(args))
                appendToolArguments(slot, WireJson::dump(args), false);
            // Kept to be sent back on this call's part (DialectMessages).
            if (const auto signature = WireJson::nonEmptyString(member(part, "thoughtSignature"));
                signature && slot >= 0 && !decided())
                r.toolCalls[slot].thoughtSignature = *signature;
        }
    }
    if (finishReason && isSafetyBlock(*finishReason)) {
        // A candidate stopped by the safety filter is not an answer, even with some text before it.
        ProviderError error;
        error.type = *finishReason;
        error.code = QStringLiteral("content_blocked");
        if (!decided())
            r.finishReason = *finishReason;
        failInBand(std::move(error));
        return;
    }
    if (finishReason && !decided()) {
        r.finishReason = *finishReason;
        r.terminalMarkerSeen = true; // Gemini has no marker: finishReason is the documented equivalent
    }

    // A blocked prompt comes back as a 200 chunk with promptFeedback.blockReason and no candidates.
    const WireValue feedback = member(chunk, "promptFeedback");
    if (const auto blockReason = WireJson::nonEmptyString(member(feedback, "blockReason"));
        blockReason && candidates.isEmpty()) {
        ProviderError error;
        error.type = *blockReason;
        error.code = QStringLiteral("prompt_blocked");
        error.message = WireJson::string(member(feedback, "blockReasonMessage")).value_or(QString());
        failInBand(std::move(error));
    }
}

void GeminiDecoder::applyUsage(const WireValue &metadata, bool finalChunk)
{
    if (!metadata.isObject() || decided())
        return;
    const auto prompt = WireJson::integer(member(metadata, "promptTokenCount"));
    const auto toolPrompt = WireJson::integer(member(metadata, "toolUsePromptTokenCount"));
    auto candidatesCount = WireJson::integer(member(metadata, "candidatesTokenCount"));
    const auto thoughts = WireJson::integer(member(metadata, "thoughtsTokenCount"));
    // Protobuf JSON omits zero counts: on the chunk carrying finishReason (or once thought tokens are
    // reported) a missing candidatesTokenCount means 0; before that it means "not known yet".
    if (!candidatesCount && (finalChunk || thoughts))
        candidatesCount = 0;

    Usage usage;
    if (prompt)
        usage.inputTokens = *prompt + toolPrompt.value_or(0);
    // thoughtsTokenCount is billed as output but not included in candidatesTokenCount; Usage's
    // outputTokens includes reasoning tokens, so the two are added (gemini/02: 80 + 35).
    if (candidatesCount)
        usage.outputTokens = *candidatesCount + thoughts.value_or(0);
    usage.reasoningTokens = thoughts;
    usage.cachedInputTokens = WireJson::integer(member(metadata, "cachedContentTokenCount"));
    usage.totalTokens = WireJson::integer(member(metadata, "totalTokenCount"));
    if (usage != Usage())
        state().usage = usage; // the last usageMetadata wins; values may even go down (gemini/01)
}

void GeminiDecoder::handleEndOfStream()
{
    if (state().terminalMarkerSeen)
        complete();
}

void GeminiDecoder::handleWholeBody(const WireValue &document)
{
    // Without alt=sse the endpoint answers with a JSON array of chunks.
    if (document.isArray()) {
        const WireValue chunks = document;
        for (qsizetype i = 0; i < chunks.size(); ++i) {
            if (chunks.at(i).isObject())
                handleChunk(chunks.at(i));
        }
    } else {
        handleChunk(document);
    }
    if (state().terminalMarkerSeen)
        complete();
}

} // namespace Slopscope
