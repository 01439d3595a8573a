#include "routing/RoutingEvaluator.h"

#include "RoutingTestData.h"

#include <QTest>

using namespace Slopscope;
using namespace Slopscope::RoutingTest;

namespace {

constexpr double kEps = 1e-9;

RoutingPolicy draftThenStrong(const QString &validator, double threshold)
{
    return RoutingPolicy::cascade(
        QStringLiteral("draft-then-strong"),
        {CascadeStage{QStringLiteral("cheap"), validator, threshold}, CascadeStage{QStringLiteral("strong"), {}, 0.5}});
}

CellResult withVerdict(CellResult c, const JudgeCall &call)
{
    c.judgeCalls.append(call);
    return c;
}

// Four cases; cheap answers cost $0.001 in 100 ms, strong answers $0.010 in 400 ms, and the
// validator "v" answers each check for $0.002 in 50 ms.
//   a: cheap 1.0, v says 0.9 → kept        cost .001+.002      = .003   latency 100+50     = 150
//   b: cheap 0.0, v says 0.2 → escalated   cost .001+.002+.010 = .013   latency 100+50+400 = 550
//   c: cheap 0.5, v says 0.8 → kept (the validator is wrong; the route pays for it in quality)
//                                          cost .003                      latency 150
//   d: cheap 1.0, v says 0.6 → escalated (needlessly), strong 1.0
//                                          cost .013                      latency 550
QList<CellResult> fourCases()
{
    const QString v = QStringLiteral("v");
    return {
        withVerdict(answer("a", "cheap", 1.0, 0.001, 100), verdict("v", 0.9, 0.002, 50)),
        answer("a", "strong", 1.0, 0.010, 400),
        withVerdict(answer("b", "cheap", 0.0, 0.001, 100), verdict("v", 0.2, 0.002, 50)),
        answer("b", "strong", 1.0, 0.010, 400),
        withVerdict(answer("c", "cheap", 0.5, 0.001, 100), verdict("v", 0.8, 0.002, 50)),
        answer("c", "strong", 1.0, 0.010, 400),
        withVerdict(answer("d", "cheap", 1.0, 0.001, 100), verdict("v", 0.6, 0.002, 50)),
        answer("d", "strong", 1.0, 0.010, 400),
    };
}

} // namespace

class TestRoutingEvaluator final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cascadeArithmetic();
    void sequentialStagesAddUp();
    void oracleFallbackAndMissingData();
    void unknownCostIsNotAveragedAway();
    void byTagRouting();
    void bestOfNWithRecordedAndOraclePicks();
    void repeatsAreAveragedPerCase();
};

