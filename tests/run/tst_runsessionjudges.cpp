#include "run/RunSession.h"

// RunSession's judging: factuality on the simulator, runs without a judge, malformed verdicts,
// select-best, per-assertion judges and judge spend, against a local fake provider.

#include "FakeProvider.h"
#include "judge/HumanReview.h"
#include "RunSessionFixture.h"
#include "sim/SimAnswerer.h"

#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

using namespace Slopscope;
using Slopscope::Test::demoSuite;
using Slopscope::Test::FakeProvider;
using Slopscope::Test::FakeResponse;
using Slopscope::Test::RecordedRequest;

namespace {

// The first `count` cases of the facts demo, each with a factuality assertion after its own check
// (no value: the case's reference is what the answer is compared with).
Suite factsWithFactuality(qsizetype count)
{
    Suite suite = demoSuite("facts.json");
    suite.cases = suite.cases.mid(0, count);
    for (SuiteCase &c : suite.cases) {
        Assertion factuality;
        factuality.type = QStringLiteral("factuality");
        c.assertions.append(factuality);
    }
    return suite;
}

// An OpenAI-style stream of one answer with usage (1,000 tokens in, 500 out).
FakeResponse openAiAnswer(const QString &text)
{
    return FakeResponse::openAiChat(text, QPair<int, int>{1000, 500});
}

nlohmann::json bodyOf(const RecordedRequest &request)
{
    return nlohmann::json::parse(request.body.toStdString(), nullptr, false);
}

QString lastUserMessage(const RecordedRequest &request)
{
    const nlohmann::json body = bodyOf(request);
    QString out;
    for (const auto &m : body.value("messages", nlohmann::json::array())) {
        if (m.value("role", "") == "user")
            out = QString::fromStdString(m.value("content", ""));
    }
    return out;
}

bool isJudgeRequest(const RecordedRequest &request)
{
    return bodyOf(request).value("model", "") == "m-judge";
}

// A workspace on a local fake provider: candidate targets answering per model, and a judge target.
// $1 / $2 per million tokens, so each call costs $0.002 (1,000 in, 500 out).
Workspace fakeWorkspace(const FakeProvider &fake, const QStringList &candidates)
{
    Workspace ws;
    ProviderConfig p;
    p.id = QStringLiteral("fake");
    p.dialect = Dialect::OpenAIChat;
    p.baseUrl = fake.baseUrl() + QStringLiteral("/v1");
    p.maxRetries = 0;
    p.maxConcurrency = 8;
    ws.providers = {p};
    for (const QString &id : candidates + QStringList{QStringLiteral("judge")}) {
        TargetConfig t;
        t.id = id;
        t.providerId = p.id;
        t.model = QStringLiteral("m-") + id;
        t.price.inputPerMTok = 1.0;
        t.price.outputPerMTok = 2.0;
        ws.targets.append(t);
    }
    return ws;
}

Suite oneCaseSuite(const QByteArray &assertions)
{
    const QByteArray json = R"({"name": "s", "cases": [{"id": "c1", "prompt": "What is the capital of France?",
        "reference": "Paris", "assert": )" +
                            assertions + "}]}";
    auto suite = Suite::fromJson(json, QStringLiteral("judge-test"));
    if (!suite)
        qFatal("%s", qPrintable(suite.error()));
    return suite.value();
}

} // namespace

class TestRunSessionJudges final : public QObject
{
    Q_OBJECT

private slots:
    void judgeGradesFactualityWithTheSimulator();
    void withoutAJudgeModelGradedChecksAreNotGraded();
    void unknownJudgeTargetIsRefused();
    void malformedVerdictIsAJudgeError_data();
    void malformedVerdictIsAJudgeError();
    void selectBestCountsOnlyConsistentPicks_data();
    void selectBestCountsOnlyConsistentPicks();
    void anAssertionMayNameItsOwnJudge();
    void judgeSpendCountsTowardsTheSpendCap();
};

