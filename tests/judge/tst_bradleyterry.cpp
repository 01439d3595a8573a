#include "judge/BradleyTerry.h"

#include <QTest>

#include <cmath>

using namespace Slopscope;

namespace {

QList<Comparison> repeat(int a, int b, double scoreA, int times)
{
    return QList<Comparison>(times, Comparison{a, b, scoreA});
}

// Three players with known results (ties count half to each):
//   0 vs 1: 0 won 4, 1 won 2, 1 tie      0 vs 2: 3 wins each      1 vs 2: 1 won 5, 2 won 1, 2 ties
QList<Comparison> threePlayers()
{
    return repeat(0, 1, 1.0, 4) + repeat(0, 1, 0.0, 2) + repeat(0, 1, 0.5, 1) + repeat(0, 2, 1.0, 3) +
           repeat(0, 2, 0.0, 3) + repeat(1, 2, 1.0, 5) + repeat(1, 2, 0.0, 1) + repeat(1, 2, 0.5, 2);
}

} // namespace

class TestBradleyTerry final : public QObject
{
    Q_OBJECT

private slots:
    void matchesAnIndependentMaximumLikelihoodFit();
    void twoPlayersHaveTheClosedForm();
    void orderOfComparisonsDoesNotMatter();
    void degenerateInputs();
    void priorKeepsUnbeatenPlayersFinite();
    void bootstrapIntervalsAreSeededAndCoverTheEstimate();
};

void TestBradleyTerry::matchesAnIndependentMaximumLikelihoodFit()
{
    const BradleyTerry::Fit fit = BradleyTerry::fit(3, threePlayers());
    QVERIFY(fit.converged);
    // Computed independently in Python by Newton's method on the log-likelihood (log-strengths,
    // player 0 fixed, then normalised to sum 1), not by the MM iteration under test:
    //   W = [7.5, 8.5, 5.0];  p = [0.402719879135188, 0.380658908272835, 0.216621212591977]
    const double expected[] = {0.402719879135188, 0.380658908272835, 0.216621212591977};
    for (int i = 0; i < 3; ++i)
        QVERIFY2(std::abs(fit.strength.at(i) - expected[i]) < 1e-9,
                 qPrintable(QStringLiteral("player %1: %2").arg(i).arg(fit.strength.at(i), 0, 'g', 15)));
    QCOMPARE(fit.games, (QList<double>{13, 15, 14}));
    // The likelihood equations hold: each player's wins equal its expected wins.
    const double wins[] = {7.5, 8.5, 5.0};
    const double n[3][3] = {{0, 7, 6}, {7, 0, 8}, {6, 8, 0}};
    for (int i = 0; i < 3; ++i) {
        double expectedWins = 0;
        for (int j = 0; j < 3; ++j) {
            if (j != i)
                expectedWins += n[i][j] * fit.strength.at(i) / (fit.strength.at(i) + fit.strength.at(j));
        }
        QVERIFY(std::abs(expectedWins - wins[i]) < 1e-8);
    }
    QVERIFY(std::abs(BradleyTerry::winProbability(fit.strength.at(0), fit.strength.at(2)) - 0.6502392373) < 1e-9);
}

void TestBradleyTerry::twoPlayersHaveTheClosedForm()
{
    // With two players the MLE is p0 / p1 = w0 / w1: 6 wins to 2 → 0.75 / 0.25.
    const auto fit = BradleyTerry::fit(2, repeat(0, 1, 1.0, 6) + repeat(1, 0, 1.0, 2));
    QVERIFY(fit.converged);
    QVERIFY(std::abs(fit.strength.at(0) - 0.75) < 1e-10);
    QVERIFY(std::abs(fit.strength.at(1) - 0.25) < 1e-10);
    // Ties only: equal strengths.
    const auto even = BradleyTerry::fit(2, repeat(0, 1, 0.5, 3));
    QVERIFY(std::abs(even.strength.at(0) - 0.5) < 1e-12);
}

void TestBradleyTerry::orderOfComparisonsDoesNotMatter()
{
    QList<Comparison> shuffled = threePlayers();
    std::reverse(shuffled.begin(), shuffled.end());
    // The same game written from the other side is the same game.
    for (Comparison &c : shuffled) {
        std::swap(c.a, c.b);
        c.scoreA = 1.0 - c.scoreA;
    }
    const auto a = BradleyTerry::fit(3, threePlayers());
    const auto b = BradleyTerry::fit(3, shuffled);
    for (int i = 0; i < 3; ++i)
        QVERIFY(std::abs(a.strength.at(i) - b.strength.at(i)) < 1e-12);
}

