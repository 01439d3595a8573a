#include "run/RunSession.h"

#include <QSignalSpy>
#include <QTest>

using namespace Slopscope;

namespace {

Suite demoSuite(const char *file)
{
    auto suite = Suite::fromFile(QStringLiteral(":/slopscope/demo/suites/") + QLatin1StringView(file));
    if (!suite)
        qFatal("%s", qPrintable(suite.error()));
    return suite.value();
}

CellResult cell(const char *caseId, double score, std::optional<double> usd, JobState state = JobState::Completed,
                const char *variant = "")
{
    CellResult c;
    c.job.targetId = QStringLiteral("t");
    c.job.state = state;
    c.caseId = QString::fromLatin1(caseId);
    c.variantId = QString::fromLatin1(variant);
    c.grade.score = score;
    c.cost.usd = usd;
    c.metrics.ttftNs = 200'000'000;
    c.metrics.e2eNs = 1'000'000'000;
    c.metrics.decodeTokensPerSecond = 100.0;
    return c;
}

} // namespace

class TestRunSession final : public QObject
{
    Q_OBJECT

private slots:
    void expandsCasesVariantsRepeatsAndTargets();
    void rejectsUnusableSpecs();
    void summaryArithmetic();
    void unknownCostIsNeverAveragedAway();
    void runsTheDemoAgainstTheEmbeddedSimulator();
};

void TestRunSession::expandsCasesVariantsRepeatsAndTargets()
{
    RunSpec spec;
    spec.workspace = Workspace::demo();
    spec.suite = demoSuite("benchmark.json");
    spec.targetIds = {QStringLiteral("sonnet"), QStringLiteral("local-llama")};
    spec.repeats = 2;
    auto jobs = RunSession::expandJobs(spec);
    QVERIFY2(jobs.ok(), qPrintable(jobs.error()));
    QCOMPARE(jobs.value().size(), spec.suite.cases.size() * 2 * 2);
    spec.variants = true;
    qsizetype forms = 0;
    for (const auto &c : spec.suite.cases)
        forms += 1 + c.variants.size();
    auto withVariants = RunSession::expandJobs(spec);
    QCOMPARE(withVariants.value().size(), forms * 2 * 2);
    QSet<QString> ids;
    for (const auto &j : withVariants.value()) {
        QVERIFY(!ids.contains(j.id));
        ids.insert(j.id);
        QVERIFY(!j.messages.isEmpty());
        QCOMPARE(j.messages.last().role, QStringLiteral("user"));
    }
}

void TestRunSession::rejectsUnusableSpecs()
{
    RunSpec spec;
    spec.workspace = Workspace::demo();
    spec.suite = demoSuite("facts.json");
    spec.targetIds = {QStringLiteral("no-such-target")};
    QVERIFY(RunSession::expandJobs(spec).error().contains(QStringLiteral("no-such-target")));
    spec.targetIds.clear();
    spec.caseIds = {QStringLiteral("no-such-case")};
    QVERIFY(!RunSession::expandJobs(spec).ok());
    RunSession session;
    QVERIFY(!session.start(spec).ok());
    QVERIFY(!session.isRunning());
}

