#include "routing/RoutingSearch.h"

#include "RoutingTestData.h"

#include <QTest>

using namespace Slopscope;
using namespace Slopscope::RoutingTest;

namespace {

constexpr double kEps = 1e-9;

// Four cases, the last two tagged "hard". Scores and prices per answer:
//            c1   c2   c3   c4    $ per answer
//   cheap    1    1    0    0     .001
//   mid      1    1    1    0     .004
//   strong   1    1    1    1     .010
// Single targets ($ per 1,000 cases, quality): cheap (1, .5), mid (4, .75), strong (10, 1).
// Cascades under the oracle at 1.0 (scores are 0/1, so 0.5 gives the same routes):
//   cheap → mid:    c1 c2 cheap, c3 c4 cheap + mid   → q (1+1+1+0)/4 = .75, $ (.001·2 + .005·2)/4 = 3
//   cheap → strong: c1 c2 cheap, c3 c4 cheap + strong → q 1,  $ (.001·2 + .011·2)/4 = 6
//   mid → strong:   c4 escalated                      → q 1,  $ (.004·3 + .014)/4    = 6.5
//   mid → cheap:    c4 escalated                      → q .75, $ (.004·3 + .005)/4   = 4.25
//   strong → *:     never escalated                   → q 1,  $ 10
// By tag (one rule "hard" → X, else Y):
//   hard: mid, else cheap    → q .75, $ (.001·2 + .004·2)/4 = 2.5
//   hard: strong, else cheap → q 1,   $ (.001·2 + .010·2)/4 = 5.5
QList<CellResult> lineup()
{
    QList<CellResult> cells;
    const char *cases[] = {"c1", "c2", "c3", "c4"};
    const double cheap[] = {1, 1, 0, 0};
    const double mid[] = {1, 1, 1, 0};
    for (int i = 0; i < 4; ++i) {
        cells.append(answer(cases[i], "cheap", cheap[i], 0.001, 100));
        cells.append(answer(cases[i], "mid", mid[i], 0.004, 200));
        cells.append(answer(cases[i], "strong", 1.0, 0.010, 400));
    }
    return cells;
}

Suite lineupSuite()
{
    return suiteOf({{"c1", {}}, {"c2", {}}, {"c3", {QStringLiteral("hard")}}, {"c4", {QStringLiteral("hard")}}});
}

QString nameAt(const QList<RoutingEvaluation> &all, std::optional<qsizetype> i)
{
    return i ? all.at(*i).policy.name : QStringLiteral("<none>");
}

} // namespace

class TestRoutingSearch final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void enumeratesTheLineup();
    void answersWithCascadesOnly();
    void byTagRulesJoinTheSearch();
    void respectsThePolicyCap();
};

void TestRoutingSearch::enumeratesTheLineup()
{
    const RoutingEvaluator evaluator(lineup(), lineupSuite());
    RoutingSearch::Options options;
    options.thresholds = {1.0};
    options.byTag = false;
    // 3 single targets + 3 × 2 (draft, escalate) pairs × 1 validator (the oracle) × 1 threshold.
    QList<RoutingPolicy> policies = RoutingSearch::enumerate(evaluator, options);
    QCOMPARE(policies.size(), 9);
    QCOMPARE(policies.first().name, QStringLiteral("cheap"));
    QCOMPARE(policies.at(3).stages.size(), 2);
    options.thresholds = {0.5, 1.0};
    options.byTag = true;
    // 3 singles + 6 pairs × 2 thresholds, + 1 tag × 6 (tagged, default) pairs.
    policies = RoutingSearch::enumerate(evaluator, options);
    QCOMPARE(policies.size(), 3 + 12 + 6);
    for (const RoutingPolicy &p : std::as_const(policies))
        QVERIFY2(p.validate().ok(), qPrintable(p.validate().error()));

    // A run with recorded verdicts by "judge" adds it as a validator (and it is no answer target).
    QList<CellResult> judged = lineup();
    judged[0].judgeCalls.append(verdict("judge", 1.0, 0.001, 10));
    const RoutingEvaluator withJudge(judged, lineupSuite());
    QCOMPARE(withJudge.recordedValidators(), QStringList{QStringLiteral("judge")});
    options.thresholds = {1.0};
    options.byTag = false;
    QCOMPARE(RoutingSearch::enumerate(withJudge, options).size(), 3 + 6 * 2);
}

