#include "run/RunSession.h"

// RunSession::summarize: one target's figures from its cells (pure; public for tests).

#include "quality/Statistics.h"
#include "run/RunSessionDetail.h"
#include "run/SummaryPacer.h"

#include <QSet>

#include <algorithm>
#include <cmath>

namespace Slopscope {

using namespace RunDetail;

namespace {

bool counts(const CellResult &cell)
{
    return cell.job.state != JobState::Cancelled;
}

int iterationsFor(RunSession::Bootstrap bootstrap, qsizetype cases)
{
    return bootstrap == RunSession::Bootstrap::Live ? SummaryPacer::liveBootstrapIterations(cases)
                                                    : SummaryPacer::kFullIterations;
}

} // namespace

TargetSummary RunSession::summarize(const QString &targetId, const QList<CellResult> &cells, const Price &price,
                                    Bootstrap bootstrap)
{
    TargetSummary s;
    s.targetId = targetId;
    // Per case: the mean score over repeats, canonical wording and rewordings apart.
    QHash<QString, QList<double>> canonical;
    QHash<QString, QList<double>> reworded;
    QHash<QString, double> caseCost;
    QSet<QString> unknownCostCases;
    QList<double> ttfts;
    QList<double> latencies;
    QList<double> speeds;
    for (const auto &c : cells) {
        if (!counts(c))
            continue;
        ++s.cells;
        if (c.job.state != JobState::Completed)
            ++s.failed;
        if (c.grade.pendingJudge)
            ++s.ungraded;
        // A cell none of whose assertions could be graded has no score: averaging in a 0 would
        // blame the target for the missing judge.
        if (JudgeGrade::hasScore(c.grade))
            (c.variantId.isEmpty() ? canonical : reworded)[c.caseId].append(c.grade.score);
        for (const JudgeCall &call : c.judgeCalls) {
            if (call.costUsd)
                s.judgeSpentUsd += *call.costUsd / std::max(1, call.answersJudged);
            else
                ++s.judgeUnknownCost;
        }
        if (c.cost.usd) {
            caseCost[c.caseId] += *c.cost.usd;
            s.spentUsd += *c.cost.usd;
        } else {
            unknownCostCases.insert(c.caseId);
            ++s.unknownCost;
        }
        if (c.metrics.ttftNs)
            ttfts.append(static_cast<double>(*c.metrics.ttftNs) / 1e6);
        if (c.metrics.e2eNs)
            latencies.append(static_cast<double>(*c.metrics.e2eNs) / 1e6);
        if (c.metrics.decodeTokensPerSecond)
            speeds.append(*c.metrics.decodeTokensPerSecond);
    }
    auto caseMeans = [](const QHash<QString, QList<double>> &byCase) {
        QList<double> means;
        QStringList keys = byCase.keys();
        keys.sort(); // a stable order keeps the seeded bootstrap reproducible
        for (const auto &k : keys)
            means.append(Stats::weightedMean(byCase.value(k)));
        return means;
    };
    const QList<double> quality = caseMeans(canonical);
    s.cases = quality.size();
    if (!quality.isEmpty()) {
        const Stats::Interval iv =
            Stats::bootstrapMean(quality, {}, Stats::stableSeed(targetId), iterationsFor(bootstrap, quality.size()));
        s.quality = iv.estimate;
        s.qualityLow = iv.low;
        s.qualityHigh = iv.high;
    }
    const QList<double> variantQuality = caseMeans(reworded);
    if (!variantQuality.isEmpty())
        s.variantQuality = Stats::weightedMean(variantQuality);
    // Brittleness pairs each case's canonical mean with its reworded mean, so cases run in only
    // one form do not tilt it.
    QList<double> pairedCanonical;
    QList<double> pairedReworded;
    QStringList both = reworded.keys();
    both.sort();
    for (const QString &caseId : std::as_const(both)) {
        if (!canonical.contains(caseId))
            continue;
        pairedCanonical.append(Stats::weightedMean(canonical.value(caseId)));
        pairedReworded.append(Stats::weightedMean(reworded.value(caseId)));
    }
    if (!pairedCanonical.isEmpty()) {
        const Stats::PairedComparison drop =
            Stats::pairedBootstrap(pairedCanonical, pairedReworded, Stats::stableSeed(targetId) ^ 0x9e3779b97f4a7c15ULL,
                                   iterationsFor(bootstrap, pairedCanonical.size()));
        s.brittleness = drop.difference.estimate;
        s.brittlenessLow = drop.difference.low;
        s.brittlenessHigh = drop.difference.high;
    }
    // Cost per 1,000 cases only when every case's cost is known: a partial sum would flatter.
    if (!caseCost.isEmpty() && unknownCostCases.isEmpty()) {
        double sum = 0;
        for (double v : std::as_const(caseCost))
            sum += v;
        s.costPer1000Cases = sum / static_cast<double>(caseCost.size()) * 1000.0;
    }
    s.blendedPricePerMTok = CostCalculator::blendedPerMTok(price, 3, 1);
    s.medianTtftMs = Stats::nearestRank(ttfts, 0.5);
    s.p95LatencyMs = Stats::nearestRank(latencies, 0.95);
    s.medianDecodeTokensPerSecond = Stats::nearestRank(speeds, 0.5);
    return s;
}

} // namespace Slopscope
