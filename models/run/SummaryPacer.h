#pragma once

#include <QtGlobal>

namespace Slopscope {

// How often, and how thoroughly, RunSession recomputes its live per-target summaries.
//
// A summary is recomputed over all of a target's cells, so its cost grows with the run: a fixed
// 250 ms tick ate most of the GUI thread late in a 30,000-cell run (bench_run_session, L-2). The
// pacer spaces the ticks by the last flush's measured cost, so live summaries never take more than
// about a tenth of the thread, and caps the bootstrap's resampling work per target, so the
// intervals' share of that cost stays flat however many cases a target has. The figures at the
// end of a run are computed in full (RunSession::summaries(), the final flush), not paced.
class SummaryPacer final
{
public:
    static constexpr int kMinIntervalMs = 250;
    static constexpr int kMaxIntervalMs = 4000;  // beyond this the figures no longer feel live
    static constexpr int kCostShare = 10;        // wait ten times what the last flush cost
    static constexpr int kFullIterations = 2000; // Stats::bootstrapMean's default
    static constexpr int kMinLiveIterations = 200;
    // Resampled draws allowed per target and live flush: 2,000 iterations up to 100 cases.
    static constexpr qint64 kLiveDrawBudget = 200'000;

    // The interval before the next live flush, from the cost of the one just done.
    void recordFlushCost(qint64 costMs);
    [[nodiscard]] int intervalMs() const { return m_intervalMs; }
    // Back to the shortest interval, for a new run.
    void reset() { m_intervalMs = kMinIntervalMs; }

    // Bootstrap iterations for a live summary over `cases` cases: the full count for small runs,
    // fewer (never under kMinLiveIterations) once the draws would exceed kLiveDrawBudget.
    [[nodiscard]] static int liveBootstrapIterations(qsizetype cases);

private:
    int m_intervalMs = kMinIntervalMs;
};

} // namespace Slopscope
