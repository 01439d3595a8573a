#include "run/RunSession.h"

// RunSession without judges: jobs expanded from a spec, summaries, runs on the embedded
// simulator, resumed runs and prices (the judging tests are in tst_runsessionjudges.cpp).

#include "RunSessionFixture.h"

#include "engine/Preconnector.h"
#include "engine/RunScheduler.h"

#include <QSignalSpy>
#include <QTest>

using namespace Slopscope;
using Slopscope::Test::demoSuite;

namespace {

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
    void toolCasesOfferTheirTools();
    void summaryArithmetic();
    void unknownCostIsNeverAveragedAway();
    void runsTheDemoAgainstTheEmbeddedSimulator();
    void brittlenessPairsCanonicalAndRewordedCases();
    void resumeSkipsAnsweredCellsAndCountsThem();
    void resumedRunSendsOnlyTheMissingCells();
    void realProvidersArePricedFromTheCatalogue();
    void preconnectFollowsTheSpec();
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

// A case's tools travel in its requests; a case without tools sends none.
void TestRunSession::toolCasesOfferTheirTools()
{
    RunSpec spec;
    spec.workspace = Workspace::demo();
    spec.suite = demoSuite("tools.json");
    spec.targetIds = {QStringLiteral("sonnet")};
    spec.variants = true;
    auto jobs = RunSession::expandJobs(spec);
    QVERIFY2(jobs.ok(), qPrintable(jobs.error()));
    QVERIFY(!jobs.value().isEmpty());
    for (const auto &j : jobs.value()) {
        QCOMPARE(j.tools, spec.suite.toolsFor(*spec.suite.findCase(j.caseId)));
        QVERIFY(!j.tools.isEmpty());
    }
    spec.suite = demoSuite("facts.json");
    jobs = RunSession::expandJobs(spec);
    QVERIFY(jobs.ok());
    for (const auto &j : jobs.value())
        QVERIFY(j.tools.isEmpty());
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
    // Only case b ran in both forms: 1.0 canonical, 0.0 reworded.
    QCOMPARE(s.brittleness.value(), 1.0);
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
    // Summaries are coalesced, but every target gets one, and the last one for each target is
    // the final figure.
    QVERIFY(summaries.size() >= 3);
    QHash<QString, TargetSummary> lastSummary;
    for (const auto &args : std::as_const(summaries)) {
        const auto s = args.first().value<TargetSummary>();
        lastSummary.insert(s.targetId, s);
    }
    QCOMPARE(lastSummary.size(), 3);
    for (const TargetSummary &s : session.summaries()) {
        QCOMPARE(lastSummary.value(s.targetId).cells, s.cells);
        QCOMPARE(lastSummary.value(s.targetId).quality, s.quality);
    }
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

void TestRunSession::brittlenessPairsCanonicalAndRewordedCases()
{
    // Case a: canonical 1.0, reworded 0.5 and 0.0 → drop 0.75. Case b: 1.0 / 1.0 → 0.
    // Case c: canonical only, so it cannot tilt the drop. Mean drop = 0.375.
    const QList<CellResult> cells{cell("a", 1.0, 0.001),
                                  cell("a", 0.5, 0.001, JobState::Completed, "v1"),
                                  cell("a", 0.0, 0.001, JobState::Completed, "v2"),
                                  cell("b", 1.0, 0.001),
                                  cell("b", 1.0, 0.001, JobState::Completed, "v1"),
                                  cell("c", 0.0, 0.001)};
    const TargetSummary s = RunSession::summarize(QStringLiteral("t"), cells, Price{});
    QCOMPARE(s.brittleness.value(), 0.375);
    QVERIFY(s.brittlenessLow.value() <= 0.375 && s.brittlenessHigh.value() >= 0.375);
    QVERIFY(s.brittlenessLow.value() >= 0.0 && s.brittlenessHigh.value() <= 0.75);
    // Same input, same interval: the bootstrap seed does not depend on the process.
    const TargetSummary again = RunSession::summarize(QStringLiteral("t"), cells, Price{});
    QCOMPARE(again.brittlenessLow, s.brittlenessLow);
    QCOMPARE(again.qualityLow, s.qualityLow);
    // Without rewordings there is no brittleness figure, rather than a flattering 0.
    const TargetSummary canonicalOnly = RunSession::summarize(QStringLiteral("t"), {cell("a", 1.0, 0.001)}, Price{});
    QVERIFY(!canonicalOnly.brittleness.has_value());
}

void TestRunSession::resumeSkipsAnsweredCellsAndCountsThem()
{
    RunSpec spec;
    spec.workspace = Workspace::demo();
    spec.suite = demoSuite("facts.json");
    spec.targetIds = {QStringLiteral("sonnet")};
    const auto all = RunSession::expandJobs(spec);
    QVERIFY(all.ok());
    CellResult answered = cell("x", 1.0, 0.001);
    answered.job.jobId = all.value().at(0).id;
    answered.job.targetId = QStringLiteral("sonnet");
    answered.caseId = all.value().at(0).caseId;
    spec.completed = {answered};
    const auto rest = RunSession::expandJobs(spec);
    QCOMPARE(rest.value().size(), all.value().size() - 1);
    for (const auto &j : rest.value())
        QVERIFY(j.id != answered.job.jobId);
    // A cell known only by its coordinates (no job id) is recognised too.
    answered.job.jobId.clear();
    answered.variantId.clear();
    answered.repeat = 0;
    spec.completed = {answered};
    QCOMPARE(RunSession::expandJobs(spec).value().size(), all.value().size() - 1);
}

void TestRunSession::resumedRunSendsOnlyTheMissingCells()
{
    RunSpec spec;
    spec.workspace = Workspace::demo();
    spec.suite = demoSuite("facts.json");
    spec.targetIds = {QStringLiteral("qwen3-coder")};
    spec.caseIds = {spec.suite.cases.at(0).id, spec.suite.cases.at(1).id, spec.suite.cases.at(2).id};
    const auto jobs = RunSession::expandJobs(spec);
    CellResult earlier = cell("ignored", 1.0, 0.25);
    earlier.job.jobId = jobs.value().at(1).id;
    earlier.job.targetId = QStringLiteral("qwen3-coder");
    earlier.caseId = jobs.value().at(1).caseId;
    spec.completed = {earlier};

    RunSession session;
    QSignalSpy started(&session, &RunSession::cellStarted);
    QSignalSpy finished(&session, &RunSession::runFinished);
    QVERIFY(session.start(spec).ok());
    QCOMPARE(session.total(), 3);
    QCOMPARE(session.done(), 1);
    QVERIFY(finished.wait(120'000));
    QCOMPARE(session.results().size(), 3);
    QSet<QString> sent;
    for (const auto &args : std::as_const(started))
        sent.insert(args.at(0).toString());
    QCOMPARE(sent.size(), 2);
    QVERIFY(!sent.contains(earlier.job.jobId));
    QVERIFY(session.spentUsd() > 0.25); // the earlier cell's cost is part of the run's spend
    QCOMPARE(session.summaries().first().cells, 3);

    // Resuming a run with nothing left is refused rather than silently doing nothing.
    RunSpec complete = spec;
    complete.completed = session.results();
    RunSession again;
    QVERIFY(!again.start(complete).ok());
}

void TestRunSession::realProvidersArePricedFromTheCatalogue()
{
    const QByteArray table = R"({"gpt-4o-mini": {"litellm_provider": "openai", "mode": "chat",
        "input_cost_per_token": 1.5e-7, "output_cost_per_token": 6e-7}})";
    auto catalogue = PriceCatalogue::fromJson(table, QStringLiteral("test table"));
    QVERIFY2(catalogue.ok(), qPrintable(catalogue.error()));
    Workspace ws;
    ProviderConfig openai;
    openai.id = QStringLiteral("openai");
    openai.baseUrl = QStringLiteral("http://127.0.0.1:9/v1");
    ProviderConfig sim;
    sim.id = QStringLiteral("openai-sim");
    sim.baseUrl = QStringLiteral("{simulator}/openai/v1");
    ws.providers = {openai, sim};
    TargetConfig bare;
    bare.id = QStringLiteral("mini");
    bare.providerId = QStringLiteral("openai");
    bare.model = QStringLiteral("gpt-4o-mini");
    TargetConfig overridden = bare;
    overridden.id = QStringLiteral("mini-discount");
    overridden.price.outputPerMTok = 0.3;
    TargetConfig simulated = bare;
    simulated.id = QStringLiteral("mini-sim");
    simulated.providerId = QStringLiteral("openai-sim");
    ws.targets = {bare, overridden, simulated};

    const Price fromCatalogue = RunSession::priceScheduleFor(ws, bare, &catalogue.value()).at(std::nullopt);
    QVERIFY(std::abs(fromCatalogue.inputPerMTok.value() - 0.15) < 1e-9);
    QVERIFY(std::abs(fromCatalogue.outputPerMTok.value() - 0.6) < 1e-9);
    // The workspace's own price wins field by field.
    const Price mixed = RunSession::priceScheduleFor(ws, overridden, &catalogue.value()).at(std::nullopt);
    QVERIFY(std::abs(mixed.inputPerMTok.value() - 0.15) < 1e-9);
    QCOMPARE(mixed.outputPerMTok.value(), 0.3);
    // The simulator's models are not the catalogue's: only the workspace price counts.
    const Price simPrice = RunSession::priceScheduleFor(ws, simulated, &catalogue.value()).at(std::nullopt);
    QVERIFY(!simPrice.inputPerMTok.has_value());
    QVERIFY(!simPrice.outputPerMTok.has_value());
}

// RunSpec::preconnect reaches the scheduler: on (the default) the first wave's connections to the
// embedded simulator are opened before sending; off, none is.
void TestRunSession::preconnectFollowsTheSpec()
{
    for (const bool preconnect : {true, false}) {
        RunSpec spec;
        spec.workspace = Workspace::demo();
        spec.suite = demoSuite("facts.json");
        spec.targetIds = {QStringLiteral("local-llama")};
        spec.caseIds = {spec.suite.cases.at(0).id, spec.suite.cases.at(1).id};
        spec.preconnect = preconnect;
        RunSession session;
        QSignalSpy finished(&session, &RunSession::runFinished);
        const Status started = session.start(spec);
        QVERIFY2(started.ok(), qPrintable(started.error()));
        QVERIFY(finished.wait(120'000));
        const auto *scheduler = session.findChild<const RunScheduler *>();
        QVERIFY(scheduler);
        QCOMPARE(scheduler->preconnector()->opened() > 0, preconnect);
        for (const CellResult &c : session.results())
            QCOMPARE(c.job.state, JobState::Completed);
    }
}

QTEST_GUILESS_MAIN(TestRunSession)
#include "tst_runsession.moc"
