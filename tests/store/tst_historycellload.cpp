#include "run/RunSession.h"
#include "run/ThoughtsCodec.h"
#include "store/RecordedRun.h"
#include "StoreTestSupport.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Slopscope;
using namespace StoreTest;

// RELIABILITY L-5: a run opens with the matrix's needs only (CellLoad::Matrix) and one cell's
// detail is read on demand (HistoryStore::cellDetail), exactly as recorded; a damaged detail column
// fails that cell alone.
class TestHistoryCellLoad final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void matrixLoadLeavesTheDetailOut();
    void cellDetailIsWhatWasRecorded();
    void damagedDetailFailsThatCellAlone();
    void recordedRunSaysHowItLoaded();

private:
    QString record(const QList<CellResult> &cells);

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
    std::unique_ptr<HistoryWriter> m_writer;
    HistoryStore m_store;
    QList<CellResult> m_cells; // what record() saved, in order
};

void TestHistoryCellLoad::init()
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

    // A plain cell (two attempts, judge calls), a chain cell with thoughts, a failed one.
    CellResult plain = makeCell({});
    CellResult chain = makeChainCell(Cell().caseId(QStringLiteral("c2")));
    chain.job.result.thinkingBlocks = {ThinkingBlock{QStringLiteral("pondering"), QStringLiteral("c2lnbmF0dXJl")}};
    chain.job.result.reasoningItems = {ReasoningItem{QStringLiteral("rs_1"), QStringLiteral("gAAAAABzZWFsZWQ"), {}}};
    CellResult failed =
        makeCell(Cell().caseId(QStringLiteral("c3")).state(JobState::Failed).score(0.0).usd(std::nullopt));
    m_cells = {plain, chain, failed};
}

void TestHistoryCellLoad::cleanup()
{
    m_writer.reset();
    m_store.close();
    m_dir.reset();
}

QString TestHistoryCellLoad::record(const QList<CellResult> &cells)
{
    RunStart run = makeRun(QStringLiteral("suite"), {QStringLiteral("t1")});
    // A suite that loads, so RecordedRun::load can rebuild the run.
    run.suiteJson = QStringLiteral(R"({"name":"suite","cases":[{"id":"c1","prompt":"What is six times seven?"},)"
                                   R"({"id":"c2","prompt":"Name the capital of France."},)"
                                   R"({"id":"c3","prompt":"Write a haiku about autumn."}]})");
    QSignalSpy committed(m_writer.get(), &HistoryWriter::committed);
    m_writer->beginRun(run);
    QStringList ids;
    for (const CellResult &c : cells) {
        m_writer->addResult(run.id, c);
        ids.append(c.job.jobId);
    }
    m_writer->endRun(run.id, RunState::Completed);
    if (!waitCommitted(committed, ids))
        qWarning("not every result was committed");
    return run.id;
}

void TestHistoryCellLoad::matrixLoadLeavesTheDetailOut()
{
    const QString runId = record(m_cells);
    auto light = m_store.loadCells(runId, CellLoad::Matrix);
    QVERIFY2(light.ok(), qPrintable(light.error()));
    QCOMPARE(light.value().size(), m_cells.size());
    for (qsizetype i = 0; i < m_cells.size(); ++i) {
        const CellResult &want = m_cells.at(i);
        const CellResult &got = light.value().at(i);
        // What the matrix, the leaderboard, the diff and the quadrant read.
        QCOMPARE(got.job.jobId, want.job.jobId);
        QCOMPARE(got.caseId, want.caseId);
        QCOMPARE(got.job.targetId, want.job.targetId);
        QCOMPARE(got.job.state, want.job.state);
        QCOMPARE(got.job.result.text, want.job.result.text);
        QCOMPARE(got.grade.score, want.grade.score);
        QCOMPARE(got.grade.pass, want.grade.pass);
        QCOMPARE(got.grade.grades.size(), want.grade.grades.size());
        QCOMPARE(got.metrics.ttftNs, want.metrics.ttftNs);
        QCOMPARE(got.metrics.decodeTokensPerSecond, want.metrics.decodeTokensPerSecond);
        QCOMPARE(got.metrics.attempts, want.metrics.attempts);
        QCOMPARE(got.cost.usd, want.cost.usd);
        QCOMPARE(got.judgeCalls.size(), want.judgeCalls.size());
        // The detail is left out.
        QVERIFY(got.job.timeline.attempts.isEmpty());
        QVERIFY(got.turns.isEmpty());
        QVERIFY(got.job.result.thinkingBlocks.isEmpty());
        QVERIFY(got.job.result.reasoningItems.isEmpty());
        QVERIFY(got.job.result.reasoningText.isEmpty());
    }
    QVERIFY(!m_cells.at(0).job.timeline.attempts.isEmpty()); // so the checks above mean something
    QVERIFY(!m_cells.at(1).turns.isEmpty());
    QVERIFY(!m_cells.at(0).job.result.reasoningText.isEmpty());
}

