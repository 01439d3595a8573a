#include "sim/SimScheduleStats.h"

#include <algorithm>

namespace Slopscope {

SimScheduleStats::SimScheduleStats()
    : m_buckets(kBuckets, 0)
{}

void SimScheduleStats::add(qint64 lagNs)
{
    lagNs = std::max<qint64>(lagNs, 0);
    const auto bucket = static_cast<std::size_t>(std::min<qint64>(lagNs / kBucketNs, kBuckets - 1));
    ++m_buckets[bucket];
    ++m_count;
    m_maxNs = std::max(m_maxNs, lagNs);
    m_sumNs += static_cast<double>(lagNs);
}

void SimScheduleStats::reset()
{
    std::fill(m_buckets.begin(), m_buckets.end(), 0);
    m_count = 0;
    m_maxNs = 0;
    m_sumNs = 0.0;
}

double SimScheduleStats::meanMs() const
{
    return m_count == 0 ? 0.0 : m_sumNs / static_cast<double>(m_count) / 1e6;
}

double SimScheduleStats::percentileMs(double p) const
{
    if (m_count == 0)
        return 0.0;
    const auto target = static_cast<qint64>(std::clamp(p, 0.0, 1.0) * static_cast<double>(m_count - 1)) + 1;
    qint64 seen = 0;
    for (int i = 0; i < kBuckets; ++i) {
        seen += m_buckets[static_cast<std::size_t>(i)];
        if (seen >= target)
            return std::min(static_cast<double>((i + 1) * kBucketNs), static_cast<double>(m_maxNs)) / 1e6;
    }
    return maxMs();
}

} // namespace Slopscope
