#include "run/ThoughtsCodec.h"

#include "core/JsonFields.h"

namespace Slopscope {

using json = nlohmann::json;
using JsonFields::utf8;

Thoughts Thoughts::of(const StreamResult &result)
{
    Thoughts out;
    for (const ThinkingBlock &b : result.thinkingBlocks)
        out.thinking.append(ChatThinkingBlock{b.thinking, b.signature, b.redactedData, b.redacted});
    for (const ReasoningItem &r : result.reasoningItems)
        out.reasoningItems.append(ChatReasoningItem{r.id, r.encryptedContent, r.summary});
    return out;
}

void Thoughts::applyTo(StreamResult &result) const
{
    result.thinkingBlocks.clear();
    result.reasoningItems.clear();
    for (const ChatThinkingBlock &b : thinking)
        result.thinkingBlocks.append(ThinkingBlock{b.thinking, b.signature, b.redactedData, b.redacted});
    for (const ChatReasoningItem &r : reasoningItems)
        result.reasoningItems.append(ReasoningItem{r.id, r.encryptedContent, r.summary});
}

json ThoughtsCodec::toJson(const Thoughts &thoughts)
{
    json out = json::object();
    if (!thoughts.thinking.isEmpty()) {
        json blocks = json::array();
        for (const ChatThinkingBlock &b : thoughts.thinking) {
            if (b.redacted)
                blocks.push_back({{"redacted", true}, {"data", utf8(b.redactedData)}});
            else
                blocks.push_back({{"thinking", utf8(b.thinking)}, {"signature", utf8(b.signature)}});
        }
        out["thinking"] = std::move(blocks);
    }
    if (!thoughts.reasoningItems.isEmpty()) {
        json items = json::array();
        for (const ChatReasoningItem &r : thoughts.reasoningItems) {
            json summary = json::array();
            for (const QString &s : r.summary)
                summary.push_back(utf8(s));
            items.push_back({{"id", utf8(r.id)}, {"encrypted_content", utf8(r.encryptedContent)}, {"summary", summary}});
        }
        out["reasoning_items"] = std::move(items);
    }
    return out;
}

Thoughts ThoughtsCodec::fromJson(const json &j)
{
    Thoughts out;
    if (!j.is_object())
        return out;
    if (const auto blocks = j.find("thinking"); blocks != j.end() && blocks->is_array()) {
        for (const json &b : *blocks) {
            if (!b.is_object())
                continue;
            ChatThinkingBlock block;
            block.redacted = b.value("redacted", false);
            if (block.redacted) {
                block.redactedData = JsonFields::string(b, "data");
            } else {
                block.thinking = JsonFields::string(b, "thinking");
                block.signature = JsonFields::string(b, "signature");
            }
            out.thinking.append(std::move(block));
        }
    }
    if (const auto items = j.find("reasoning_items"); items != j.end() && items->is_array()) {
        for (const json &r : *items) {
            if (!r.is_object())
                continue;
            ChatReasoningItem item{JsonFields::string(r, "id"), JsonFields::string(r, "encrypted_content")};
            if (const auto summary = r.find("summary"); summary != r.end() && summary->is_array()) {
                for (const json &s : *summary)
                    item.summary.append(s.is_string() ? QString::fromStdString(s.get<std::string>()) : QString());
            }
            out.reasoningItems.append(std::move(item));
        }
    }
    return out;
}

} // namespace Slopscope
