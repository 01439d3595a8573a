#include "run/JobTimeline.h"

namespace Slopscope {

Timeline jobTimeline(const JobResult &job)
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
        t.chunks.reserve(last.deltas.size());
        for (const DeltaStamp &d : last.deltas)
            t.addChunk(d.atNs, d.kind, static_cast<qint32>(d.chars));
        t.end = last.endNs;
    }
    if (job.timeline.endNs)
        t.end = job.timeline.endNs;
    return t;
}

} // namespace Slopscope