void TestHistoryCellLoad::cellDetailIsWhatWasRecorded()
{
    const QString runId = record(m_cells);
    auto full = m_store.loadCells(runId);
    QVERIFY2(full.ok(), qPrintable(full.error()));
    for (qsizetype i = 0; i < m_cells.size(); ++i) {
        auto detail = m_store.cellDetail(runId, m_cells.at(i).job.jobId);
        QVERIFY2(detail.ok(), qPrintable(detail.error()));
        compareCells(detail.value(), m_cells.at(i));
        if (QTest::currentTestFailed())
            return;
        compareCells(detail.value(), full.value().at(i)); // the same cell as the full load's
        if (QTest::currentTestFailed())
            return;
        const QList<ChainTurnResult> &turns = detail.value().turns;
        QCOMPARE(turns.size(), m_cells.at(i).turns.size());
        for (qsizetype t = 0; t < turns.size(); ++t) {
            const ChainTurnResult &want = m_cells.at(i).turns.at(t);
            QCOMPARE(turns.at(t).user, want.user);
            QCOMPARE(turns.at(t).answer, want.answer);
            QCOMPARE(turns.at(t).toolCalls, want.toolCalls);
            QCOMPARE(turns.at(t).toolResults, want.toolResults);
            QCOMPARE(turns.at(t).thoughts, want.thoughts);
            QCOMPARE(turns.at(t).requests, want.requests);
        }
        QCOMPARE(Thoughts::of(detail.value().job.result), Thoughts::of(m_cells.at(i).job.result));
    }
    auto missing = m_store.cellDetail(runId, QStringLiteral("no|such|0|cell"));
    QVERIFY(!missing.ok());
    QVERIFY2(missing.error().contains(u"no|such|0|cell"), qPrintable(missing.error()));
}

void TestHistoryCellLoad::damagedDetailFailsThatCellAlone()
{
    const QString runId = record(m_cells);
    m_writer.reset(); // nothing else writes while the rows are damaged by hand
    const QString badTimeline = m_cells.at(0).job.jobId;
    const QString badChain = m_cells.at(1).job.jobId;
    const auto damage = [this](const char *set, const QString &jobId) {
        return m_store.connection()
            .exec(QStringLiteral("UPDATE results SET %1 WHERE job_id = '%2'").arg(QLatin1StringView(set), jobId))
            .ok();
    };
    QVERIFY(damage("timeline = x'ffffffff00'", badTimeline));
    QVERIFY(damage("chain_json = '[{\"user\": '", badChain));

    auto light = m_store.loadCells(runId, CellLoad::Matrix);
    QVERIFY2(light.ok(), qPrintable(light.error()));
    QCOMPARE(light.value().size(), m_cells.size());
    QCOMPARE(light.value().at(0).job.result.text, m_cells.at(0).job.result.text);

    auto timeline = m_store.cellDetail(runId, badTimeline);
    QVERIFY(!timeline.ok());
    QVERIFY2(timeline.error().contains(badTimeline), qPrintable(timeline.error()));
    QVERIFY2(timeline.error().contains(u"timeline"), qPrintable(timeline.error()));
    auto chain = m_store.cellDetail(runId, badChain);
    QVERIFY(!chain.ok());
    QVERIFY2(chain.error().contains(badChain), qPrintable(chain.error()));
    QVERIFY2(chain.error().contains(u"chain"), qPrintable(chain.error()));
    auto sound = m_store.cellDetail(runId, m_cells.at(2).job.jobId);
    QVERIFY2(sound.ok(), qPrintable(sound.error()));
    compareCells(sound.value(), m_cells.at(2));
}

void TestHistoryCellLoad::recordedRunSaysHowItLoaded()
{
    const QString runId = record(m_cells);
    auto light = RecordedRun::load(m_path, runId, false, {}, CellLoad::Matrix);
    QVERIFY2(light.ok(), qPrintable(light.error()));
    QCOMPARE(light.value().cellLoad, CellLoad::Matrix);
    QCOMPARE(light.value().cells.size(), m_cells.size());
    QVERIFY(light.value().cells.at(0).job.timeline.attempts.isEmpty());
    // Summaries read the matrix fields only: the same from either load.
    auto full = RecordedRun::load(m_path, runId);
    QVERIFY2(full.ok(), qPrintable(full.error()));
    QCOMPARE(full.value().cellLoad, CellLoad::Full);
    QCOMPARE(full.value().cells.at(0).job.timeline.attempts.size(), m_cells.at(0).job.timeline.attempts.size());
    const QList<TargetSummary> a{RunSession::summarize(QStringLiteral("t1"), light.value().cells, {})};
    const QList<TargetSummary> b{RunSession::summarize(QStringLiteral("t1"), full.value().cells, {})};
    QCOMPARE(a.first().cells, m_cells.size());
    for (qsizetype i = 0; i < a.size(); ++i) {
        QCOMPARE(a.at(i).cells, b.at(i).cells);
        QCOMPARE(a.at(i).failed, b.at(i).failed);
        QCOMPARE(a.at(i).quality, b.at(i).quality);
        QCOMPARE(a.at(i).medianTtftMs, b.at(i).medianTtftMs);
        QCOMPARE(a.at(i).p95LatencyMs, b.at(i).p95LatencyMs);
        QCOMPARE(a.at(i).medianDecodeTokensPerSecond, b.at(i).medianDecodeTokensPerSecond);
        QCOMPARE(a.at(i).spentUsd, b.at(i).spentUsd);
        QCOMPARE(a.at(i).judgeSpentUsd, b.at(i).judgeSpentUsd);
    }
    // A resume's load is always full.
    auto resume = RecordedRun::load(m_path, runId, true, {}, CellLoad::Matrix);
    QVERIFY2(resume.ok(), qPrintable(resume.error()));
    QCOMPARE(resume.value().cellLoad, CellLoad::Full);
}

QTEST_GUILESS_MAIN(TestHistoryCellLoad)
#include "tst_historycellload.moc"