void TestRoutingEvaluator::cascadeArithmetic()
{
    const Suite suite = suiteOf({{"a", {}}, {"b", {}}, {"c", {}}, {"d", {}}});
    const RoutingEvaluator evaluator(fourCases(), suite);
    const RoutingEvaluation e = evaluator.evaluate(draftThenStrong(QStringLiteral("v"), 0.7));
    QCOMPARE(e.cases, 4);
    QCOMPARE(e.incomplete, 0);
    QVERIFY(e.missing.isEmpty());
    // Final scores: a 1.0 (cheap), b 1.0 (strong), c 0.5 (cheap), d 1.0 (strong) → 3.5 / 4 = 0.875.
    QVERIFY(std::abs(e.quality.value() - 0.875) < kEps);
    QVERIFY(e.qualityLow.value() <= 0.875 && e.qualityHigh.value() >= 0.875);
    QVERIFY(e.qualityHigh.value() <= 1.0 && e.qualityLow.value() >= 0.5);
    // (.003 + .013 + .003 + .013) / 4 = .008 per case → $8 per 1,000 cases.
    QVERIFY(std::abs(e.costPer1000Cases.value() - 8.0) < kEps);
    // Latencies 150, 550, 150, 550: p50 is the 2nd smallest (150), p95 the 4th (550).
    QCOMPARE(e.latencyP50Ms.value(), 150.0);
    QCOMPARE(e.latencyP95Ms.value(), 550.0);
    QCOMPARE(e.escalated, 2);
    QCOMPARE(e.escalatedShare.value(), 0.5);
    QCOMPARE(e.recordedVerdicts, 4);
    QCOMPARE(e.oracleVerdicts, 0);
    QCOMPARE(e.routed.size(), 4);
    const RoutedCase &b = e.routed.at(1);
    QCOMPARE(b.caseId, QStringLiteral("b"));
    QCOMPARE(b.answeredBy, (QStringList{QStringLiteral("cheap"), QStringLiteral("strong")}));
    QCOMPARE(b.finalTargetId, QStringLiteral("strong"));
    QVERIFY(b.escalated);
    QVERIFY(std::abs(b.costUsd.value() - 0.013) < kEps);
    QCOMPARE(b.latencyMs.value(), 550.0);
    QCOMPARE(b.verdicts, QList<VerdictSource>{VerdictSource::Recorded});

    // The same cells under the oracle at 1.0: a and d kept (cheap scored 1.0), b and c escalated,
    // no validator cost or latency. Quality 4 × 1.0 / 4 = 1.0; cost (.001 + .011 + .011 + .001) / 4
    // = .006 → $6; latencies 100, 500, 500, 100.
    const RoutingEvaluation oracle = evaluator.evaluate(draftThenStrong(RoutingPolicy::kOracleValidator, 1.0));
    QVERIFY(std::abs(oracle.quality.value() - 1.0) < kEps);
    QVERIFY(std::abs(oracle.costPer1000Cases.value() - 6.0) < kEps);
    QCOMPARE(oracle.latencyP50Ms.value(), 100.0);
    QCOMPARE(oracle.latencyP95Ms.value(), 500.0);
    QCOMPARE(oracle.oracleVerdicts, 4);
    QCOMPARE(oracle.recordedVerdicts, 0);
    QVERIFY(oracle.missing.isEmpty()); // the oracle needs no verdict, so none is missing

    // The interval is seeded: the same policy gives the same interval.
    const RoutingEvaluation again = evaluator.evaluate(draftThenStrong(QStringLiteral("v"), 0.7));
    QCOMPARE(again.qualityLow.value(), e.qualityLow.value());
    QCOMPARE(again.qualityHigh.value(), e.qualityHigh.value());
}

void TestRoutingEvaluator::sequentialStagesAddUp()
{
    // Three stages: cheap [v ≥ 0.7] → mid [w ≥ 0.7] → strong. Case a goes all the way:
    //   cheap 100 ms + v 50 ms + mid 200 ms + w 30 ms + strong 400 ms = 780 ms
    //   cost  .001 + .002 + .004 + .003 + .010 = .020
    // Two calls of v on the same answer run side by side: their mean (0.1 + 0.5) / 2 = 0.3 fails,
    // and the wait is the slower one (50 ms, not 20 + 50); both are paid (.001 + .001 = .002).
    CellResult cheap = answer("a", "cheap", 0.0, 0.001, 100);
    cheap.judgeCalls = {verdict("v", 0.1, 0.001, 20), verdict("v", 0.5, 0.001, 50)};
    const QList<CellResult> cells{cheap, withVerdict(answer("a", "mid", 0.5, 0.004, 200), verdict("w", 0.4, 0.003, 30)),
                                  answer("a", "strong", 0.9, 0.010, 400)};
    const RoutingPolicy policy = RoutingPolicy::cascade(
        QStringLiteral("three"), {CascadeStage{QStringLiteral("cheap"), QStringLiteral("v"), 0.7},
                                  CascadeStage{QStringLiteral("mid"), QStringLiteral("w"), 0.7},
                                  CascadeStage{QStringLiteral("strong"), {}, 0.5}});
    const RoutingEvaluation e = RoutingEvaluator(cells, suiteOf({{"a", {}}})).evaluate(policy);
    QCOMPARE(e.routed.size(), 1);
    const RoutedCase &r = e.routed.first();
    QCOMPARE(r.latencyMs.value(), 780.0);
    QVERIFY(std::abs(r.costUsd.value() - 0.020) < kEps);
    QCOMPARE(r.score.value(), 0.9);
    QCOMPARE(r.answeredBy.size(), 3);
    QCOMPARE(e.latencyP50Ms.value(), 780.0);
    QCOMPARE(e.recordedVerdicts, 2);

    // An unknown latency anywhere on the route leaves the replay's latency unknown, not shorter.
    QList<CellResult> noTiming = cells;
    noTiming[1].metrics.e2eNs.reset();
    const RoutingEvaluation unknown = RoutingEvaluator(noTiming, suiteOf({{"a", {}}})).evaluate(policy);
    QVERIFY(!unknown.routed.first().latencyMs);
    QCOMPARE(unknown.unknownLatency, 1);
    QVERIFY(!unknown.latencyP50Ms);
}

