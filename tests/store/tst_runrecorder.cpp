#include "run/RunSession.h"
#include "store/RunRecorder.h"
#include "StoreTestSupport.h"

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

private:
    RunSpec demoSpec() const;

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

QTEST_GUILESS_MAIN(TestRunRecorder)
#include "tst_runrecorder.moc"
