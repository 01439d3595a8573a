#pragma once

#include "core/ChatMessage.h"
#include "stream/StreamTypes.h"

#include <nlohmann/json.hpp>

namespace Slopscope {

// What a thinking model must get back to continue a conversation (Anthropic thinking blocks with
// their signatures, OpenAI Responses reasoning items), as the history stores it: results'
// thoughts_json for a cell's own answer, each chain turn's "thoughts" in chain_json. Signatures
// and encrypted content are opaque: stored to be sent back, never shown or indexed.
struct Thoughts
{
    QList<ChatThinkingBlock> thinking;
    QList<ChatReasoningItem> reasoningItems;

    [[nodiscard]] bool isEmpty() const { return thinking.isEmpty() && reasoningItems.isEmpty(); }
    [[nodiscard]] static Thoughts of(const StreamResult &result);
    // Puts them back into a decoded answer (a cell read from the history).
    void applyTo(StreamResult &result) const;

    friend bool operator==(const Thoughts &, const Thoughts &) = default;
};

class ThoughtsCodec final
{
public:
    // {"thinking": [...], "reasoning_items": [...]}, a list left out when empty.
    static nlohmann::json toJson(const Thoughts &thoughts);
    // Lenient: a missing or odd field reads as its default.
    static Thoughts fromJson(const nlohmann::json &j);
};

} // namespace Slopscope
