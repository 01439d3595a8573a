#include "run/ScopedQuality.h"

#include "judge/JudgeGrade.h"
#include "quality/Statistics.h"

#include <QHash>

namespace Slopscope {

bool overTimeBudget(const CellResult &cell, const Suite &suite)
{
    const SuiteCase *c = suite.findCase(cell.caseId);
    const std::optional<qint64> budgetMs = c ? suite.timeBudgetFor(*c) : std::nullopt;
    return budgetMs && cell.metrics.e2eNs && *cell.metrics.e2eNs > *budgetMs * 1'000'000;
}

ScopedQuality scopedQuality(const QString &targetId, const QList<CellResult> &cells, QualityScope scope,
                            const Suite *suite)
{
    const bool canonicalOnly = scope == QualityScope::Canonical || scope == QualityScope::WithinBudget;
    const bool budgeted = scope == QualityScope::WithinBudget && suite;
    QHash<QString, QList<double>> byCase;
    for (const CellResult &c : cells) {
        if (c.job.targetId != targetId || c.job.state == JobState::Cancelled || !JudgeGrade::hasScore(c.grade))
            continue;
        const bool canonical = c.variantId.isEmpty();
        if ((canonicalOnly && !canonical) || (scope == QualityScope::Variants && canonical))
            continue;
        byCase[c.caseId].append(budgeted && overTimeBudget(c, *suite) ? 0.0 : c.grade.score);
    }
    QStringList keys = byCase.keys();
    keys.sort(); // the order the summary uses, so the seeded bootstrap gives the same interval
    QList<double> means;
    for (const QString &k : std::as_const(keys))
        means.append(Stats::weightedMean(byCase.value(k)));
    ScopedQuality q;
    q.cases = means.size();
    if (means.isEmpty())
        return q;
    const Stats::Interval iv = Stats::bootstrapMean(means, {}, Stats::stableSeed(targetId));
    q.quality = iv.estimate;
    q.low = iv.low;
    q.high = iv.high;
    return q;
}

} // namespace Slopscope
