#pragma once

#include "run/CellResult.h"

#include <QList>
#include <QString>

#include <optional>

namespace Slopscope {

// Which wordings a quality figure counts: the suite's own wording (what TargetSummary::quality
// reports), only the paraphrased variants, or every answer.
enum class QualityScope { Canonical, Variants, All };

// A target's quality over one scope, with its 95% bootstrap interval: the mean over cases of each
// case's mean score, as RunSession::summarize computes it.
struct ScopedQuality
{
    std::optional<double> quality; // 0..1; nullopt when no cell of the scope has a score
    std::optional<double> low;
    std::optional<double> high;
    qsizetype cases = 0; // the cases the figure rests on
};

// `cells` may hold other targets' cells: only targetId's count. Cancelled cells and cells with no
// graded assertion are left out, as in the summary; for QualityScope::Canonical the figures equal
// TargetSummary's quality, interval and cases.
[[nodiscard]] ScopedQuality scopedQuality(const QString &targetId, const QList<CellResult> &cells, QualityScope scope);

} // namespace Slopscope
