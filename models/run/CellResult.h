#pragma once

#include "engine/JobResult.h"
#include "judge/JudgeCall.h"
#include "metrics/CostCalculator.h"
#include "metrics/RequestMetrics.h"
#include "quality/Grader.h"
#include "run/ChainTurnResult.h"

namespace Slopscope {

// One answered cell of a run (target × case × variant × repeat) with everything derived from it.
struct CellResult
{
    JobResult job;
    QString caseId;
    QString variantId; // empty for the canonical wording
    int repeat = 0;
    RequestMetrics metrics;
    RequestCost cost; // the target's answer only; judge calls are in judgeCalls
    CaseGrade grade;  // final: judge verdicts included (RunSession emits the cell once it is)
    QList<JudgeCall> judgeCalls;
    // A chain case (Chain.h): each user turn as it went, the cell's grade and figures summing
    // them up. Empty for a one-question case.
    QList<ChainTurnResult> turns = {};
};

// The job id RunSession gives a cell: case, variant (empty for the canonical wording), repeat, target.
inline QString composeJobId(const QString &caseId, const QString &variantId, int repeat, const QString &targetId)
{
    return QStringLiteral("%1|%2|%3|%4").arg(caseId, variantId).arg(repeat).arg(targetId);
}

// The id judge calls and resumes name a cell by: RunSession's job id, or its composed fallback.
inline QString jobIdOf(const CellResult &cell)
{
    return cell.job.jobId.isEmpty() ? composeJobId(cell.caseId, cell.variantId, cell.repeat, cell.job.targetId)
                                    : cell.job.jobId;
}

// One target's standing so far, as the quadrant and the leaderboard show it.
struct TargetSummary
{
    QString targetId;
    qsizetype cells = 0;
    qsizetype failed = 0;
    std::optional<double> quality; // canonical wording, mean over cases of their mean score
    std::optional<double> qualityLow;
    std::optional<double> qualityHigh;
    std::optional<double> variantQuality; // over the rewordings, when variants were run
    // Canonical minus reworded quality over the cases that have both, with its paired bootstrap
    // interval: how much the target depends on the exact wording (the sloptimization detector).
    std::optional<double> brittleness;
    std::optional<double> brittlenessLow;
    std::optional<double> brittlenessHigh;
    qsizetype cases = 0;
    std::optional<double> costPer1000Cases;
    qsizetype unknownCost = 0;
    std::optional<double> blendedPricePerMTok;
    std::optional<double> medianTtftMs;
    std::optional<double> p95LatencyMs;
    std::optional<double> medianDecodeTokensPerSecond;
    double spentUsd = 0; // the target's own answers; judging them is judgeSpentUsd
    // Cells with an assertion nobody graded (no judge, the run stopped first): they do not pass,
    // and those with no graded assertion at all are left out of quality.
    qsizetype ungraded = 0;
    // What judging this target's answers cost: a select-best call shared by N answers counts 1/N.
    double judgeSpentUsd = 0;
    qsizetype judgeUnknownCost = 0; // judge calls of unknown cost, never counted as $0
};

} // namespace Slopscope
