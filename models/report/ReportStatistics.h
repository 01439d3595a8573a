#pragma once

#include "run/CellResult.h"

#include <QList>
#include <QString>

#include <optional>

namespace Slopscope {

// How one cell ended, as the exports name it.
enum class CellStatus { Ok, Error, Truncated, Cancelled };

// The per-target figures the reports need beyond TargetSummary. Cancelled cells do not count (a
// user's stop is not an error), as in RunSession::summarize. Every figure that cannot be defined
// from the cells is empty, never 0.
struct ReportTargetStats
{
    qsizetype n = 0;                 // cells that count (not cancelled)
    qsizetype nOk = 0;               // of those, complete answers
    qsizetype cancelled = 0;         // left out of every figure
    std::optional<double> errorRate; // (n − nOk) ÷ n: errors and truncated answers alike
    // Sum of the cells' costs, only when every counted cell's cost is known: a partial sum never
    // poses as a total (the rule of CostSummary::totalUsd).
    std::optional<double> costUsdTotal;
    double knownCostUsd = 0;
    qsizetype unknownCost = 0;
    // Nearest-rank percentiles (the ⌈q·n⌉-th smallest), in milliseconds; latency is end to end of
    // the answering attempt.
    std::optional<double> ttftP50Ms;
    std::optional<double> ttftP95Ms;
    std::optional<double> latencyP50Ms;
    std::optional<double> latencyP95Ms;
    std::optional<double> decodeTokensPerSecondP50;
};

class ReportStatistics final
{
public:
    // The ⌈q·n⌉-th smallest value (RunSession and docs/METRICS.md use the same rule); empty for no values.
    static std::optional<double> nearestRank(QList<double> values, double q);

    static CellStatus status(const CellResult &cell);
    static QString statusName(CellStatus status); // ok, error, truncated, cancelled

    // Figures over the cells of one target (cells of other targets are skipped).
    static ReportTargetStats forTarget(const QString &targetId, const QList<CellResult> &cells);
};

} // namespace Slopscope
