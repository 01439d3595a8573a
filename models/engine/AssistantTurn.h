#pragma once

#include "core/ChatMessage.h"
#include "stream/StreamTypes.h"

namespace Slopscope {

// The assistant message to send back in the next turn of a conversation, from what its answer
// decoded to: the visible text and the tool calls. Calls without an id (Gemini and Ollama send
// none) get "call_<n>", n counting calls from 1, so the same answer always yields the same ids
// and the tool results that follow can name them. Empty arguments become "{}". What thinking
// models need back is carried too: Gemini's per-call thoughtSignature and Anthropic's thinking
// blocks and OpenAI Responses reasoning items, all unchanged.
// In a conversation of several such answers (a chain), pass `madeUpIds`, the count of ids made
// up so far: the ids then go on from it ("call_4" after three), so no two calls share one.
[[nodiscard]] ChatMessage assistantTurnFrom(const StreamResult &result, int *madeUpIds = nullptr);

} // namespace Slopscope
