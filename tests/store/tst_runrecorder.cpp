#include "report/ReportData.h"
#include "run/QuickCompareSession.h"
#include "store/RunSnapshot.h"
#include "run/RunSession.h"
#include "sim/SimServer.h"
#include "store/RecordedRun.h"
#include "store/RunRecorder.h"
#include "StoreTestSupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Slopscope;
using namespace StoreTest;

// A real run against the embedded simulator, recorded; then a cancelled run resumed from the
// history without sending an answered cell twice.
class TestRunRecorder final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void recordsARunAsItHappens();
    void resumesACancelledRunFromTheHistory();
    void keepsThePricesTheRunApplied();
    void diskFullHoldsDispatchUntilSpaceReturns();
    void unsavedResultsAreBounded();
    void recordsEachQuickCompareExchangeAsARun();

private:
    RunSpec demoSpec() const;
    // One simulated target answering `answerTokens` tokens, one stream at a time, over `cases` cases.
    RunSpec serialSpec(SimServer &server, int answerTokens, int cases) const;

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
    std::unique_ptr<HistoryWriter> m_writer;
    HistoryStore m_store;
};

void TestRunRecorder::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_path = m_dir->filePath(QStringLiteral("history.sqlite"));
    QVERIFY(m_store.open(m_path).ok());
    m_writer = std::make_unique<HistoryWriter>();
    StoreWriter::Options options;
    options.backupIntervalHours = 0;
    m_writer->start(m_path, options);
}

void TestRunRecorder::cleanup()
{
    m_writer.reset();
    m_store.close();
    m_dir.reset();
}

RunSpec TestRunRecorder::demoSpec() const
{
    RunSpec spec;
    spec.workspace = Workspace::demo();
    auto suite = Suite::fromFile(QStringLiteral(":/slopscope/demo/suites/facts.json"));
    if (!suite)
        qFatal("%s", qPrintable(suite.error()));
    spec.suite = suite.value();
    spec.targetIds = {QStringLiteral("qwen3-coder"), QStringLiteral("local-llama")};
    spec.caseIds = {spec.suite.cases.at(0).id, spec.suite.cases.at(1).id, spec.suite.cases.at(2).id};
    return spec;
}

