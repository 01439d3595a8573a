#pragma once

#include "engine/JobResult.h"
#include "metrics/Timeline.h"

namespace Slopscope {

// The metrics library's flat timeline, from the engine's per-attempt record: the answering
// (last) attempt's stamps, with the queue time and the attempt count of the whole job. The run,
// the history and the benches all measure a job through this one reading.
[[nodiscard]] Timeline jobTimeline(const JobResult &job);

} // namespace Slopscope
