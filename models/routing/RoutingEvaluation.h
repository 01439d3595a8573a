#pragma once

#include "routing/RoutingPolicy.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace Slopscope {

// Where a cascade's validator verdict, or a best-of-N pick, came from.
enum class VerdictSource {
    None,     // no verdict was needed (the last stage, a by-tag route)
    Recorded, // a judge call the run recorded: the validator on the draft's answer / the judge's pick
    // Not a model's verdict: the draft's own recorded grade held to the threshold (cascade), or the
    // highest recorded score among the candidates (best-of-N). Knows the reference answers, so it
    // is an upper bound on what a real validator achieves.
    Oracle,
};

// Something the replay needed and the run did not record, for a later step to fetch.
struct MissingItem
{
    enum class Kind {
        Answer,  // no usable cell of `targetId` for the case (canonical wording, that repeat)
        Verdict, // no recorded llm-rubric/factuality verdict by `targetId` on `forTargetId`'s answer
        Pick,    // no recorded select-best pick by `targetId` over exactly the candidates
    };
    Kind kind = Kind::Answer;
    QString caseId;
    int repeat = 0;
    QString targetId;       // whose answer or verdict is missing
    QString forTargetId;    // Verdict: the answer to be judged
    QStringList candidates; // Pick: the targets whose answers the judge compares, in the policy's order

    friend bool operator==(const MissingItem &, const MissingItem &) = default;
};

// What the policy would have done for one case and repeat.
struct RoutedCase
{
    QString caseId;
    int repeat = 0;
    bool complete = false;           // every answer the route reached was recorded (and its verdicts, or a fallback)
    QStringList answeredBy;          // targets whose answers were produced, in order
    QString finalTargetId;           // whose answer is the result
    std::optional<double> score;     // the final answer's recorded score; empty when it has none
    std::optional<double> costUsd;   // answers + validator / judge calls used; empty when one is unknown
    std::optional<double> latencyMs; // sequential stages add up; empty when one is unknown
    bool escalated = false;          // cascade: went past the first stage; by-tag: sent away from the default
    QList<VerdictSource> verdicts;   // one per verdict taken, in order
};

// One policy replayed over a run.
struct RoutingEvaluation
{
    RoutingPolicy policy;
    QList<RoutedCase> routed; // by case (suite order), then repeat
    qsizetype cases = 0;      // cases with at least one complete replay: what the figures rest on
    qsizetype incomplete = 0; // replays left out for missing data
    qsizetype unscored = 0;   // complete replays whose final answer has no score
    // Mean over cases of the case's mean score over its replays, with the project's seeded
    // percentile bootstrap (Stats::bootstrapMean, 95%).
    std::optional<double> quality;
    std::optional<double> qualityLow;
    std::optional<double> qualityHigh;
    // Only when every complete replay's cost is known: a partial sum would flatter.
    std::optional<double> costPer1000Cases;
    qsizetype unknownCost = 0;
    std::optional<double> latencyP50Ms; // nearest rank over the complete replays
    std::optional<double> latencyP95Ms;
    qsizetype unknownLatency = 0;
    qsizetype escalated = 0;
    std::optional<double> escalatedShare; // escalated ÷ complete replays
    qsizetype recordedVerdicts = 0;
    qsizetype oracleVerdicts = 0;
    QList<MissingItem> missing; // each once, in replay order
    qsizetype missingAnswers = 0;
    qsizetype missingVerdicts = 0; // verdicts and picks
};

} // namespace Slopscope