void TestRoutingSearch::answersWithCascadesOnly()
{
    const RoutingEvaluator evaluator(lineup(), lineupSuite());
    RoutingSearch::Options options;
    options.thresholds = {1.0};
    options.byTag = false;
    const QList<RoutingEvaluation> all =
        RoutingSearch::evaluateAll(evaluator, RoutingSearch::enumerate(evaluator, options));
    const QString cheapToMid = QStringLiteral("cheap → mid (@oracle ≥ 1)");
    const QString cheapToStrong = QStringLiteral("cheap → strong (@oracle ≥ 1)");
    // The figures the answers rest on.
    for (const RoutingEvaluation &e : all) {
        if (e.policy.name == cheapToMid) {
            QVERIFY(std::abs(e.costPer1000Cases.value() - 3.0) < kEps);
            QVERIFY(std::abs(e.quality.value() - 0.75) < kEps);
            QCOMPARE(e.escalatedShare.value(), 0.5);
        }
    }
    // Floor 1.0: strong costs 10, mid → strong 6.5, cheap → strong 6.
    QCOMPARE(nameAt(all, RoutingSearch::cheapestMeeting(all, 1.0)), cheapToStrong);
    // Floor .75: mid 4, mid → cheap 4.25, cheap → mid 3.
    QCOMPARE(nameAt(all, RoutingSearch::cheapestMeeting(all, 0.75)), cheapToMid);
    QCOMPARE(nameAt(all, RoutingSearch::cheapestMeeting(all, 0.5)), QStringLiteral("cheap"));
    QVERIFY(!RoutingSearch::cheapestMeeting(all, 1.01));
    // Ceiling $5: the best quality is .75, reached by cheap → mid (3), mid (4) and mid → cheap
    // (4.25); the tie goes to the cheapest.
    QCOMPARE(nameAt(all, RoutingSearch::bestUnder(all, 5.0)), cheapToMid);
    QCOMPARE(nameAt(all, RoutingSearch::bestUnder(all, 6.0)), cheapToStrong);
    QCOMPARE(nameAt(all, RoutingSearch::bestUnder(all, 2.0)), QStringLiteral("cheap"));
    QVERIFY(!RoutingSearch::bestUnder(all, 0.5));
    // Frontier: cheap (1, .5), cheap → mid (3, .75), cheap → strong (6, 1); everything else costs
    // more for no more quality.
    QStringList frontier;
    for (qsizetype i : RoutingSearch::frontier(all))
        frontier << all.at(i).policy.name;
    QCOMPARE(frontier, (QStringList{QStringLiteral("cheap"), cheapToMid, cheapToStrong}));
}

void TestRoutingSearch::byTagRulesJoinTheSearch()
{
    const RoutingEvaluator evaluator(lineup(), lineupSuite());
    RoutingSearch::Options options;
    options.thresholds = {1.0};
    const QList<RoutingEvaluation> all =
        RoutingSearch::evaluateAll(evaluator, RoutingSearch::enumerate(evaluator, options));
    const QString hardMid = QStringLiteral("hard: mid, else cheap");
    const QString hardStrong = QStringLiteral("hard: strong, else cheap");
    // hard: strong, else cheap reaches 1.0 for $5.5, under the cheapest cascade's $6.
    QCOMPARE(nameAt(all, RoutingSearch::cheapestMeeting(all, 1.0)), hardStrong);
    QCOMPARE(nameAt(all, RoutingSearch::cheapestMeeting(all, 0.75)), hardMid);
    QCOMPARE(nameAt(all, RoutingSearch::bestUnder(all, 5.9)), hardStrong);
    QStringList frontier;
    for (qsizetype i : RoutingSearch::frontier(all))
        frontier << all.at(i).policy.name;
    QCOMPARE(frontier, (QStringList{QStringLiteral("cheap"), hardMid, hardStrong}));
}

void TestRoutingSearch::respectsThePolicyCap()
{
    const RoutingEvaluator evaluator(lineup(), lineupSuite());
    RoutingSearch::Options options;
    options.maxPolicies = 5;
    const QList<RoutingPolicy> policies = RoutingSearch::enumerate(evaluator, options);
    QCOMPARE(policies.size(), 5);
    QCOMPARE(policies.at(2).name, QStringLiteral("strong")); // single targets come first
    // Policies without a known cost or any score take no part in the answers.
    QList<CellResult> unpriced = lineup();
    for (CellResult &c : unpriced)
        c.cost.usd.reset();
    const RoutingEvaluator noPrices(unpriced, lineupSuite());
    const QList<RoutingEvaluation> all =
        RoutingSearch::evaluateAll(noPrices, {RoutingPolicy::singleTarget(QStringLiteral("cheap"))});
    QVERIFY(!RoutingSearch::cheapestMeeting(all, 0.0));
    QVERIFY(RoutingSearch::frontier(all).isEmpty());
}

QTEST_GUILESS_MAIN(TestRoutingSearch)
#include "tst_routingsearch.moc"
