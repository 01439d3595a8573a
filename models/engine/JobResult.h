#pragma once

#include "engine/FailureKind.h"
#include "engine/RequestTimeline.h"
#include "stream/StreamTypes.h"

#include <QMetaType>
#include <QString>

namespace Slopscope {

enum class JobState {
    Queued,
    Running,
    Waiting, // between attempts (backoff / Retry-After)
    Completed,
    Incomplete, // the provider said it stopped early
    Truncated,  // partial answer, the stream broke or ended without its end marker
    Failed,     // an error; partial text, if any, is kept in result
    Cancelled,  // by the user: not an error; partial text kept
};

// A job's final word: emitted once per job by RunScheduler::jobFinished.
struct JobResult
{
    QString jobId;
    QString targetId;
    QString providerId;
    JobState state = JobState::Queued;
    StreamResult result; // of the last attempt
    FailureKind failure = FailureKind::None;
    QString error; // human message; empty when Completed or Cancelled
    RequestTimeline timeline;

    [[nodiscard]] int attempts() const { return static_cast<int>(timeline.attempts.size()); }
    // A proxy refused the request for want of (valid) credentials: the GUI asks for them.
    [[nodiscard]] bool proxyRefusedCredentials() const
    {
        return failure == FailureKind::Proxy && !timeline.attempts.isEmpty() &&
               timeline.attempts.constLast().httpStatus == 407;
    }
};

} // namespace Slopscope

Q_DECLARE_METATYPE(Slopscope::JobResult)
