#pragma once

#include <QtGlobal>

#include <set>

namespace Slopscope {

// One provider's retry budget, the circuit breaker of RELIABILITY.md ("≤ 10 % of requests in any
// 60 s window"): in any window, a provider may retry max(floor, ratio × its attempts in that
// window) times. A retry beyond that is not dropped: it waits until the oldest retry it has to
// displace leaves the window, and the scheduler holds the whole provider until then, so a provider
// that fails most requests is not hammered while it is down.
// Pure: the caller passes the time and the attempt count, so tests assert exact release times.
class RetryBudget final
{
public:
    RetryBudget() = default;
    RetryBudget(int floor, double ratio, qint64 windowMs);

    // Books one retry asked for at nowMs. Returns when it may go: nowMs when the budget has room,
    // else the time a booked retry leaves the window (later retries queue behind earlier ones).
    qint64 book(qint64 nowMs, qint64 attemptsInWindow);
    // Retries booked in the window that ends at nowMs, those released later included.
    [[nodiscard]] int booked(qint64 nowMs);
    [[nodiscard]] int allowance(qint64 attemptsInWindow) const;
    [[nodiscard]] qint64 windowMs() const { return m_windowMs; }
    [[nodiscard]] bool enabled() const { return m_floor >= 0; }

private:
    void forgetBefore(qint64 nowMs);

    int m_floor = -1; // negative: no budget
    double m_ratio = 0.0;
    qint64 m_windowMs = 60'000;
    std::multiset<qint64> m_releases; // when each booked retry was (or will be) sent
};

} // namespace Slopscope
