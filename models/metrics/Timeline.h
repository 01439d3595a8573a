#pragma once

#include "core/Result.h"
#include "stream/StreamTypes.h"

#include <QByteArray>
#include <QList>

#include <optional>

namespace Slopscope {

// One piece of generated content as the engine saw it arrive.
struct TimelineChunk
{
    qint64 t = 0; // nanoseconds, same monotonic clock as the Timeline stamps
    ContentKind kind = ContentKind::Answer;
    qint32 characters = 0; // QString::size() of the delta (UTF-16 code units)
    // Tokens in this chunk when something counted them (a provider's per-chunk count, cumulative usage
    // deltas). Unset: metrics estimate from characters.
    std::optional<qint32> tokens;

    friend bool operator==(const TimelineChunk &, const TimelineChunk &) = default;
};

// The raw timing record of one request. Stamps are nanoseconds from one monotonic clock supplied by
// the engine (e.g. QElapsedTimer::nsecsElapsed()); metrics code never reads a clock itself. Any stamp
// may be missing: a request that failed before its headers has no `headers`, no `firstByte`, no chunks.
struct Timeline
{
    std::optional<qint64> queued;    // accepted by the scheduler
    std::optional<qint64> sent;      // the attempt that produced this response was sent (last attempt)
    std::optional<qint64> headers;   // response headers received
    std::optional<qint64> firstByte; // first body byte received
    QList<TimelineChunk> chunks;     // content deltas in arrival order
    std::optional<qint64> end;       // body finished, failed or was cancelled
    qint64 bytesReceived = 0;        // body bytes of the last attempt
    int attempts = 0;                // 1 when the first attempt answered; retries add to it
    bool streamed = true;            // false when a whole JSON body came back

    void addChunk(qint64 t, ContentKind kind, qint32 characters, std::optional<qint32> tokens = std::nullopt);

    // Compact binary form for the history store: a 3-byte header, presence flags, then every stamp as a
    // zigzag varint delta from the previous one (a 500-chunk stream takes about 2.5 KB).
    [[nodiscard]] QByteArray serialize() const;
    // The inverse of serialize(). Any malformed blob (truncated, trailing bytes, unknown version, kind
    // or flag, overflowing values) is an Error naming the problem and its byte offset; never a guess.
    static Result<Timeline> deserialize(const QByteArray &blob);

    friend bool operator==(const Timeline &, const Timeline &) = default;
};

} // namespace Slopscope
