#pragma once

#include <QtGlobal>

#include <vector>

namespace Slopscope {

// How late the scheduler wrote tokens compared with their due time: a histogram at 10 µs
// resolution (up to 1 s; later ones count in the last bucket) plus the exact maximum.
class SimScheduleStats final
{
public:
    SimScheduleStats();

    void add(qint64 lagNs);
    void reset();

    [[nodiscard]] qint64 count() const { return m_count; }
    [[nodiscard]] double maxMs() const { return static_cast<double>(m_maxNs) / 1e6; }
    [[nodiscard]] double meanMs() const;
    // p in [0, 1]; upper edge of the bucket holding that quantile.
    [[nodiscard]] double percentileMs(double p) const;

private:
    static constexpr qint64 kBucketNs = 10'000;
    static constexpr int kBuckets = 100'000;
    std::vector<quint32> m_buckets;
    qint64 m_count = 0;
    qint64 m_maxNs = 0;
    double m_sumNs = 0.0;
};

} // namespace Slopscope
