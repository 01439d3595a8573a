#include "run/SummaryPacer.h"

// Live summaries during a run: SummaryPacer's interval and bootstrap budget, summarize()'s Live
// mode, and RunSession's flushes (a target with no new cells is not recomputed; the run's last
// flush puts every live, approximate summary right).

#include "run/RunSession.h"

#include <QSignalSpy>
#include <QTest>

using namespace Slopscope;

namespace {

// A target's cell for case `i`, with a score that varies by case so the bootstrap's quantiles
// depend on how many resamples were drawn.
CellResult scoredCell(const QString &targetId, int i)
{
    CellResult c;
    c.job.targetId = targetId;
    c.job.state = JobState::Completed;
    c.caseId = QStringLiteral("case%1").arg(i);
    c.grade.score = static_cast<double>((i * 37) % 101) / 100.0;
    c.cost.usd = 0.001;
    c.metrics.ttftNs = 200'000'000;
    c.metrics.e2eNs = 1'000'000'000;
    return c;
}

QList<CellResult> scoredCells(const QString &targetId, int cases)
{
    QList<CellResult> out;
    for (int i = 0; i < cases; ++i)
        out.append(scoredCell(targetId, i));
    return out;
}

} // namespace

class TestSummaryPacer final : public QObject
{
    Q_OBJECT

private slots:
    void intervalFollowsTheLastFlushCost_data();
    void intervalFollowsTheLastFlushCost();
    void intervalComesBackDownAndResets();
    void liveBootstrapBudget_data();
    void liveBootstrapBudget();
    void liveSummaryOfASmallTargetIsTheFullOne();
    void liveSummaryOfALargeTargetResamplesLess();
    void runEndsWithExactSummariesAndSkipsUnchangedTargets();
};

void TestSummaryPacer::intervalFollowsTheLastFlushCost_data()
{
    QTest::addColumn<qint64>("costMs");
    QTest::addColumn<int>("intervalMs");
    QTest::newRow("free") << qint64(0) << 250;
    QTest::newRow("cheap: the shortest interval") << qint64(20) << 250;
    QTest::newRow("ten times the cost") << qint64(40) << 400;
    QTest::newRow("ten times the cost, larger") << qint64(150) << 1500;
    QTest::newRow("capped") << qint64(900) << SummaryPacer::kMaxIntervalMs;
    QTest::newRow("a clock that went back") << qint64(-5) << 250;
}

void TestSummaryPacer::intervalFollowsTheLastFlushCost()
{
    QFETCH(qint64, costMs);
    QFETCH(int, intervalMs);
    SummaryPacer pacer;
    QCOMPARE(pacer.intervalMs(), SummaryPacer::kMinIntervalMs);
    pacer.recordFlushCost(costMs);
    QCOMPARE(pacer.intervalMs(), intervalMs);
}

void TestSummaryPacer::intervalComesBackDownAndResets()
{
    SummaryPacer pacer;
    pacer.recordFlushCost(300);
    QCOMPARE(pacer.intervalMs(), 3000);
    pacer.recordFlushCost(30); // only the last flush counts: a cheap one brings the pace back
    QCOMPARE(pacer.intervalMs(), 300);
    pacer.recordFlushCost(1000);
    pacer.reset();
    QCOMPARE(pacer.intervalMs(), SummaryPacer::kMinIntervalMs);
}

void TestSummaryPacer::liveBootstrapBudget_data()
{
    QTest::addColumn<qsizetype>("cases");
    QTest::addColumn<int>("iterations");
    QTest::newRow("none") << qsizetype(0) << 2000;
    QTest::newRow("small") << qsizetype(30) << 2000;
    QTest::newRow("at the budget") << qsizetype(100) << 2000;
    QTest::newRow("over it") << qsizetype(200) << 1000;
    QTest::newRow("L-2's 1,000 cases") << qsizetype(1000) << 200;
    QTest::newRow("never under the floor") << qsizetype(100000) << SummaryPacer::kMinLiveIterations;
}

void TestSummaryPacer::liveBootstrapBudget()
{
    QFETCH(qsizetype, cases);
    QFETCH(int, iterations);
    QCOMPARE(SummaryPacer::liveBootstrapIterations(cases), iterations);
}

void TestSummaryPacer::liveSummaryOfASmallTargetIsTheFullOne()
{
    const QList<CellResult> cells = scoredCells(QStringLiteral("t"), 80);
    const TargetSummary full = RunSession::summarize(QStringLiteral("t"), cells, Price{});
    const TargetSummary live = RunSession::summarize(QStringLiteral("t"), cells, Price{}, RunSession::Bootstrap::Live);
    QCOMPARE(live.quality, full.quality);
    QCOMPARE(live.qualityLow, full.qualityLow);
    QCOMPARE(live.qualityHigh, full.qualityHigh);
}

