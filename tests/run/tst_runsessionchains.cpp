#include "run/RunSession.h"

// Chain cells against the embedded simulator: user-only follow-up turns sent live, one cell per
// chain with its turns and summed figures, and cancel during and between a chain's requests.

#include <QSignalSpy>
#include <QTest>

using namespace Slopscope;

namespace {

Suite chainSuite()
{
    auto suite = Suite::fromJson(R"({"name": "chains", "cases": [
        {"id": "capital", "prompt": "What is the capital of {{country}}?", "vars": {"country": "France"},
         "assert": [{"type": "not-contains", "value": "\u0000never"}],
         "turns": [{"user": "And its population, roughly?", "assert": [{"type": "word-count", "value": {"min": 1}}]},
                   {"user": "Name one river in {{country}}."}]},
        {"id": "single", "prompt": "Say hello."}]})",
                                 QStringLiteral("chains.json"));
    if (!suite)
        qFatal("%s", qPrintable(suite.error()));
    return suite.value();
}

RunSpec chainSpec(const QStringList &targets)
{
    RunSpec spec;
    spec.workspace = Workspace::demo();
    spec.suite = chainSuite();
    spec.targetIds = targets;
    return spec;
}

const CellResult *cellOf(const RunSession &s, const QString &caseId, const QString &target)
{
    for (const CellResult &c : s.results()) {
        if (c.caseId == caseId && c.job.targetId == target)
            return &c;
    }
    return nullptr;
}

} // namespace

class TestRunSessionChains final : public QObject
{
    Q_OBJECT

private slots:
    void chainRunsEveryTurnLive();
    void cancelDuringAChainKeepsItsTurns();
    void cancelBetweenRequestsSendsNoMore();
};

void TestRunSessionChains::chainRunsEveryTurnLive()
{
    const QStringList targets{QStringLiteral("gpt-oss-cerebras"), QStringLiteral("local-llama")};
    RunSession session;
    QSignalSpy finished(&session, &RunSession::runFinished);
    QSignalSpy cells(&session, &RunSession::cellFinished);
    QSignalSpy content(&session, &RunSession::cellContent);
    const Status started = session.start(chainSpec(targets));
    QVERIFY2(started.ok(), qPrintable(started.error()));
    QCOMPARE(session.total(), 4); // a chain is one cell, however many requests it sends
    QVERIFY(finished.wait(120'000));
    QCOMPARE(finished.first().first().toBool(), false);
    QCOMPARE(cells.size(), 4);
    QCOMPARE(session.results().size(), 4);
    for (const auto &args : std::as_const(content))
        QVERIFY2(!args.first().toString().contains(u'#'), "content is reported under the cell's id");

    for (const QString &target : targets) {
        const CellResult *chain = cellOf(session, QStringLiteral("capital"), target);
        QVERIFY(chain);
        QVERIFY2(chain->job.state == JobState::Completed, qPrintable(chain->job.error));
        QCOMPARE(chain->job.jobId, composeJobId(QStringLiteral("capital"), {}, 0, target));
        QCOMPARE(chain->turns.size(), 3);
        QCOMPARE(chain->turns.at(0).user, QStringLiteral("What is the capital of France?"));
        QCOMPARE(chain->turns.at(1).user, QStringLiteral("And its population, roughly?"));
        QCOMPARE(chain->turns.at(2).user, QStringLiteral("Name one river in France."));
        qint64 e2e = 0;
        qint64 output = 0;
        double usd = 0;
        for (const ChainTurnResult &t : chain->turns) {
            QCOMPARE(t.requests, 1);
            QVERIFY(!t.answer.isEmpty());
            QVERIFY(t.ttftNs.has_value());
            QVERIFY(t.grade.pass);
            e2e += t.e2eNs.value();
            output += t.outputTokens.value();
            usd += t.costUsd.value();
        }
        QCOMPARE(chain->job.result.text, chain->turns.last().answer);
        QCOMPARE(chain->metrics.ttftNs, chain->turns.first().ttftNs);
        QCOMPARE(chain->metrics.e2eNs, e2e);
        QCOMPARE(chain->job.result.usage->outputTokens, output);
        QVERIFY(qAbs(chain->cost.usd.value() - usd) < 1e-12);
        QVERIFY(chain->grade.pass);
        QCOMPARE(chain->grade.score, 1.0);

        const CellResult *single = cellOf(session, QStringLiteral("single"), target);
        QVERIFY(single);
        QVERIFY(single->turns.isEmpty()); // one question: no chain record
    }
}

void TestRunSessionChains::cancelDuringAChainKeepsItsTurns()
{
    RunSpec spec = chainSpec({QStringLiteral("local-llama")});
    spec.caseIds = {QStringLiteral("capital")};
    RunSession session;
    QSignalSpy finished(&session, &RunSession::runFinished);
    int starts = 0;
    connect(&session, &RunSession::cellStarted, this, [&] {
        if (++starts == 2) // the second turn's request is on its way
            session.cancel();
    });
    QVERIFY(session.start(spec).ok());
    QVERIFY(finished.wait(120'000));
    QCOMPARE(finished.first().first().toBool(), true);
    QCOMPARE(session.results().size(), 1);
    const CellResult &cell = session.results().first();
    QCOMPARE(cell.job.state, JobState::Cancelled);
    QCOMPARE(cell.turns.size(), 2);
    QVERIFY(!cell.turns.first().answer.isEmpty()); // the first turn is kept
    QVERIFY(!cell.grade.pass);
    QCOMPARE(cell.grade.score, 0.0);
}

void TestRunSessionChains::cancelBetweenRequestsSendsNoMore()
{
    RunSpec spec = chainSpec({QStringLiteral("local-llama")});
    spec.caseIds = {QStringLiteral("capital")};
    RunSession session;
    QSignalSpy finished(&session, &RunSession::runFinished);
    QSignalSpy started(&session, &RunSession::cellStarted);
    QSignalSpy progress(&session, &RunSession::progress);
    // Held after the first request: the second waits in the queue, unsent, when cancel comes.
    connect(&session, &RunSession::cellStarted, this, [&] { session.holdDispatch(QStringLiteral("test")); });
    QVERIFY(session.start(spec).ok());
    // progress: once at the start, then once the first answer is in and the next request queued.
    QTRY_VERIFY_WITH_TIMEOUT(progress.size() >= 2, 60'000);
    QTest::qWait(50);
    QCOMPARE(started.size(), 1);
    session.cancel(); // may end the run at once: nothing is in flight
    QVERIFY(!finished.isEmpty() || finished.wait(60'000));
    QCOMPARE(started.size(), 1); // nothing more was sent
    QCOMPARE(session.results().size(), 1);
    const CellResult &cell = session.results().first();
    QCOMPARE(cell.job.state, JobState::Cancelled);
    QVERIFY(!cell.turns.isEmpty());
    QVERIFY(!cell.turns.first().answer.isEmpty());
    QVERIFY(!cell.grade.pass);
}

QTEST_GUILESS_MAIN(TestRunSessionChains)
#include "tst_runsessionchains.moc"
