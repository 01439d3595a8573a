#pragma once

#include "engine/FailureKind.h"
#include "stream/StreamTypes.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QDateTime>
#include <QString>

#include <functional>
#include <optional>

namespace Slopscope {

// What the policy needs to know about one failed attempt.
struct RetryInput
{
    FailureKind failure = FailureKind::None;
    int httpStatus = 0;
    // Raw response header values; empty when absent.
    QByteArray retryAfterMs;
    QByteArray retryAfter;
    QByteArray shouldRetry; // x-should-retry
    std::optional<ProviderError> providerError;
    QByteArray errorBody; // the start of a non-2xx body, for error codes the decoder did not surface
    bool contentDelivered = false;
    // The user's "retry truncated" choice: an answer that broke off (Truncated, ConnectionLost)
    // after content arrived is asked again from the start, the new attempt replacing it.
    bool retryTruncated = false;
    int retriesTaken = 0; // attempts so far minus one
    int maxRetries = 2;
};

struct RetryDecision
{
    bool retry = false;
    double delaySeconds = 0.0; // a server-requested delay includes its jitter
    bool delayFromServer = false; // retry-after-ms / retry-after / a body-carried delay
    // When not retrying although the failure class is retryable (e.g. "retry after 5 min"), or
    // when retrying can never help (quota): a human sentence to append to the error.
    QString note;
};

// Retry rules of the official OpenAI and Anthropic SDKs (WIRE-PROTOCOLS.md §8), with the
// benchmark refinements of RELIABILITY.md: quota 429s never retried, in-band "overloaded" before
// content retried like 529, nothing retried once content was delivered, TLS never retried.
// Pure: the RNG and the wall clock (for HTTP-date Retry-After) are injected.
class RetryPolicy final
{
    Q_DECLARE_TR_FUNCTIONS(RetryPolicy)

public:
    struct Settings
    {
        double initialDelaySeconds = 0.5;
        double maxDelaySeconds = 8.0;
        double maxServerDelaySeconds = 120.0; // a longer Retry-After fails the request instead
        // A server-requested delay is stretched by up to this fraction (never shortened), so the
        // clients a 429 stopped together do not all come back in the same millisecond.
        double serverDelayJitter = 0.2;
    };
    using Random = std::function<double()>; // uniform in [0, 1)
    using WallClock = std::function<QDateTime()>;

    RetryPolicy();
    RetryPolicy(Settings settings, Random random, WallClock wallClock);

    [[nodiscard]] RetryDecision decide(const RetryInput &input) const;

    // Would this failure be retried if retries were left? (No delay, no RNG use.)
    [[nodiscard]] bool isRetryable(const RetryInput &input) const;
    // True for 429 bodies that no wait can fix (insufficient_quota, enforced_spend_limit_reached).
    [[nodiscard]] static bool isQuotaError(const RetryInput &input);
    // True for in-band errors that mean "overloaded, try again" (Anthropic overloaded_error, 529).
    [[nodiscard]] static bool isOverloadedError(const ProviderError &error);

    // The server-requested delay in seconds: retry-after-ms, then retry-after as seconds, then as
    // an HTTP date relative to the wall clock. std::nullopt when absent or unparseable.
    [[nodiscard]] std::optional<double> serverDelaySeconds(const QByteArray &retryAfterMs,
                                                           const QByteArray &retryAfter) const;
    // min(initial·2^n, max)·(1 − 0.25·random()).
    [[nodiscard]] double backoffSeconds(int retriesTaken) const;

    [[nodiscard]] const Settings &settings() const { return m_settings; }

private:
    Settings m_settings;
    Random m_random;
    WallClock m_wallClock;
};

} // namespace Slopscope
