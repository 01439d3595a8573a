#include "metrics/CostCalculator.h"
#include "metrics/PriceCatalogue.h"

#include <QTest>

using namespace Slopscope;

class TestCostCalculator final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void flatPrice();
    void cachedTokensWithCachePrice();
    void cachedTokensWithoutCachePrice();
    void reasoningWithSeparatePrice();
    void reasoningWithoutSeparatePriceIsNotCountedTwice();
    void reasoningPriceFromCatalogue();
    void longPromptTier();
    void unknownUsageIsUnknownCost();
    void unknownPriceIsUnknownCost();
    void freeModelCostsZero();
    void emptyBucketNeedsNoPrice();
    void inconsistentUsageIsUnknown();
    void providerReportedCostIsKept();
    void overridePerField();
    void blendedPrice();
    void summaryOverARun();
    void summaryWithEveryCostKnown();
    void requestsOfOneCellAddUp();

private:
    PriceCatalogue m_catalogue;
};

namespace {

bool near(const std::optional<double> &actual, double expected)
{
    return actual.has_value() && qAbs(*actual - expected) <= 1e-12 + 1e-9 * qAbs(expected);
}

Usage usage(qint64 input, qint64 output)
{
    Usage u;
    u.inputTokens = input;
    u.outputTokens = output;
    return u;
}

Price price(std::optional<double> input, std::optional<double> output)
{
    Price p;
    p.inputPerMTok = input;
    p.outputPerMTok = output;
    return p;
}

RequestCost known(double usd)
{
    RequestCost c;
    c.usd = usd;
    return c;
}

} // namespace

void TestCostCalculator::initTestCase()
{
    auto loaded = PriceCatalogue::loadBundled();
    QVERIFY2(loaded.ok(), qPrintable(loaded.error()));
    m_catalogue = std::move(loaded).value();
}

void TestCostCalculator::flatPrice()
{
    // cerebras/gpt-oss-120b, $0.35 / $0.75 per Mtok: 1000 × 0.35e-6 + 500 × 0.75e-6 = 0.000725.
    const PriceSchedule s = m_catalogue.resolve(QStringLiteral("cerebras"), QStringLiteral("gpt-oss-120b"));
    const RequestCost c = CostCalculator::requestCost(usage(1000, 500), s);
    QVERIFY2(c.usd, qPrintable(c.unknownReason));
    QVERIFY(near(c.usd, 0.000725));
    QVERIFY(near(c.uncachedInputUsd, 0.00035));
    QVERIFY(near(c.outputUsd, 0.000375));
    QCOMPARE(c.cacheReadUsd, 0.0);
    QCOMPARE(c.reasoningUsd, 0.0);
    QVERIFY(c.unknownReason.isEmpty());
}

void TestCostCalculator::cachedTokensWithCachePrice()
{
    // claude-sonnet-4-20250514: 10,000 input of which 8,000 cache reads and 1,000 cache writes; 2,000 output.
    //   1,000 × $3 + 8,000 × $0.30 + 1,000 × $3.75 + 2,000 × $15 per Mtok
    //   = 0.003 + 0.0024 + 0.00375 + 0.03 = 0.03915
    Usage u = usage(10'000, 2'000);
    u.cachedInputTokens = 8'000;
    u.cacheCreationInputTokens = 1'000;
    const PriceSchedule s =
        m_catalogue.resolve(QStringLiteral("anthropic"), QStringLiteral("claude-sonnet-4-20250514"));
    const RequestCost c = CostCalculator::requestCost(u, s);
    QVERIFY2(c.usd, qPrintable(c.unknownReason));
    QVERIFY(near(c.uncachedInputUsd, 0.003));
    QVERIFY(near(c.cacheReadUsd, 0.0024));
    QVERIFY(near(c.cacheWriteUsd, 0.00375));
    QVERIFY(near(c.outputUsd, 0.03));
    QVERIFY(near(c.usd, 0.03915));
}

