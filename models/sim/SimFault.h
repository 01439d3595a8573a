#pragma once

#include "core/Result.h"

#include <QString>

#include <optional>

namespace Slopscope {

// A misbehaviour to act out, parsed from `kind[;param=value...]` (the x-sim-fault header or a
// persona's fault rules). See docs/SIMULATOR.md for the list.
struct SimFault
{
    enum class Kind {
        None,
        RateLimit,        // 429 with retry-after / retry-after-ms (Gemini: RetryInfo in the body)
        ServerError,      // 500, 502 or 503 in the provider's error shape
        Overloaded,       // 529 overloaded_error (Anthropic); 503 elsewhere
        OverloadedInBand, // after N tokens: Anthropic event: error overloaded_error, others their in-band error
        ErrorInBand,      // after N tokens: OpenAI {"error":...} chunk, Anthropic api_error, ...
        Drop,             // close the connection after N tokens
        Stall,            // stop writing after N tokens (for ms, or until the client gives up)
        Trickle,          // the body one byte every interval_ms
        Html502,          // a proxy's HTML 502 page
        JsonBody,         // a whole JSON body although a stream was asked for
        Malformed,        // after N tokens, one data line of broken JSON, then carry on
        Redirect,         // 307 to the same path on another port
    };

    Kind kind = Kind::None;
    int after = 0;                  // tokens before the fault strikes (in-band kinds, drop, stall, malformed)
    int status = 0;                 // ServerError: 500/502/503; Redirect: 301/302/307/308
    double retryAfterSeconds = 1.0; // RateLimit
    std::optional<qint64> retryAfterMs;
    qint64 stallMs = -1; // Stall: -1 = forever
    int intervalMs = 50; // Trickle
    int port = 0;        // Redirect: 0 = this server's own port

    [[nodiscard]] bool isNone() const { return kind == Kind::None; }
    // True for the kinds that replace the response before any byte of it is sent.
    [[nodiscard]] bool isUpFront() const;

    static Result<SimFault> parse(const QString &spec);
    // The canonical spec text, e.g. "rate_limit;retry_after=2" (logged as the request's fault).
    [[nodiscard]] QString toString() const;
    static QString kindName(Kind kind);
};

} // namespace Slopscope