void TestRunRecorder::recordsARunAsItHappens()
{
    const RunSpec spec = demoSpec();
    RunSession session;
    RunRecorder recorder(m_writer.get());
    recorder.attach(&session);
    QSignalSpy committed(m_writer.get(), &HistoryWriter::committed);
    QSignalSpy finished(&session, &RunSession::runFinished);
    const QString runId = recorder.begin(spec, QStringLiteral("catalogue-2025"));
    QVERIFY(!runId.isEmpty());
    const Status started = session.start(spec);
    QVERIFY2(started.ok(), qPrintable(started.error()));
    QVERIFY(recorder.isRecording());
    QVERIFY(finished.wait(120'000));
    QVERIFY(!recorder.isRecording());
    QStringList ids;
    for (const CellResult &c : session.results())
        ids.append(c.job.jobId);
    QCOMPARE(ids.size(), 6);
    QVERIFY(waitCommitted(committed, ids));
    QTRY_COMPARE_WITH_TIMEOUT(m_store.run(runId).value().state, RunState::Completed, 10'000);

    const RunRecord run = m_store.run(runId).value();
    QCOMPARE(run.suiteName, spec.suite.name);
    QCOMPARE(run.targetIds, spec.targetIds);
    QCOMPARE(run.plannedCells, 6);
    QCOMPARE(run.cells, 6);
    QCOMPARE(run.priceCatalogue, QStringLiteral("catalogue-2025"));
    QVERIFY(qAbs(run.costUsd - session.spentUsd()) < 1e-12);
    QVERIFY(run.endedAt.isValid());
    auto cells = m_store.loadCells(runId);
    QVERIFY(cells.ok());
    QCOMPARE(cells.value().size(), 6);
    QHash<QString, CellResult> live;
    for (const CellResult &c : session.results())
        live.insert(c.job.jobId, c);
    for (const CellResult &stored : cells.value()) {
        QVERIFY(live.contains(stored.job.jobId));
        compareCells(stored, live.value(stored.job.jobId));
        if (QTest::currentTestFailed())
            return;
    }
    // The live summaries and the stored figures agree.
    const auto stats = m_store.targetStats(runId).value();
    QCOMPARE(stats.size(), 2);
    const QList<TargetSummary> summaries = session.summaries();
    for (const TargetRunStats &s : stats) {
        const auto summary = std::find_if(summaries.begin(), summaries.end(),
                                          [&](const TargetSummary &t) { return t.targetId == s.targetId; });
        QVERIFY(summary != summaries.end());
        QCOMPARE(s.quality, summary->quality);
        QCOMPARE(s.medianTtftMs, summary->medianTtftMs);
    }
}

void TestRunRecorder::resumesACancelledRunFromTheHistory()
{
    const RunSpec spec = demoSpec();
    QString runId;
    QSet<QString> firstSession;
    {
        RunSession session;
        RunRecorder recorder(m_writer.get());
        recorder.attach(&session);
        QSignalSpy finished(&session, &RunSession::runFinished);
        // Cancel as soon as two cells are in: the rest are cancelled or never sent.
        connect(&session, &RunSession::cellFinished, &session, [&session](const CellResult &) {
            if (session.done() == 2)
                session.cancel();
        });
        runId = recorder.begin(spec);
        QVERIFY(session.start(spec).ok());
        QVERIFY(finished.wait(120'000));
        QCOMPARE(finished.first().first().toBool(), true);
        QSignalSpy committed(m_writer.get(), &HistoryWriter::committed);
        QTRY_COMPARE_WITH_TIMEOUT(m_store.run(runId).value().state, RunState::Cancelled, 10'000);
        for (const CellResult &c : session.results()) {
            if (c.job.state == JobState::Completed)
                firstSession.insert(c.job.jobId);
        }
    }
    QVERIFY(firstSession.size() >= 2);
    auto kept = m_store.completedCells(runId);
    QVERIFY(kept.ok());
    QSet<QString> keptIds;
    for (const CellResult &c : kept.value())
        keptIds.insert(c.job.jobId);
    QCOMPARE(keptIds, firstSession);

    RunSpec resumed = spec;
    resumed.completed = kept.value();
    RunSession session;
    RunRecorder recorder(m_writer.get());
    recorder.attach(&session);
    QSignalSpy started(&session, &RunSession::cellStarted);
    QSignalSpy finished(&session, &RunSession::runFinished);
    recorder.resume(runId);
    QVERIFY(session.start(resumed).ok());
    QVERIFY(finished.wait(120'000));
    for (const auto &args : std::as_const(started))
        QVERIFY2(!keptIds.contains(args.at(0).toString()), qPrintable(args.at(0).toString()));
    QTRY_COMPARE_WITH_TIMEOUT(m_store.run(runId).value().state, RunState::Completed, 10'000);
    QTRY_COMPARE_WITH_TIMEOUT(m_store.run(runId).value().cells, 6, 10'000);
    const RunRecord run = m_store.run(runId).value();
    QCOMPARE(run.okCells, 6);
    QCOMPARE(run.sessions, 2);
    QCOMPARE(m_store.listRuns().value().size(), 1);
    const auto all = m_store.loadCells(runId).value();
    QSet<QString> ids;
    for (const CellResult &c : all)
        ids.insert(c.job.jobId);
    QCOMPARE(ids.size(), all.size()); // no duplicates
    QCOMPARE(ids.size(), 6);
}

// A provider that is not the simulator is priced from the bundled catalogue, field by field under
// the workspace's own price. The recorded run keeps those prices, so a report made later from the
// database alone (`slopscope-cli report RUN_ID`) shows what the live run applied, not just the
// workspace's fields.
void TestRunRecorder::keepsThePricesTheRunApplied()
{
    SimServer server;
    QVERIFY(server.loadDefaults().ok());
    // The simulator answers a model the catalogue knows, through the same loopback as a real one.
    auto personas = SimPersonas::fromJson(
        R"({"personas": [{"id": "gpt-4o-mini", "dialect": "openai-chat", "ttft_ms": {"median": 5},
            "tokens_per_second": 2000, "answer_tokens": 12, "quality": {"canonical": 1.0, "paraphrase": 1.0}}]})",
        QStringLiteral("test personas"));
    QVERIFY2(personas.ok(), qPrintable(personas.error()));
    server.setPersonas(personas.value());
    QVERIFY(server.listen());

    RunSpec spec = demoSpec();
    ProviderConfig openai;
    openai.id = QStringLiteral("openai");
    openai.dialect = Dialect::OpenAIChat;
    openai.baseUrl = server.baseUrl().toString() + u"/v1";
    TargetConfig mini;
    mini.id = QStringLiteral("mini");
    mini.providerId = openai.id;
    mini.model = QStringLiteral("gpt-4o-mini");
    mini.price.outputPerMTok = 0.5; // over the catalogue's 0.60
    spec.workspace.providers.append(openai);
    spec.workspace.targets.append(mini);
    spec.targetIds = {mini.id, QStringLiteral("qwen3-coder")};

    RunSession session;
    RunRecorder recorder(m_writer.get());
    recorder.attach(&session);
    QSignalSpy finished(&session, &RunSession::runFinished);
    const QString runId = recorder.begin(spec);
    QVERIFY(session.start(spec).ok());
    QVERIFY(finished.wait(120'000));
    QTRY_COMPARE_WITH_TIMEOUT(m_store.run(runId).value().cells, 6, 10'000);
    QTRY_COMPARE_WITH_TIMEOUT(m_store.run(runId).value().state, RunState::Completed, 10'000);

    const ReportData live = ReportData::fromSession(session);
    const ReportTarget *liveMini = live.target(mini.id);
    QVERIFY(liveMini);
    QVERIFY(!liveMini->catalogueKey.isEmpty());
    QVERIFY(liveMini->price.inputPerMTok.has_value()); // from the catalogue: the workspace set none
    QCOMPARE(liveMini->price.outputPerMTok, std::optional<double>(0.5));
    QVERIFY(liveMini->summary.blendedPricePerMTok.has_value());

    auto recorded = RecordedRun::load(m_path, runId);
    QVERIFY2(recorded.ok(), qPrintable(recorded.error()));
    QCOMPARE(recorded.value().schedules.value(mini.id).catalogueKey, liveMini->catalogueKey);
    const ReportData stored = ReportData::fromRecordedRun(recorded.value());
    QCOMPARE(stored.targets.size(), live.targets.size());
    for (const ReportTarget &t : live.targets) {
        const ReportTarget *s = stored.target(t.id);
        QVERIFY2(s, qPrintable(t.id));
        QCOMPARE(s->catalogueKey, t.catalogueKey);
        QCOMPARE(s->price.inputPerMTok, t.price.inputPerMTok);
        QCOMPARE(s->price.outputPerMTok, t.price.outputPerMTok);
        QCOMPARE(s->price.cachedInputPerMTok, t.price.cachedInputPerMTok);
        QCOMPARE(s->summary.blendedPricePerMTok, t.summary.blendedPricePerMTok);
        QCOMPARE(s->summary.costPer1000Cases, t.summary.costPer1000Cases);
    }
    QCOMPARE(stored.priceOverrides.size(), 1);
    QCOMPARE(live.priceOverrides.size(), 1);
    QCOMPARE(stored.priceOverrides.first().field, QStringLiteral("output_per_mtok"));
    QCOMPARE(stored.priceOverrides.first().workspaceValue, 0.5);
    QCOMPARE(stored.priceOverrides.first().catalogueValue, live.priceOverrides.first().catalogueValue);
}

RunSpec TestRunRecorder::serialSpec(SimServer &server, int answerTokens, int cases) const
{
    auto personas = SimPersonas::fromJson(QStringLiteral(R"({"personas": [{"id": "wordy", "dialect": "openai-chat",
            "ttft_ms": {"median": 5}, "tokens_per_second": 100000, "answer_tokens": %1,
            "quality": {"canonical": 1.0, "paraphrase": 1.0}}]})")
                                              .arg(answerTokens)
                                              .toUtf8(),
                                          QStringLiteral("test personas"));
    if (!personas)
        qFatal("%s", qPrintable(personas.error()));
    server.setPersonas(personas.value());
    RunSpec spec = demoSpec();
    // Prompts the simulator has no answer for: it writes the length they ask for.
    QJsonArray list;
    for (int i = 0; i < cases; ++i) {
        list.append(QJsonObject{{u"id"_qs, QStringLiteral("essay%1").arg(i)},
                                {u"prompt"_qs, QStringLiteral("Write %1 words on topic %2.").arg(answerTokens).arg(i)}});
    }
    auto suite = Suite::fromJson(QJsonDocument(QJsonObject{{u"name"_qs, u"essays"_qs}, {u"cases"_qs, list}}).toJson(),
                                 QStringLiteral("essays"));
    if (!suite)
        qFatal("%s", qPrintable(suite.error()));
    spec.suite = suite.value();
    ProviderConfig sim;
    sim.id = QStringLiteral("serial");
    sim.dialect = Dialect::OpenAIChat;
    sim.baseUrl = server.baseUrl().toString() + u"/v1";
    sim.apiKeyEnv = QStringLiteral("SLOPSCOPE_TEST_SERIAL_KEY");
    qputenv("SLOPSCOPE_TEST_SERIAL_KEY", "sk-test-serial");
    sim.maxConcurrency = 1; // one cell in flight: what a hold lets through is known exactly
    TargetConfig wordy;
    wordy.id = QStringLiteral("wordy");
    wordy.providerId = sim.id;
    wordy.model = QStringLiteral("wordy");
    spec.workspace.providers.append(sim);
    spec.workspace.targets.append(wordy);
    spec.targetIds = {wordy.id};
    spec.caseIds.clear();
    for (const auto &c : std::as_const(spec.suite.cases))
        spec.caseIds.append(c.id);
    return spec;
}

// F-9: a full disk mid-run holds new dispatch (the cell in flight finishes and waits in memory),
// says so, and lets the run go on once the writer saves again; nothing is lost.
void TestRunRecorder::diskFullHoldsDispatchUntilSpaceReturns()
{
    m_writer = std::make_unique<HistoryWriter>();
    StoreWriter::Options options;
    options.backupIntervalHours = 0;
    options.retryIntervalMs = 100;
    m_writer->start(m_path, options);
    SimServer server;
    QVERIFY(server.loadDefaults().ok());
    QVERIFY(server.listen());
    const int total = 6;
    const RunSpec spec = serialSpec(server, 30000, total); // ~150 KB per answer: 16 pages hold none

    RunSession session;
    RunRecorder recorder(m_writer.get());
    recorder.attach(&session);
    QSignalSpy committed(m_writer.get(), &HistoryWriter::committed);
    QSignalSpy started(&session, &RunSession::cellStarted);
    QSignalSpy cellsDone(&session, &RunSession::cellFinished);
    QSignalSpy held(&session, &RunSession::dispatchHeldChanged);
    QSignalSpy finished(&session, &RunSession::runFinished);
    // Room for the run row, not for one answer: the first answer finds the disk full.
    m_writer->setMaxPageCount(m_store.connection().queryInt(QStringLiteral("PRAGMA page_count")).value() + 16);
    const QString runId = recorder.begin(spec);
    QVERIFY(session.start(spec).ok());
    QTRY_VERIFY2_WITH_TIMEOUT(session.isDispatchHeld(),
                              qPrintable(QStringLiteral("writer: %1 %2; %3 cell(s) done")
                                             .arg(int(m_writer->problem().kind))
                                             .arg(m_writer->problem().message)
                                             .arg(cellsDone.size())),
                              20'000);
    QVERIFY2(session.dispatchHeldReason().startsWith(u"Disk full: "), qPrintable(session.dispatchHeldReason()));
    QVERIFY2(session.dispatchHeldReason().contains(u"waiting to be saved"), qPrintable(session.dispatchHeldReason()));
    QCOMPARE(m_writer->problem().kind, StoreProblem::Kind::DiskFull);
    // Whatever was in flight when the disk filled finishes; after that nothing new is sent.
    QTRY_COMPARE_WITH_TIMEOUT(cellsDone.size(), started.size(), 10'000);
    const qsizetype sent = started.size();
    QTest::qWait(800);
    QCOMPARE(started.size(), sent);
    QVERIFY2(sent < total, "dispatch must stop before the run is through");
    QVERIFY(session.isRunning());
    QVERIFY(session.isDispatchHeld());
    QCOMPARE(recorder.unsavedCount(), static_cast<int>(sent)); // all kept, none saved
    QVERIFY2(session.dispatchHeldReason() == QStringLiteral("Disk full: %1 result(s) waiting to be saved").arg(sent),
             qPrintable(session.dispatchHeldReason()));
    QCOMPARE(m_store.loadCells(runId).value().size(), 0);

    // Space is back: the queue lands, dispatch resumes, the run completes with every cell.
    m_writer->setMaxPageCount(1'000'000);
    QVERIFY(finished.wait(60'000));
    QCOMPARE(finished.first().first().toBool(), false);
    QCOMPARE(started.size(), total);
    QVERIFY(!session.isDispatchHeld());
    QVERIFY(held.size() >= 2);
    QCOMPARE(held.last().at(0).toBool(), false);
    QStringList ids;
    for (const CellResult &c : session.results())
        ids.append(c.job.jobId);
    QVERIFY(waitCommitted(committed, ids));
    QTRY_COMPARE_WITH_TIMEOUT(m_store.run(runId).value().state, RunState::Completed, 10'000);
    QCOMPARE(m_store.run(runId).value().cells, total);
    QCOMPARE(m_store.run(runId).value().okCells, total);
    const QList<CellResult> stored = m_store.loadCells(runId).value();
    QCOMPARE(stored.size(), total);
    for (const CellResult &c : stored)
        QVERIFY2(c.job.result.text.size() > 100'000,
                 qPrintable(QStringLiteral("%1: %2 chars, %3").arg(c.job.jobId).arg(c.job.result.text.size()).arg(c.job.error)));
    QCOMPARE(m_store.integrityCheck().value(), QStringLiteral("ok"));
}

// However slow the writer, unsaved results never pile up past the bound (plus the cells in flight):
// dispatch holds until commits catch up, then the run completes.
void TestRunRecorder::unsavedResultsAreBounded()
{
    SimServer server;
    QVERIFY(server.loadDefaults().ok());
    QVERIFY(server.listen());
    const int total = 5;
    const RunSpec spec = serialSpec(server, 50, total);
    RunSession session;
    RunRecorder recorder(m_writer.get());
    recorder.setMaxUnsaved(1);
    recorder.attach(&session);
    int maxUnsaved = 0;
    QStringList reasons;
    connect(&session, &RunSession::cellStarted, this,
            [&] { maxUnsaved = std::max(maxUnsaved, recorder.unsavedCount()); });
    connect(&session, &RunSession::dispatchHeldChanged, this, [&](bool isHeld, const QString &reason) {
        if (isHeld)
            reasons.append(reason);
    });
    QSignalSpy finished(&session, &RunSession::runFinished);
    const QString runId = recorder.begin(spec);
    QVERIFY(session.start(spec).ok());
    QVERIFY(finished.wait(60'000));
    QVERIFY(!reasons.isEmpty()); // each answer held dispatch until it was saved
    QCOMPARE(reasons.first(), QStringLiteral("Saving is behind: 1 result(s) waiting to be saved"));
    QCOMPARE(maxUnsaved, 0); // a cell is only sent once everything before it is saved
    QTRY_COMPARE_WITH_TIMEOUT(m_store.run(runId).value().cells, total, 10'000);
    QCOMPARE(m_store.run(runId).value().okCells, total);
}

QTEST_GUILESS_MAIN(TestRunRecorder)
// Quick compare rides on RunSession, so the same recorder keeps each exchange as a run of its own,
// with its cells (the failed answer's partial text and error too) and the kind that tells it apart.
void TestRunRecorder::recordsEachQuickCompareExchangeAsARun()
{
    Workspace ws = Workspace::demo();
    // A target whose stream breaks after a few tokens, never retried: an error cell.
    ProviderConfig faulty = *ws.provider(QStringLiteral("sim-openai"));
    faulty.id = QStringLiteral("sim-faulty");
    faulty.maxRetries = 0;
    faulty.headers.insert(QStringLiteral("x-sim-fault"), QStringLiteral("error_inband;after=8"));
    ws.providers.append(faulty);
    TargetConfig broken = *ws.target(QStringLiteral("qwen3-coder"));
    broken.id = QStringLiteral("faulty");
    broken.providerId = faulty.id;
    ws.targets.append(broken);

    QuickCompareSession quick;
    quick.setWorkspace(ws);
    quick.setTargetIds({QStringLiteral("local-llama"), broken.id});
    RunRecorder recorder(m_writer.get());
    QStringList runIds;
    quick.setBeforeStart([&](RunSession &run, const RunSpec &spec) {
        recorder.attach(&run);
        runIds << recorder.begin(spec);
    });
    QSignalSpy exchanged(&quick, &QuickCompareSession::exchangeFinished);
    // Long answers, so the faulty stream breaks inside them.
    const QStringList prompts{QStringLiteral("Explain what a hash table is, in detail.\nWith examples."),
                              QStringLiteral("Now explain a binary heap, in detail.")};
    for (const QString &prompt : prompts) {
        QVERIFY(quick.send(prompt).ok());
        QVERIFY(exchanged.wait(60'000));
    }
    QCOMPARE(runIds.size(), 2);
    QVERIFY(runIds.first() != runIds.last());

    for (int e = 0; e < 2; ++e) {
        const QString &runId = runIds.at(e);
        const QuickExchange &exchange = quick.exchanges().at(e);
        QTRY_COMPARE_WITH_TIMEOUT(m_store.run(runId).value().state, RunState::Completed, 10'000);
        const RunRecord run = m_store.run(runId).value();
        QCOMPARE(run.kind, QString(kQuickCompareKind));
        QCOMPARE(run.title, e == 0 ? QStringLiteral("Explain what a hash table is, in detail.") : prompts.at(1));
        QCOMPARE(run.targetIds, quick.targetIds());
        QCOMPARE(run.plannedCells, 2);
        QCOMPARE(run.cells, 2);
        // ok: Completed or Incomplete (the broken stream may count as either, as in a suite run).
        int ok = 0;
        for (const QuickAnswer &a : exchange.answers)
            ok += a.state == JobState::Completed || a.state == JobState::Incomplete ? 1 : 0;
        QCOMPARE(run.okCells, ok);
        // The list (the history browser's source) reads the kind too.
        const QList<RunRecord> listed = m_store.listRuns().value();
        const auto row = std::find_if(listed.begin(), listed.end(), [&](const RunRecord &r) { return r.id == runId; });
        QVERIFY(row != listed.end());
        QCOMPARE(row->kind, QString(kQuickCompareKind));

        // Re-rendered from the database: the spec says what it was and what each target was sent.
        const auto spec = RunSnapshot::toSpec(run);
        QVERIFY2(spec.ok(), qPrintable(spec.ok() ? QString() : spec.error()));
        QCOMPARE(spec.value().kind, QString(kQuickCompareKind));
        QCOMPARE(spec.value().suite.cases.size(), 2);
        for (const QString &target : quick.targetIds()) {
            const auto stored = std::find_if(spec.value().suite.cases.cbegin(), spec.value().suite.cases.cend(),
                                             [&](const SuiteCase &c) { return c.id.endsWith(target); });
            QVERIFY(stored != spec.value().suite.cases.cend());
            QCOMPARE(stored->messages, exchange.answers.value(target).sent);
        }

        const auto cells = m_store.loadCells(runId);
        QVERIFY(cells.ok());
        QCOMPARE(cells.value().size(), 2);
        for (const CellResult &cell : cells.value()) {
            const QuickAnswer answer = exchange.answers.value(cell.job.targetId);
            QVERIFY(answer.finished);
            QCOMPARE(cell.job.state, answer.state);
            QCOMPARE(cell.job.result.text, answer.text);
            QCOMPARE(cell.cost.usd, answer.cost.usd);
            QCOMPARE(cell.metrics.ttftNs, answer.metrics.ttftNs);
            if (cell.job.targetId == broken.id) {
                QVERIFY(cell.job.state != JobState::Completed);
                QVERIFY(!cell.job.error.isEmpty());
                QVERIFY(!cell.job.result.text.isEmpty()); // the partial answer is kept
            } else {
                QCOMPARE(cell.job.state, JobState::Completed);
                QVERIFY(!cell.job.result.text.isEmpty());
            }
        }
    }
    // A suite run is no quick compare.
    QVERIFY(RunSnapshot::fromSpec(demoSpec(), QStringLiteral("x")).settingsJson.indexOf(u"kind") < 0);
}

#include "tst_runrecorder.moc"
