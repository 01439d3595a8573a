#include "routing/RoutingSearch.h"
#include "run/RunSession.h"

#include <QSignalSpy>
#include <QTest>

using namespace Slopscope;

namespace {

// The facts demo, each case also graded for factuality by the run's judge: the judge's verdicts on
// the draft's answers are what a recorded validator replays.
Suite factsWithFactuality()
{
    auto suite = Suite::fromFile(QStringLiteral(":/slopscope/demo/suites/facts.json"));
    if (!suite)
        qFatal("%s", qPrintable(suite.error()));
    Suite s = suite.value();
    for (SuiteCase &c : s.cases) {
        Assertion factuality;
        factuality.type = QStringLiteral("factuality");
        c.assertions.append(factuality);
    }
    return s;
}

void print(const RoutingEvaluation &e)
{
    qInfo("%-50s quality %.3f [%.3f, %.3f]  $%.4f / 1k cases  p50 %.0f ms  p95 %.0f ms  escalated %.2f  "
          "verdicts %lld recorded / %lld oracle",
          qPrintable(e.policy.summary()), e.quality.value_or(-1), e.qualityLow.value_or(-1), e.qualityHigh.value_or(-1),
          e.costPer1000Cases.value_or(-1), e.latencyP50Ms.value_or(-1), e.latencyP95Ms.value_or(-1),
          e.escalatedShare.value_or(-1), static_cast<long long>(e.recordedVerdicts),
          static_cast<long long>(e.oracleVerdicts));
}

} // namespace

class TestRoutingDemo final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cascadeLandsBetweenItsMembers();
    void searchOverTheRun();

private:
    QList<CellResult> m_cells;
    Suite m_suite;
};

