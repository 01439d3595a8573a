#pragma once

#include "quality/Suite.h"
#include "run/CellResult.h"

#include <QList>
#include <QString>

#include <optional>

namespace Slopscope {

// Which wordings a quality figure counts: the suite's own wording (what TargetSummary::quality
// reports), only the paraphrased variants, or every answer.
// WithinBudget: the canonical wording, an answer later than its case's time budget counting as
// a failure (score 0): latency-aware quality ("quality within budget").
enum class QualityScope { Canonical, Variants, All, WithinBudget };

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
// WithinBudget reads each case's budget from `suite` (Suite::timeBudgetFor) and compares it with the
// answer's end-to-end latency (sent → last byte of the answering attempt: the provider's time, not
// Slopscope's queue); without a suite or a budget it equals Canonical.
[[nodiscard]] ScopedQuality scopedQuality(const QString &targetId, const QList<CellResult> &cells, QualityScope scope,
                                          const Suite *suite = nullptr);
// Whether the answer came later than its case's time budget (false without a budget or a latency).
[[nodiscard]] bool overTimeBudget(const CellResult &cell, const Suite &suite);

} // namespace Slopscope
