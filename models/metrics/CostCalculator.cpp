#include "metrics/CostCalculator.h"

#include <QCoreApplication>
#include <QStringList>

namespace Slopscope {

namespace {

// Through Q_DECLARE_TR_FUNCTIONS, lupdate files these strings under the context the code
// looks them up in (a translate() wrapper called tr() misled it into the namespace's).
struct CostCalculatorTr
{
    Q_DECLARE_TR_FUNCTIONS(CostCalculator)
};

constexpr double kTokensPerMillion = 1'000'000.0;

double dollars(qint64 tokens, double perMTok)
{
    return static_cast<double>(tokens) * perMTok / kTokensPerMillion;
}

RequestCost unknown(QString reason, const std::optional<Usage> &usage, const Price &applied)
{
    RequestCost c;
    c.unknownReason = std::move(reason);
    c.appliedPrice = applied;
    if (usage)
        c.reportedUsd = usage->costUsd;
    return c;
}

RequestCost costAt(const std::optional<Usage> &usage, const Price &p)
{
    if (!usage)
        return unknown(CostCalculatorTr::tr("usage not reported"), usage, p);
    const Usage &u = *usage;
    if (!u.inputTokens || !u.outputTokens) {
        return unknown(u.inputTokens ? CostCalculatorTr::tr("output token count not reported")
                                     : CostCalculatorTr::tr("input token count not reported"),
                       usage, p);
    }
    const qint64 input = *u.inputTokens;
    const qint64 output = *u.outputTokens;
    const qint64 cached = u.cachedInputTokens.value_or(0);
    const qint64 cacheWrite = u.cacheCreationInputTokens.value_or(0);
    const qint64 reasoning = u.reasoningTokens.value_or(0);
    if (input < 0 || output < 0 || cached < 0 || cacheWrite < 0 || reasoning < 0)
        return unknown(CostCalculatorTr::tr("inconsistent usage: negative token count"), usage, p);
    if (cached + cacheWrite > input)
        return unknown(CostCalculatorTr::tr("inconsistent usage: cached and cache-write tokens exceed input tokens"),
                       usage, p);
    if (reasoning > output)
        return unknown(CostCalculatorTr::tr("inconsistent usage: reasoning tokens exceed output tokens"), usage, p);

    const qint64 uncached = input - cached - cacheWrite;
    const qint64 separateReasoning = p.reasoningPerMTok ? reasoning : 0;
    const qint64 plainOutput = output - separateReasoning;
    const std::optional<double> cacheReadPrice = p.cachedInputPerMTok ? p.cachedInputPerMTok : p.inputPerMTok;
    const std::optional<double> cacheWritePrice = p.cacheWritePerMTok ? p.cacheWritePerMTok : p.inputPerMTok;

    QStringList missing;
    if (uncached > 0 && !p.inputPerMTok)
        missing << CostCalculatorTr::tr("input tokens");
    if (cached > 0 && !cacheReadPrice)
        missing << CostCalculatorTr::tr("cached input tokens");
    if (cacheWrite > 0 && !cacheWritePrice)
        missing << CostCalculatorTr::tr("cache-write tokens");
    if (plainOutput > 0 && !p.outputPerMTok)
        missing << CostCalculatorTr::tr("output tokens");
    if (!missing.isEmpty())
        return unknown(CostCalculatorTr::tr("no price for %1").arg(missing.join(QStringLiteral(", "))), usage, p);

    RequestCost c;
    c.appliedPrice = p;
    c.reportedUsd = u.costUsd;
    c.uncachedInputUsd = uncached > 0 ? dollars(uncached, *p.inputPerMTok) : 0.0;
    c.cacheReadUsd = cached > 0 ? dollars(cached, *cacheReadPrice) : 0.0;
    c.cacheWriteUsd = cacheWrite > 0 ? dollars(cacheWrite, *cacheWritePrice) : 0.0;
    c.outputUsd = plainOutput > 0 ? dollars(plainOutput, *p.outputPerMTok) : 0.0;
    c.reasoningUsd = separateReasoning > 0 ? dollars(separateReasoning, *p.reasoningPerMTok) : 0.0;
    c.usd = c.uncachedInputUsd + c.cacheReadUsd + c.cacheWriteUsd + c.outputUsd + c.reasoningUsd;
    return c;
}

} // namespace

std::optional<double> RequestCost::reportedDifferenceUsd() const
{
    if (!usd || !reportedUsd)
        return std::nullopt;
    return *usd - *reportedUsd;
}

RequestCost &RequestCost::operator+=(const RequestCost &next)
{
    const std::optional<double> reported =
        reportedUsd && next.reportedUsd ? std::optional<double>(*reportedUsd + *next.reportedUsd) : std::nullopt;
    if (usd && !next.usd) {
        // Unknown from here on, with this request's reason; the parts of an unknown cost are 0.
        RequestCost unknown;
        unknown.unknownReason = next.unknownReason;
        unknown.appliedPrice = appliedPrice;
        *this = unknown;
    } else if (usd) {
        *usd += *next.usd;
        uncachedInputUsd += next.uncachedInputUsd;
        cacheReadUsd += next.cacheReadUsd;
        cacheWriteUsd += next.cacheWriteUsd;
        outputUsd += next.outputUsd;
        reasoningUsd += next.reasoningUsd;
    }
    reportedUsd = reported;
    return *this;
}

RequestCost CostCalculator::requestCost(const std::optional<Usage> &usage, const PriceSchedule &schedule)
{
    // The tier depends on the prompt size, which only usage tells.
    const std::optional<qint64> prompt = usage ? usage->inputTokens : std::nullopt;
    return costAt(usage, schedule.at(prompt));
}

RequestCost CostCalculator::requestCost(const std::optional<Usage> &usage, const Price &flatPrice)
{
    return costAt(usage, flatPrice);
}

std::optional<double> CostCalculator::blendedPerMTok(const Price &price, double inputWeight, double outputWeight)
{
    if (!price.inputPerMTok || !price.outputPerMTok || inputWeight < 0 || outputWeight < 0 ||
        inputWeight + outputWeight <= 0)
        return std::nullopt;
    return (inputWeight * *price.inputPerMTok + outputWeight * *price.outputPerMTok) / (inputWeight + outputWeight);
}

CostSummary CostCalculator::summarize(const QList<CostItem> &items, const Price &listPrice,
                                      const QString &catalogueVersion)
{
    CostSummary s;
    s.catalogueVersion = catalogueVersion;
    qint64 knownCostTokens = 0;
    for (const CostItem &item : items) {
        ++s.requests;
        if (item.cost.reportedUsd) {
            ++s.reportedCount;
            s.reportedUsd += *item.cost.reportedUsd;
        }
        const bool usageKnown = item.usage && item.usage->known();
        if (usageKnown) {
            s.inputTokens += *item.usage->inputTokens;
            s.outputTokens += *item.usage->outputTokens;
        }
        auto caseIt = s.perCaseUsd.find(item.caseId);
        if (caseIt == s.perCaseUsd.end())
            caseIt = s.perCaseUsd.insert(item.caseId, 0.0);
        if (item.cost.usd) {
            s.knownUsd += *item.cost.usd;
            if (usageKnown)
                knownCostTokens += *item.usage->inputTokens + *item.usage->outputTokens;
            if (caseIt->has_value())
                *caseIt = **caseIt + *item.cost.usd;
        } else {
            ++s.unknownCount;
            *caseIt = std::nullopt;
        }
    }
    if (s.unknownCount == 0)
        s.totalUsd = s.knownUsd;

    double caseSum = 0;
    int knownCases = 0;
    for (const std::optional<double> &c : std::as_const(s.perCaseUsd)) {
        if (c) {
            caseSum += *c;
            ++knownCases;
        } else {
            ++s.unknownCases;
        }
    }
    if (knownCases > 0)
        s.meanPerCaseUsd = caseSum / knownCases;

    s.blended3to1PerMTok = blendedPerMTok(listPrice, 3.0, 1.0);
    s.blendedRunRatioPerMTok =
        blendedPerMTok(listPrice, static_cast<double>(s.inputTokens), static_cast<double>(s.outputTokens));
    if (knownCostTokens > 0)
        s.effectivePerMTok = s.knownUsd / static_cast<double>(knownCostTokens) * kTokensPerMillion;
    return s;
}

} // namespace Slopscope
