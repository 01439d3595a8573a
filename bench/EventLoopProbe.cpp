#include "EventLoopProbe.h"

#include "GuiBenchKit.h"

#include <algorithm>

namespace Slopscope::Bench {

EventLoopProbe::EventLoopProbe(QObject *parent)
    : QObject(parent)
{
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(1);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        const qint64 t = nowNs();
        if (m_lastNs != 0)
            m_gaps.emplace_back(static_cast<double>(t - m_lastNs) / 1e6, static_cast<double>(t - m_originNs) / 1e9);
        m_lastNs = t;
    });
}

void EventLoopProbe::start(qint64 originNs)
{
    m_originNs = originNs;
    m_lastNs = 0;
    m_gaps.clear();
    m_gaps.reserve(200'000);
    m_timer.start();
}

void EventLoopProbe::stop()
{
    m_timer.stop();
}

EventLoopProbe::Summary EventLoopProbe::summary(double limitMs) const
{
    std::vector<double> sorted;
    sorted.reserve(m_gaps.size());
    for (const auto &g : m_gaps)
        sorted.push_back(g.first);
    std::sort(sorted.begin(), sorted.end());
    Summary s;
    s.count = sorted.size();
    s.p50 = percentileOfSorted(sorted, 0.5);
    s.p99 = percentileOfSorted(sorted, 0.99);
    s.max = sorted.empty() ? 0 : sorted.back();
    s.over = static_cast<std::size_t>(
        std::count_if(sorted.begin(), sorted.end(), [limitMs](double g) { return g > limitMs; }));
    return s;
}

std::vector<std::pair<double, double>> EventLoopProbe::worst(std::size_t n) const
{
    std::vector<std::pair<double, double>> out = m_gaps;
    const std::size_t k = std::min(n, out.size());
    std::partial_sort(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(k), out.end(),
                      [](const auto &a, const auto &b) { return a.first > b.first; });
    out.resize(k);
    return out;
}

} // namespace Slopscope::Bench
