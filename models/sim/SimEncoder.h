#pragma once

#include "core/ChatMessage.h"
#include "core/Workspace.h"
#include "sim/SimFault.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QPair>
#include <QString>

#include <memory>

#include <nlohmann/json.hpp>
#include <optional>

namespace Slopscope {

using SimHeaders = QList<QPair<QByteArray, QByteArray>>;

// A complete, non-streamed HTTP answer (errors, listings, whole bodies).
struct SimHttpResponse
{
    int status = 200;
    SimHeaders headers; // Content-Type included; Content-Length and Date are added on the wire
    QByteArray body;
};

// Token counts as the simulator sent them; output includes reasoning.
struct SimUsageCounts
{
    int input = 0;
    int output = 0;
    int reasoning = 0;
};

enum class SimFinish { Stop, Length };

struct SimFinishInfo
{
    SimFinish reason = SimFinish::Stop;
    SimUsageCounts usage;
    qint64 totalNs = 0;      // request complete → now
    qint64 promptNs = 0;     // request complete → first token
    qint64 generationNs = 0; // first token → now
};

enum class SimErrorKind {
    MissingKey,      // 401 in the provider's shape
    MissingVersion,  // Anthropic without anthropic-version: 400
    InvalidRequest,  // 400: unreadable body
    ModelNotFound,   // 404
    RateLimited,     // 429 (fault)
    ServerError,     // 500/502/503 (fault)
    Overloaded,      // 529 Anthropic, 503 elsewhere (fault)
    PayloadTooLarge, // 413
    UnknownPath,     // 404
};

// What an encoder needs to know about one response.
struct SimEncodeContext
{
    QString model;          // as reported back (the persona's snapshot, or what Ollama was asked)
    quint64 seed = 0;       // ids, paddings and obfuscation strings derive from it
    qint64 createdSecs = 0; // unix time of the request
    qint64 wallStartNs = 0; // unix time in ns of the request (Ollama timestamps)
    int inputTokens = 0;
    int reasoningTokens = 0; // all reasoning tokens of the answer, streamed or not
    bool reasoningVisible = false;
    bool includeUsage = false; // OpenAI chat stream_options.include_usage
    bool includeObfuscation = true;
    QString instructions; // Responses
    bool sealReasoning = false; // Responses: the reasoning item carries encrypted_content
    std::optional<int> maxTokens;
    std::optional<double> temperature;
    // Function calls the answer ends with, streamed after its text in the dialect's own shape.
    // An empty id is made up in the provider's style (Gemini and Ollama send none).
    QList<ChatToolCall> toolCalls;
};

// One dialect's byte-exact wire format: the stream pieces in order, whole bodies and errors.
// An encoder is stateful (sequence numbers, content block indexes) and serves one response.
class SimEncoder
{
public:
    explicit SimEncoder(SimEncodeContext context)
        : m_ctx(std::move(context))
    {}
    virtual ~SimEncoder() = default;
    SimEncoder(const SimEncoder &) = delete;
    SimEncoder &operator=(const SimEncoder &) = delete;

    [[nodiscard]] virtual QByteArray streamContentType() const = 0;
    // Response headers the provider sends besides Content-Type (request ids, rate limits).
    [[nodiscard]] virtual SimHeaders providerHeaders(int status) const = 0;

    // Stream pieces, appended to `out`.
    virtual void begin(QByteArray &out) = 0;
    virtual void reasoning(QByteArray &out, QByteArrayView piece) = 0;
    virtual void answer(QByteArray &out, QByteArrayView piece) = 0;
    virtual void finish(QByteArray &out, const SimFinishInfo &info) = 0;
    // The provider's in-band error after a 200; the stream ends after it.
    virtual void inBandError(QByteArray &out, bool overloaded) = 0;
    // One event whose JSON is cut off mid-string (fault "malformed").
    virtual void malformed(QByteArray &out) = 0;

    // A non-streamed answer (stream=false, or the json_body fault).
    [[nodiscard]] virtual SimHttpResponse wholeBody(const QByteArray &reasoning, const QByteArray &text,
                                                    const SimFinishInfo &info) = 0;
    [[nodiscard]] virtual SimHttpResponse error(SimErrorKind kind, const QString &detail,
                                                const SimFault &fault = {}) const = 0;

    // Wall clock of the next piece, for dialects that timestamp every line (Ollama).
    void setWallNs(qint64 ns) { m_wallNs = ns; }
    [[nodiscard]] const SimEncodeContext &context() const { return m_ctx; }

    static std::unique_ptr<SimEncoder> create(Dialect dialect, SimEncodeContext context);

protected:
    // Deterministic id characters: `n` picks from `alphabet`, derived from the context seed and `tag`.
    [[nodiscard]] QByteArray randomChars(QByteArrayView tag, int n, const char *alphabet) const;
    static void appendSse(QByteArray &out, QByteArrayView event, QByteArrayView data);
    static QByteArray retryAfterText(const SimFault &fault);
    // Call `index`'s id: the one the persona chose, else `prefix` + `n` seeded characters.
    [[nodiscard]] QByteArray toolCallId(int index, QByteArrayView prefix, int n) const;
    // A call's arguments cut into the fragments a streaming provider sends (two or three).
    [[nodiscard]] static QList<QByteArray> argumentPieces(const QString &arguments);
    // The arguments as a JSON object, {} when they are not one (Gemini and Ollama send objects).
    [[nodiscard]] static nlohmann::ordered_json argumentsObject(const QString &arguments);

    SimEncodeContext m_ctx;
    qint64 m_wallNs = 0;
};

inline constexpr char kSimBase62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
inline constexpr char kSimHex[] = "0123456789abcdef";

} // namespace Slopscope
