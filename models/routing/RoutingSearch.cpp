#include "routing/RoutingSearch.h"

#include "quality/Pareto.h"

namespace Slopscope {

namespace {

bool usable(const RoutingEvaluation &e)
{
    return e.quality && e.costPer1000Cases;
}

} // namespace

QList<RoutingPolicy> RoutingSearch::enumerate(const RoutingEvaluator &evaluator, const Options &options)
{
    const QStringList targets = evaluator.targets();
    QList<RoutingPolicy> out;
    const auto full = [&out, &options] { return out.size() >= options.maxPolicies; };
    for (const QString &t : targets) {
        if (full())
            return out;
        out.append(RoutingPolicy::singleTarget(t));
    }
    QStringList validators;
    if (options.oracleValidator)
        validators.append(RoutingPolicy::kOracleValidator);
    if (options.recordedValidators)
        validators += evaluator.recordedValidators();
    for (const QString &draft : targets) {
        for (const QString &escalate : targets) {
            if (draft == escalate)
                continue;
            for (const QString &validator : std::as_const(validators)) {
                for (double threshold : options.thresholds) {
                    if (full())
                        return out;
                    const QString name =
                        QStringLiteral("%1 → %2 (%3 ≥ %4)").arg(draft, escalate, validator).arg(threshold);
                    out.append(RoutingPolicy::cascade(
                        name, {CascadeStage{draft, validator, threshold}, CascadeStage{escalate, {}, 0.5}}));
                }
            }
        }
    }
    if (options.byTag) {
        for (const QString &tag : evaluator.tags()) {
            for (const QString &tagged : targets) {
                for (const QString &fallback : targets) {
                    if (tagged == fallback)
                        continue;
                    if (full())
                        return out;
                    RoutingPolicy p;
                    p.kind = RoutingPolicy::Kind::ByTag;
                    p.name = QStringLiteral("%1: %2, else %3").arg(tag, tagged, fallback);
                    p.rules = {TagRule{tag, tagged}};
                    p.defaultTargetId = fallback;
                    out.append(p);
                }
            }
        }
    }
    return out;
}

QList<RoutingEvaluation> RoutingSearch::evaluateAll(const RoutingEvaluator &evaluator,
                                                    const QList<RoutingPolicy> &policies)
{
    QList<RoutingEvaluation> out;
    out.reserve(policies.size());
    for (const RoutingPolicy &p : policies)
        out.append(evaluator.evaluate(p));
    return out;
}

std::optional<qsizetype> RoutingSearch::cheapestMeeting(const QList<RoutingEvaluation> &evaluations,
                                                        double qualityFloor)
{
    std::optional<qsizetype> best;
    for (qsizetype i = 0; i < evaluations.size(); ++i) {
        const RoutingEvaluation &e = evaluations.at(i);
        if (!usable(e) || *e.quality < qualityFloor)
            continue;
        if (!best) {
            best = i;
            continue;
        }
        const RoutingEvaluation &b = evaluations.at(*best);
        if (*e.costPer1000Cases < *b.costPer1000Cases ||
            (*e.costPer1000Cases == *b.costPer1000Cases && *e.quality > *b.quality))
            best = i;
    }
    return best;
}

std::optional<qsizetype> RoutingSearch::bestUnder(const QList<RoutingEvaluation> &evaluations,
                                                  double costCeilingPer1000Cases)
{
    std::optional<qsizetype> best;
    for (qsizetype i = 0; i < evaluations.size(); ++i) {
        const RoutingEvaluation &e = evaluations.at(i);
        if (!usable(e) || *e.costPer1000Cases > costCeilingPer1000Cases)
            continue;
        if (!best) {
            best = i;
            continue;
        }
        const RoutingEvaluation &b = evaluations.at(*best);
        if (*e.quality > *b.quality || (*e.quality == *b.quality && *e.costPer1000Cases < *b.costPer1000Cases))
            best = i;
    }
    return best;
}

QList<qsizetype> RoutingSearch::frontier(const QList<RoutingEvaluation> &evaluations)
{
    QList<qsizetype> index;
    QList<TradeoffPoint> points;
    for (qsizetype i = 0; i < evaluations.size(); ++i) {
        const RoutingEvaluation &e = evaluations.at(i);
        if (!usable(e))
            continue;
        index.append(i);
        points.append(TradeoffPoint{*e.costPer1000Cases, *e.quality});
    }
    QList<qsizetype> out;
    for (qsizetype p : paretoFrontier(points))
        out.append(index.at(p));
    return out;
}

} // namespace Slopscope
