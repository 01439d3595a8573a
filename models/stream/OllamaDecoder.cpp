#include "stream/OllamaDecoder.h"

#include "stream/WireDocument.h"
#include "stream/WireErrors.h"

namespace Slopscope {

namespace {

using WireJson::member;

} // namespace

void OllamaDecoder::handleRecord(const QString &type, const QByteArray &data)
{
    const WireDocument parsed(data);
    const WireValue object = parsed.root();
    if (!object.isObject()) {
        skipOrFailNonObject(type, data); // garble is skipped; a broken object is malformed
        return;
    }
    if (WireJson::present(member(object, "error"))) {
        failInBand(WireErrors::fromJson(object)); // the status stays 200 once output was written
        return;
    }
    handleObject(object);
}

void OllamaDecoder::handleObject(const WireValue &object)
{
    StreamResult &r = state();
    setIfEmpty(r.model, member(object, "model"));

    if (const WireValue message = member(object, "message"); message.isObject()) { // /api/chat
        if (const auto thinking = WireJson::nonEmptyString(member(message, "thinking")))
            addReasoning(*thinking);
        if (const auto content = WireJson::nonEmptyString(member(message, "content")))
            addAnswer(*content);
        // Ollama sends each tool call whole, its arguments as an object.
        const WireValue calls = member(message, "tool_calls");
        for (qsizetype i = 0; i < calls.size(); ++i) {
            const WireValue function = member(calls.at(i), "function");
            const int slot = addToolCall(WireJson::string(member(calls.at(i), "id")).value_or(QString()),
                                         WireJson::string(member(function, "name")).value_or(QString()), false);
            const WireValue arguments = member(function, "arguments");
            if (arguments.isString())
                appendToolArguments(slot, arguments.toString(), false);
            else if (WireJson::present(arguments))
                appendToolArguments(slot, WireJson::dump(arguments), false);
        }
    } else { // /api/generate
        if (const auto thinking = WireJson::nonEmptyString(member(object, "thinking")))
            addReasoning(*thinking);
        if (const auto response = WireJson::nonEmptyString(member(object, "response")))
            addAnswer(*response);
    }

    if (!WireJson::boolean(member(object, "done")).value_or(false) || decided())
        return;
    r.finishReason = WireJson::string(member(object, "done_reason")).value_or(QString());
    // prompt_eval_count is omitted when the prompt came from the KV cache on older servers
    // (ollama#2068): unknown, not 0.
    Usage usage;
    usage.inputTokens = WireJson::integer(member(object, "prompt_eval_count"));
    usage.outputTokens = WireJson::integer(member(object, "eval_count"));
    if (usage != Usage())
        r.usage = usage;
    const auto evalDurationNs = WireJson::number(member(object, "eval_duration"));
    if (usage.outputTokens && evalDurationNs && *evalDurationNs > 0)
        r.serverTokensPerSecond = double(*usage.outputTokens) / (*evalDurationNs / 1e9);
    r.terminalMarkerSeen = true;
    complete();
    stopReading();
}

void OllamaDecoder::handleWholeBody(const WireValue &document)
{
    handleObject(document);
}

} // namespace Slopscope
