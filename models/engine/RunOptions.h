#pragma once

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
    int batchIntervalMs = 25;     // content batches per job at most this often
    qint64 rateWindowMs = 60'000; // the "minute" of rpm/tpm (shortened in tests)
    qint64 maxResponseBytes = 64LL * 1024 * 1024;
    // The circuit breaker (RetryBudget): per provider and rate window, at most
    // max(retryBudgetFloor, retryBudgetRatio × attempts) retries; beyond that the provider pauses.
    // A negative floor turns it off.
    int retryBudgetFloor = 10;
    double retryBudgetRatio = 0.1;
};

} // namespace Slopscope
