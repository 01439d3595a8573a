#include "metrics/RequestMetrics.h"

#include <algorithm>
#include <vector>

namespace Slopscope {

namespace {

std::optional<qint64> between(const std::optional<qint64> &from, const std::optional<qint64> &to)
{
    if (!from || !to)
        return std::nullopt;
    return *to - *from;
}

bool isContent(const TimelineChunk &c)
{
    return c.characters > 0 || c.tokens.value_or(0) > 0;
}

// The ⌈q·n⌉-th smallest of n sorted values (nearest rank), with q = percent / 100, in integers so
// that e.g. p95 of 20 values is the 19th and not, by rounding, the 20th.
qint64 nearestRank(const std::vector<qint64> &sorted, int percent)
{
    const auto n = static_cast<qint64>(sorted.size());
    const qint64 rank = std::max<qint64>(1, (percent * n + 99) / 100);
    return sorted[static_cast<size_t>(rank - 1)];
}

} // namespace

RequestMetrics computeMetrics(const Timeline &timeline, const std::optional<Usage> &usage,
                              const MetricsOptions &options)
{
    RequestMetrics m;
    m.bytesReceived = timeline.bytesReceived;
    m.attempts = timeline.attempts;
    m.streamed = timeline.streamed;
    m.queueWaitNs = between(timeline.queued, timeline.sent);
    m.timeToHeadersNs = between(timeline.sent, timeline.headers);
    m.timeToFirstByteNs = between(timeline.sent, timeline.firstByte);
    m.e2eNs = between(timeline.sent, timeline.end);
    m.totalNs = between(timeline.queued, timeline.end);

    const double perToken = options.charactersPerToken > 0 ? options.charactersPerToken : 4.0;
    const auto ownOrEstimated = [perToken](const TimelineChunk &c) {
        return c.tokens ? static_cast<double>(*c.tokens) : c.characters / perToken;
    };

    const TimelineChunk *first = nullptr;
    const TimelineChunk *last = nullptr;
    const TimelineChunk *previous = nullptr;
    qint64 totalCharacters = 0;
    double chunkTokenSum = 0;
    bool everyChunkCounted = true;
    bool sawReasoning = false;
    std::vector<qint64> gaps;
    gaps.reserve(static_cast<size_t>(timeline.chunks.size()));
    for (const TimelineChunk &c : timeline.chunks) {
        if (!isContent(c))
            continue;
        ++m.contentChunks;
        if (!first)
            first = &c;
        last = &c;
        if (c.kind == ContentKind::Reasoning)
            sawReasoning = true;
        else if (!m.ttfatNs && timeline.sent)
            m.ttfatNs = c.t - *timeline.sent;
        totalCharacters += c.characters;
        chunkTokenSum += ownOrEstimated(c);
        everyChunkCounted = everyChunkCounted && c.tokens.has_value();
        if (previous) {
            const qint64 gap = c.t - previous->t;
            gaps.push_back(gap);
            if (gap > options.stallThresholdNs) {
                ++m.stallCount;
                m.stallNs += gap;
            }
        }
        previous = &c;
    }
    if (first && timeline.sent)
        m.ttftNs = first->t - *timeline.sent;

    if (!gaps.empty()) {
        std::sort(gaps.begin(), gaps.end());
        m.gapP50Ns = nearestRank(gaps, 50);
        m.gapP95Ns = nearestRank(gaps, 95);
        m.gapMaxNs = gaps.back();
    }

    // Tokens: the reported count wins; otherwise the chunks' own counts or the character estimate.
    const bool reported = usage && usage->outputTokens.has_value();
    if (reported) {
        m.outputTokens = static_cast<double>(*usage->outputTokens);
        const qint64 hidden = (!sawReasoning && usage->reasoningTokens) ? *usage->reasoningTokens : 0;
        m.streamedTokens = std::max(0.0, *m.outputTokens - static_cast<double>(std::max<qint64>(0, hidden)));
    } else if (first) {
        m.outputTokens = chunkTokenSum;
        m.streamedTokens = chunkTokenSum;
        m.tokensEstimated = !everyChunkCounted;
    }

    if (m.streamedTokens) {
        const double n = *m.streamedTokens;
        if (first && last != first && last->t > first->t) {
            double firstTokens = 0;
            if (first->tokens)
                firstTokens = *first->tokens;
            else if (reported)
                firstTokens = totalCharacters > 0 ? n * first->characters / static_cast<double>(totalCharacters) : 0;
            else
                firstTokens = ownOrEstimated(*first);
            const double decoded = n - firstTokens;
            if (decoded > 0)
                m.decodeTokensPerSecond = decoded / (static_cast<double>(last->t - first->t) / 1e9);
        }
        // A whole (non-streamed) body arrives at once: its chunk spacing says nothing about decoding.
        if (timeline.streamed && n > 1 && m.e2eNs && m.ttftNs)
            m.itlNs = static_cast<double>(*m.e2eNs - *m.ttftNs) / (n - 1);
    }
    return m;
}

} // namespace Slopscope
