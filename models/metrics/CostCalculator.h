#pragma once

#include "core/Workspace.h"
#include "metrics/PriceSchedule.h"
#include "stream/StreamTypes.h"

#include <QList>
#include <QMap>
#include <QString>

#include <optional>

namespace Slopscope {

// The cost of one request, split into disjoint token buckets.
struct RequestCost
{
    // US dollars. Empty when unknown (no usage, or a needed price is unknown); never 0 for unknown.
    std::optional<double> usd;
    QString unknownReason; // translated; set exactly when usd is empty

    // The parts of usd (0 when usd is unknown).
    double uncachedInputUsd = 0;
    double cacheReadUsd = 0;
    double cacheWriteUsd = 0;
    double outputUsd = 0;    // output tokens other than separately priced reasoning tokens
    double reasoningUsd = 0; // only when the reasoning price is set and reasoning tokens are reported

    Price appliedPrice;                // after the tier for this prompt size and the overrides
    std::optional<double> reportedUsd; // what the provider itself charged (Usage::costUsd), if it said

    // usd − reportedUsd, when both are known.
    [[nodiscard]] std::optional<double> reportedDifferenceUsd() const;

    // Adds a further request of the same cell (a chain's next turn): the parts and the reported
    // charge add up; once one request's cost is unknown the sum is unknown, with the first such
    // reason. The applied price stays the first request's.
    RequestCost &operator+=(const RequestCost &next);
};

// One request of a run, for the aggregates.
struct CostItem
{
    QString caseId;
    std::optional<Usage> usage;
    RequestCost cost;
};

// Aggregates over the requests of one run (usually one target's).
struct CostSummary
{
    int requests = 0;
    int unknownCount = 0;           // requests whose cost is unknown
    double knownUsd = 0;            // sum over the requests whose cost is known
    std::optional<double> totalUsd; // knownUsd, but only when no cost is unknown
    int reportedCount = 0;          // requests with a provider-reported cost
    double reportedUsd = 0;         // sum of those

    QMap<QString, std::optional<double>> perCaseUsd; // unknown when any request of the case is
    int unknownCases = 0;
    std::optional<double> meanPerCaseUsd; // over the cases whose cost is known

    qint64 inputTokens = 0; // over the requests with known usage
    qint64 outputTokens = 0;
    // The list price weighted 3 input : 1 output, and weighted by this run's own input:output tokens.
    std::optional<double> blended3to1PerMTok;
    std::optional<double> blendedRunRatioPerMTok;
    // What the run actually paid per million tokens (caching and tiers included), over known costs.
    std::optional<double> effectivePerMTok;

    QString catalogueVersion; // the price table's version, kept with the run (CatalogueInfo::version())
};

// Cost of requests from token usage and prices (formulas in docs/METRICS.md):
//   uncached = input − cached − cacheWrite
//   cost = uncached × input
//        + cached × (cacheRead, else input)
//        + cacheWrite × (cacheCreation, else input)
//        + (output − r) × output + r × reasoning,  where r = reasoning tokens when a reasoning price
//          is set and reasoning tokens are reported, else r = 0 (all output at the output price).
// Usage::outputTokens already includes reasoning tokens, so reasoning is never added on top.
// Unreported cached / cache-write counts are taken as 0 (every prompt token at the full input price).
// A bucket with tokens and no price, or no usage at all, makes the cost unknown with a reason.
class CostCalculator final
{
public:
    static RequestCost requestCost(const std::optional<Usage> &usage, const PriceSchedule &schedule);
    static RequestCost requestCost(const std::optional<Usage> &usage, const Price &flatPrice);

    // (inputWeight × input + outputWeight × output) ÷ (inputWeight + outputWeight), per million tokens.
    static std::optional<double> blendedPerMTok(const Price &price, double inputWeight, double outputWeight);

    // `listPrice` is the target's price for short prompts (PriceSchedule::at(std::nullopt)).
    static CostSummary summarize(const QList<CostItem> &items, const Price &listPrice,
                                 const QString &catalogueVersion = {});
};

} // namespace Slopscope
