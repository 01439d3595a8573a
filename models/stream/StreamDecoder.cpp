#include "stream/StreamDecoder.h"

#include "stream/AnthropicDecoder.h"
#include "stream/ErrorBodyDecoder.h"
#include "stream/GeminiDecoder.h"
#include "stream/OllamaDecoder.h"
#include "stream/OpenAIChatDecoder.h"
#include "stream/OpenAIResponsesDecoder.h"

namespace Slopscope {

namespace {

// "Text/Event-Stream; charset=utf-8" → "text/event-stream".
QByteArray mediaType(const QByteArray &contentType)
{
    const qsizetype semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.left(semicolon)).trimmed().toLower();
}

} // namespace

std::unique_ptr<StreamDecoder> makeStreamDecoder(Dialect dialect, int httpStatus, const QByteArray &contentType)
{
    if (httpStatus < 200 || httpStatus > 299)
        return std::make_unique<ErrorBodyDecoder>(httpStatus);

    const QByteArray media = mediaType(contentType);
    if (media == "text/html" || media == "application/xhtml+xml")
        return std::make_unique<ErrorBodyDecoder>(httpStatus);

    // The Content-Type decides the framing, the dialect the meaning of each record. A missing or
    // unknown type falls back to the dialect's own framing.
    using Framing = DecoderBase::Framing;
    Framing framing = dialect == Dialect::Ollama ? Framing::Ndjson : Framing::Sse;
    if (media == "text/event-stream")
        framing = Framing::Sse;
    else if (media == "application/x-ndjson" || media == "application/ndjson" || media == "application/jsonl" ||
             media == "application/x-jsonlines")
        framing = Framing::Ndjson;
    else if (media == "application/json" || media.endsWith("+json"))
        framing = Framing::WholeJson;

    const qsizetype maxEvent = kDefaultMaxEventBytes;
    const qsizetype maxResponse = kDefaultMaxResponseBytes;
    switch (dialect) {
    case Dialect::OpenAIChat:
        return std::make_unique<OpenAIChatDecoder>(framing, maxEvent, maxResponse);
    case Dialect::OpenAIResponses:
        return std::make_unique<OpenAIResponsesDecoder>(framing, maxEvent, maxResponse);
    case Dialect::Anthropic:
        return std::make_unique<AnthropicDecoder>(framing, maxEvent, maxResponse);
    case Dialect::Gemini:
        return std::make_unique<GeminiDecoder>(framing, maxEvent, maxResponse);
    case Dialect::Ollama:
        return std::make_unique<OllamaDecoder>(framing, maxEvent, maxResponse);
    }
    return std::make_unique<ErrorBodyDecoder>(httpStatus);
}

} // namespace Slopscope
