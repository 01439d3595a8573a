#pragma once

// Shared by the engine benchmarks (bench_client_throughput, bench_timing_accuracy): personas for
// the simulator, one simulated provider per dialect, the engine's dependencies, and the step from
// the engine's record to the metrics library's timeline (as RunSession takes it).

#include "core/Workspace.h"
#include "engine/JobResult.h"
#include "engine/RunScheduler.h"
#include "metrics/Timeline.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <vector>

namespace Slopscope::Bench {

// Every dialect, in the order the benchmarks report them.
QList<Dialect> allDialects();
// The model id of the benchmark persona that speaks `dialect` ("bench-openai-chat", ...).
QString modelFor(Dialect dialect);
// A personas document with one persona per dialect, all with this timing and no thinking.
QByteArray personasJson(double ttftMedianMs, double ttftSpread, double tokensPerSecond);
// A provider on the embedded simulator ("{simulator}…", simulated) for `dialect`.
ProviderConfig simulatedProvider(Dialect dialect, int maxConcurrency, const QHash<QString, QString> &headers);
// The production dependencies (real decoders, steady clock) with a fixed dummy key for the
// simulator, which accepts any non-empty key.
RunScheduler::Dependencies dependencies(const QString &simulatorBaseUrl);
// Nearest-rank percentile (q in [0, 1]); 0 for an empty list.
double percentile(std::vector<double> values, double q);
// User + system CPU time of the whole process, in nanoseconds.
qint64 processCpuNs();

} // namespace Slopscope::Bench