void TestRunSession::summaryArithmetic()
{
    Price price;
    price.inputPerMTok = 1.0;
    price.outputPerMTok = 5.0;
    // Case a: repeats 1.0 and 0.0 → 0.5; case b: 1.0. Canonical quality = 0.75.
    const QList<CellResult> cells{cell("a", 1.0, 0.002), cell("a", 0.0, 0.002), cell("b", 1.0, 0.001),
                                  cell("b", 0.0, 0.001, JobState::Completed, "v1"),
                                  cell("c", 0.0, std::nullopt, JobState::Cancelled)};
    const TargetSummary s = RunSession::summarize(QStringLiteral("t"), cells, price);
    QCOMPARE(s.cells, 4); // the cancelled cell does not count
    QCOMPARE(s.cases, 2);
    QCOMPARE(s.quality.value(), 0.75);
    QVERIFY(s.qualityLow.value() <= 0.75 && s.qualityHigh.value() >= 0.75);
    QCOMPARE(s.variantQuality.value(), 0.0);
    // Per case: a = 0.004, b = 0.002 (its variant included) → mean 0.003 → $3 per 1,000 cases.
    QVERIFY(std::abs(s.costPer1000Cases.value() - 3.0) < 1e-12);
    QCOMPARE(s.blendedPricePerMTok.value(), 2.0); // (3·1 + 1·5) / 4
    QCOMPARE(s.medianTtftMs.value(), 200.0);
    QCOMPARE(s.p95LatencyMs.value(), 1000.0);
    QVERIFY(std::abs(s.spentUsd - 0.006) < 1e-12);
}

void TestRunSession::unknownCostIsNeverAveragedAway()
{
    const QList<CellResult> cells{cell("a", 1.0, 0.002), cell("b", 1.0, std::nullopt)};
    const TargetSummary s = RunSession::summarize(QStringLiteral("t"), cells, Price{});
    QCOMPARE(s.unknownCost, 1);
    QVERIFY(!s.costPer1000Cases.has_value());
    QVERIFY(!s.blendedPricePerMTok.has_value());
}

void TestRunSession::runsTheDemoAgainstTheEmbeddedSimulator()
{
    RunSpec spec;
    spec.workspace = Workspace::demo();
    spec.suite = demoSuite("facts.json");
    spec.targetIds = {QStringLiteral("gpt-oss-cerebras"), QStringLiteral("qwen3-coder"), QStringLiteral("local-llama")};
    spec.caseIds = {spec.suite.cases.at(0).id, spec.suite.cases.at(1).id, spec.suite.cases.at(2).id};
    RunSession session;
    QSignalSpy finished(&session, &RunSession::runFinished);
    QSignalSpy content(&session, &RunSession::cellContent);
    QSignalSpy summaries(&session, &RunSession::summaryChanged);
    const Status started = session.start(spec);
    QVERIFY2(started.ok(), qPrintable(started.error()));
    QCOMPARE(session.total(), 9);
    QVERIFY(finished.wait(120'000));
    QCOMPARE(finished.first().first().toBool(), false);
    QCOMPARE(session.results().size(), 9);
    QVERIFY(content.size() > 0); // it streamed: content arrived before the results
    QVERIFY(summaries.size() >= 9);
    for (const CellResult &c : session.results()) {
        QVERIFY2(c.job.state == JobState::Completed, qPrintable(c.job.jobId + u' ' + c.job.error));
        QVERIFY(!c.job.result.text.isEmpty());
        QVERIFY(c.job.result.usage.has_value()); // the simulator reports usage in every dialect
        QVERIFY(c.metrics.ttftNs.has_value());
        QVERIFY(c.cost.usd.has_value());
        QVERIFY(c.grade.score >= 0.0 && c.grade.score <= 1.0);
    }
    const auto all = session.summaries();
    QCOMPARE(all.size(), 3);
    for (const TargetSummary &s : all) {
        QCOMPARE(s.cases, 3);
        QVERIFY(s.quality.has_value());
        QVERIFY(s.costPer1000Cases.has_value());
        QVERIFY(s.medianTtftMs.has_value());
    }
    // The local model is free; the hosted ones are not.
    const auto llama =
        std::find_if(all.begin(), all.end(), [](const TargetSummary &s) { return s.targetId == u"local-llama"; });
    QCOMPARE(llama->costPer1000Cases.value(), 0.0);
    QVERIFY(all.first().costPer1000Cases.value() > 0.0);
    QVERIFY(session.spentUsd() > 0.0);
}

QTEST_GUILESS_MAIN(TestRunSession)
#include "tst_runsession.moc"
