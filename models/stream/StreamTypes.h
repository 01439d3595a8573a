#pragma once

// The normalised stream every dialect decodes into. Shared by the decoders (models/stream), the
// network engine (models/engine), metrics and cost (models/metrics) and the simulator's tests.
// Extend by adding fields; do not change the meaning of existing ones.

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace Slopscope {

// Token usage as the provider reported it, normalised to disjoint meanings.
// std::nullopt means "not reported": never treat it as 0.
struct Usage
{
    std::optional<qint64> inputTokens;              // all prompt tokens, including cached ones
    std::optional<qint64> outputTokens;             // all generated tokens, including reasoning ones
    std::optional<qint64> reasoningTokens;          // the part of outputTokens spent on reasoning
    std::optional<qint64> cachedInputTokens;        // the part of inputTokens read from a prompt cache
    std::optional<qint64> cacheCreationInputTokens; // the part of inputTokens written to a prompt cache
    std::optional<qint64> totalTokens;
    std::optional<double> costUsd; // cost reported by the provider itself (OpenRouter), if any

    [[nodiscard]] bool known() const { return inputTokens.has_value() && outputTokens.has_value(); }
    friend bool operator==(const Usage &, const Usage &) = default;
};

enum class ContentKind { Answer, Reasoning, ToolCall, Refusal };

// One piece of generated content, in arrival order. The engine timestamps these.
struct ContentDelta
{
    ContentKind kind = ContentKind::Answer;
    QString text;
    // ToolCall only: the entry of StreamResult::toolCalls this piece belongs to. A call's first
    // piece may have empty text (its name and id arrived, no arguments yet).
    int toolCallIndex = -1;
};

struct ToolCall
{
    QString id;
    QString name;
    QString arguments; // the JSON text as streamed, concatenated
    // Gemini's opaque thoughtSignature on the functionCall part: it must go back unchanged on
    // that part of the next request, or thinking models lose (or reject) the context.
    QString thoughtSignature = {};
};

// One Anthropic extended-thinking block, kept whole: an assistant turn that used tools must be
// sent back with its thinking blocks, unchanged and before its tool_use blocks.
struct ThinkingBlock
{
    QString thinking;         // the thinking text ("thinking" blocks)
    QString signature;        // its signature, opaque
    QString redactedData = {}; // "redacted_thinking" blocks: the encrypted data, opaque
    bool redacted = false;

    friend bool operator==(const ThinkingBlock &, const ThinkingBlock &) = default;
};

// One OpenAI Responses reasoning output item (asked for with include
// ["reasoning.encrypted_content"]): it goes back unchanged in the next request's input.
struct ReasoningItem
{
    QString id;
    QString encryptedContent; // opaque
    QStringList summary = {}; // summary_text parts

    friend bool operator==(const ReasoningItem &, const ReasoningItem &) = default;
};

enum class StreamOutcome {
    Pending,    // still streaming
    Complete,   // the protocol's terminal marker (or its documented equivalent) was seen
    Truncated,  // the stream ended without its terminal marker; partial text is kept
    Error,      // an HTTP error body or an in-band error event
    Incomplete, // the provider said it stopped early (OpenAI Responses response.incomplete)
};

struct ProviderError
{
    int httpStatus = 0;    // 0 for in-band errors after a 200
    QString type;          // provider's error type/code, e.g. "overloaded_error", "rate_limit_exceeded"
    QString message;       // provider's message, verbatim (escape before rendering)
    bool inBand = false;   // arrived inside a 200 stream
    std::optional<double> retryAfterSeconds; // carried in the body (Gemini RetryInfo), if any

    // The provider's error code where it has one besides the type ("invalid_api_key", Gemini's "429").
    QString code;
    // Raised by this client (a size cap was exceeded, an unreadable body), not sent by the provider.
    bool clientSide = false;
};

// Everything one response decoded to.
struct StreamResult
{
    StreamOutcome outcome = StreamOutcome::Pending;
    QString text;          // visible answer (choice 0 for OpenAI-style n>1)
    QString reasoningText; // reasoning / thinking / thought summaries
    QString refusal;
    QList<ToolCall> toolCalls;
    QList<ThinkingBlock> thinkingBlocks = {}; // Anthropic, in arrival order
    QList<ReasoningItem> reasoningItems = {}; // OpenAI Responses, in output order
    QString finishReason; // native value: stop, length, end_turn, STOP, completed, ...
    QString model;        // as reported by the server
    QString responseId;
    std::optional<Usage> usage; // nullopt: the stream reported no usage at all
    std::optional<ProviderError> error;
    bool terminalMarkerSeen = false;
    bool streamed = true; // false when a JSON body came back where a stream was asked for
    int eventsDispatched = 0;
    int contentEvents = 0;
    int firstContentEventIndex = -1;
    int keepAlives = 0; // SSE comments and protocol pings: the connection is alive, nothing was generated
    // Decode speed measured by the server itself (llama.cpp timings, Groq x_groq.usage, Cerebras
    // time_info, Ollama eval_count/eval_duration), in tokens per second; nullopt when not reported.
    std::optional<double> serverTokensPerSecond;
};

} // namespace Slopscope
