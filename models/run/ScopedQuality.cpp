#include "run/ScopedQuality.h"

#include "judge/JudgeGrade.h"
#include "quality/Statistics.h"

#include <QHash>

namespace Slopscope {

ScopedQuality scopedQuality(const QString &targetId, const QList<CellResult> &cells, QualityScope scope)
{
    QHash<QString, QList<double>> byCase;
    for (const CellResult &c : cells) {
        if (c.job.targetId != targetId || c.job.state == JobState::Cancelled || !JudgeGrade::hasScore(c.grade))
            continue;
        const bool canonical = c.variantId.isEmpty();
        if ((scope == QualityScope::Canonical && !canonical) || (scope == QualityScope::Variants && canonical))
            continue;
        byCase[c.caseId].append(c.grade.score);
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
