#include "run/JobTimeline.h"
#include "run/RunSession.h"
#include "store/CellCodec.h"
#include "store/StoreBackups.h"
#include "StoreTestSupport.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace Slopscope;
using namespace StoreTest;

// Reading back what the writer saved: every field, resume, the run list, search, drift, delete,
// export/import, backups and ratings (the run snapshot: tst_runsnapshot).
class TestHistoryStore final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void roundTripsEveryFieldOfACell();
    void roundTripsAChainCellsTurns();
    void completedCellsAreWhatAResumeKeeps();
    void listsRunsNewestFirstWithCounts();
    void searchesPromptsAndAnswersWithFilters();
    void driftFollowsOneTargetAcrossRuns();
    void indexesEveryBatchUpToTheLastBeforeClosing();
    void deletesARunAndItsWords();
    void exportsAndImportsARun();
    void rotatesBackups();
    void keepsHumanRatings();

private:
    // Starts a run and saves `cells` into it; waits until all are committed.
    QString record(const RunStart &run, const QList<CellResult> &cells, RunState end = RunState::Completed);

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
    std::unique_ptr<HistoryWriter> m_writer;
    HistoryStore m_store;
};

void TestHistoryStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_path = m_dir->filePath(QStringLiteral("history.sqlite"));
    auto opened = m_store.open(m_path);
    QVERIFY2(opened.ok(), qPrintable(opened.error()));
    m_writer = std::make_unique<HistoryWriter>();
    QSignalSpy ready(m_writer.get(), &HistoryWriter::opened);
    StoreWriter::Options options;
    options.backupIntervalHours = 0;
    m_writer->start(m_path, options);
    QVERIFY(ready.wait(10'000));
    QVERIFY2(ready.first().at(0).toBool(), qPrintable(ready.first().at(1).toString()));
}

void TestHistoryStore::cleanup()
{
    m_writer.reset();
    m_store.close();
    m_dir.reset();
}

QString TestHistoryStore::record(const RunStart &run, const QList<CellResult> &cells, RunState end)
{
    QSignalSpy committed(m_writer.get(), &HistoryWriter::committed);
    m_writer->beginRun(run);
    QStringList ids;
    for (const CellResult &c : cells) {
        m_writer->addResult(run.id, c);
        ids.append(c.job.jobId);
    }
    m_writer->endRun(run.id, end, end == RunState::Cancelled ? QStringLiteral("cancelled") : QString());
    if (!waitCommitted(committed, ids))
        qWarning("not every result was committed");
    // The end of the run is committed with or after the last result; wait until it shows.
    QElapsedTimer waited;
    waited.start();
    while (!(m_store.run(run.id).ok() && m_store.run(run.id).value().state == end) && waited.elapsed() < 10'000)
        QTest::qWait(10);
    return run.id;
}

void TestHistoryStore::roundTripsEveryFieldOfACell()
{
    CellResult ok = makeCell({});
    CellResult failed =
        makeCell(Cell().caseId(QStringLiteral("c2")).state(JobState::Failed).score(0.0).usd(std::nullopt));
    failed.job.result.usage.reset(); // "not reported" is kept apart from zero
    failed.job.result.toolCalls.clear();
    CellResult unanswered = makeCell(Cell().caseId(QStringLiteral("c3")).state(JobState::Failed));
    unanswered.job.timeline.attempts.clear(); // refused before sending: no attempt at all
    const QString runId = record(makeRun(QStringLiteral("suite"), {QStringLiteral("t1")}), {ok, failed, unanswered});
    auto cells = m_store.loadCells(runId);
    QVERIFY2(cells.ok(), qPrintable(cells.error()));
    QCOMPARE(cells.value().size(), 3);
    compareCells(cells.value().at(0), ok);
    if (QTest::currentTestFailed())
        return;
    compareCells(cells.value().at(1), failed);
    if (QTest::currentTestFailed())
        return;
    QVERIFY(!cells.value().at(1).job.result.usage.has_value());
    QVERIFY(!cells.value().at(1).cost.usd.has_value());
    compareCells(cells.value().at(2), unanswered);
    // The stored timeline blob gives back the metrics' own input.
    SqliteStatement q =
        m_store.connection().prepare(QStringLiteral("SELECT timeline FROM results ORDER BY id LIMIT 1"));
    QCOMPARE(q.step(), SQLITE_ROW);
    const auto timeline = Timeline::deserialize(q.blob(0));
    QVERIFY2(timeline.ok(), qPrintable(timeline.error()));
    QCOMPARE(timeline.value(), jobTimeline(ok.job));
}

void TestHistoryStore::roundTripsAChainCellsTurns()
{
    CellResult chain = makeCell({});
    ChainTurnResult first;
    first.user = QStringLiteral("Weather in Oslo?");
    first.answer = QStringLiteral("I could not look it up: the service failed.");
    first.toolCalls = {{QStringLiteral("call_1"), QStringLiteral("weather"), QStringLiteral("{\"city\":\"Oslo\"}")}};
    first.toolResults = {
        {QStringLiteral("call_1"), QStringLiteral("weather"), ToolResultKind::Error, QStringLiteral("HTTP 503"), true}};
    first.requests = 2;
    first.grade.pass = true;
    first.grade.score = 1.0;
    first.grade.grades = {Grade{QStringLiteral("icontains"), true, 1.0, QStringLiteral("found"), 1.0, false}};
    first.ttftNs = 120'000'000;
    first.e2eNs = 900'000'000;
    first.inputTokens = 40;
    first.outputTokens = 12;
    first.costUsd = 0.0004;
    ChainTurnResult second;
    second.user = QStringLiteral("And tomorrow?");
    second.answer = QStringLiteral("<b>sunny</b>");
    second.toolResults = {
        {QStringLiteral("call_2"), QStringLiteral("*"), ToolResultKind::Interrupt, QStringLiteral("stop"), false}};
    second.toolRoundCapHit = true;
    second.grade.pass = false;
    second.grade.score = 0.0;
    chain.turns = {first, second};
    const CellResult plain = makeCell(Cell().caseId(QStringLiteral("c2")));
    const QString runId = record(makeRun(QStringLiteral("suite"), {QStringLiteral("t1")}), {chain, plain});
    auto cells = m_store.loadCells(runId);
    QVERIFY2(cells.ok(), qPrintable(cells.error()));
    QCOMPARE(cells.value().size(), 2);
    const QList<ChainTurnResult> &turns = cells.value().at(0).turns;
    QCOMPARE(turns.size(), 2);
    for (qsizetype i = 0; i < turns.size(); ++i) {
        const ChainTurnResult &a = turns.at(i);
        const ChainTurnResult &b = chain.turns.at(i);
        QCOMPARE(a.user, b.user);
        QCOMPARE(a.answer, b.answer);
        QCOMPARE(a.toolCalls, b.toolCalls);
        QCOMPARE(a.toolResults, b.toolResults);
        QCOMPARE(a.requests, b.requests);
        QCOMPARE(a.toolRoundCapHit, b.toolRoundCapHit);
        QCOMPARE(a.grade.pass, b.grade.pass);
        QCOMPARE(a.grade.score, b.grade.score);
        QCOMPARE(a.grade.grades.size(), b.grade.grades.size());
        QCOMPARE(a.ttftNs, b.ttftNs);
        QCOMPARE(a.e2eNs, b.e2eNs);
        QCOMPARE(a.inputTokens, b.inputTokens);
        QCOMPARE(a.outputTokens, b.outputTokens);
        QCOMPARE(a.costUsd, b.costUsd);
    }
    QCOMPARE(turns.first().grade.grades.first().reason, QStringLiteral("found"));
    QVERIFY(cells.value().at(1).turns.isEmpty());
    SqliteStatement q =
        m_store.connection().prepare(QStringLiteral("SELECT count(*) FROM results WHERE chain_json IS NULL"));
    QCOMPARE(q.step(), SQLITE_ROW);
    QCOMPARE(q.int64(0), 1); // a one-question cell stores no chain
}

void TestHistoryStore::completedCellsAreWhatAResumeKeeps()
{
    const QList<CellResult> cells{
        makeCell(Cell().caseId(QStringLiteral("c1"))),
        makeCell(Cell().caseId(QStringLiteral("c2")).state(JobState::Incomplete).score(0.5)),
        makeCell(Cell().caseId(QStringLiteral("c3")).state(JobState::Failed).score(0.0)),
        makeCell(Cell().caseId(QStringLiteral("c4")).state(JobState::Truncated).score(0.0)),
        makeCell(Cell().caseId(QStringLiteral("c5")).state(JobState::Cancelled).score(0.0)),
    };
    RunStart run = makeRun(QStringLiteral("suite"), {QStringLiteral("t1")});
    run.plannedCells = 6;
    const QString runId = record(run, cells, RunState::Cancelled);
    auto kept = m_store.completedCells(runId);
    QVERIFY2(kept.ok(), qPrintable(kept.error()));
    QCOMPARE(kept.value().size(), 2);
    QCOMPARE(kept.value().at(0).job.jobId, cells.at(0).job.jobId);
    QCOMPARE(kept.value().at(1).job.jobId, cells.at(1).job.jobId);
    compareCells(kept.value().at(0), cells.at(0));
    compareCells(kept.value().at(1), cells.at(1));
    if (QTest::currentTestFailed())
        return;
    RunRecord before = m_store.run(runId).value();
    QCOMPARE(before.cells, 5);
    QCOMPARE(before.okCells, 2);
    QCOMPARE(before.state, RunState::Cancelled);

    // The resumed session answers the failed cells and the missing one: they replace, never add.
    QSignalSpy committed(m_writer.get(), &HistoryWriter::committed);
    m_writer->resumeRun(runId);
    const CellResult again = makeCell(Cell().caseId(QStringLiteral("c3")).usd(0.5));
    const CellResult missing = makeCell(Cell().caseId(QStringLiteral("c6")).usd(0.25));
    m_writer->addResult(runId, again);
    m_writer->addResult(runId, missing);
    m_writer->endRun(runId, RunState::Completed);
    QVERIFY(waitCommitted(committed, {again.job.jobId, missing.job.jobId}));
    QTRY_COMPARE_WITH_TIMEOUT(m_store.run(runId).value().state, RunState::Completed, 10'000);
    const RunRecord after = m_store.run(runId).value();
    QCOMPARE(after.cells, 6);
    QCOMPARE(after.okCells, 4);
    QCOMPARE(after.sessions, 2);
    QCOMPARE(after.plannedCells, 6);
    QCOMPARE(after.costUsd, 0.001 * 4 + 0.5 + 0.25);
    const auto all = m_store.loadCells(runId).value();
    QSet<QString> ids;
    for (const CellResult &c : all) {
        QVERIFY2(!ids.contains(c.job.jobId), qPrintable(c.job.jobId));
        ids.insert(c.job.jobId);
    }
    QCOMPARE(ids.size(), 6);
    const auto replaced =
        std::find_if(all.begin(), all.end(), [&](const CellResult &c) { return c.job.jobId == again.job.jobId; });
    QCOMPARE(replaced->job.state, JobState::Completed);
    QCOMPARE(m_store.completedCells(runId).value().size(), 4);
    // The search index follows the replacement: one document per cell.
    QCOMPARE(m_store.integrityCheck().value(), QStringLiteral("ok"));
}

void TestHistoryStore::listsRunsNewestFirstWithCounts()
{
    const QDateTime t0 = QDateTime::currentDateTimeUtc().addDays(-2);
    RunStart older = makeRun(QStringLiteral("alpha"), {QStringLiteral("t1"), QStringLiteral("t2")}, t0);
    older.priceCatalogue = QStringLiteral("LiteLLM abc (2025-01-01)");
    record(older, {makeCell({}), makeCell(Cell().target(QStringLiteral("t2")).usd(std::nullopt))});
    RunStart newer = makeRun(QStringLiteral("beta"), {QStringLiteral("t1")}, t0.addDays(1));
    record(newer, {makeCell(Cell().state(JobState::Failed).usd(0.01))}, RunState::Cancelled);
    // A run still going: the writer has its row, no end yet.
    RunStart going = makeRun(QStringLiteral("gamma"), {QStringLiteral("t1")}, t0.addDays(2));
    QSignalSpy committed(m_writer.get(), &HistoryWriter::committed);
    m_writer->beginRun(going);
    m_writer->addResult(going.id, makeCell({}));
    QVERIFY(waitCommitted(committed, {makeCell({}).job.jobId}));

    auto runs = m_store.listRuns();
    QVERIFY2(runs.ok(), qPrintable(runs.error()));
    QCOMPARE(runs.value().size(), 3);
    const RunRecord &g = runs.value().at(0);
    const RunRecord &b = runs.value().at(1);
    const RunRecord &a = runs.value().at(2);
    QCOMPARE(g.id, going.id);
    QCOMPARE(g.state, RunState::Running);
    QVERIFY(!g.endedAt.isValid());
    QCOMPARE(b.suiteName, QStringLiteral("beta"));
    QCOMPARE(b.state, RunState::Cancelled);
    QCOMPARE(b.stopReason, QStringLiteral("cancelled"));
    QCOMPARE(b.cells, 1);
    QCOMPARE(b.okCells, 0);
    QCOMPARE(a.suiteName, QStringLiteral("alpha"));
    QCOMPARE(a.targetIds, (QStringList{QStringLiteral("t1"), QStringLiteral("t2")}));
    QCOMPARE(a.cells, 2);
    QCOMPARE(a.okCells, 2);
    QCOMPARE(a.costUsd, 0.001);
    QCOMPARE(a.unknownCostCells, 1);
    QCOMPARE(a.priceCatalogue, QStringLiteral("LiteLLM abc (2025-01-01)"));
    QCOMPARE(a.startedAt.toMSecsSinceEpoch(), t0.toMSecsSinceEpoch());
    QVERIFY(a.endedAt.isValid());
    QVERIFY(a.suiteJson.isEmpty()); // the list leaves the snapshots out
    QCOMPARE(m_store.run(a.id).value().suiteJson, older.suiteJson);
    QVERIFY(!m_store.run(QStringLiteral("no-such-run")).ok());
}

void TestHistoryStore::searchesPromptsAndAnswersWithFilters()
{
    const QDateTime t0 = QDateTime::currentDateTimeUtc().addDays(-10);
    RunStart first = makeRun(QStringLiteral("alpha"), {QStringLiteral("t1"), QStringLiteral("t2")}, t0);
    record(first, {makeCell(Cell().caseId(QStringLiteral("c1")).text(QStringLiteral("Forty-two is the product."))),
                   makeCell(Cell().caseId(QStringLiteral("c2")).text(QStringLiteral("Paris, of course."))),
                   makeCell(Cell()
                                .caseId(QStringLiteral("c2"))
                                .target(QStringLiteral("t2"))
                                .state(JobState::Failed)
                                .text(QStringLiteral("Lyon?")))});
    RunStart second = makeRun(QStringLiteral("beta"), {QStringLiteral("t1")}, t0.addDays(5));
    record(second, {makeCell(Cell().caseId(QStringLiteral("c3")).text(QStringLiteral("Leaves fall; Paris sleeps.")))},
           RunState::Cancelled);

    const auto search = [this](SearchQuery q) {
        auto hits = m_store.search(q);
        if (!hits.ok())
            qWarning("%s", qPrintable(hits.error()));
        QStringList out;
        for (const SearchHit &h : hits.value())
            out.append(h.caseId + u'@' + h.targetId + u'@' + h.suiteName);
        out.sort();
        return out;
    };
    SearchQuery q;
    q.text = QStringLiteral("paris");
    QCOMPARE(search(q), (QStringList{QStringLiteral("c2@t1@alpha"), QStringLiteral("c3@t1@beta")}));
    // Prompt words find the cells asked that question, on every target.
    q.text = QStringLiteral("capital france");
    QCOMPARE(search(q), (QStringList{QStringLiteral("c2@t1@alpha"), QStringLiteral("c2@t2@alpha")}));
    q.suiteName = QStringLiteral("alpha");
    q.targetId = QStringLiteral("t2");
    QCOMPARE(search(q), QStringList{QStringLiteral("c2@t2@alpha")});
    q = {};
    q.text = QStringLiteral("paris");
    q.from = t0.addDays(1);
    QCOMPARE(search(q), QStringList{QStringLiteral("c3@t1@beta")});
    q.from = {};
    q.to = t0.addDays(1);
    QCOMPARE(search(q), QStringList{QStringLiteral("c2@t1@alpha")});
    q = {};
    q.tag = QStringLiteral("geo");
    QCOMPARE(search(q), (QStringList{QStringLiteral("c2@t1@alpha"), QStringLiteral("c2@t2@alpha")}));
    q.cellState = JobState::Failed;
    QCOMPARE(search(q), QStringList{QStringLiteral("c2@t2@alpha")});
    q = {};
    q.runState = RunState::Cancelled;
    QCOMPARE(search(q), QStringList{QStringLiteral("c3@t1@beta")});
    // The snippet marks the match; user text is never FTS syntax.
    q = {};
    q.text = QStringLiteral("product");
    const auto hits = m_store.search(q).value();
    QCOMPARE(hits.size(), 1);
    QVERIFY2(hits.first().snippet.contains(SearchHit::kHitStart + QStringLiteral("product") + SearchHit::kHitEnd),
             qPrintable(hits.first().snippet));
    QCOMPARE(hits.first().jobId, jobId(QStringLiteral("c1"), {}, 0, QStringLiteral("t1")));
    for (const char *hostile : {"\"", "paris AND (", "NEAR(", "*", "answer:paris", "-", "'); DROP TABLE runs; --"}) {
        q.text = QString::fromLatin1(hostile);
        QVERIFY2(m_store.search(q).ok(), hostile);
    }
    QCOMPARE(m_store.listRuns().value().size(), 2);
    q = {};
    q.limit = 1;
    QCOMPARE(m_store.search(q).value().size(), 1);
}

void TestHistoryStore::driftFollowsOneTargetAcrossRuns()
{
    const QDateTime t0 = QDateTime::currentDateTimeUtc().addDays(-30);
    QList<QList<CellResult>> runs;
    // Week 1: all right. Week 2: the same. Week 3: the provider swapped the model: worse, faster.
    for (int week = 0; week < 3; ++week) {
        const bool swapped = week == 2;
        QList<CellResult> cells;
        for (int c = 1; c <= 4; ++c) {
            for (int repeat = 0; repeat < 2; ++repeat) {
                CellSpec spec;
                spec.caseId = QStringLiteral("c%1").arg(c);
                spec.repeat = repeat;
                spec.target = QStringLiteral("t1");
                spec.score = swapped ? (c % 2 == 0 ? 0.0 : 0.5) : (c == 4 && repeat == 1 ? 0.0 : 1.0);
                spec.ttftMs = swapped ? 80 + c : 200 + 10 * c + repeat;
                spec.tokensPerSecond = swapped ? 300.0 + c : 100.0 + c;
                spec.usd = 0.001 * c;
                spec.model = swapped ? QStringLiteral("model-b") : QStringLiteral("model-a");
                cells.append(makeCell(spec));
            }
            // Another target in the same runs must not leak into t1's figures.
            cells.append(makeCell(
                Cell().caseId(QStringLiteral("c%1").arg(c)).target(QStringLiteral("t2")).score(0.25).ttftMs(5000)));
        }
        // A reworded variant and a cancelled cell do not count towards quality.
        cells.append(makeCell(Cell()
                                  .caseId(QStringLiteral("c1"))
                                  .variant(QStringLiteral("v1"))
                                  .score(0.0)
                                  .model(swapped ? QStringLiteral("model-b") : QStringLiteral("model-a"))));
        cells.append(makeCell(Cell().caseId(QStringLiteral("c9")).state(JobState::Cancelled).score(0.0)));
        RunStart run =
            makeRun(QStringLiteral("weekly"), {QStringLiteral("t1"), QStringLiteral("t2")}, t0.addDays(7 * week));
        run.targetsJson = QStringLiteral("[{\"id\":\"t1\",\"model\":\"vendor/model\"}]");
        record(run, cells);
        runs.append(cells);
    }
    // A quick-compare exchange with t1 in between is a chat, not a measurement of the suite: it
    // stays out of the drift (its kind is in the run's settings snapshot).
    RunStart quick = makeRun(QStringLiteral("Quick compare"), {QStringLiteral("t1")}, t0.addDays(10));
    quick.settingsJson = QStringLiteral(R"({"kind":"quick_compare","title":"hi"})");
    record(quick, {makeCell(Cell().caseId(QStringLiteral("c1")).target(QStringLiteral("t1")).score(0.0))});
    // A run whose settings are not JSON at all still counts (nothing says it is a chat).
    RunStart odd = makeRun(QStringLiteral("weekly"), {QStringLiteral("t1")}, t0.addDays(-7));
    odd.settingsJson = QStringLiteral("not json");
    record(odd, {makeCell(Cell().caseId(QStringLiteral("c1")).target(QStringLiteral("t1")).score(1.0))});
    auto withOdd = m_store.drift(QStringLiteral("t1"));
    QVERIFY2(withOdd.ok(), qPrintable(withOdd.error()));
    QCOMPARE(withOdd.value().size(), 4);
    QCOMPARE(withOdd.value().first().runId, odd.id);
    auto drift = m_store.drift(QStringLiteral("t1"), t0);
    QVERIFY2(drift.ok(), qPrintable(drift.error()));
    QCOMPARE(drift.value().size(), 3);
    for (int week = 0; week < 3; ++week) {
        const TargetRunStats &s = drift.value().at(week);
        QCOMPARE(s.runStartedAt.toMSecsSinceEpoch(), t0.addDays(7 * week).toMSecsSinceEpoch());
        QCOMPARE(s.targetId, QStringLiteral("t1"));
        QCOMPARE(s.model, QStringLiteral("vendor/model"));
        QCOMPARE(s.cases, 4);
        QCOMPARE(s.cells, 9); // 8 canonical + 1 variant; the cancelled one is left out
        // The same figures as the live summary of those cells.
        QList<CellResult> t1;
        for (const CellResult &c : runs.at(week)) {
            if (c.job.targetId == u"t1")
                t1.append(c);
        }
        const TargetSummary live = RunSession::summarize(QStringLiteral("t1"), t1, Price{});
        QCOMPARE(s.quality, live.quality);
        QCOMPARE(s.qualityLow, live.qualityLow);
        QCOMPARE(s.qualityHigh, live.qualityHigh);
        QCOMPARE(s.medianTtftMs, live.medianTtftMs);
        QCOMPARE(s.medianDecodeTokensPerSecond, live.medianDecodeTokensPerSecond);
        QVERIFY(s.costPerCaseUsd.has_value());
        QCOMPARE(*s.costPerCaseUsd * 1000.0, live.costPer1000Cases.value());
    }
    const TargetRunStats &before = drift.value().at(1);
    const TargetRunStats &after = drift.value().at(2);
    QCOMPARE(before.quality.value(), (1.0 + 1.0 + 1.0 + 0.5) / 4.0);
    QCOMPARE(after.quality.value(), 0.25);
    QVERIFY(after.qualityHigh.value() < before.qualityLow.value()); // the drop is outside the noise
    QCOMPARE(before.modelsReported, QStringList{QStringLiteral("model-a")});
    QCOMPARE(after.modelsReported, QStringList{QStringLiteral("model-b")});
    QVERIFY(after.medianTtftMs.value() < before.medianTtftMs.value());
    // Date range.
    QCOMPARE(m_store.drift(QStringLiteral("t1"), t0.addDays(1)).value().size(), 2);
    QCOMPARE(m_store.drift(QStringLiteral("t1"), t0.addDays(1), t0.addDays(8)).value().size(), 1);
    // Comparing targets within a run.
    auto perTarget = m_store.targetStats(drift.value().at(0).runId);
    QVERIFY(perTarget.ok());
    QCOMPARE(perTarget.value().size(), 2);
    QCOMPARE(perTarget.value().at(1).targetId, QStringLiteral("t2"));
    QCOMPARE(perTarget.value().at(1).quality.value(), 0.25);
    QCOMPARE(perTarget.value().at(1).medianTtftMs.value(), 5000.0);
}

void TestHistoryStore::indexesEveryBatchUpToTheLastBeforeClosing()
{
    // The writer indexes each result itself (schema 3): small batches, a cell replaced by the
    // next result inside one batch, and the writer stopped right after the last result.
    m_writer->stop();
    StoreWriter::Options options;
    options.backupIntervalHours = 0;
    options.maxBatch = 64;
    QSignalSpy ready(m_writer.get(), &HistoryWriter::opened);
    m_writer->start(m_path, options);
    QVERIFY(ready.wait(10'000));
    QVERIFY(ready.first().at(0).toBool());
    const RunStart run = makeRun(QStringLiteral("suite"), {QStringLiteral("t1")});
    m_writer->beginRun(run);
    constexpr int count = 300;
    for (int i = 0; i < count; ++i) {
        m_writer->addResult(
            run.id,
            makeCell(Cell().caseId(QStringLiteral("c%1").arg(i)).text(QStringLiteral("answer number w%1x").arg(i))));
    }
    m_writer->addResult(run.id, makeCell(Cell().caseId(QStringLiteral("r1")).text(QStringLiteral("superseded okapi"))));
    m_writer->addResult(run.id, makeCell(Cell().caseId(QStringLiteral("r1")).text(QStringLiteral("final narwhal"))));
    m_writer->endRun(run.id, RunState::Completed);
    m_writer->stop(); // saves everything queued, then closes

    const auto hits = [this](const QString &word) {
        SearchQuery q;
        q.text = word;
        q.limit = 1000;
        const auto found = m_store.search(q);
        return found.ok() ? found.value().size() : -1;
    };
    QCOMPARE(hits(QStringLiteral("w0x")), 1);
    QCOMPARE(hits(QStringLiteral("w150x")), 1);
    QCOMPARE(hits(QStringLiteral("w299x")), 1);
    QCOMPARE(hits(QStringLiteral("narwhal")), 1);
    QCOMPARE(hits(QStringLiteral("okapi")), 0);
    QCOMPARE(hits(QStringLiteral("number")), count);
    QCOMPARE(hits(QStringLiteral("seven")), 1); // c1's prompt, indexed with c1's answer
    QCOMPARE(m_store.run(run.id).value().cells, count + 1);
    QCOMPARE(m_store.loadCells(run.id).value().size(), count + 1);
    // The index holds exactly the documents its content gives back: nothing missing, nothing stale.
    QCOMPARE(m_store.integrityCheck().value(), QStringLiteral("ok"));
}

void TestHistoryStore::deletesARunAndItsWords()
{
    const QString keep = record(makeRun(QStringLiteral("keep"), {QStringLiteral("t1")}),
                                {makeCell(Cell().text(QStringLiteral("an ordinary answer")))});
    RunStart doomed = makeRun(QStringLiteral("doomed"), {QStringLiteral("t1")});
    const QString secretWord = QStringLiteral("zanzibarquokka");
    const QString gone = record(doomed, {makeCell(Cell().text(QStringLiteral("The password is ") + secretWord)),
                                         makeCell(Cell().caseId(QStringLiteral("c2")))});
    QSignalSpy committed(m_writer.get(), &HistoryWriter::committed);
    m_writer->addHumanRating(
        {gone, makeCell({}).job.jobId, QStringLiteral("ann"), QStringLiteral("pass_fail"), 1, {}, {}});
    m_writer->addResult(keep, makeCell(Cell().caseId(QStringLiteral("c3")))); // a marker that the rating landed
    QVERIFY(waitCommitted(committed, {makeCell(Cell().caseId(QStringLiteral("c3"))).job.jobId}));
    SearchQuery q;
    q.text = secretWord;
    QCOMPARE(m_store.search(q).value().size(), 1);

    // The writer has its own connection; stop it so the file can be read whole afterwards.
    m_writer.reset();
    const Status deleted = m_store.deleteRun(gone);
    QVERIFY2(deleted.ok(), qPrintable(deleted.error()));
    QCOMPARE(m_store.listRuns().value().size(), 1);
    QCOMPARE(m_store.listRuns().value().first().id, keep);
    QVERIFY(!m_store.loadCells(gone).ok());
    QCOMPARE(m_store.search(q).value().size(), 0);
    QCOMPARE(m_store.humanRatings(gone).value().size(), 0);
    for (const char *table : {"results", "prompts", "case_tags", "attempts", "human_ratings"}) {
        const auto n = m_store.connection().queryInt(
            QStringLiteral("SELECT count(*) FROM %1 WHERE %2")
                .arg(QLatin1StringView(table), table == std::string_view("attempts")
                                                   ? QStringLiteral("result_id NOT IN (SELECT id FROM results)")
                                                   : QStringLiteral("run_id NOT IN (SELECT id FROM runs)")));
        QCOMPARE(n.value_or(-1), 0);
    }
    QCOMPARE(m_store.loadCells(keep).value().size(), 2);
    QCOMPARE(m_store.integrityCheck().value(), QStringLiteral("ok"));
    QVERIFY(!m_store.deleteRun(gone).ok());
    // secure_delete, the merged index and the checkpoint leave the word nowhere in the files.
    m_store.close();
    for (const QString &suffix : {QString(), QStringLiteral("-wal")}) {
        QFile f(m_path + suffix);
        if (!f.open(QIODevice::ReadOnly))
            continue;
        QVERIFY2(!f.readAll().contains(secretWord.toUtf8()), qPrintable(m_path + suffix));
    }
}

void TestHistoryStore::exportsAndImportsARun()
{
    RunStart run = makeRun(QStringLiteral("shared"), {QStringLiteral("t1")});
    const QList<CellResult> cells{makeCell({}), makeCell(Cell().caseId(QStringLiteral("c2")).score(0.5))};
    const QString runId = record(run, cells);
    QSignalSpy committed(m_writer.get(), &HistoryWriter::committed);
    m_writer->addHumanRating({runId, cells.at(1).job.jobId, QStringLiteral("ann"), QStringLiteral("stars"), 5, {}, {}});
    m_writer->addResult(runId, makeCell(Cell().caseId(QStringLiteral("c3"))));
    QVERIFY(waitCommitted(committed, {makeCell(Cell().caseId(QStringLiteral("c3"))).job.jobId}));
    record(makeRun(QStringLiteral("other"), {QStringLiteral("t1")}), {makeCell({})});

    const QString file = m_dir->filePath(QStringLiteral("shared-run.slopscope"));
    const Status exported = m_store.exportRun(runId, file);
    QVERIFY2(exported.ok(), qPrintable(exported.error()));
    QVERIFY(!m_store.exportRun(runId, file).ok()); // never overwrites
    {
        HistoryStore exportFile;
        QVERIFY(exportFile.open(file, HistoryStore::Mode::ReadOnly).ok());
        QCOMPARE(exportFile.listRuns().value().size(), 1); // just that run
    }

    QTemporaryDir elsewhere;
    HistoryStore other;
    QVERIFY(other.open(elsewhere.filePath(QStringLiteral("history.sqlite"))).ok());
    const auto imported = other.importRuns(file);
    QVERIFY2(imported.ok(), qPrintable(imported.error()));
    QCOMPARE(imported.value(), QStringList{runId});
    const RunRecord a = m_store.run(runId).value();
    const RunRecord b = other.run(runId).value();
    QCOMPARE(b.suiteName, a.suiteName);
    QCOMPARE(b.cells, a.cells);
    QCOMPARE(b.okCells, a.okCells);
    QCOMPARE(b.costUsd, a.costUsd);
    QCOMPARE(b.startedAt, a.startedAt);
    QCOMPARE(b.suiteJson, a.suiteJson);
    const auto mine = m_store.loadCells(runId).value();
    const auto theirs = other.loadCells(runId).value();
    QCOMPARE(theirs.size(), mine.size());
    for (qsizetype i = 0; i < mine.size(); ++i)
        compareCells(theirs.at(i), mine.at(i));
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(theirs.first().judgeCalls.size(), 3);
    QCOMPARE(other.humanRatings(runId).value().size(), 1);
    QCOMPARE(other.humanRatings(runId).value().first().rating, 5);
    SearchQuery q;
    q.text = QStringLiteral("capital");
    QCOMPARE(other.search(q).value().size(), 1);
    QCOMPARE(other.integrityCheck().value(), QStringLiteral("ok"));
    // Importing the same run twice is refused and changes nothing.
    const auto twice = other.importRuns(file);
    QVERIFY(!twice.ok());
    QVERIFY2(twice.error().contains(runId), qPrintable(twice.error()));
    QCOMPARE(other.listRuns().value().size(), 1);
    // Not a history file.
    const QString junk = m_dir->filePath(QStringLiteral("junk.slopscope"));
    QFile j(junk);
    QVERIFY(j.open(QIODevice::WriteOnly));
    j.write(QByteArray(4096, 'x'));
    j.close();
    QVERIFY(!other.importRuns(junk).ok());
}

void TestHistoryStore::rotatesBackups()
{
    const QString runId = record(makeRun(QStringLiteral("s"), {QStringLiteral("t1")}), {makeCell({})});
    QStringList made;
    for (int i = 0; i < 4; ++i) {
        auto b = m_store.backupNow(3);
        QVERIFY2(b.ok(), qPrintable(b.error()));
        made.prepend(b.value());
    }
    const QStringList kept = StoreBackups::list(m_path);
    QCOMPARE(kept, made.mid(0, 3)); // newest first, the oldest rotated away
    QCOMPARE(StoreBackups::latest(m_path), made.first());
    QVERIFY(StoreBackups::latestTime(m_path).isValid());
    HistoryStore copy;
    QVERIFY(copy.open(kept.first(), HistoryStore::Mode::ReadOnly).ok());
    QCOMPARE(copy.loadCells(runId).value().size(), 1);
    // The writer makes one at start when the last is old enough.
    QDir(StoreBackups::folder(m_path)).removeRecursively();
    m_writer.reset();
    HistoryWriter writer;
    QSignalSpy opened(&writer, &HistoryWriter::opened);
    writer.start(m_path, {});
    QVERIFY(opened.wait(10'000));
    QCOMPARE(StoreBackups::list(m_path).size(), 1);
}

void TestHistoryStore::keepsHumanRatings()
{
    const CellResult cell = makeCell({});
    const QString runId = record(makeRun(QStringLiteral("s"), {QStringLiteral("t1")}), {cell});
    QSignalSpy committed(m_writer.get(), &HistoryWriter::committed);
    const QDateTime when = QDateTime::fromMSecsSinceEpoch(1'700'000'000'000, QTimeZone::utc());
    m_writer->addHumanRating(
        {runId, cell.job.jobId, QStringLiteral("ann"), QStringLiteral("stars"), 4, QStringLiteral("good"), when});
    m_writer->addHumanRating({runId, cell.job.jobId, QStringLiteral("bob"), QStringLiteral("stars"), 2, {}, when});
    m_writer->addResult(runId, makeCell(Cell().caseId(QStringLiteral("c9"))));
    QVERIFY(waitCommitted(committed, {makeCell(Cell().caseId(QStringLiteral("c9"))).job.jobId}));
    const auto ratings = m_store.humanRatings(runId).value();
    QCOMPARE(ratings.size(), 2);
    QCOMPARE(ratings.at(0).rater, QStringLiteral("ann"));
    QCOMPARE(ratings.at(0).rating, 4);
    QCOMPARE(ratings.at(0).comment, QStringLiteral("good"));
    QCOMPARE(ratings.at(0).kind, QStringLiteral("stars"));
    QCOMPARE(ratings.at(0).createdAt, when);
    QCOMPARE(ratings.at(1).rating, 2);
    // A rating for a run that does not exist is dropped, said so, and blocks nothing.
    QSignalSpy problems(m_writer.get(), &HistoryWriter::problemChanged);
    m_writer->addHumanRating(
        {QStringLiteral("no-such-run"), cell.job.jobId, QStringLiteral("x"), QStringLiteral("pass_fail"), 1, {}, when});
    m_writer->addResult(runId, makeCell(Cell().caseId(QStringLiteral("c8"))));
    QVERIFY(waitCommitted(committed, {makeCell(Cell().caseId(QStringLiteral("c8"))).job.jobId}));
    QVERIFY(!problems.isEmpty());
    QVERIFY(problems.first().first().value<StoreProblem>().message.contains(u"no-such-run"));
}

QTEST_GUILESS_MAIN(TestHistoryStore)
#include "tst_historystore.moc"
