#pragma once

// Hand-built runs for the report tests: a few targets, cases, variants and repeats with known
// figures, so every exported value can be checked against arithmetic done by hand.

#include "report/ReportData.h"

#include <QTimeZone>

namespace ReportFixture {

using namespace Slopscope;

inline CellResult cell(const QString &target, const QString &caseId, double score, std::optional<double> usd,
                       JobState state = JobState::Completed, const QString &variant = {}, int repeat = 0)
{
    CellResult c;
    c.job.targetId = target;
    c.job.jobId = QStringLiteral("%1|%2|%3|%4").arg(caseId, variant, QString::number(repeat), target);
    c.job.state = state;
    c.job.failure = state == JobState::Completed   ? FailureKind::None
                    : state == JobState::Cancelled ? FailureKind::Cancelled
                    : state == JobState::Truncated ? FailureKind::Truncated
                                                   : FailureKind::HttpStatus;
    if (state == JobState::Failed)
        c.job.error = QStringLiteral("HTTP 500 from the provider");
    c.job.result.text = QStringLiteral("The answer of %1 to %2").arg(target, caseId);
    c.job.result.finishReason = QStringLiteral("stop");
    c.job.result.model = target + QStringLiteral("-model");
    c.caseId = caseId;
    c.variantId = variant;
    c.repeat = repeat;
    c.grade.score = score;
    c.grade.pass = score >= 0.5;
    c.cost.usd = usd;
    return c;
}

inline Workspace workspace()
{
    Workspace ws;
    ws.name = QStringLiteral("fixture");
    ProviderConfig sim;
    sim.id = QStringLiteral("sim");
    sim.baseUrl = QStringLiteral("{simulator}/v1");
    sim.maxConcurrency = 4;
    ProviderConfig real;
    real.id = QStringLiteral("openai");
    real.baseUrl = QStringLiteral("https://api.openai.com/v1");
    real.maxConcurrency = 8;
    ws.providers = {sim, real};
    TargetConfig a;
    a.id = QStringLiteral("alpha");
    a.label = QStringLiteral("Alpha");
    a.providerId = QStringLiteral("sim");
    a.model = QStringLiteral("alpha-1");
    a.price.inputPerMTok = 1.0;
    a.price.outputPerMTok = 2.0;
    a.color = QStringLiteral("#112233");
    TargetConfig b;
    b.id = QStringLiteral("beta");
    b.label = QStringLiteral("Beta");
    b.providerId = QStringLiteral("openai");
    b.model = QStringLiteral("gpt-4o-mini");
    b.price.outputPerMTok = 0.5; // over the catalogue's 0.6
    TargetConfig g;
    g.id = QStringLiteral("gamma");
    g.providerId = QStringLiteral("sim");
    g.model = QStringLiteral("gamma-1");
    ws.targets = {a, b, g};
    return ws;
}

inline Suite suite()
{
    Suite s;
    s.name = QStringLiteral("Fixture suite");
    s.description = QStringLiteral("Three cases, one with a rewording.");
    SuiteCase c1;
    c1.id = QStringLiteral("c1");
    c1.prompt = QStringLiteral("What is 2+2?");
    c1.reference = QStringLiteral("The answer is 4");
    CaseVariant paraphrase;
    paraphrase.id = QStringLiteral("c1-p");
    paraphrase.kind = QStringLiteral("paraphrase");
    paraphrase.prompt = QStringLiteral("Add two and two.");
    c1.variants.append(paraphrase);
    SuiteCase c2;
    c2.id = QStringLiteral("c2");
    c2.prompt = QStringLiteral("Name a colour.");
    SuiteCase c3;
    c3.id = QStringLiteral("c3");
    c3.prompt = QStringLiteral("Say hi.");
    s.cases = {c1, c2, c3};
    return s;
}

inline RunSpec spec()
{
    RunSpec r;
    r.workspace = workspace();
    r.suite = suite();
    r.repeats = 2;
    r.variants = true;
    r.seed = 7;
    r.globalConcurrency = 16;
    r.maxCostUsd = 5.0;
    return r;
}

// alpha: 4 cells (one failed), costs known; beta: 3 cells, one cost unknown; gamma: one cancelled cell.
inline QList<CellResult> cells()
{
    QList<CellResult> out;
    CellResult a1 = cell(QStringLiteral("alpha"), QStringLiteral("c1"), 1.0, 0.001);
    a1.metrics.ttftNs = 100'000'000;
    a1.metrics.e2eNs = 1'000'000'000;
    a1.metrics.decodeTokensPerSecond = 50.0;
    CellResult a2 = cell(QStringLiteral("alpha"), QStringLiteral("c2"), 0.5, 0.002);
    a2.metrics.ttftNs = 300'000'000;
    a2.metrics.e2eNs = 2'000'000'000;
    a2.metrics.decodeTokensPerSecond = 70.0;
    CellResult a3 = cell(QStringLiteral("alpha"), QStringLiteral("c3"), 0.0, 0.0005, JobState::Failed);
    a3.metrics.e2eNs = 500'000'000;
    CellResult a4 =
        cell(QStringLiteral("alpha"), QStringLiteral("c1"), 0.0, 0.001, JobState::Completed, QStringLiteral("c1-p"));
    a4.metrics.ttftNs = 200'000'000;
    a4.metrics.e2eNs = 1'500'000'000;
    CellResult b1 = cell(QStringLiteral("beta"), QStringLiteral("c1"), 1.0, 0.01);
    b1.metrics.ttftNs = 900'000'000;
    CellResult b2 = cell(QStringLiteral("beta"), QStringLiteral("c2"), 1.0, std::nullopt, JobState::Truncated);
    CellResult b3 = cell(QStringLiteral("beta"), QStringLiteral("c1"), 0.5, 0.01, JobState::Completed, {}, 1);
    CellResult g1 = cell(QStringLiteral("gamma"), QStringLiteral("c1"), 0.0, std::nullopt, JobState::Cancelled);
    out = {a1, a2, a3, a4, b1, b2, b3, g1};
    return out;
}

inline QList<TargetSummary> summaries()
{
    TargetSummary a;
    a.targetId = QStringLiteral("alpha");
    a.cells = 4;
    a.failed = 1;
    a.quality = 0.5;
    a.qualityLow = 0.0;
    a.qualityHigh = 1.0;
    a.brittleness = 1.0;
    a.brittlenessLow = 1.0;
    a.brittlenessHigh = 1.0;
    a.cases = 3;
    a.costPer1000Cases = 1.5;
    a.medianTtftMs = 200.0;
    a.p95LatencyMs = 2000.0;
    a.medianDecodeTokensPerSecond = 50.0;
    TargetSummary b;
    b.targetId = QStringLiteral("beta");
    b.cells = 3;
    b.failed = 1;
    b.quality = 0.875;
    b.qualityLow = 0.75;
    b.qualityHigh = 1.0;
    b.cases = 2;
    b.costPer1000Cases = 20.0;
    b.medianTtftMs = 900.0;
    TargetSummary g;
    g.targetId = QStringLiteral("gamma");
    return {a, b, g};
}

inline ReportRunInfo runInfo()
{
    ReportRunInfo info;
    info.runId = QStringLiteral("run-42");
    info.startedAt = QDateTime(QDate(2026, 7, 20), QTime(9, 30, 0), QTimeZone::utc());
    info.endedAt = QDateTime(QDate(2026, 7, 20), QTime(9, 41, 5), QTimeZone::utc());
    info.catalogue = CatalogueInfo{QStringLiteral("LiteLLM model_prices_and_context_window.json"),
                                   QStringLiteral("00035b69abcdef"), QStringLiteral("2026-07-18")};
    PriceSchedule beta;
    beta.catalogueKey = QStringLiteral("gpt-4o-mini");
    beta.base.inputPerMTok = 0.15;
    beta.base.outputPerMTok = 0.6;
    beta.overrides.outputPerMTok = 0.5;
    info.schedules.insert(QStringLiteral("beta"), beta);
    info.appVersion = QStringLiteral("9.8.7");
    return info;
}

inline ReportData data()
{
    return ReportData::fromRun(spec(), cells(), summaries(), runInfo());
}

} // namespace ReportFixture
