#include "engine/AssistantTurn.h"

namespace Slopscope {

ChatMessage assistantTurnFrom(const StreamResult &result, int *madeUpIds)
{
    ChatMessage out;
    out.role = QStringLiteral("assistant");
    out.content = result.text;
    QStringList taken;
    for (const auto &c : result.toolCalls) {
        if (!c.id.isEmpty())
            taken.append(c.id);
    }
    int n = 0;
    for (const auto &c : result.toolCalls) {
        ++n;
        ChatToolCall call;
        call.id = c.id;
        // A made-up id must not collide with one the provider sent for another call.
        for (int k = madeUpIds ? *madeUpIds + 1 : n; call.id.isEmpty(); ++k) {
            const QString candidate = QStringLiteral("call_%1").arg(k);
            if (!taken.contains(candidate)) {
                call.id = candidate;
                if (madeUpIds)
                    *madeUpIds = k;
            }
        }
        taken.append(call.id);
        call.name = c.name;
        call.arguments = c.arguments.trimmed().isEmpty() ? QStringLiteral("{}") : c.arguments;
        call.thoughtSignature = c.thoughtSignature;
        out.toolCalls.append(call);
    }
    for (const auto &b : result.thinkingBlocks)
        out.thinking.append(ChatThinkingBlock{b.thinking, b.signature, b.redactedData, b.redacted});
    for (const auto &item : result.reasoningItems)
        out.reasoningItems.append(ChatReasoningItem{item.id, item.encryptedContent, item.summary});
    return out;
}

} // namespace Slopscope
