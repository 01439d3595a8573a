#pragma once

// Helpers RunSession's parts share (RunSession.cpp, RunSessionJudges.cpp, RunSummary.cpp); not an
// interface for anyone else.

#include "engine/ChatRequest.h"
#include "engine/JobResult.h"
#include "metrics/RequestMetrics.h"
#include "metrics/Timeline.h"

#include <QLatin1StringView>
#include <QString>

#include <cstdint>
#include <optional>

namespace Slopscope::RunDetail {

// The metrics library's flat timeline, from the engine's per-attempt record: the answering
// (last) attempt's stamps, with the queue time and the attempt count of the whole job.
inline Timeline toTimeline(const JobResult &job)
{
    Timeline t;
    t.queued = job.timeline.queuedNs;
    t.attempts = job.attempts();
    t.streamed = job.result.streamed;
    if (!job.timeline.attempts.isEmpty()) {
        const AttemptRecord &last = job.timeline.attempts.last();
        t.sent = last.sentNs ? last.sentNs : last.startedNs;
        t.headers = last.headersNs;
        t.firstByte = last.firstByteNs;
        t.bytesReceived = last.bytesReceived;
        for (const DeltaStamp &d : last.deltas)
            t.addChunk(d.atNs, d.kind, static_cast<qint32>(d.chars));
        t.end = last.endNs;
    }
    if (job.timeline.endNs)
        t.end = job.timeline.endNs;
    return t;
}

// FNV-1a of the UTF-8 bytes: the same seed for the same target on every machine and Qt version
// (qHash may use a different algorithm per CPU), so intervals are reproducible.
inline std::uint64_t stableSeed(const QString &text)
{
    std::uint64_t h = 1469598103934665603ULL;
    for (const char byte : text.toUtf8()) {
        h ^= static_cast<unsigned char>(byte);
        h *= 1099511628211ULL;
    }
    return h;
}

constexpr auto kJudgePrefix = QLatin1StringView("judge|");

inline QString groupKeyOf(const ChatRequest &r)
{
    return QStringLiteral("%1|%2|%3").arg(r.caseId, r.variantId).arg(r.repeat);
}

inline std::optional<double> e2eMs(const RequestMetrics &m)
{
    if (!m.e2eNs)
        return std::nullopt;
    return static_cast<double>(*m.e2eNs) / 1e6;
}

} // namespace Slopscope::RunDetail