void TestSummaryPacer::liveSummaryOfALargeTargetResamplesLess()
{
    const QList<CellResult> cells = scoredCells(QStringLiteral("t"), 1000);
    const TargetSummary full = RunSession::summarize(QStringLiteral("t"), cells, Price{});
    const TargetSummary live = RunSession::summarize(QStringLiteral("t"), cells, Price{}, RunSession::Bootstrap::Live);
    // Every figure but the interval is the same; the interval is close to the full one.
    QCOMPARE(live.cells, full.cells);
    QCOMPARE(live.cases, full.cases);
    QCOMPARE(live.quality, full.quality);
    QCOMPARE(live.medianTtftMs, full.medianTtftMs);
    QCOMPARE(live.costPer1000Cases, full.costPer1000Cases);
    QVERIFY(live.qualityLow != full.qualityLow || live.qualityHigh != full.qualityHigh);
    QVERIFY(live.qualityLow.value() <= live.quality.value() && live.quality.value() <= live.qualityHigh.value());
    QVERIFY(std::abs(live.qualityLow.value() - full.qualityLow.value()) < 0.01);
    QVERIFY(std::abs(live.qualityHigh.value() - full.qualityHigh.value()) < 0.01);
}

// A resumed run: "sonnet" is fully answered (150 cases) and "local-llama" misses one cell. The start
// shows both targets' earlier figures (a live flush); while the last cell runs, only local-llama
// changes, so sonnet is not recomputed; the run's end recomputes both in full, sonnet included,
// since its shown figures came from a live flush.
void TestSummaryPacer::runEndsWithExactSummariesAndSkipsUnchangedTargets()
{
    constexpr int kCases = 150; // over SummaryPacer's budget: live and full intervals differ
    const QString sonnet = QStringLiteral("sonnet");
    const QString llama = QStringLiteral("local-llama");
    RunSpec spec;
    spec.workspace = Workspace::demo();
    spec.suite.name = QStringLiteral("pacer");
    for (int i = 0; i < kCases; ++i) {
        SuiteCase sc;
        sc.id = QStringLiteral("case%1").arg(i);
        sc.prompt = QStringLiteral("What is %1 plus 1?").arg(i);
        spec.suite.cases.append(sc);
    }
    spec.targetIds = {sonnet, llama};
    const auto jobs = RunSession::expandJobs(spec);
    QVERIFY2(jobs.ok(), qPrintable(jobs.error()));
    QHash<QString, QString> jobIds; // "target|case" → job id
    for (const ChatRequest &j : jobs.value())
        jobIds.insert(j.targetId + u'|' + j.caseId, j.id);
    for (const QString &target : {sonnet, llama}) {
        for (int i = 0; i < kCases; ++i) {
            if (target == llama && i == 0)
                continue; // the one cell the run sends
            CellResult c = scoredCell(target, i);
            c.job.jobId = jobIds.value(target + u'|' + c.caseId);
            QVERIFY(!c.job.jobId.isEmpty());
            spec.completed.append(c);
        }
    }

    RunSession session;
    QSignalSpy summaries(&session, &RunSession::summaryChanged);
    QSignalSpy cellFinished(&session, &RunSession::cellFinished);
    QSignalSpy finished(&session, &RunSession::runFinished);
    const Status started = session.start(spec);
    QVERIFY2(started.ok(), qPrintable(started.error()));
    QCOMPARE(session.total(), 2 * kCases);
    QCOMPARE(summaries.size(), 2); // the earlier cells' figures, both targets, at once
    QVERIFY(finished.wait(120'000));
    QCOMPARE(cellFinished.size(), 1);

    QList<TargetSummary> sonnetShown;
    QHash<QString, TargetSummary> last;
    for (const auto &args : std::as_const(summaries)) {
        const auto s = args.first().value<TargetSummary>();
        if (s.targetId == sonnet)
            sonnetShown.append(s);
        last.insert(s.targetId, s);
    }
    // sonnet: the start's live figures, then the run end's exact ones; nothing in between.
    QCOMPARE(sonnetShown.size(), 2);
    QCOMPARE(sonnetShown.at(0).cells, kCases);
    QCOMPARE(sonnetShown.at(1).cells, kCases);
    QVERIFY(sonnetShown.at(0).qualityLow != sonnetShown.at(1).qualityLow ||
            sonnetShown.at(0).qualityHigh != sonnetShown.at(1).qualityHigh);
    // The last figures shown for each target are the exact ones.
    for (const TargetSummary &exact : session.summaries()) {
        QVERIFY(last.contains(exact.targetId));
        const TargetSummary &shown = last.value(exact.targetId);
        QCOMPARE(shown.cells, kCases);
        QCOMPARE(shown.cells, exact.cells);
        QCOMPARE(shown.quality, exact.quality);
        QCOMPARE(shown.qualityLow, exact.qualityLow);
        QCOMPARE(shown.qualityHigh, exact.qualityHigh);
    }
}

QTEST_GUILESS_MAIN(TestSummaryPacer)
#include "tst_summarypacer.moc"
