#include "GuiBenchKit.h"

#include <QFile>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>

namespace Slopscope::Bench {

qint64 nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

qint64 threadCpuNs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<qint64>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

double percentileOfSorted(const std::vector<double> &sorted, double p)
{
    if (sorted.empty())
        return 0;
    const auto i = static_cast<std::size_t>(std::ceil(p * static_cast<double>(sorted.size()))) - 1;
    return sorted[std::min(i, sorted.size() - 1)];
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

ProcessMemory processMemory()
{
    ProcessMemory out;
    // /proc files report a size of 0, so read to the end rather than by size.
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return out;
    const QList<QByteArray> lines = f.readAll().split('\n');
    for (const QByteArray &line : lines) {
        const auto value = [&line] {
            // "VmRSS:\t  123456 kB"
            const QByteArray rest = line.mid(line.indexOf(':') + 1).trimmed();
            bool ok = false;
            const qint64 kib = rest.left(rest.indexOf(' ')).toLongLong(&ok);
            return ok ? kib : -1;
        };
        if (line.startsWith("VmRSS:"))
            out.rssKiB = value();
        else if (line.startsWith("VmHWM:"))
            out.peakKiB = value();
    }
    return out;
}

} // namespace Slopscope::Bench
