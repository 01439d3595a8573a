#pragma once

#include "core/ChatMessage.h"
#include "core/Result.h"
#include "core/ToolChoice.h"
#include "core/ToolSpec.h"
#include "core/Workspace.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace Slopscope {

// What the simulator reads from a generation request body, whatever the dialect.
struct SimChatRequest
{
    Dialect dialect = Dialect::OpenAIChat;
    QString model;
    bool stream = false;
    bool includeUsage = false;      // OpenAI chat: stream_options.include_usage
    bool includeObfuscation = true; // OpenAI: stream_options.include_obfuscation
    bool thinkingRequested = false; // Anthropic thinking enabled, Gemini includeThoughts, Ollama think
    // Responses: "include" asked for reasoning.encrypted_content; "store" (the API's default: true).
    bool encryptedReasoningRequested = false;
    bool store = true;
    std::optional<int> maxTokens;
    std::optional<double> temperature;
    QString instructions; // Responses API, echoed in the Response object
    QString prompt;       // the last user message: what gets answered
    QString allText;      // every message's text: what input tokens are counted on
    // The conversation in the dialect-neutral shape, tool calls and tool results included
    // (system text left out: allText counts it), and the functions offered.
    QList<ChatMessage> messages;
    QList<ToolSpec> tools;
    // tool_choice / toolConfig and parallel tool calls as the dialect sent them; unset: not sent.
    std::optional<ToolChoice> toolChoice;
    std::optional<bool> parallelToolCalls;

    // The last message is a tool's result: the model is to answer from it.
    [[nodiscard]] bool answersToolResult() const { return !messages.isEmpty() && messages.last().role == u"tool"; }

    // `pathModel` is the model named in the URL (Gemini); `stream` for Gemini comes from the path.
    static Result<SimChatRequest> parse(Dialect dialect, const QByteArray &body, const QString &pathModel = {},
                                        bool pathStreams = false);
};

} // namespace Slopscope
