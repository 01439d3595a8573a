#pragma once

#include "core/ChatMessage.h"
#include "quality/Grader.h"
#include "quality/Suite.h"

#include <QList>
#include <QString>

#include <optional>

namespace Slopscope {

// What a scripted tool was made to answer one call of a chain turn.
struct ChainToolResult
{
    QString callId; // as sent back (made up "call_N" when the provider gave none)
    QString toolName;
    ToolResultKind kind = ToolResultKind::Result;
    QString content;      // the scripted content: the output, the error text, or the user's interjection
    bool scripted = true; // false: nothing scripted the tool; it was answered as an unknown tool
    friend bool operator==(const ChainToolResult &, const ChainToolResult &) = default;
};

// What one request of a chain turn thought and must get back to go on (ThoughtsCodec.h): kept
// with the turn so a chain reopened from the history still has it. Opaque parts are never shown.
struct ChainThoughts
{
    int request = 0; // which of the turn's requests (0: its first) produced them
    QList<ChatThinkingBlock> thinking;
    QList<ChatReasoningItem> reasoningItems;
    friend bool operator==(const ChainThoughts &, const ChainThoughts &) = default;
};

// One user turn of a chain cell as it went: what the user said, every tool round, the answer
// graded, and what the turn's requests measured and cost.
struct ChainTurnResult
{
    QString user;                       // the turn's user message, rendered
    QString answer;                     // the last answer of the turn (the one graded)
    QList<ChatToolCall> toolCalls;      // every call the model made in the turn, in order
    QList<ChainToolResult> toolResults; // what was fed back for them, in the same order
    // Thinking blocks and reasoning items of the turn's requests that had any, in request order.
    QList<ChainThoughts> thoughts = {};
    int requests = 0;
    // The model still called tools after the case's max_tool_rounds: the turn failed and the
    // chain stopped there.
    bool toolRoundCapHit = false;
    CaseGrade grade;
    std::optional<qint64> ttftNs; // of the turn's first request
    std::optional<qint64> e2eNs;  // summed over the turn's requests
    std::optional<qint64> inputTokens;
    std::optional<qint64> outputTokens;
    std::optional<double> costUsd; // empty when any request's cost is unknown
};

} // namespace Slopscope
