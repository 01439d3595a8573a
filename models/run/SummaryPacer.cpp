#include "run/SummaryPacer.h"

#include <algorithm>

namespace Slopscope {

void SummaryPacer::recordFlushCost(qint64 costMs)
{
    const qint64 wanted = std::max<qint64>(costMs, 0) * kCostShare;
    m_intervalMs = static_cast<int>(std::clamp<qint64>(wanted, kMinIntervalMs, kMaxIntervalMs));
}

int SummaryPacer::liveBootstrapIterations(qsizetype cases)
{
    if (cases <= 0)
        return kFullIterations;
    const qint64 fit = kLiveDrawBudget / cases;
    return static_cast<int>(std::clamp<qint64>(fit, kMinLiveIterations, kFullIterations));
}

} // namespace Slopscope
