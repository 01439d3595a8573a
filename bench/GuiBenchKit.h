#pragma once

// Shared by the GUI benchmarks (bench_gui_stall, bench_gui_load): clocks, the process's memory
// from /proc, and writing the generated workspace and suite files.

#include <QByteArray>
#include <QString>
#include <QtGlobal>

#include <vector>

namespace Slopscope::Bench {

// steady_clock (CLOCK_MONOTONIC) in nanoseconds.
qint64 nowNs();
// CPU time of the calling thread, in nanoseconds.
qint64 threadCpuNs();
// Nearest-rank percentile of an already sorted list (p in (0, 1]); 0 for an empty list.
double percentileOfSorted(const std::vector<double> &sorted, double p);
bool writeFile(const QString &path, const QByteArray &bytes);

// VmRSS (resident now) and VmHWM (the peak so far) of this process, in KiB; -1 when unreadable.
struct ProcessMemory
{
    qint64 rssKiB = -1;
    qint64 peakKiB = -1;
};
ProcessMemory processMemory();

} // namespace Slopscope::Bench
