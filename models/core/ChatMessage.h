#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace Slopscope {

// A function call an assistant turn made, as it is sent back to the provider in later turns.
struct ChatToolCall
{
    QString id;        // the provider's call id; Gemini and Ollama send none, so one is made up
    QString name;
    QString arguments; // JSON text, as the model wrote it
    // Gemini's opaque thoughtSignature of the call, sent back unchanged on its functionCall part.
    QString thoughtSignature = {};

    friend bool operator==(const ChatToolCall &, const ChatToolCall &) = default;
};

// An Anthropic extended-thinking block of an assistant turn, sent back unchanged before the
// turn's tool_use blocks (Anthropic rejects a tool-using turn whose thinking went missing).
struct ChatThinkingBlock
{
    QString thinking;
    QString signature;
    QString redactedData = {}; // a "redacted_thinking" block's data
    bool redacted = false;

    friend bool operator==(const ChatThinkingBlock &, const ChatThinkingBlock &) = default;
};

// An OpenAI Responses reasoning item of an assistant turn. With "store": false the server keeps
// nothing, so a reasoning model keeps its chain of thought across tool calls only when the item
// (id, summary, encrypted_content) goes back in the next request's input, before the turn's calls.
struct ChatReasoningItem
{
    QString id;
    QString encryptedContent; // opaque: never shown, never indexed
    QStringList summary = {}; // the summary_text parts, in order

    friend bool operator==(const ChatReasoningItem &, const ChatReasoningItem &) = default;
};

// One chat turn as suites hold it and requests send it; each dialect maps the roles its own way.
struct ChatMessage
{
    QString role; // "system", "user", "assistant" or "tool"
    QString content;
    // assistant only: the calls it made (content may then be empty).
    QList<ChatToolCall> toolCalls = {};
    // assistant only: Anthropic thinking blocks to send back first (with the calls).
    QList<ChatThinkingBlock> thinking = {};
    // assistant only: OpenAI Responses reasoning items to send back first (with the calls).
    QList<ChatReasoningItem> reasoningItems = {};
    // tool only: which call this result answers, and that call's function name (Gemini and
    // Ollama match results by name, OpenAI and Anthropic by id).
    QString toolCallId = {};
    QString toolName = {};
    // tool only: the tool failed and content says how (Anthropic's is_error; other dialects send
    // the content as it is).
    bool toolError = false;

    friend bool operator==(const ChatMessage &, const ChatMessage &) = default;
};

} // namespace Slopscope
