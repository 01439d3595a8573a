#include "run/RunSession.h"

// Chain cells against the embedded simulator: user-only follow-up turns sent live, one cell per
// chain with its turns and summed figures, cancel during and between a chain's requests, and the
// run's judge grading a follow-up turn's llm-rubric.

#include "RunSessionFixture.h"

#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

using namespace Slopscope;
using Slopscope::Test::demoSuite;

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

// The demo chain whose follow-up turn has an llm-rubric (after a regex check) asking for "26".
constexpr auto kRubricCase = QLatin1StringView("chain-followup-rubric-iron");

RunSpec rubricSpec(const QStringList &targets, const QString &judge)
{
    RunSpec spec;
    spec.workspace = Workspace::demo();
    spec.suite = demoSuite("chains.json");
    spec.caseIds = {QString(kRubricCase)};
    spec.targetIds = targets;
    spec.judgeTargetId = judge;
    return spec;
}

// The follow-up turn's rubric grade (its second check).
const Grade &rubricOf(const CellResult &cell)
{
    return cell.turns.at(1).grade.grades.at(1);
}

} // namespace

class TestRunSessionChains final : public QObject
{
    Q_OBJECT

private slots:
    void chainRunsEveryTurnLive();
    void cancelDuringAChainKeepsItsTurns();
    void cancelBetweenRequestsSendsNoMore();
    void judgeGradesARubricOnAFollowUpTurn();
    void aFailingVerdictOnAFollowUpTurnFailsTheCell();
    void withoutAJudgeTheTurnIsNotGraded();
    void cancelWhileTheJudgeIsAskedLeavesTheTurnNotGraded();
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

void TestRunSessionChains::judgeGradesARubricOnAFollowUpTurn()
{
    const QStringList targets{QStringLiteral("opus"), QStringLiteral("sonnet"), QStringLiteral("gpt-oss-cerebras"),
                              QStringLiteral("local-llama")};
    RunSession session;
    QSignalSpy finished(&session, &RunSession::runFinished);
    QSignalSpy emitted(&session, &RunSession::cellFinished);
    const Status started = session.start(rubricSpec(targets, QStringLiteral("qwen3-coder")));
    QVERIFY2(started.ok(), qPrintable(started.error()));
    QVERIFY(finished.wait(120'000));
    QCOMPARE(emitted.size(), targets.size()); // each cell once, after its verdict
    int judged = 0;
    int passed = 0;
    static const QRegularExpression twentySix(QStringLiteral("\\b26\\b"));
    for (const CellResult &cell : session.results()) {
        if (cell.job.state != JobState::Completed)
            continue; // a simulated fault: nothing to judge
        ++judged;
        QCOMPARE(cell.turns.size(), 2);
        const Grade &rubric = rubricOf(cell);
        QCOMPARE(rubric.type, QStringLiteral("llm-rubric"));
        QVERIFY2(!rubric.needsJudge, qPrintable(rubric.reason));
        QVERIFY2(rubric.reason.startsWith(QStringLiteral("judge: ")), qPrintable(rubric.reason));
        // The simulated judge wants the rubric's quoted "26" in the turn's own answer.
        const bool hasIt = twentySix.match(cell.turns.at(1).answer).hasMatch();
        QCOMPARE(rubric.pass, hasIt);
        QCOMPARE(rubric.score, hasIt ? 1.0 : 0.0);
        passed += rubric.pass ? 1 : 0;
        // The call is kept with the cell, under the grade's place among all the turns' grades.
        QCOMPARE(cell.judgeCalls.size(), 1);
        const JudgeCall &call = cell.judgeCalls.first();
        QVERIFY2(call.error.isEmpty(), qPrintable(call.error));
        QVERIFY(call.verdict.has_value());
        QCOMPARE(call.verdict->pass, rubric.pass);
        QCOMPARE(call.assertionType, QStringLiteral("llm-rubric"));
        QCOMPARE(call.assertionIndex, cell.turns.at(0).grade.grades.size() + 1);
        QCOMPARE(cell.grade.grades.at(call.assertionIndex).reason, rubric.reason);
        // The turn, then the cell: every turn must pass; the score is the turns' mean.
        const CaseGrade &first = cell.turns.at(0).grade;
        const CaseGrade &second = cell.turns.at(1).grade;
        QVERIFY(!second.pendingJudge);
        QCOMPARE(second.pass, rubric.pass && second.grades.at(0).pass);
        QCOMPARE(cell.grade.pass, first.pass && second.pass);
        QVERIFY(qAbs(cell.grade.score - (first.score + second.score) / 2.0) < 1e-12);
        QVERIFY(!cell.grade.pendingJudge);
    }
    QVERIFY(judged >= 3);
    QVERIFY(passed >= 1);
    QCOMPARE(session.judgeCallsMade(), judged);
    QVERIFY(session.judgeSpentUsd() > 0);
}

void TestRunSessionChains::aFailingVerdictOnAFollowUpTurnFailsTheCell()
{
    RunSpec spec = rubricSpec({QStringLiteral("opus")}, QStringLiteral("qwen3-coder"));
    // A rubric no answer meets: the verdict alone fails the turn.
    SuiteCase *c = nullptr;
    for (SuiteCase &each : spec.suite.cases) {
        if (each.id == kRubricCase)
            c = &each;
    }
    QVERIFY(c);
    c->turns[0].assertions[1].value = "The answer names \"osmium\" as the element.";
    RunSession session;
    QSignalSpy finished(&session, &RunSession::runFinished);
    QVERIFY(session.start(spec).ok());
    QVERIFY(finished.wait(120'000));
    QCOMPARE(session.results().size(), 1);
    const CellResult &cell = session.results().first();
    QCOMPARE(cell.job.state, JobState::Completed);
    const Grade &rubric = rubricOf(cell);
    QVERIFY(!rubric.needsJudge);
    QVERIFY(!rubric.pass);
    QCOMPARE(rubric.score, 0.0);
    QVERIFY2(rubric.reason.contains(QStringLiteral("osmium")), qPrintable(rubric.reason));
    // The turn's own check passed (the answer is right): it is the judge that fails it, and the cell.
    QVERIFY2(cell.turns.at(1).grade.grades.at(0).pass, qPrintable(cell.turns.at(1).answer));
    QVERIFY(cell.turns.at(0).grade.pass);
    QVERIFY(!cell.turns.at(1).grade.pass);
    QVERIFY(!cell.grade.pass);
    QCOMPARE(cell.grade.score, (1.0 + cell.turns.at(1).grade.score) / 2.0);
    QVERIFY(cell.grade.score < 1.0);
}

void TestRunSessionChains::withoutAJudgeTheTurnIsNotGraded()
{
    RunSession session;
    QSignalSpy finished(&session, &RunSession::runFinished);
    QVERIFY(session.start(rubricSpec({QStringLiteral("opus")}, {})).ok());
    QVERIFY(finished.wait(120'000));
    QCOMPARE(session.results().size(), 1);
    const CellResult &cell = session.results().first();
    QCOMPARE(cell.job.state, JobState::Completed);
    const Grade &rubric = rubricOf(cell);
    QVERIFY(rubric.needsJudge);
    QCOMPARE(rubric.reason, QStringLiteral("not graded (no judge)"));
    QVERIFY(cell.turns.at(1).grade.pendingJudge);
    QVERIFY(!cell.turns.at(1).grade.pass);
    QVERIFY(!cell.grade.pass);
    QVERIFY(cell.judgeCalls.isEmpty());
    QCOMPARE(session.judgeCallsMade(), 0);
}

void TestRunSessionChains::cancelWhileTheJudgeIsAskedLeavesTheTurnNotGraded()
{
    RunSession session;
    QSignalSpy finished(&session, &RunSession::runFinished);
    QSignalSpy emitted(&session, &RunSession::cellFinished);
    int starts = 0;
    // Held once the last turn's request is out: that answer comes in, its judge ask waits unsent.
    connect(&session, &RunSession::cellStarted, this, [&] {
        if (++starts == 2)
            session.holdDispatch(QStringLiteral("test"));
    });
    QVERIFY(session.start(rubricSpec({QStringLiteral("opus")}, QStringLiteral("qwen3-coder"))).ok());
    QTRY_COMPARE_WITH_TIMEOUT(session.judgeCallsMade(), 1, 60'000);
    QTest::qWait(50);
    QVERIFY(emitted.isEmpty()); // the cell waits for its turn's verdict
    session.cancel();
    QVERIFY(!finished.isEmpty() || finished.wait(60'000));
    QCOMPARE(finished.first().first().toBool(), true);
    QCOMPARE(emitted.size(), 1);
    QCOMPARE(session.results().size(), 1);
    const CellResult &cell = session.results().first();
    QCOMPARE(cell.job.state, JobState::Completed); // the chain itself had finished
    QCOMPARE(cell.turns.size(), 2);
    const Grade &rubric = rubricOf(cell);
    QVERIFY(rubric.needsJudge);
    QCOMPARE(rubric.reason, QStringLiteral("not graded (the judge call was cancelled)"));
    QVERIFY(!cell.turns.at(1).grade.pass);
    QVERIFY(!cell.grade.pass);
    QCOMPARE(cell.judgeCalls.size(), 1);
    QVERIFY(!cell.judgeCalls.first().error.isEmpty());
}

QTEST_GUILESS_MAIN(TestRunSessionChains)
#include "tst_runsessionchains.moc"