void TestRoutingEvaluator::oracleFallbackAndMissingData()
{
    QList<CellResult> cells = fourCases();
    cells[4].judgeCalls.clear(); // c: no recorded verdict by v on cheap's answer
    cells.removeAt(3);           // b: no answer by strong
    const Suite suite = suiteOf({{"a", {}}, {"b", {}}, {"c", {}}, {"d", {}}});
    const RoutingPolicy policy = draftThenStrong(QStringLiteral("v"), 0.7);

    const RoutingEvaluation e = RoutingEvaluator(cells, suite).evaluate(policy);
    // b is escalated (v says 0.2) to an answer that does not exist: left out, listed.
    // c falls back to the oracle: cheap's own score 0.5 < 0.7 → escalated to strong (1.0).
    const QList<MissingItem> expected{
        MissingItem{MissingItem::Kind::Answer, QStringLiteral("b"), 0, QStringLiteral("strong"), {}, {}},
        MissingItem{
            MissingItem::Kind::Verdict, QStringLiteral("c"), 0, QStringLiteral("v"), QStringLiteral("cheap"), {}}};
    QCOMPARE(e.missing, expected);
    QCOMPARE(e.missingAnswers, 1);
    QCOMPARE(e.missingVerdicts, 1);
    QCOMPARE(e.incomplete, 1);
    QCOMPARE(e.cases, 3);
    QVERIFY(!e.routed.at(1).complete);
    QCOMPARE(e.routed.at(2).verdicts, QList<VerdictSource>{VerdictSource::Oracle});
    QCOMPARE(e.oracleVerdicts, 1);
    QCOMPARE(e.recordedVerdicts, 2); // a and d: b's verdict was taken, but b is left out
    // a 1.0, c 1.0 (strong), d 1.0 → 1.0; costs a .003, c .001 + .010 = .011 (the oracle is free),
    // d .013 → .027 / 3 = .009 → $9 per 1,000 cases. Escalated: c and d of 3 complete.
    QVERIFY(std::abs(e.quality.value() - 1.0) < kEps);
    QVERIFY(std::abs(e.costPer1000Cases.value() - 9.0) < kEps);
    QVERIFY(std::abs(e.escalatedShare.value() - 2.0 / 3.0) < kEps);

    // Without the fallback, c is left out too; the missing list is the same.
    const RoutingEvaluation strict = RoutingEvaluator(cells, suite, RoutingEvaluator::Options{false}).evaluate(policy);
    QCOMPARE(strict.missing, expected);
    QCOMPARE(strict.incomplete, 2);
    QCOMPARE(strict.cases, 2);
    QCOMPARE(strict.oracleVerdicts, 0);

    // A cancelled cell and a reworded one are no answers for routing.
    QList<CellResult> odd = fourCases();
    odd[1].job.state = JobState::Cancelled;          // a: strong
    odd[3].variantId = QStringLiteral("paraphrase"); // b: strong
    const RoutingEvaluation oddE = RoutingEvaluator(odd, suite).evaluate(draftThenStrong(QStringLiteral("v"), 0.95));
    // At 0.95 every cheap answer escalates (verdicts 0.9, 0.2, 0.8, 0.6): a and b miss strong.
    QCOMPARE(oddE.missingAnswers, 2);
    QCOMPARE(oddE.missing.at(0).caseId, QStringLiteral("a"));
    QCOMPARE(oddE.missing.at(1).caseId, QStringLiteral("b"));
}

void TestRoutingEvaluator::unknownCostIsNotAveragedAway()
{
    QList<CellResult> cells = fourCases();
    cells[0].judgeCalls[0].costUsd.reset(); // a: v's check has no known price
    const RoutingEvaluation e = RoutingEvaluator(cells, suiteOf({{"a", {}}, {"b", {}}, {"c", {}}, {"d", {}}}))
                                    .evaluate(draftThenStrong(QStringLiteral("v"), 0.7));
    QCOMPARE(e.unknownCost, 1);
    QVERIFY(!e.costPer1000Cases);
    QVERIFY(!e.routed.first().costUsd);
    QVERIFY(e.quality); // the rest of the figures stand
}

