#pragma once

#include "routing/RoutingEvaluator.h"

#include <QList>

#include <optional>

namespace Slopscope {

// Enumerates policies over the targets present in a run, evaluates each by replay, and answers
// "cheapest policy meeting a quality floor", "best quality under a cost ceiling" and the
// cost/quality Pareto frontier (policies and single targets together).
class RoutingSearch final
{
public:
    struct Options
    {
        // Cascade thresholds tried for every (draft, validator, escalate).
        QList<double> thresholds{0.5, 1.0};
        // Validators tried: the oracle, plus every target with recorded verdicts in the run.
        bool oracleValidator = true;
        bool recordedValidators = true;
        // By tag: one rule (tag → target) plus a default, for every tag of the suite.
        bool byTag = true;
        // Stop enumerating beyond this many policies (the lineup grows as n³).
        qsizetype maxPolicies = 20000;
    };

    // Single targets first (each a one-stage cascade), then two-stage cascades, then by-tag rules.
    static QList<RoutingPolicy> enumerate(const RoutingEvaluator &evaluator, const Options &options);
    static QList<RoutingEvaluation> evaluateAll(const RoutingEvaluator &evaluator,
                                                const QList<RoutingPolicy> &policies);

    // Only evaluations with a quality and a known cost take part. Ties go to the better other
    // figure, then to the earlier policy. Indices into `evaluations`.
    static std::optional<qsizetype> cheapestMeeting(const QList<RoutingEvaluation> &evaluations, double qualityFloor);
    static std::optional<qsizetype> bestUnder(const QList<RoutingEvaluation> &evaluations,
                                              double costCeilingPer1000Cases);
    // Pareto frontier on (cost per 1,000 cases, quality), by rising cost (quality/Pareto.h).
    static QList<qsizetype> frontier(const QList<RoutingEvaluation> &evaluations);
};

} // namespace Slopscope
