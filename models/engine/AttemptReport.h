#pragma once

#include "engine/RequestTimeline.h"
#include "stream/StreamTypes.h"

#include <QByteArray>
#include <QMetaType>

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
};

} // namespace Slopscope

Q_DECLARE_METATYPE(Slopscope::AttemptReport)
