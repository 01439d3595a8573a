#pragma once

#include "quality/Suite.h"
#include "routing/RoutingEvaluation.h"
#include "run/CellResult.h"

#include <QHash>

namespace Slopscope {

// Replays a run's recorded cells under a routing policy: no requests. Only canonical-wording cells
// take part (rewordings are brittleness, not routing); a cancelled cell is no answer. Cells are
// paired by case and repeat. docs/ROUTING.md has the arithmetic.
class RoutingEvaluator final
{
public:
    struct Options
    {
        // When a validator target gave no recorded verdict (or a judge no usable pick), use the
        // oracle instead of leaving the replay out. The missing verdict is listed either way.
        bool oracleFallback = true;
    };

    // `suite` supplies the case order and the tags; cells of cases it lacks are ignored.
    RoutingEvaluator(const QList<CellResult> &cells, const Suite &suite);
    RoutingEvaluator(const QList<CellResult> &cells, const Suite &suite, Options options);

    [[nodiscard]] RoutingEvaluation evaluate(const RoutingPolicy &policy) const;
    // The targets with at least one usable canonical answer, in first-seen order.
    [[nodiscard]] QStringList targets() const { return m_targets; }
    // Validator targets with at least one recorded verdict on another target's answer.
    [[nodiscard]] QStringList recordedValidators() const { return m_validators; }
    // The tags of the suite's cases, in first-seen order.
    [[nodiscard]] QStringList tags() const;

private:
    struct Replay;
    void routeCascade(const RoutingPolicy &policy, Replay &replay) const;
    void routeByTag(const RoutingPolicy &policy, Replay &replay) const;
    void routeBestOfN(const RoutingPolicy &policy, Replay &replay) const;
    [[nodiscard]] const CellResult *cell(const QString &caseId, int repeat, const QString &targetId) const;
    static QString key(const QString &caseId, int repeat, const QString &targetId);

    QHash<QString, qsizetype> m_cells; // "case|repeat|target" → index into m_storage
    QList<CellResult> m_storage;
    Suite m_suite;
    QHash<QString, QList<int>> m_repeats; // case → the repeats seen, sorted
    QStringList m_targets;
    QStringList m_validators;
    Options m_options;
};

} // namespace Slopscope