void TestRunSessionJudges::judgeGradesFactualityWithTheSimulator()
{
    RunSpec spec;
    spec.workspace = Workspace::demo();
    spec.suite = factsWithFactuality(8);
    // Personas of different accuracy, so some answers are right and some wrong; any target can judge.
    spec.targetIds = {QStringLiteral("local-llama"), QStringLiteral("sloptimized"), QStringLiteral("gpt-oss-cerebras")};
    spec.judgeTargetId = QStringLiteral("qwen3-coder");
    RunSession session;
    QSignalSpy finished(&session, &RunSession::runFinished);
    QSignalSpy started(&session, &RunSession::cellStarted);
    QSignalSpy content(&session, &RunSession::cellContent);
    QSignalSpy emitted(&session, &RunSession::cellFinished);
    QSignalSpy progress(&session, &RunSession::progress);
    QSignalSpy summaries(&session, &RunSession::summaryChanged);
    const Status ok = session.start(spec);
    QVERIFY2(ok.ok(), qPrintable(ok.error()));
    QCOMPARE(session.total(), 24);
    QVERIFY(finished.wait(120'000));

    // Judge jobs never show as cells: not started, not streamed, not counted.
    for (const auto &args : std::as_const(started))
        QVERIFY(!RunSession::isJudgeJob(args.at(0).toString()));
    for (const auto &args : std::as_const(content))
        QVERIFY(!RunSession::isJudgeJob(args.at(0).toString()));
    for (const auto &args : std::as_const(progress)) {
        QCOMPARE(args.at(1).toInt(), 24);
        QVERIFY(args.at(0).toInt() <= 24);
    }
    QCOMPARE(session.results().size(), 24);
    // Each cell is emitted once, with its final grade.
    QCOMPARE(emitted.size(), 24);
    QSet<QString> ids;
    for (const auto &args : std::as_const(emitted)) {
        const auto cell = args.first().value<CellResult>();
        QVERIFY(!ids.contains(cell.job.jobId));
        ids.insert(cell.job.jobId);
        QVERIFY(!cell.grade.pendingJudge || cell.job.state != JobState::Completed);
    }

    bool rightSeen = false;
    bool wrongSeen = false;
    int completed = 0;
    double cellSpend = 0;
    double judgeSpend = 0;
    QHash<QString, double> ownSpend;
    QHash<QString, double> judgingSpend;
    for (const CellResult &cell : session.results()) {
        cellSpend += cell.cost.usd.value_or(0.0);
        ownSpend[cell.job.targetId] += cell.cost.usd.value_or(0.0);
        if (cell.job.state != JobState::Completed)
            continue; // a simulated fault: no answer, nothing to judge
        ++completed;
        QCOMPARE(cell.grade.grades.size(), 2);
        const Grade &check = cell.grade.grades.at(0);
        const Grade &factuality = cell.grade.grades.at(1);
        QCOMPARE(factuality.type, QStringLiteral("factuality"));
        QVERIFY2(!factuality.needsJudge, qPrintable(factuality.reason));
        QCOMPARE(cell.judgeCalls.size(), 1);
        const JudgeCall &call = cell.judgeCalls.first();
        QVERIFY2(call.error.isEmpty(), qPrintable(call.error));
        QVERIFY(call.verdict.has_value());
        QVERIFY(RunSession::isJudgeJob(call.jobId));
        QCOMPARE(call.judgeTargetId, QStringLiteral("qwen3-coder"));
        QCOMPARE(call.assertionIndex, 1);
        QVERIFY(call.latencyMs.has_value() && *call.latencyMs > 0);
        // The verdict is the simulator's judge scoring this answer against the case's reference.
        const SimVerdict expected =
            SimAnswerer::judge(cell.job.result.text, spec.suite.findCase(cell.caseId)->reference, 0.6);
        QCOMPARE(factuality.pass, expected.pass);
        QVERIFY(std::abs(factuality.score - expected.score) < 1e-9);
        QVERIFY(factuality.reason.startsWith(QStringLiteral("judge: ")));
        // A correct answer (the deterministic check passes) passes; a wrong one fails.
        QCOMPARE(factuality.pass, check.pass);
        (check.pass ? rightSeen : wrongSeen) = true;
        QCOMPARE(cell.grade.pass, check.pass);
        QVERIFY(std::abs(cell.grade.score - (check.score + factuality.score) / 2.0) < 1e-12);
        QVERIFY(call.costUsd.has_value());
        judgeSpend += *call.costUsd;
        judgingSpend[cell.job.targetId] += *call.costUsd;
    }
    QVERIFY(rightSeen);
    QVERIFY(wrongSeen);
    QVERIFY(completed >= 20);
    QCOMPARE(session.judgeCallsMade(), completed);
    // Judge spend is counted once, apart from the targets', and is part of the run's spend.
    QVERIFY(judgeSpend > 0.0);
    QVERIFY(std::abs(session.judgeSpentUsd() - judgeSpend) < 1e-12);
    QVERIFY(std::abs(session.spentUsd() - (cellSpend + judgeSpend)) < 1e-12);
    QCOMPARE(session.judgeUnknownCost(), 0);
    const QList<TargetSummary> all = session.summaries();
    QCOMPARE(all.size(), 3); // the judge is no candidate here and has no summary
    for (const TargetSummary &s : all) {
        QVERIFY(std::abs(s.spentUsd - ownSpend.value(s.targetId)) < 1e-12);
        QVERIFY(std::abs(s.judgeSpentUsd - judgingSpend.value(s.targetId)) < 1e-12);
        QCOMPARE(s.ungraded, 0);
    }
    for (const auto &args : std::as_const(summaries))
        QVERIFY(args.first().value<TargetSummary>().targetId != u"qwen3-coder");
    // The judge's pass/fail per cell, ready to compare with people's.
    const QHash<QString, bool> verdicts = RunSession::judgeVerdicts(session.results());
    QCOMPARE(verdicts.size(), completed);
    QList<HumanRating> people;
    for (auto it = verdicts.cbegin(); it != verdicts.cend(); ++it)
        people.append(HumanRating::passFail(it.key(), it.value()).value());
    QCOMPARE(HumanReview::judgeAgreement(verdicts, people).percent, 1.0);
}

void TestRunSessionJudges::withoutAJudgeModelGradedChecksAreNotGraded()
{
    RunSpec spec;
    spec.workspace = Workspace::demo();
    spec.suite = factsWithFactuality(4);
    // The last case is judged only: without a judge it has no score at all.
    spec.suite.cases[3].assertions = {spec.suite.cases[3].assertions.last()};
    spec.targetIds = {QStringLiteral("qwen3-coder")};
    RunSession session;
    QSignalSpy finished(&session, &RunSession::runFinished);
    QVERIFY(session.start(spec).ok());
    QVERIFY(finished.wait(120'000));
    QCOMPARE(session.results().size(), 4);
    QList<double> scores;
    for (const CellResult &cell : session.results()) {
        QCOMPARE(cell.job.state, JobState::Completed);
        QVERIFY(cell.judgeCalls.isEmpty());
        const Grade &factuality = cell.grade.grades.last();
        QVERIFY(factuality.needsJudge);
        QCOMPARE(factuality.reason, QStringLiteral("not graded (no judge)"));
        QVERIFY(cell.grade.pendingJudge);
        QVERIFY(!cell.grade.pass); // never a pass, even when the graded check passed
        if (cell.caseId == spec.suite.cases[3].id) {
            QCOMPARE(cell.grade.grades.size(), 1);
        } else {
            QCOMPARE(cell.grade.score, cell.grade.grades.first().score); // left out of the score
            scores.append(cell.grade.score);
        }
    }
    QCOMPARE(session.judgeCallsMade(), 0);
    QCOMPARE(session.judgeSpentUsd(), 0.0);
    const TargetSummary s = session.summaries().first();
    QCOMPARE(s.cells, 4);
    QCOMPARE(s.ungraded, 4);
    QCOMPARE(s.cases, 3); // the judged-only case has no score to average
    QVERIFY(std::abs(s.quality.value() - Stats::weightedMean(scores)) < 1e-12);
}

void TestRunSessionJudges::unknownJudgeTargetIsRefused()
{
    RunSpec spec;
    spec.workspace = Workspace::demo();
    spec.suite = factsWithFactuality(1);
    spec.targetIds = {QStringLiteral("qwen3-coder")};
    spec.judgeTargetId = QStringLiteral("no-such-judge");
    RunSession session;
    const Status refused = session.start(spec);
    QVERIFY(!refused.ok());
    QVERIFY(refused.error().contains(QStringLiteral("no-such-judge")));
    QVERIFY(!session.isRunning());
}

void TestRunSessionJudges::malformedVerdictIsAJudgeError_data()
{
    QTest::addColumn<QString>("verdict"); // the judge's answer; "HTTP 500" for an error status
    QTest::addColumn<bool>("pass");
    QTest::addColumn<QString>("reasonPart");

    QTest::newRow("prose") << QStringLiteral("Looks right to me, I'd pass it.") << false
                           << QStringLiteral("judge error: no JSON verdict");
    QTest::newRow("score out of range") << QStringLiteral(R"({"score": 7, "pass": true, "reason": "good"})") << false
                                        << QStringLiteral("judge error: the verdict's score 7 is outside 0 to 1");
    QTest::newRow("pass as text") << QStringLiteral(R"({"score": 0.9, "pass": "yes"})") << false
                                  << QStringLiteral("judge error: the verdict's pass is not true or false");
    QTest::newRow("no score") << QStringLiteral(R"(```json
{"pass": true, "reason": "fine"}
```)") << false << QStringLiteral("judge error: the verdict has no score");
    QTest::newRow("HTTP 500") << QStringLiteral("HTTP 500") << false
                              << QStringLiteral("judge error: the judge request failed");
    // The control: a well-formed verdict in a fence with prose passes, so the rows above fail for
    // the reason they name.
    QTest::newRow("well-formed") << QStringLiteral("Verdict:\n```json\n{\"reason\": \"says Paris\", \"score\": 0.9, "
                                                   "\"pass\": true}\n```")
                                 << true << QStringLiteral("judge: says Paris");
}

void TestRunSessionJudges::malformedVerdictIsAJudgeError()
{
    QFETCH(QString, verdict);
    QFETCH(bool, pass);
    QFETCH(QString, reasonPart);
    FakeProvider fake;
    QVERIFY(fake.listen());
    fake.setScript([verdict](const RecordedRequest &request, int) {
        if (!isJudgeRequest(request))
            return openAiAnswer(QStringLiteral("The capital of France is Paris."));
        if (verdict == u"HTTP 500")
            return FakeResponse::error(500, R"({"error": {"message": "boom", "type": "server_error"}})");
        return openAiAnswer(verdict);
    });
    RunSpec spec;
    spec.workspace = fakeWorkspace(fake, {QStringLiteral("cand")});
    spec.targetIds = {QStringLiteral("cand")};
    spec.suite = oneCaseSuite(R"([{"type": "icontains", "value": "Paris"}, {"type": "factuality"}])");
    spec.judgeTargetId = QStringLiteral("judge");
    RunSession session;
    QSignalSpy finished(&session, &RunSession::runFinished);
    QSignalSpy started(&session, &RunSession::cellStarted);
    const Status ok = session.start(spec);
    QVERIFY2(ok.ok(), qPrintable(ok.error()));
    QVERIFY(finished.wait(60'000));
    QCOMPARE(session.results().size(), 1);
    QCOMPARE(started.size(), 1); // the judge job is not a cell
    const CellResult &cell = session.results().first();
    QCOMPARE(cell.job.state, JobState::Completed);
    const Grade &factuality = cell.grade.grades.at(1);
    QVERIFY(!factuality.needsJudge);
    QCOMPARE(factuality.pass, pass);
    QVERIFY2(factuality.reason.startsWith(reasonPart), qPrintable(factuality.reason));
    QCOMPARE(cell.grade.pass, pass); // the answer's own check passed; the judge's error fails the case
    QCOMPARE(cell.judgeCalls.size(), 1);
    QCOMPARE(cell.judgeCalls.first().error.isEmpty(), pass);
    QCOMPARE(cell.judgeCalls.first().verdict.has_value(), pass);
    // The judge saw the answer and the reference in their tags.
    QCOMPARE(fake.requestCount(), 2);
    const RecordedRequest judgeAsk =
        isJudgeRequest(fake.requests().at(0)) ? fake.requests().at(0) : fake.requests().at(1);
    const QString prompt = lastUserMessage(judgeAsk);
    QVERIFY(prompt.contains(QStringLiteral("<candidate>\nThe capital of France is Paris.\n</candidate>")));
    QVERIFY(prompt.contains(QStringLiteral("<reference>\nParis\n</reference>")));
    // Spend: the answer's $0.002 in the target's figures; the judge's apart (unknown for the 500).
    QVERIFY(std::abs(session.summaries().first().spentUsd - 0.002) < 1e-12);
    if (verdict == u"HTTP 500") {
        QCOMPARE(session.judgeSpentUsd(), 0.0);
    } else {
        QVERIFY(std::abs(session.judgeSpentUsd() - 0.002) < 1e-12);
        QVERIFY(std::abs(session.spentUsd() - 0.004) < 1e-12);
        QVERIFY(std::abs(session.summaries().first().judgeSpentUsd - 0.002) < 1e-12);
    }
}

void TestRunSessionJudges::selectBestCountsOnlyConsistentPicks_data()
{
    QTest::addColumn<bool>("positionBiased"); // the judge always says "A"
    QTest::newRow("fair judge") << false;
    QTest::newRow("position-biased judge") << true;
}

void TestRunSessionJudges::selectBestCountsOnlyConsistentPicks()
{
    QFETCH(bool, positionBiased);
    FakeProvider fake;
    QVERIFY(fake.listen());
    fake.setScript([positionBiased](const RecordedRequest &request, int) {
        const std::string model = bodyOf(request).value("model", "");
        if (model == "m-right")
            return openAiAnswer(QStringLiteral("Paris."));
        if (model == "m-wrong")
            return openAiAnswer(QStringLiteral("Lyon."));
        if (positionBiased)
            return openAiAnswer(QStringLiteral(R"({"best": "A", "reason": "first is best"})"));
        // A fair judge finds the label of the answer that says Paris.
        static const QRegularExpression paris(QStringLiteral("<answer label=\"([A-Z])\">\\s*Paris"));
        const auto m = paris.match(lastUserMessage(request));
        return openAiAnswer(QStringLiteral(R"({"best": "%1", "reason": "names Paris"})").arg(m.captured(1)));
    });
    RunSpec spec;
    spec.workspace = fakeWorkspace(fake, {QStringLiteral("right"), QStringLiteral("wrong")});
    spec.targetIds = {QStringLiteral("right"), QStringLiteral("wrong")};
    spec.suite = oneCaseSuite(R"([{"type": "select-best", "value": "the correct capital"}])");
    spec.judgeTargetId = QStringLiteral("judge");
    RunSession session;
    QSignalSpy finished(&session, &RunSession::runFinished);
    QSignalSpy emitted(&session, &RunSession::cellFinished);
    QVERIFY(session.start(spec).ok());
    QVERIFY(finished.wait(60'000));
    QCOMPARE(emitted.size(), 2);
    QCOMPARE(session.total(), 2);
    QCOMPARE(session.judgeCallsMade(), 2); // one judgement, asked twice

    // select-best waited for both answers: each ask shows both, in swapped positions.
    QList<QString> asks;
    for (const RecordedRequest &r : fake.requests()) {
        if (isJudgeRequest(r))
            asks.append(lastUserMessage(r));
    }
    QCOMPARE(asks.size(), 2);
    for (const QString &ask : std::as_const(asks)) {
        QVERIFY(ask.contains(QStringLiteral("Paris.")) && ask.contains(QStringLiteral("Lyon.")));
        QVERIFY(ask.contains(QStringLiteral("<criteria>\nthe correct capital\n</criteria>")));
    }
    QVERIFY((asks.at(0).indexOf(QStringLiteral("Paris.")) < asks.at(0).indexOf(QStringLiteral("Lyon."))) !=
            (asks.at(1).indexOf(QStringLiteral("Paris.")) < asks.at(1).indexOf(QStringLiteral("Lyon."))));

    for (const CellResult &cell : session.results()) {
        QCOMPARE(cell.grade.grades.size(), 1);
        const Grade &best = cell.grade.grades.first();
        QVERIFY(!best.needsJudge);
        QCOMPARE(cell.judgeCalls.size(), 2);
        QVERIFY(cell.judgeCalls.at(0).swapped != cell.judgeCalls.at(1).swapped);
        for (const JudgeCall &call : cell.judgeCalls) {
            QCOMPARE(call.answersJudged, 2);
            QVERIFY(call.error.isEmpty());
            QVERIFY(call.pick.has_value());
        }
        if (positionBiased) {
            // "A" both times means a different answer each time: a tie, recorded, not a win.
            QVERIFY2(best.reason.startsWith(QStringLiteral("tie/inconsistent")), qPrintable(best.reason));
            QCOMPARE(best.score, 0.5);
            QVERIFY(!best.pass);
            QVERIFY(cell.judgeCalls.at(0).pickedJobId != cell.judgeCalls.at(1).pickedJobId);
        } else {
            const bool right = cell.job.targetId == u"right";
            QCOMPARE(best.pass, right);
            QCOMPARE(best.score, right ? 1.0 : 0.0);
            QCOMPARE(cell.judgeCalls.at(0).pickedJobId, cell.judgeCalls.at(1).pickedJobId);
        }
    }
    // Two judge calls at $0.002, each shared by the two answers: $0.002 of judging per target.
    QVERIFY(std::abs(session.judgeSpentUsd() - 0.004) < 1e-12);
    for (const TargetSummary &s : session.summaries()) {
        QVERIFY(std::abs(s.judgeSpentUsd - 0.002) < 1e-12);
        QVERIFY(std::abs(s.spentUsd - 0.002) < 1e-12);
    }
}

void TestRunSessionJudges::anAssertionMayNameItsOwnJudge()
{
    FakeProvider fake;
    QVERIFY(fake.listen());
    fake.setScript([](const RecordedRequest &request, int) {
        const std::string model = bodyOf(request).value("model", "");
        if (model == "m-judge")
            return openAiAnswer(QStringLiteral(R"({"score": 1, "pass": true, "reason": "lenient"})"));
        if (model == "m-strict")
            return openAiAnswer(QStringLiteral(R"({"score": 0.1, "pass": false, "reason": "strict"})"));
        return openAiAnswer(QStringLiteral("Paris"));
    });
    RunSpec spec;
    spec.workspace = fakeWorkspace(fake, {QStringLiteral("cand"), QStringLiteral("strict")});
    spec.targetIds = {QStringLiteral("cand")};
    spec.suite = oneCaseSuite(R"([{"type": "llm-rubric", "value": "names the city", "provider": "strict"},
        {"type": "llm-rubric", "value": "names the city", "provider": "openai:gpt-4o"},
        {"type": "not-llm-rubric", "value": "is rude"}])");
    spec.judgeTargetId = QStringLiteral("judge");
    RunSession session;
    QSignalSpy finished(&session, &RunSession::runFinished);
    QVERIFY(session.start(spec).ok());
    QVERIFY(finished.wait(60'000));
    const CellResult &cell = session.results().first();
    QCOMPARE(cell.judgeCalls.size(), 3);
    QHash<int, QString> judgeOf;
    for (const JudgeCall &call : cell.judgeCalls)
        judgeOf.insert(call.assertionIndex, call.judgeTargetId);
    QCOMPARE(judgeOf.value(0), QStringLiteral("strict")); // a workspace target: it judges
    QCOMPARE(judgeOf.value(1), QStringLiteral("judge"));  // not a target: the run's judge
    QCOMPARE(judgeOf.value(2), QStringLiteral("judge"));
    QVERIFY(!cell.grade.grades.at(0).pass);
    QVERIFY(cell.grade.grades.at(1).pass);
    // not-llm-rubric: the judge said the rubric (rudeness) is fully met, so the negation fails.
    QVERIFY(!cell.grade.grades.at(2).pass);
    QCOMPARE(cell.grade.grades.at(2).score, 0.0);
    QVERIFY(std::abs(cell.grade.score - (0.1 + 1.0 + 0.0) / 3.0) < 1e-12);
    // The rubric reached the judge in its tag.
    bool rubricSeen = false;
    for (const RecordedRequest &r : fake.requests())
        rubricSeen = rubricSeen || lastUserMessage(r).contains(QStringLiteral("<rubric>\nis rude\n</rubric>"));
    QVERIFY(rubricSeen);
}

void TestRunSessionJudges::judgeSpendCountsTowardsTheSpendCap()
{
    FakeProvider fake;
    QVERIFY(fake.listen());
    fake.setScript([](const RecordedRequest &request, int) {
        if (isJudgeRequest(request))
            return openAiAnswer(QStringLiteral(R"({"score": 1, "pass": true})"));
        return openAiAnswer(QStringLiteral("Paris"));
    });
    RunSpec spec;
    spec.workspace = fakeWorkspace(fake, {QStringLiteral("cand")});
    spec.targetIds = {QStringLiteral("cand")};
    spec.repeats = 3;
    spec.suite = oneCaseSuite(R"([{"type": "factuality"}])");
    spec.judgeTargetId = QStringLiteral("judge");
    spec.globalConcurrency = 1; // one request at a time: the three answers, then the judge calls
    // The answers cost $0.006 in all, under the cap; the first judge call ($0.002) crosses it.
    spec.maxCostUsd = 0.007;
    RunSession session;
    QSignalSpy finished(&session, &RunSession::runFinished);
    QSignalSpy emitted(&session, &RunSession::cellFinished);
    QVERIFY(session.start(spec).ok());
    QVERIFY(finished.wait(60'000));
    QVERIFY2(session.stopReason().contains(QStringLiteral("spend cap")), qPrintable(session.stopReason()));
    QCOMPARE(emitted.size(), 3); // every cell is still emitted once
    QCOMPARE(session.results().size(), 3);
    int judged = 0;
    int stopped = 0;
    for (const CellResult &cell : session.results()) {
        QCOMPARE(cell.job.state, JobState::Completed);
        const Grade &g = cell.grade.grades.first();
        if (!g.needsJudge) {
            ++judged;
            QVERIFY(g.pass);
        } else {
            ++stopped;
            QVERIFY2(g.reason.startsWith(QStringLiteral("not graded")), qPrintable(g.reason));
            QVERIFY(!cell.grade.pass);
        }
    }
    QCOMPARE(judged, 1);
    QCOMPARE(stopped, 2);
    QVERIFY(std::abs(session.judgeSpentUsd() - 0.002) < 1e-12);
    QVERIFY(std::abs(session.spentUsd() - 0.008) < 1e-12);
}

QTEST_GUILESS_MAIN(TestRunSessionJudges)
#include "tst_runsessionjudges.moc"