void TestRoutingEvaluator::byTagRouting()
{
    // critical → strong, low-risk (and untagged) → cheap. First matching rule wins: "e" carries both.
    const Suite suite = suiteOf({{"a", {QStringLiteral("critical")}},
                                 {"b", {QStringLiteral("low")}},
                                 {"c", {}},
                                 {"e", {QStringLiteral("low"), QStringLiteral("critical")}}});
    const QList<CellResult> cells{answer("a", "cheap", 0.0, 0.001, 100), answer("a", "strong", 1.0, 0.010, 400),
                                  answer("b", "cheap", 1.0, 0.001, 100), answer("b", "strong", 1.0, 0.010, 400),
                                  answer("c", "cheap", 0.5, 0.001, 120), answer("c", "strong", 1.0, 0.010, 400),
                                  answer("e", "cheap", 1.0, 0.001, 100)};
    RoutingPolicy p;
    p.name = QStringLiteral("critical-to-strong");
    p.kind = RoutingPolicy::Kind::ByTag;
    p.rules = {TagRule{QStringLiteral("critical"), QStringLiteral("strong")},
               TagRule{QStringLiteral("low"), QStringLiteral("cheap")}};
    p.defaultTargetId = QStringLiteral("cheap");
    const RoutingEvaluation e = RoutingEvaluator(cells, suite).evaluate(p);
    // a → strong 1.0 ($.010, 400 ms); b → cheap 1.0 (.001, 100); c → cheap (default) 0.5 (.001, 120);
    // e → strong (critical is the first rule), which has no answer: listed, left out.
    QCOMPARE(e.missing, (QList<MissingItem>{MissingItem{
                            MissingItem::Kind::Answer, QStringLiteral("e"), 0, QStringLiteral("strong"), {}, {}}}));
    QCOMPARE(e.cases, 3);
    QVERIFY(std::abs(e.quality.value() - 2.5 / 3.0) < kEps);
    QVERIFY(std::abs(e.costPer1000Cases.value() - 12.0 / 3.0) < kEps); // (.010 + .001 + .001) / 3 × 1000
    QCOMPARE(e.latencyP50Ms.value(), 120.0);                           // 100, 120, 400
    QCOMPARE(e.latencyP95Ms.value(), 400.0);
    // "Escalated" for by-tag: sent to another target than the default (a only; b's rule names the
    // default itself).
    QCOMPARE(e.escalated, 1);
    QCOMPARE(e.routed.at(0).finalTargetId, QStringLiteral("strong"));
    QCOMPARE(e.routed.at(2).finalTargetId, QStringLiteral("cheap"));
}

