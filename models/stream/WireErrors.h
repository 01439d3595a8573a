#pragma once

#include "stream/StreamTypes.h"
#include "stream/WireJson.h"

#include "stream/WireValue.h"
#include <QByteArray>
#include <QStringView>

#include <optional>

// Reading provider error payloads, whatever their shape (WIRE-PROTOCOLS.md §2–§6):
//   OpenAI / Groq / OpenRouter  {"error": {"message", "type", "code", "param"}}
//   Anthropic                   {"type": "error", "error": {"type", "message"}}
//   Gemini                      {"error": {"code": 429, "message", "status", "details": [RetryInfo…]}}
//   Ollama                      {"error": "text"}
//   OpenAI Responses event      {"type": "error", "code", "message", "param"}
//   vLLM / FastAPI              {"object": "error", "message", "type", "code"} / {"detail": "text"}
namespace Slopscope::WireErrors {

// The error a JSON value describes: the document, its "error" member, or a bare string.
ProviderError fromJson(const WireValue &value);

// The error a whole non-stream body describes: JSON in any of the shapes above, an HTML page from a
// proxy (its title or first words), or plain text. httpStatus is copied into the result.
ProviderError fromBody(const QByteArray &body, int httpStatus);

// A protobuf Duration in its JSON form ("38s", "0.5s") in seconds; nullopt when malformed.
std::optional<double> durationSeconds(QStringView text);

} // namespace Slopscope::WireErrors