void TestRoutingDemo::initTestCase()
{
    RunSpec spec;
    spec.workspace = Workspace::demo();
    spec.suite = factsWithFactuality();
    spec.targetIds = {QStringLiteral("gpt-oss-groq"), QStringLiteral("local-llama"), QStringLiteral("sonnet")};
    spec.judgeTargetId = QStringLiteral("gemini-flash");
    spec.seed = 7;
    m_suite = spec.suite;
    RunSession session;
    QSignalSpy finished(&session, &RunSession::runFinished);
    const Status started = session.start(spec);
    QVERIFY2(started.ok(), qPrintable(started.error()));
    QVERIFY(finished.wait(240'000));
    QCOMPARE(finished.first().first().toBool(), false);
    m_cells = session.results();
    QCOMPARE(m_cells.size(), m_suite.cases.size() * 3);
}

void TestRoutingDemo::cascadeLandsBetweenItsMembers()
{
    const RoutingEvaluator evaluator(m_cells, m_suite);
    QCOMPARE(evaluator.recordedValidators(), QStringList{QStringLiteral("gemini-flash")});
    const RoutingEvaluation cheap = evaluator.evaluate(RoutingPolicy::singleTarget(QStringLiteral("gpt-oss-groq")));
    const RoutingEvaluation strong = evaluator.evaluate(RoutingPolicy::singleTarget(QStringLiteral("sonnet")));
    // Draft with groq, validate with the judge's recorded factuality verdict, escalate to sonnet;
    // and the same route under the oracle (the draft's own grade must be perfect).
    const auto cascade = [](const QString &validator, double threshold) {
        return RoutingPolicy::cascade(QStringLiteral("groq-then-sonnet"),
                                      {CascadeStage{QStringLiteral("gpt-oss-groq"), validator, threshold},
                                       CascadeStage{QStringLiteral("sonnet"), {}, 0.5}});
    };
    const RoutingEvaluation recorded = evaluator.evaluate(cascade(QStringLiteral("gemini-flash"), 0.5));
    const RoutingEvaluation oracle = evaluator.evaluate(cascade(RoutingPolicy::kOracleValidator, 1.0));
    for (const auto *e : {&cheap, &strong, &recorded, &oracle})
        print(*e);

    const qsizetype n = m_suite.cases.size();
    for (const auto *e : {&cheap, &strong, &recorded, &oracle}) {
        QVERIFY(e->missing.isEmpty());
        QCOMPARE(e->cases, n);
        QVERIFY(e->quality && e->costPer1000Cases && e->latencyP50Ms);
    }
    QCOMPARE(recorded.recordedVerdicts, n);
    // A one-stage policy is the target itself: the same quality and cost as the run's summary.
    for (const QString &id :
         {QStringLiteral("gpt-oss-groq"), QStringLiteral("local-llama"), QStringLiteral("sonnet")}) {
        QList<CellResult> own;
        for (const CellResult &c : std::as_const(m_cells)) {
            if (c.job.targetId == id)
                own.append(c);
        }
        const TargetSummary summary = RunSession::summarize(id, own, Price{});
        const RoutingEvaluation single = evaluator.evaluate(RoutingPolicy::singleTarget(id));
        QVERIFY(std::abs(single.quality.value() - summary.quality.value()) < 1e-12);
        QVERIFY(std::abs(single.costPer1000Cases.value() - summary.costPer1000Cases.value()) < 1e-12);
    }
    QCOMPARE(oracle.oracleVerdicts, n);

    // Cost under the oracle (a free validator): the draft is always paid, sonnet only for the
    // escalated share, so the route lands strictly between its members as long as something was
    // escalated and not everything was.
    QVERIFY(*oracle.escalatedShare > 0.0 && *oracle.escalatedShare < 1.0);
    QVERIFY(*cheap.costPer1000Cases < *oracle.costPer1000Cases);
    QVERIFY(*oracle.costPer1000Cases < *strong.costPer1000Cases);
    // Under a recorded validator every draft is also judged. Those calls are dear beside the short
    // facts answers (a judge prompt carries the question, the reference and the answer), so on this
    // suite the route need not be cheaper than sonnet; what must hold is that it paid the draft
    // and every validation: cost ≥ groq's + the validator's calls on groq's answers.
    double validatorUsd = 0;
    for (const CellResult &c : std::as_const(m_cells)) {
        if (c.job.targetId != QStringLiteral("gpt-oss-groq"))
            continue;
        for (const JudgeCall &call : c.judgeCalls)
            validatorUsd += call.costUsd.value();
    }
    const double validatorPer1000 = validatorUsd / static_cast<double>(n) * 1000.0;
    qInfo("validator calls on the drafts: $%.4f / 1k cases", validatorPer1000);
    QVERIFY(*recorded.escalatedShare > 0.0);
    QVERIFY(*recorded.costPer1000Cases >= *cheap.costPer1000Cases + validatorPer1000 - 1e-9);
    QVERIFY(*recorded.costPer1000Cases > *cheap.costPer1000Cases + validatorPer1000); // escalations cost too
    // Quality close to the strong member: at most 0.10 below it. On 15 cases one case moves the
    // mean by 0.067; the tolerance allows the validator to wave through about one poor draft (the
    // simulated judge is not perfect), no more.
    QVERIFY2(*recorded.quality >= *strong.quality - 0.10, qPrintable(QString::number(*recorded.quality)));
    QVERIFY2(*oracle.quality >= *strong.quality - 0.10, qPrintable(QString::number(*oracle.quality)));
    QVERIFY(*oracle.quality > *cheap.quality);

    // Sequential stages: every replay takes at least the draft's own time plus the validator's.
    for (const RoutedCase &r : recorded.routed) {
        const CellResult *draft = nullptr;
        for (const CellResult &c : std::as_const(m_cells)) {
            if (c.caseId == r.caseId && c.job.targetId == QStringLiteral("gpt-oss-groq"))
                draft = &c;
        }
        QVERIFY(draft && draft->metrics.e2eNs);
        QVERIFY(r.latencyMs.value() > static_cast<double>(*draft->metrics.e2eNs) / 1e6);
    }
}

void TestRoutingDemo::searchOverTheRun()
{
    const RoutingEvaluator evaluator(m_cells, m_suite);
    const QList<RoutingEvaluation> all =
        RoutingSearch::evaluateAll(evaluator, RoutingSearch::enumerate(evaluator, RoutingSearch::Options{}));
    // 3 singles; 6 (draft, escalate) pairs × 2 validators (oracle, gemini-flash) × 2 thresholds;
    // per tag of the suite, one rule × 6 (tagged, default) pairs.
    const qsizetype tags = evaluator.tags().size();
    QCOMPARE(all.size(), 3 + 6 * 2 * 2 + tags * 6);
    const QList<qsizetype> frontier = RoutingSearch::frontier(all);
    QVERIFY(!frontier.isEmpty());
    for (qsizetype i : frontier)
        print(all.at(i));
    // Whatever the floor, the answer meets it and nothing cheaper does.
    const RoutingEvaluation strong = evaluator.evaluate(RoutingPolicy::singleTarget(QStringLiteral("sonnet")));
    const auto pick = RoutingSearch::cheapestMeeting(all, *strong.quality);
    QVERIFY(pick);
    QVERIFY(*all.at(*pick).quality >= *strong.quality);
    for (const RoutingEvaluation &e : all) {
        if (e.quality && e.costPer1000Cases && *e.quality >= *strong.quality)
            QVERIFY(*e.costPer1000Cases >= *all.at(*pick).costPer1000Cases);
    }
    const auto under = RoutingSearch::bestUnder(all, *strong.costPer1000Cases);
    QVERIFY(under);
    QVERIFY(*all.at(*under).quality >= *strong.quality);
}

QTEST_GUILESS_MAIN(TestRoutingDemo)
#include "tst_routingdemo.moc"
