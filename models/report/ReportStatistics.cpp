#include "report/ReportStatistics.h"

#include <algorithm>
#include <cmath>

namespace Slopscope {

std::optional<double> ReportStatistics::nearestRank(QList<double> values, double q)
{
    if (values.isEmpty())
        return std::nullopt;
    std::sort(values.begin(), values.end());
    const auto rank = static_cast<qsizetype>(std::ceil(q * static_cast<double>(values.size())));
    return values.at(std::clamp<qsizetype>(rank - 1, 0, values.size() - 1));
}

CellStatus ReportStatistics::status(const CellResult &cell)
{
    switch (cell.job.state) {
    case JobState::Completed:
        return CellStatus::Ok;
    case JobState::Cancelled:
        return CellStatus::Cancelled;
    case JobState::Truncated:
    case JobState::Incomplete: // the provider stopped early: a partial answer, like a broken stream
        return CellStatus::Truncated;
    case JobState::Queued:
    case JobState::Running:
    case JobState::Waiting:
    case JobState::Failed:
        break;
    }
    return CellStatus::Error;
}

QString ReportStatistics::statusName(CellStatus status)
{
    switch (status) {
    case CellStatus::Ok:
        return QStringLiteral("ok");
    case CellStatus::Truncated:
        return QStringLiteral("truncated");
    case CellStatus::Cancelled:
        return QStringLiteral("cancelled");
    case CellStatus::Error:
        break;
    }
    return QStringLiteral("error");
}

ReportTargetStats ReportStatistics::forTarget(const QString &targetId, const QList<CellResult> &cells)
{
    ReportTargetStats s;
    QList<double> ttfts;
    QList<double> latencies;
    QList<double> speeds;
    for (const CellResult &c : cells) {
        if (c.job.targetId != targetId)
            continue;
        const CellStatus st = status(c);
        if (st == CellStatus::Cancelled) {
            ++s.cancelled;
            continue;
        }
        ++s.n;
        if (st == CellStatus::Ok)
            ++s.nOk;
        if (c.cost.usd)
            s.knownCostUsd += *c.cost.usd;
        else
            ++s.unknownCost;
        if (c.metrics.ttftNs)
            ttfts.append(static_cast<double>(*c.metrics.ttftNs) / 1e6);
        if (c.metrics.e2eNs)
            latencies.append(static_cast<double>(*c.metrics.e2eNs) / 1e6);
        if (c.metrics.decodeTokensPerSecond)
            speeds.append(*c.metrics.decodeTokensPerSecond);
    }
    if (s.n > 0) {
        s.errorRate = static_cast<double>(s.n - s.nOk) / static_cast<double>(s.n);
        if (s.unknownCost == 0)
            s.costUsdTotal = s.knownCostUsd;
    }
    s.ttftP50Ms = nearestRank(ttfts, 0.5);
    s.ttftP95Ms = nearestRank(ttfts, 0.95);
    s.latencyP50Ms = nearestRank(latencies, 0.5);
    s.latencyP95Ms = nearestRank(latencies, 0.95);
    s.decodeTokensPerSecondP50 = nearestRank(speeds, 0.5);
    return s;
}

} // namespace Slopscope