void TestCostCalculator::cachedTokensWithoutCachePrice()
{
    // Cerebras lists no cache prices: cache reads and writes fall back to the input price.
    // 600 × 0.35 + 300 × 0.35 + 100 × 0.35 per Mtok, + 0 output.
    Usage u = usage(1'000, 0);
    u.cachedInputTokens = 300;
    u.cacheCreationInputTokens = 100;
    const PriceSchedule s = m_catalogue.resolve(QStringLiteral("cerebras"), QStringLiteral("gpt-oss-120b"));
    const RequestCost c = CostCalculator::requestCost(u, s);
    QVERIFY(near(c.uncachedInputUsd, 0.00021));
    QVERIFY(near(c.cacheReadUsd, 0.000105));
    QVERIFY(near(c.cacheWriteUsd, 0.000035));
    QVERIFY(near(c.usd, 0.00035));

    // Neither a cache price nor an input price: unknown, with the missing buckets named.
    Price outputOnly;
    outputOnly.outputPerMTok = 1.0;
    const RequestCost unknownCost = CostCalculator::requestCost(u, outputOnly);
    QVERIFY(!unknownCost.usd);
    QCOMPARE(unknownCost.unknownReason,
             QStringLiteral("no price for input tokens, cached input tokens, cache-write tokens"));
}

void TestCostCalculator::reasoningWithSeparatePrice()
{
    // 1,000 output tokens of which 600 reasoning: 400 × $2.50 + 600 × $3.50 per Mtok = 0.001 + 0.0021;
    // plus 100 input × $0.30 = 0.00003. Total 0.00313.
    Price p = price(0.30, 2.50);
    p.reasoningPerMTok = 3.50;
    Usage u = usage(100, 1'000);
    u.reasoningTokens = 600;
    const RequestCost c = CostCalculator::requestCost(u, p);
    QVERIFY(near(c.outputUsd, 0.001));
    QVERIFY(near(c.reasoningUsd, 0.0021));
    QVERIFY(near(c.usd, 0.00313));

    // The output price is not needed when every output token was reasoning.
    Price reasoningOnly = price(0.30, std::nullopt);
    reasoningOnly.reasoningPerMTok = 3.50;
    u = usage(100, 600);
    u.reasoningTokens = 600;
    QVERIFY(near(CostCalculator::requestCost(u, reasoningOnly).usd, 0.00003 + 0.0021));
}

void TestCostCalculator::reasoningWithoutSeparatePriceIsNotCountedTwice()
{
    // outputTokens already includes the 600 reasoning tokens: 1,000 × $2.50 per Mtok, not 1,600.
    Usage u = usage(0, 1'000);
    u.reasoningTokens = 600;
    const RequestCost c = CostCalculator::requestCost(u, price(0.30, 2.50));
    QVERIFY(near(c.usd, 0.0025));
    QVERIFY(near(c.outputUsd, 0.0025));
    QCOMPARE(c.reasoningUsd, 0.0);

    // A reasoning price without a reported reasoning count: everything at the output price.
    Price p = price(0.30, 2.50);
    p.reasoningPerMTok = 10.0;
    QVERIFY(near(CostCalculator::requestCost(usage(0, 1'000), p).usd, 0.0025));
}

void TestCostCalculator::reasoningPriceFromCatalogue()
{
    // gemini/gemini-2.5-flash: reasoning $2.50 = output $2.50. 100 in × 0.30 + 400 × 2.50 + 600 × 2.50.
    Usage u = usage(100, 1'000);
    u.reasoningTokens = 600;
    const RequestCost c = CostCalculator::requestCost(
        u, m_catalogue.resolve(QStringLiteral("gemini"), QStringLiteral("gemini-2.5-flash")));
    QVERIFY(near(c.reasoningUsd, 0.0015));
    QVERIFY(near(c.outputUsd, 0.001));
    QVERIFY(near(c.usd, 0.00253));
}

void TestCostCalculator::longPromptTier()
{
    const PriceSchedule s =
        m_catalogue.resolve(QStringLiteral("anthropic"), QStringLiteral("claude-sonnet-4-20250514"));
    // 200,000 prompt tokens is not above 200k: 200,000 × $3 + 1,000 × $15 per Mtok = 0.6 + 0.015.
    RequestCost c = CostCalculator::requestCost(usage(200'000, 1'000), s);
    QVERIFY(near(c.usd, 0.615));
    QVERIFY(near(c.appliedPrice.inputPerMTok, 3.0));
    // 250,000: every token at the long-prompt price: 250,000 × $6 + 1,000 × $22.50 = 1.5 + 0.0225.
    c = CostCalculator::requestCost(usage(250'000, 1'000), s);
    QVERIFY(near(c.usd, 1.5225));
    QVERIFY(near(c.appliedPrice.outputPerMTok, 22.5));
}

void TestCostCalculator::unknownUsageIsUnknownCost()
{
    const PriceSchedule s = m_catalogue.resolve(QStringLiteral("cerebras"), QStringLiteral("gpt-oss-120b"));
    RequestCost c = CostCalculator::requestCost(std::nullopt, s);
    QVERIFY(!c.usd);
    QCOMPARE(c.unknownReason, QStringLiteral("usage not reported"));
    QCOMPARE(c.uncachedInputUsd, 0.0);

    Usage noOutput;
    noOutput.inputTokens = 100;
    c = CostCalculator::requestCost(noOutput, s);
    QVERIFY(!c.usd);
    QCOMPARE(c.unknownReason, QStringLiteral("output token count not reported"));

    Usage noInput;
    noInput.outputTokens = 100;
    c = CostCalculator::requestCost(noInput, s);
    QVERIFY(!c.usd);
    QCOMPARE(c.unknownReason, QStringLiteral("input token count not reported"));
}

void TestCostCalculator::unknownPriceIsUnknownCost()
{
    const PriceSchedule s = m_catalogue.resolve(QStringLiteral("heroku"), QStringLiteral("claude-4-sonnet"));
    QCOMPARE(s.catalogueKey, QStringLiteral("heroku/claude-4-sonnet"));
    const RequestCost c = CostCalculator::requestCost(usage(1'000, 500), s);
    QVERIFY(!c.usd);
    QCOMPARE(c.unknownReason, QStringLiteral("no price for input tokens, output tokens"));

    // Not in the catalogue at all, no user price.
    const RequestCost none = CostCalculator::requestCost(
        usage(1'000, 500), m_catalogue.resolve(QStringLiteral("my-proxy"), QStringLiteral("house-model")));
    QVERIFY(!none.usd);

    // Only the output price known.
    const RequestCost half = CostCalculator::requestCost(usage(1'000, 500), price(std::nullopt, 1.0));
    QVERIFY(!half.usd);
    QCOMPARE(half.unknownReason, QStringLiteral("no price for input tokens"));
}

void TestCostCalculator::freeModelCostsZero()
{
    const RequestCost c = CostCalculator::requestCost(
        usage(5'000, 2'000), m_catalogue.resolve(QStringLiteral("ollama"), QStringLiteral("llama3.1")));
    QVERIFY2(c.usd, qPrintable(c.unknownReason));
    QCOMPARE(*c.usd, 0.0);
}

void TestCostCalculator::emptyBucketNeedsNoPrice()
{
    // No output tokens: an unknown output price does not matter.
    const RequestCost c = CostCalculator::requestCost(usage(1'000, 0), price(2.0, std::nullopt));
    QVERIFY(near(c.usd, 0.002));
}

void TestCostCalculator::inconsistentUsageIsUnknown()
{
    Usage u = usage(100, 10);
    u.cachedInputTokens = 90;
    u.cacheCreationInputTokens = 20;
    RequestCost c = CostCalculator::requestCost(u, price(1.0, 1.0));
    QVERIFY(!c.usd);
    QVERIFY(c.unknownReason.startsWith(QStringLiteral("inconsistent usage")));

    u = usage(100, 10);
    u.reasoningTokens = 11;
    QVERIFY(!CostCalculator::requestCost(u, price(1.0, 1.0)).usd);

    QVERIFY(!CostCalculator::requestCost(usage(-1, 10), price(1.0, 1.0)).usd);
}

void TestCostCalculator::providerReportedCostIsKept()
{
    Usage u = usage(1'000, 500);
    u.costUsd = 0.0008;
    const PriceSchedule s = m_catalogue.resolve(QStringLiteral("cerebras"), QStringLiteral("gpt-oss-120b"));
    const RequestCost c = CostCalculator::requestCost(u, s);
    QCOMPARE(c.reportedUsd, std::optional<double>(0.0008));
    QVERIFY(near(c.reportedDifferenceUsd(), 0.000725 - 0.0008));

    // Kept even when our own computation cannot be made.
    const RequestCost unknownCost = CostCalculator::requestCost(u, Price{});
    QVERIFY(!unknownCost.usd);
    QCOMPARE(unknownCost.reportedUsd, std::optional<double>(0.0008));
    QVERIFY(!unknownCost.reportedDifferenceUsd());
}

void TestCostCalculator::overridePerField()
{
    // The target says output costs $1.00; input stays at the catalogue's $0.35.
    // 1000 × 0.35 + 500 × 1.00 per Mtok = 0.00035 + 0.0005.
    const PriceSchedule s =
        m_catalogue.resolve(QStringLiteral("cerebras"), QStringLiteral("gpt-oss-120b"), price(std::nullopt, 1.0));
    const RequestCost c = CostCalculator::requestCost(usage(1'000, 500), s);
    QVERIFY(near(c.usd, 0.00085));
    QVERIFY(near(c.appliedPrice.inputPerMTok, 0.35));
    QVERIFY(near(c.appliedPrice.outputPerMTok, 1.0));

    // A price for an unpriced catalogue entry makes its cost known.
    const PriceSchedule heroku =
        m_catalogue.resolve(QStringLiteral("heroku"), QStringLiteral("claude-4-sonnet"), price(3.0, 15.0));
    QVERIFY(near(CostCalculator::requestCost(usage(1'000, 1'000), heroku).usd, 0.018));
}

void TestCostCalculator::blendedPrice()
{
    // claude-sonnet-4: (3 × $3 + 1 × $15) ÷ 4 = $6 per Mtok.
    const Price p =
        m_catalogue.resolve(QStringLiteral("anthropic"), QStringLiteral("claude-sonnet-4-20250514")).at(std::nullopt);
    QVERIFY(near(CostCalculator::blendedPerMTok(p, 3, 1), 6.0));
    // At 1:1: $9.
    QVERIFY(near(CostCalculator::blendedPerMTok(p, 1'000, 1'000), 9.0));
    QVERIFY(!CostCalculator::blendedPerMTok(price(3.0, std::nullopt), 3, 1));
    QVERIFY(!CostCalculator::blendedPerMTok(p, 0, 0));
}

void TestCostCalculator::summaryOverARun()
{
    QList<CostItem> items;
    RequestCost a1 = known(0.01);
    a1.reportedUsd = 0.011;
    items.append({QStringLiteral("A"), usage(1'000, 500), a1});
    items.append({QStringLiteral("A"), usage(2'000, 500), known(0.02)});
    RequestCost b;
    b.unknownReason = QStringLiteral("usage not reported");
    items.append({QStringLiteral("B"), std::nullopt, b});
    items.append({QStringLiteral("C"), usage(3'000, 2'000), known(0.03)});

    const CostSummary s = CostCalculator::summarize(items, price(1.0, 3.0), QStringLiteral("LiteLLM x (d)"));
    QCOMPARE(s.requests, 4);
    QCOMPARE(s.unknownCount, 1);
    QVERIFY(near(s.knownUsd, 0.06));
    QVERIFY(!s.totalUsd); // one cost unknown: no total pretends to be complete
    QCOMPARE(s.reportedCount, 1);
    QVERIFY(near(s.reportedUsd, 0.011));
    QCOMPARE(s.perCaseUsd.size(), 3);
    QVERIFY(near(s.perCaseUsd.value(QStringLiteral("A")), 0.03));
    QVERIFY(!s.perCaseUsd.value(QStringLiteral("B")).has_value());
    QVERIFY(near(s.perCaseUsd.value(QStringLiteral("C")), 0.03));
    QCOMPARE(s.unknownCases, 1);
    QVERIFY(near(s.meanPerCaseUsd, 0.03));
    QCOMPARE(s.inputTokens, qint64(6'000));
    QCOMPARE(s.outputTokens, qint64(3'000));
    // 3:1 → (3 × 1 + 3) ÷ 4 = 1.5; the run's 6,000:3,000 → (6,000 × 1 + 3,000 × 3) ÷ 9,000 = 1.6667.
    QVERIFY(near(s.blended3to1PerMTok, 1.5));
    QVERIFY(near(s.blendedRunRatioPerMTok, 15'000.0 / 9'000.0));
    // $0.06 over 9,000 tokens of known cost = $6.6667 per Mtok.
    QVERIFY(near(s.effectivePerMTok, 0.06 / 9'000 * 1e6));
    QCOMPARE(s.catalogueVersion, QStringLiteral("LiteLLM x (d)"));
}

void TestCostCalculator::summaryWithEveryCostKnown()
{
    const PriceSchedule sched = m_catalogue.resolve(QStringLiteral("cerebras"), QStringLiteral("gpt-oss-120b"));
    QList<CostItem> items;
    for (const auto &[caseId, in, out] : {std::tuple{"x", 1'000, 500}, std::tuple{"y", 2'000, 0}}) {
        const Usage u = usage(in, out);
        items.append({QString::fromLatin1(caseId), u, CostCalculator::requestCost(u, sched)});
    }
    const CostSummary s = CostCalculator::summarize(items, sched.at(std::nullopt), m_catalogue.info().version());
    QCOMPARE(s.unknownCount, 0);
    // 0.000725 + 2,000 × 0.35e-6 = 0.001425.
    QVERIFY(near(s.totalUsd, 0.001425));
    QVERIFY(near(s.meanPerCaseUsd, 0.0007125));
    QCOMPARE(s.catalogueVersion, QStringLiteral("LiteLLM 00035b69 (2026-07-18)"));

    const CostSummary empty = CostCalculator::summarize({}, Price{});
    QCOMPARE(empty.requests, 0);
    QVERIFY(near(empty.totalUsd, 0.0));
    QVERIFY(!empty.meanPerCaseUsd);
    QVERIFY(!empty.blended3to1PerMTok);
    QVERIFY(!empty.effectivePerMTok);
}

// A chain cell's cost is the sum of its requests': parts and the provider's own charge add up,
// and one unknown request makes the whole unknown, saying why.
void TestCostCalculator::requestsOfOneCellAddUp()
{
    RequestCost first;
    first.usd = 0.003;
    first.uncachedInputUsd = 0.001;
    first.outputUsd = 0.002;
    first.reportedUsd = 0.0031;
    first.appliedPrice.inputPerMTok = 1.0;
    RequestCost second;
    second.usd = 0.0015;
    second.cacheReadUsd = 0.0005;
    second.reasoningUsd = 0.001;
    second.reportedUsd = 0.0014;
    RequestCost sum = first;
    sum += second;
    QCOMPARE(sum.usd.value(), 0.0045);
    QCOMPARE(sum.uncachedInputUsd, 0.001);
    QCOMPARE(sum.cacheReadUsd, 0.0005);
    QCOMPARE(sum.outputUsd, 0.002);
    QCOMPARE(sum.reasoningUsd, 0.001);
    QCOMPARE(sum.reportedUsd.value(), 0.0045);
    QCOMPARE(sum.appliedPrice.inputPerMTok, std::optional<double>(1.0));

    RequestCost unknown;
    unknown.unknownReason = QStringLiteral("no usage reported");
    sum += unknown;
    QVERIFY(!sum.usd);
    QCOMPARE(sum.unknownReason, QStringLiteral("no usage reported"));
    QCOMPARE(sum.outputUsd, 0.0);
    QVERIFY(!sum.reportedUsd); // the second request's charge is not known either
    sum += second; // stays unknown, with the first reason
    QVERIFY(!sum.usd);
    QCOMPARE(sum.unknownReason, QStringLiteral("no usage reported"));
}

QTEST_GUILESS_MAIN(TestCostCalculator)
#include "tst_costcalculator.moc"