void TestRoutingEvaluator::bestOfNWithRecordedAndOraclePicks()
{
    // Candidates x ($.002, 300 ms) and y ($.003, 200 ms), judge j ($.001 per ask).
    //   a: both asks pick y → y's 0.8; cost .002 + .003 + .001 + .001 = .007;
    //      latency max(300, 200) + max(30, 40) = 340 (candidates, then both asks, side by side).
    //   b: the asks disagree → the judge had no preference: the first candidate, x (0.9), a
    //      recorded verdict. Cost .007, latency 340, as in a.
    //   c: the judge compared three answers (a third target took part) → not this policy's pick,
    //      missing; oracle on a tie (0.6, 0.6) keeps the first candidate, x. Cost .005, 300 ms.
    const QString ax = jobId(QStringLiteral("a"), 0, QStringLiteral("x"));
    const QString ay = jobId(QStringLiteral("a"), 0, QStringLiteral("y"));
    const QString bx = jobId(QStringLiteral("b"), 0, QStringLiteral("x"));
    const QString by = jobId(QStringLiteral("b"), 0, QStringLiteral("y"));
    const QString cy = jobId(QStringLiteral("c"), 0, QStringLiteral("y"));
    const QList<JudgeCall> aCalls{pick("j", QStringLiteral("judge|a|1"), ay, 2, 0.001, 30),
                                  pick("j", QStringLiteral("judge|a|2"), ay, 2, 0.001, 40)};
    const QList<JudgeCall> bCalls{pick("j", QStringLiteral("judge|b|1"), bx, 2, 0.001, 30),
                                  pick("j", QStringLiteral("judge|b|2"), by, 2, 0.001, 40)};
    const QList<JudgeCall> cCalls{pick("j", QStringLiteral("judge|c|1"), cy, 3, 0.001, 30)};
    QList<CellResult> cells{answer("a", "x", 0.5, 0.002, 300), answer("a", "y", 0.8, 0.003, 200),
                            answer("b", "x", 0.9, 0.002, 300), answer("b", "y", 0.4, 0.003, 200),
                            answer("c", "x", 0.6, 0.002, 300), answer("c", "y", 0.6, 0.003, 200)};
    cells[0].judgeCalls = cells[1].judgeCalls = aCalls;
    cells[2].judgeCalls = cells[3].judgeCalls = bCalls;
    cells[4].judgeCalls = cells[5].judgeCalls = cCalls;
    RoutingPolicy p;
    p.name = QStringLiteral("best-of-2");
    p.kind = RoutingPolicy::Kind::BestOfN;
    p.candidateTargets = {QStringLiteral("x"), QStringLiteral("y")};
    p.judgeTargetId = QStringLiteral("j");
    const RoutingEvaluation e = RoutingEvaluator(cells, suiteOf({{"a", {}}, {"b", {}}, {"c", {}}})).evaluate(p);
    QCOMPARE(e.routed.at(0).finalTargetId, QStringLiteral("y"));
    QVERIFY(std::abs(e.routed.at(0).costUsd.value() - 0.007) < kEps);
    QCOMPARE(e.routed.at(0).latencyMs.value(), 340.0);
    QCOMPARE(e.routed.at(0).verdicts, QList<VerdictSource>{VerdictSource::Recorded});
    QCOMPARE(e.routed.at(1).finalTargetId, QStringLiteral("x"));
    QVERIFY(std::abs(e.routed.at(1).costUsd.value() - 0.007) < kEps);
    QCOMPARE(e.routed.at(1).latencyMs.value(), 340.0);
    QCOMPARE(e.routed.at(1).verdicts, QList<VerdictSource>{VerdictSource::Recorded});
    QCOMPARE(e.routed.at(2).finalTargetId, QStringLiteral("x"));
    QVERIFY(std::abs(e.routed.at(2).costUsd.value() - 0.005) < kEps);
    QCOMPARE(e.routed.at(2).verdicts, QList<VerdictSource>{VerdictSource::Oracle});
    // Quality (0.8 + 0.9 + 0.6) / 3; cost (.007 + .007 + .005) / 3 × 1000.
    QVERIFY(std::abs(e.quality.value() - 2.3 / 3.0) < kEps);
    QVERIFY(std::abs(e.costPer1000Cases.value() - 19.0 / 3.0) < kEps);
    const QStringList candidates{QStringLiteral("x"), QStringLiteral("y")};
    QCOMPARE(e.missing, (QList<MissingItem>{MissingItem{
                            MissingItem::Kind::Pick, QStringLiteral("c"), 0, QStringLiteral("j"), {}, candidates}}));
    QCOMPARE(e.missingVerdicts, 1);
    QCOMPARE(e.recordedVerdicts, 2);
    QCOMPARE(e.oracleVerdicts, 1);
}

void TestRoutingEvaluator::repeatsAreAveragedPerCase()
{
    // Case a ran twice, b once. Single target "cheap": a's repeats 1.0 and 0.0 → 0.5, b 1.0 →
    // quality (0.5 + 1.0) / 2 = 0.75 (cases weigh the same however often they ran).
    // Cost: a (.001 + .003) / 2 = .002, b .004 → .003 per case → $3 per 1,000 cases.
    const QList<CellResult> cells{answer("a", "cheap", 1.0, 0.001, 100, 0), answer("a", "cheap", 0.0, 0.003, 300, 1),
                                  answer("b", "cheap", 1.0, 0.004, 200, 0)};
    const RoutingEvaluation e = RoutingEvaluator(cells, suiteOf({{"a", {}}, {"b", {}}}))
                                    .evaluate(RoutingPolicy::singleTarget(QStringLiteral("cheap")));
    QCOMPARE(e.routed.size(), 3);
    QCOMPARE(e.cases, 2);
    QVERIFY(std::abs(e.quality.value() - 0.75) < kEps);
    QVERIFY(std::abs(e.costPer1000Cases.value() - 3.0) < kEps);
    QCOMPARE(e.latencyP50Ms.value(), 200.0); // 100, 200, 300
    QCOMPARE(e.escalatedShare.value(), 0.0);
}

QTEST_GUILESS_MAIN(TestRoutingEvaluator)
#include "tst_routingevaluator.moc"