void TestBradleyTerry::degenerateInputs()
{
    QVERIFY(BradleyTerry::fit(0, {}).strength.isEmpty());
    // Invalid comparisons are ignored; a player without games has strength 0.
    const auto fit = BradleyTerry::fit(3, repeat(0, 1, 1.0, 2) + repeat(1, 0, 1.0, 2) +
                                              QList<Comparison>{{0, 0, 1.0}, {0, 7, 1.0}, {-1, 1, 0.0}});
    QCOMPARE(fit.games, (QList<double>{4, 4, 0}));
    QCOMPARE(fit.strength.at(2), 0.0);
    QVERIFY(std::abs(fit.strength.at(0) - 0.5) < 1e-12);
    // A player who lost everything ends at 0 (the MLE's boundary), without NaNs.
    const auto loser =
        BradleyTerry::fit(3, repeat(0, 1, 1.0, 2) + repeat(1, 0, 1.0, 1) + repeat(0, 2, 1.0, 2) + repeat(1, 2, 1.0, 2));
    QCOMPARE(loser.strength.at(2), 0.0);
    QVERIFY(loser.converged);
    QVERIFY(std::abs(loser.strength.at(0) - 2.0 / 3.0) < 1e-9); // 0 vs 1 alone decides: 2 to 1
    for (double s : loser.strength)
        QVERIFY(std::isfinite(s));
}

void TestBradleyTerry::priorKeepsUnbeatenPlayersFinite()
{
    // Player 0 won all its games: no finite MLE, the plain fit drifts.
    const QList<Comparison> sweep =
        repeat(0, 1, 1.0, 5) + repeat(0, 2, 1.0, 5) + repeat(1, 2, 1.0, 3) + repeat(1, 2, 0.0, 2);
    const auto plain = BradleyTerry::fit(3, sweep);
    QVERIFY(plain.strength.at(0) > 0.99);
    BradleyTerry::Options options;
    options.prior = 1.0;
    const auto shrunk = BradleyTerry::fit(3, sweep, options);
    QVERIFY(shrunk.converged);
    QVERIFY(shrunk.strength.at(0) < 0.99);
    QVERIFY(shrunk.strength.at(0) > shrunk.strength.at(1));
    QVERIFY(shrunk.strength.at(1) > shrunk.strength.at(2));
    double sum = 0;
    for (double s : shrunk.strength)
        sum += s;
    QVERIFY(std::abs(sum - 1.0) < 1e-12);
}

void TestBradleyTerry::bootstrapIntervalsAreSeededAndCoverTheEstimate()
{
    const auto a = BradleyTerry::bootstrap(3, threePlayers(), 7, 400);
    const auto b = BradleyTerry::bootstrap(3, threePlayers(), 7, 400);
    const auto c = BradleyTerry::bootstrap(3, threePlayers(), 8, 400);
    QCOMPARE(a.size(), 3);
    const auto fit = BradleyTerry::fit(3, threePlayers());
    bool differs = false;
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(a.at(i).low, b.at(i).low);
        QCOMPARE(a.at(i).high, b.at(i).high);
        QCOMPARE(a.at(i).estimate, fit.strength.at(i));
        QVERIFY(a.at(i).low <= a.at(i).estimate && a.at(i).estimate <= a.at(i).high);
        QVERIFY(a.at(i).low >= 0.0 && a.at(i).high <= 1.0);
        QVERIFY(a.at(i).high - a.at(i).low > 0.05); // 21 games say little: the interval is wide
        differs = differs || a.at(i).low != c.at(i).low;
    }
    QCOMPARE(a.at(1).n, 15);
    QVERIFY(differs); // another seed, other resamples
    // Ten times the games: narrower intervals.
    QList<Comparison> many;
    for (int k = 0; k < 10; ++k)
        many += threePlayers();
    const auto narrow = BradleyTerry::bootstrap(3, many, 7, 400);
    for (int i = 0; i < 3; ++i)
        QVERIFY(narrow.at(i).high - narrow.at(i).low < a.at(i).high - a.at(i).low);
}

QTEST_GUILESS_MAIN(TestBradleyTerry)
#include "tst_bradleyterry.moc"
