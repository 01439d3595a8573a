#pragma once

#include "engine/FailureKind.h"
#include "stream/StreamTypes.h"

#include <QList>
#include <QString>

#include <optional>

namespace Slopscope {

// One content delta as it arrived: when, what kind, how big. The metrics library turns these
// into TTFT, tokens/s and stall figures later.
struct DeltaStamp
{
    qint64 atNs = 0;
    ContentKind kind = ContentKind::Answer;
    qsizetype chars = 0; // UTF-16 code units of the delta's text
};

// One HTTP attempt. Time stamps are the injected monotonic clock (ns); unset = never happened.
struct AttemptRecord
{
    int index = 0;                     // 0 for the first attempt
    qint64 waitBeforeMs = 0;           // the planned backoff / Retry-After wait before this attempt
    std::optional<qint64> startedNs;   // posted to Qt (leaves our queue)
    std::optional<qint64> sentNs;      // request fully written (QNetworkReply::requestSent)
    std::optional<qint64> headersNs;   // status line and headers received
    std::optional<qint64> firstByteNs; // first body bytes
    std::optional<qint64> endNs;
    int httpStatus = 0;
    qint64 bytesReceived = 0; // body bytes
    QList<DeltaStamp> deltas;
    FailureKind failure = FailureKind::None;
    QString error; // human message; empty on success
    bool http2 = false;

    [[nodiscard]] bool contentDelivered() const { return !deltas.isEmpty(); }
};

// The raw timeline of one job: when it was queued and every attempt it took.
struct RequestTimeline
{
    std::optional<qint64> queuedNs;
    QList<AttemptRecord> attempts;
    std::optional<qint64> endNs;
};

} // namespace Slopscope
