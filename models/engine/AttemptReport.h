#pragma once

#include "engine/RequestTimeline.h"
#include "stream/StreamTypes.h"

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QPair>

namespace Slopscope {

// What one attempt left behind: its timeline record, the decoded result so far, and the response
// details the retry policy reads.
struct AttemptReport
{
    AttemptRecord record;
    StreamResult result;
    QByteArray contentType;
    QByteArray retryAfterMs;
    QByteArray retryAfter;
    QByteArray shouldRetry;
    QByteArray location;  // of a 3xx
    QByteArray errorBody; // the first bytes of a non-2xx body
    // The response's rate-limit headers (RateLimitHeaders::isRateLimitHeader), names lower-case.
    QList<QPair<QByteArray, QByteArray>> rateLimitHeaders;
};

} // namespace Slopscope

Q_DECLARE_METATYPE(Slopscope::AttemptReport)
