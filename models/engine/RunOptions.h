#pragma once

#include <QString>
#include <QStringList>
#include <QtGlobal>

namespace Slopscope {

// Per-provider dispatch limits. 0 means "no limit" for the rate limits.
struct ProviderLimits
{
    int maxConcurrency = 4;
    int requestsPerMinute = 0;
    qint64 tokensPerMinute = 0; // estimated from the prompt size and max_tokens at dispatch
};

struct RunOptions
{
    quint64 seed = 0;                // orders the targets inside each case/repeat
    bool oneProviderAtATime = false; // clean speed figures: no provider shares the link
    int globalConcurrency = 64;
    int batchIntervalMs = 25; // content batches per job at most this often
    // At most one request starts per this many microseconds (0: no pacing). Starting a whole wave
    // at once has every network thread, and a local server, busy in the same few milliseconds,
    // and the "sent" and "first token" stamps taken then are late by as much (issue #4's TTFT
    // error at 32 streams: up to 17 ms when not paced, under 4 ms at 1 ms apart). A wave of 64
    // takes 64 ms to leave; real TTFTs are hundreds of milliseconds.
    int launchSpacingUs = 1000;
    qint64 rateWindowMs = 60'000; // the "minute" of rpm/tpm (shortened in tests)
    qint64 maxResponseBytes = 64LL * 1024 * 1024;
    // The circuit breaker (RetryBudget): per provider and rate window, at most
    // max(retryBudgetFloor, retryBudgetRatio × attempts) retries; beyond that the provider pauses.
    // A negative floor turns it off.
    int retryBudgetFloor = 10;
    double retryBudgetRatio = 0.1;
    // Open each provider's first-wave connections at start (connectToHost, no request, no key)
    // and send the first wave once they are up, so TCP/TLS set-up stays out of its TTFT. The wait
    // is bounded by preconnectWaitMs and by the providers' connect timeouts; a preconnect that
    // fails only ends the wait: its request connects itself and reports its own error. Off in
    // tests that count connections as requests make them.
    bool preconnect = true;
    int preconnectWaitMs = 1000;
    // RELIABILITY F-3's opt-in: an answer that broke off after content arrived (connection lost,
    // stream ended without its terminal marker) is sent again within the provider's retries; the
    // new attempt's answer replaces the partial one. Off by default: a retry costs tokens twice.
    bool retryTruncated = false;
    // The workspace's "no_proxy" entries, joined to the environment's (ProxyRules::addBypass).
    QStringList noProxy;
    // Proxy credentials the user typed after a 407, for this session only (ProxyRules::setCredentials).
    // Held in memory, never written anywhere; empty user: none.
    QString proxyUser;
    QString proxyPassword;
    // Hosts (lower case) the user allowed to receive a key over plain HTTP (RELIABILITY S-7's
    // consent, "once" or "always"): a provider whose base URL is http:// to one of them sends its
    // key as if it set "allow_insecure_key". The GUI keeps the list; the engine only reads it.
    QStringList plainHttpKeyHosts;
};

} // namespace Slopscope
