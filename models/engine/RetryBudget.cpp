#include "engine/RetryBudget.h"

#include <algorithm>
#include <cmath>
#include <iterator>

namespace Slopscope {

RetryBudget::RetryBudget(int floor, double ratio, qint64 windowMs)
    : m_floor(floor)
    , m_ratio(std::max(0.0, ratio))
    , m_windowMs(std::max<qint64>(1, windowMs))
{}

void RetryBudget::forgetBefore(qint64 nowMs)
{
    while (!m_releases.empty() && *m_releases.begin() + m_windowMs <= nowMs)
        m_releases.erase(m_releases.begin());
}

int RetryBudget::booked(qint64 nowMs)
{
    forgetBefore(nowMs);
    return static_cast<int>(m_releases.size());
}

int RetryBudget::allowance(qint64 attemptsInWindow) const
{
    const auto byRatio = static_cast<int>(std::floor(m_ratio * static_cast<double>(std::max<qint64>(0, attemptsInWindow))));
    return std::max(m_floor, byRatio);
}

qint64 RetryBudget::book(qint64 nowMs, qint64 attemptsInWindow)
{
    if (!enabled())
        return nowMs;
    forgetBefore(nowMs);
    const int allowed = std::max(1, allowance(attemptsInWindow));
    const auto count = static_cast<int>(m_releases.size());
    qint64 release = nowMs;
    if (count >= allowed) {
        // The window must shed (count − allowed + 1) retries first: the one at index count − allowed
        // is the last of them, and this retry goes when it leaves.
        release = std::max(nowMs, *std::next(m_releases.begin(), count - allowed) + m_windowMs);
    }
    m_releases.insert(release);
    return release;
}

} // namespace Slopscope
