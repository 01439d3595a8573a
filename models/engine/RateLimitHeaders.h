#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QDateTime>
#include <QList>
#include <QPair>

#include <optional>

namespace Slopscope {

// What a provider's rate-limit response headers say about its budgets, and how long dispatch must
// pause once one is used up. Read:
//   OpenAI, Groq, Together, Cerebras…: x-ratelimit-remaining-{requests,tokens} and
//     x-ratelimit-reset-{requests,tokens} as a Go duration ("1s", "6m0s", "59.8ms", "1h2m3.5s")
//     or plain seconds ("7.66");
//   Anthropic: anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-{remaining,reset},
//     the reset an RFC 3339 time ("2026-05-01T12:00:07Z").
// Untrusted input: a value that does not parse, is negative or absurd (reset over a day) is
// ignored as if absent, never guessed at.
struct RateLimitHeaders
{
    // One budget (requests, tokens, input tokens, output tokens).
    struct Budget
    {
        QByteArray name; // "requests", "tokens", "input-tokens", "output-tokens"
        std::optional<qint64> remaining;
        std::optional<qint64> resetMs; // from the response until the budget refills
    };
    QList<Budget> budgets; // only those the response named with a usable value

    [[nodiscard]] bool isEmpty() const { return budgets.isEmpty(); }
    [[nodiscard]] const Budget *budget(QByteArrayView name) const;
    // How long to hold the provider: the latest reset among budgets whose remaining is 0; nullopt
    // when none is used up (or a used-up budget names no usable reset).
    [[nodiscard]] std::optional<qint64> pauseMs() const;

    // Headers with lower-case names (as PreparedRequest and the engine keep them); `now` is the
    // wall clock that RFC 3339 resets are measured from.
    static RateLimitHeaders parse(const QList<QPair<QByteArray, QByteArray>> &headers, const QDateTime &now);
    // Is this (lower-case) header one parse() reads? The engine keeps only those.
    static bool isRateLimitHeader(QByteArrayView lowerName);

    // "6m0s", "1.5s", "20ms", "250us", "1h" or bare seconds "7.66" → milliseconds (rounded up, so
    // a pause never ends early); nullopt for anything else.
    static std::optional<qint64> parseDurationMs(QByteArrayView text);
    // A non-negative integer count ("59", "0"); nullopt for anything else.
    static std::optional<qint64> parseCount(QByteArrayView text);
    // An RFC 3339 date-time with a Z or ±hh:mm offset, optional fractional seconds.
    static std::optional<QDateTime> parseRfc3339(QByteArrayView text);

    static constexpr qint64 kMaxResetMs = 24LL * 3600 * 1000;
};

} // namespace Slopscope
