#include "quality/Statistics.h"

#include <QTest>

using namespace Slopscope::Stats;

class TestStatistics final : public QObject
{
    Q_OBJECT

private slots:
    void randomIsDeterministicAndUniform();
    void weightedMeanMatchesHandComputation();
    void bootstrapIntervalBehaves();
    void mcnemarKnownValues();
    void pairedBootstrapSeesARealDifference();
    void kappaKnownValue();
    void casesToSeparateFormula();
    void chiSquareSurvival();
};

void TestStatistics::randomIsDeterministicAndUniform()
{
    SeededRandom a(42);
    SeededRandom b(42);
    for (int i = 0; i < 100; ++i)
        QCOMPARE(a.next(), b.next());
    // splitmix64 reference value for seed 0 (first output).
    SeededRandom zero(0);
    QCOMPARE(zero.next(), 0xE220A8397B1DCDAFULL);
    SeededRandom r(7);
    QList<int> buckets(10, 0);
    for (int i = 0; i < 100000; ++i)
        ++buckets[static_cast<int>(r.below(10))];
    for (int count : buckets)
        QVERIFY2(count > 9500 && count < 10500, qPrintable(QString::number(count)));
}

void TestStatistics::weightedMeanMatchesHandComputation()
{
    QCOMPARE(weightedMean({1, 0, 1, 1}), 0.75);
    QCOMPARE(weightedMean({1, 0}, {3, 1}), 0.75);
    QCOMPARE(weightedMean({}), 0.0);
}

void TestStatistics::bootstrapIntervalBehaves()
{
    const Interval constant = bootstrapMean({0.5, 0.5, 0.5, 0.5});
    QCOMPARE(constant.low, 0.5);
    QCOMPARE(constant.high, 0.5);
    QCOMPARE(constant.n, 4);
    // 100 pass/fail results at 70%: the normal approximation gives ±1.96·sqrt(.21/100) ≈ ±0.09.
    QList<double> scores;
    for (int i = 0; i < 100; ++i)
        scores.append(i < 70 ? 1.0 : 0.0);
    const Interval iv = bootstrapMean(scores, {}, 123, 4000);
    QCOMPARE(iv.estimate, 0.7);
    QVERIFY(iv.low < 0.7 && iv.high > 0.7);
    QVERIFY2(std::abs((iv.high - iv.low) - 0.18) < 0.03, qPrintable(QString::number(iv.high - iv.low)));
    // Same seed, same interval.
    const Interval again = bootstrapMean(scores, {}, 123, 4000);
    QCOMPARE(again.low, iv.low);
    QCOMPARE(again.high, iv.high);
}

void TestStatistics::mcnemarKnownValues()
{
    // 10 discordant pairs one way, 2 the other: exact p = 2·(1+12+66)/4096.
    QList<bool> a;
    QList<bool> b;
    for (int i = 0; i < 10; ++i) {
        a << true;
        b << false;
    }
    for (int i = 0; i < 2; ++i) {
        a << false;
        b << true;
    }
    for (int i = 0; i < 30; ++i) {
        a << true;
        b << true;
    }
    const McNemar exact = mcnemar(a, b);
    QCOMPARE(exact.onlyA, 10);
    QCOMPARE(exact.onlyB, 2);
    QVERIFY(exact.exact);
    QVERIFY(std::abs(exact.pValue - 158.0 / 4096.0) < 1e-12);
    // 30 vs 10 discordant: χ² = (|30−10|−1)²/40 = 9.025, p ≈ 0.002663.
    QList<bool> c;
    QList<bool> d;
    for (int i = 0; i < 30; ++i) {
        c << true;
        d << false;
    }
    for (int i = 0; i < 10; ++i) {
        c << false;
        d << true;
    }
    const McNemar approx = mcnemar(c, d);
    QVERIFY(!approx.exact);
    QVERIFY2(std::abs(approx.pValue - 0.002663) < 1e-5, qPrintable(QString::number(approx.pValue, 'g', 8)));
    QCOMPARE(mcnemar({true, false}, {true, false}).pValue, 1.0);
}

void TestStatistics::pairedBootstrapSeesARealDifference()
{
    QList<double> strong;
    QList<double> weak;
    for (int i = 0; i < 60; ++i) {
        strong << (i % 10 < 9 ? 1.0 : 0.0);
        weak << (i % 10 < 5 ? 1.0 : 0.0);
    }
    const PairedComparison cmp = pairedBootstrap(strong, weak, 9);
    QVERIFY(std::abs(cmp.difference.estimate - 0.4) < 1e-12);
    QVERIFY(cmp.difference.low > 0.0);
    QVERIFY(cmp.pValue < 0.01);
    const PairedComparison same = pairedBootstrap(strong, strong, 9);
    QCOMPARE(same.pValue, 1.0);
}

void TestStatistics::kappaKnownValue()
{
    // The textbook example: 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no → po = 0.7, pe = 0.5, κ = 0.4.
    QList<int> a;
    QList<int> b;
    auto add = [&](int x, int y, int times) {
        for (int i = 0; i < times; ++i) {
            a << x;
            b << y;
        }
    };
    add(1, 1, 20);
    add(1, 0, 5);
    add(0, 1, 10);
    add(0, 0, 15);
    const Agreement ag = agreement(a, b);
    QCOMPARE(ag.n, 50);
    QVERIFY(std::abs(ag.percent - 0.7) < 1e-12);
    QVERIFY(std::abs(ag.kappa - 0.4) < 1e-12);
}

void TestStatistics::casesToSeparateFormula()
{
    // Differences 1,0,1,0 (mean 0.5, sd 0.57735): n = ceil((1.96·0.57735/0.5)²) = 6.
    const auto n = casesToSeparate({1, 0, 1, 0}, {0, 0, 0, 0});
    QVERIFY(n.has_value());
    QCOMPARE(*n, 6);
    QVERIFY(!casesToSeparate({1, 0}, {1, 0}).has_value());
}

void TestStatistics::chiSquareSurvival()
{
    QVERIFY(std::abs(chiSquare1Survival(3.841459) - 0.05) < 1e-6);
    QCOMPARE(chiSquare1Survival(0), 1.0);
}

QTEST_GUILESS_MAIN(TestStatistics)
#include "tst_statistics.moc"
