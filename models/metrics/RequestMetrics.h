#pragma once

#include "metrics/Timeline.h"
#include "stream/StreamTypes.h"

#include <optional>

namespace Slopscope {

struct MetricsOptions
{
    // An inter-chunk gap longer than this is a stall.
    qint64 stallThresholdNs = 2'000'000'000;
    // Used only when no token count is known: roughly 4 characters per token for English text and code.
    double charactersPerToken = 4.0;
};

// Derived timing of one request. Durations are nanoseconds. Every field that cannot be defined from
// what was recorded is empty (no content: no TTFT; one token: no ITL) rather than 0.
//
// Definitions (docs/METRICS.md has them with worked examples). "Content chunk" means a chunk with
// characters > 0 or a token count > 0; empty deltas are ignored everywhere.
//   queueWait  = sent − queued;  timeToHeaders = headers − sent;  timeToFirstByte = firstByte − sent
//   ttft       = t(first content chunk of any kind) − sent
//   ttfat      = t(first content chunk that is not Reasoning) − sent
//   e2e        = end − sent          (the answering attempt only)
//   total      = end − queued        (includes queueing, retries and their waits)
//   outputTokens = usage.outputTokens; when unknown, Σ chunk tokens (a chunk's own count, else
//                  characters ÷ charactersPerToken), with tokensEstimated = true unless every chunk
//                  carried its own count.
//   hidden     = usage.reasoningTokens when usage reports reasoning but no Reasoning chunk arrived
//                (the reasoning was generated, unseen, before the first chunk), else 0
//   streamedTokens N = outputTokens − hidden
//   firstChunkTokens = the first content chunk's own count; else, with reported usage,
//                  N × characters(first) ÷ Σ characters(all content chunks) (its share of the text);
//                  else characters(first) ÷ charactersPerToken
//   decodeTokensPerSecond = (N − firstChunkTokens) ÷ (t(last content chunk) − t(first content chunk));
//                  needs two content chunks, a positive interval and a positive numerator
//   itl        = (e2e − ttft) ÷ (N − 1); needs N > 1 and a streamed response
//   gaps       = t(chunk i) − t(chunk i−1) over consecutive content chunks; p50/p95 by nearest rank
//                (the ⌈q·n⌉-th smallest), max; empty with fewer than two content chunks
//   stalls     = gaps > stallThresholdNs (count and summed length)
struct RequestMetrics
{
    std::optional<qint64> queueWaitNs;
    std::optional<qint64> timeToHeadersNs;
    std::optional<qint64> timeToFirstByteNs;
    std::optional<qint64> ttftNs;
    std::optional<qint64> ttfatNs;
    std::optional<qint64> e2eNs;
    std::optional<qint64> totalNs;

    std::optional<double> outputTokens;
    std::optional<double> streamedTokens;
    bool tokensEstimated = false; // outputTokens, decode rate and ITL rest on a character estimate

    std::optional<double> decodeTokensPerSecond;
    std::optional<double> itlNs;

    std::optional<qint64> gapP50Ns;
    std::optional<qint64> gapP95Ns;
    std::optional<qint64> gapMaxNs;
    int stallCount = 0;
    qint64 stallNs = 0;

    int contentChunks = 0;
    qint64 bytesReceived = 0;
    int attempts = 0;
    bool streamed = true;
};

// Pure: the same timeline and usage always give the same metrics.
RequestMetrics computeMetrics(const Timeline &timeline, const std::optional<Usage> &usage,
                              const MetricsOptions &options = {});

} // namespace Slopscope
