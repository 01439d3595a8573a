#include "run/ChainTranscript.h"
#include "run/RunSession.h"

// Chain turns graded like any answer: the judge shown the conversation before the turn (the
// simulator's judge says what it read), select-best comparing one turn across the targets whose
// chains reached it (the simulator's judge; a scripted server for a chain that ended earlier),
// and the conversation a turn's judge is given.

#include "FakeProvider.h"
#include "RunSessionFixture.h"

#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

#include <nlohmann/json.hpp>

using namespace Slopscope;
using Slopscope::Test::demoSuite;
using Slopscope::Test::FakeProvider;
using Slopscope::Test::FakeResponse;
using Slopscope::Test::RecordedRequest;

namespace {

// The demo chain whose follow-up turn has a regex check and an llm-rubric asking for "26".
constexpr auto kIronCase = QLatin1StringView("chain-followup-rubric-iron");

RunSpec ironSpec(const QStringList &targets, bool selectBest)
{
    RunSpec spec;
    spec.workspace = Workspace::demo();
    spec.suite = demoSuite("chains.json");
    spec.caseIds = {QString(kIronCase)};
    spec.targetIds = targets;
    spec.judgeTargetId = QStringLiteral("qwen3-coder");
    if (selectBest) {
        for (SuiteCase &c : spec.suite.cases) {
            if (c.id == kIronCase)
                c.turns[0].assertions.append(
                    Assertion{QStringLiteral("select-best"), "The right atomic number.", std::nullopt, 1.0, {}, {}});
        }
    }
    return spec;
}

FakeResponse openAiAnswer(const QString &text)
{
    return FakeResponse::openAiChat(text);
}

QString modelOf(const RecordedRequest &request)
{
    const auto body = nlohmann::json::parse(request.body.toStdString(), nullptr, false);
    return QString::fromStdString(body.value("model", ""));
}

// Every message's text of a request, joined: the judge's prompt.
QString promptOf(const RecordedRequest &request)
{
    const auto body = nlohmann::json::parse(request.body.toStdString(), nullptr, false);
    QString out;
    for (const auto &m : body.value("messages", nlohmann::json::array())) {
        if (m.contains("content") && m.at("content").is_string())
            out += QString::fromStdString(m.at("content").get<std::string>()) + u'\n';
    }
    return out;
}

} // namespace

class TestRunSessionChainGrading final : public QObject
{
    Q_OBJECT

private slots:
    void theJudgeSeesTheConversationBeforeTheTurn();
    void selectBestComparesATurnAcrossTargets();
    void aChainThatEndedEarlierIsLeftOutOfTheTurnsComparison_data();
    void aChainThatEndedEarlierIsLeftOutOfTheTurnsComparison();
    void theConversationSummarisesToolRounds();
};

void TestRunSessionChainGrading::theJudgeSeesTheConversationBeforeTheTurn()
{
    const QStringList targets{QStringLiteral("opus"), QStringLiteral("local-llama")};
    RunSession session;
    QSignalSpy finished(&session, &RunSession::runFinished);
    QVERIFY(session.start(ironSpec(targets, false)).ok());
    QVERIFY(finished.wait(120'000));
    int judged = 0;
    for (const CellResult &cell : session.results()) {
        if (cell.job.state != JobState::Completed)
            continue; // a simulated fault: nothing to judge
        ++judged;
        const Grade &rubric = cell.turns.at(1).grade.grades.at(1);
        QVERIFY2(!rubric.needsJudge, qPrintable(rubric.reason));
        // The simulated judge names what it read: the first turn's question and its answer, then
        // the follow-up, which alone means nothing ("that element").
        QVERIFY2(rubric.reason.contains(QStringLiteral(
                     "Read in context: 3 message(s), the first \"Which chemical element has the symbol Fe?")),
                 qPrintable(rubric.reason));
        QVERIFY(!rubric.reason.contains(QStringLiteral("left out")));
        QCOMPARE(cell.judgeCalls.size(), 1);
        QVERIFY(cell.judgeCalls.first().answer.contains(QStringLiteral("Read in context")));
    }
    QVERIFY(judged >= 1);
}

void TestRunSessionChainGrading::selectBestComparesATurnAcrossTargets()
{
    const QStringList targets{QStringLiteral("opus"), QStringLiteral("sonnet"), QStringLiteral("gpt-oss-cerebras"),
                              QStringLiteral("local-llama")};
    RunSession session;
    QSignalSpy finished(&session, &RunSession::runFinished);
    QSignalSpy emitted(&session, &RunSession::cellFinished);
    const Status started = session.start(ironSpec(targets, true));
    QVERIFY2(started.ok(), qPrintable(started.error()));
    QVERIFY(finished.wait(120'000));
    QCOMPARE(emitted.size(), targets.size()); // each cell once, with its final grade
    QStringList compared;
    int winners = 0;
    int consistent = 0;
    for (const CellResult &cell : session.results()) {
        if (cell.job.state != JobState::Completed || cell.turns.size() < 2)
            continue;
        compared.append(cell.job.targetId);
        const CaseGrade &second = cell.turns.at(1).grade;
        QCOMPARE(second.grades.size(), 3);
        const Grade &best = second.grades.at(2);
        QCOMPARE(best.type, QStringLiteral("select-best"));
        if (best.needsJudge) { // fewer than two chains reached the turn: said so, never a pass
            QVERIFY2(best.reason.contains(QStringLiteral("select-best needs at least two answers")),
                     qPrintable(best.reason));
            continue;
        }
        const bool inconsistent = best.reason.startsWith(QStringLiteral("tie/inconsistent"));
        if (!inconsistent)
            QVERIFY2(best.reason.startsWith(QStringLiteral("chosen as the best of")) ||
                         best.reason.startsWith(QStringLiteral("not chosen")),
                     qPrintable(best.reason));

        consistent += inconsistent ? 0 : 1;
        winners += best.pass && !inconsistent ? 1 : 0;
        // Two asks, positions swapped, each recorded with the cell under the grade's place among
        // all its turns' grades; plus the rubric's call.
        int bestCalls = 0;
        for (const JudgeCall &call : cell.judgeCalls) {
            if (call.assertionType != u"select-best")
                continue;
            ++bestCalls;
            QCOMPARE(call.assertionIndex, cell.turns.at(0).grade.grades.size() + 2);
            QCOMPARE(cell.grade.grades.at(call.assertionIndex).type, QStringLiteral("select-best"));
            QVERIFY(call.answersJudged >= 2);
            // The simulated judge read the users' side: the first question and the follow-up.
            QVERIFY2(call.answer.contains(QStringLiteral("Read in context: 2 message(s)")), qPrintable(call.answer));
        }
        QCOMPARE(bestCalls, 2);
        QCOMPARE(cell.judgeCalls.size(), 3);
        // The turn's grade feeds the chain's score as any check does.
        QVERIFY(!second.pendingJudge);
        QVERIFY(!cell.grade.pendingJudge);
        QVERIFY(qAbs(cell.grade.score - (cell.turns.at(0).grade.score + second.score) / 2.0) < 1e-12);
        QCOMPARE(cell.grade.pass, cell.turns.at(0).grade.pass && second.pass);
        if (!best.pass)
            QVERIFY(!cell.grade.pass);
    }
    QVERIFY2(compared.size() >= 3, qPrintable(compared.join(u',')));
    // A consistent judgement has exactly one winner among the compared chains.
    if (consistent > 0)
        QCOMPARE(winners, 1);
    // Each judgement: two calls to the judge, and one rubric call per compared chain.
    QCOMPARE(session.judgeCallsMade(), 2 + static_cast<int>(compared.size()));
}

void TestRunSessionChainGrading::aChainThatEndedEarlierIsLeftOutOfTheTurnsComparison_data()
{
    QTest::addColumn<QStringList>("targets");
    QTest::addColumn<bool>("compared");
    QTest::newRow("two chains reach the turn")
        << QStringList{QStringLiteral("plain"), QStringLiteral("best"), QStringLiteral("short")} << true;
    QTest::newRow("one chain reaches the turn")
        << QStringList{QStringLiteral("best"), QStringLiteral("short")} << false;
}

void TestRunSessionChainGrading::aChainThatEndedEarlierIsLeftOutOfTheTurnsComparison()
{
    QFETCH(QStringList, targets);
    QFETCH(bool, compared);
    FakeProvider fake;
    QVERIFY(fake.listen());
    fake.setScript([](const RecordedRequest &request, int) {
        const QString model = modelOf(request);
        const QString prompt = promptOf(request);
        if (model == u"m-judge") {
            // Picks the answer that says "best", wherever it is shown: a consistent judge.
            static const QRegularExpression block(QStringLiteral("<answer label=\"([A-Z])\">\\n([^<]*)\\n</answer>"));
            QString label = QStringLiteral("A");
            for (auto it = block.globalMatch(prompt); it.hasNext();) {
                const auto m = it.next();
                if (m.captured(2).contains(QStringLiteral("best")))
                    label = m.captured(1);
            }
            return openAiAnswer(QStringLiteral(R"({"best": "%1", "reason": "it says best"})").arg(label));
        }
        const bool followUp = prompt.contains(QStringLiteral("Second question"));
        if (model == u"m-short" && followUp)
            return FakeResponse::error(500, R"({"error": {"message": "boom"}})");
        if (!followUp)
            return openAiAnswer(QStringLiteral("First answer from ") + model);
        return openAiAnswer(model == u"m-best" ? QStringLiteral("The best second answer")
                                               : QStringLiteral("A plain second answer"));
    });
    RunSpec spec;
    ProviderConfig p;
    p.id = QStringLiteral("fake");
    p.dialect = Dialect::OpenAIChat;
    p.baseUrl = fake.baseUrl() + QStringLiteral("/v1");
    p.maxRetries = 0;
    p.maxConcurrency = 8;
    spec.workspace.providers = {p};
    for (const QString &id : targets + QStringList{QStringLiteral("judge")}) {
        TargetConfig t;
        t.id = id;
        t.providerId = p.id;
        t.model = QStringLiteral("m-") + id;
        spec.workspace.targets.append(t);
    }
    spec.targetIds = targets;
    spec.judgeTargetId = QStringLiteral("judge");
    auto suite = Suite::fromJson(R"({"name": "s", "cases": [{"id": "c", "prompt": "First question?",
        "turns": [{"user": "Second question?", "assert": [{"type": "select-best"}]}]}]})",
                                 QStringLiteral("s.json"));
    QVERIFY2(suite, qPrintable(suite.error()));
    spec.suite = suite.value();
    RunSession session;
    QSignalSpy finished(&session, &RunSession::runFinished);
    QVERIFY(session.start(spec).ok());
    QVERIFY(finished.wait(60'000));
    QCOMPARE(session.results().size(), targets.size());
    const QString leftOut = QStringLiteral("not compared: short, whose chain did not answer turn 2");
    for (const CellResult &cell : session.results()) {
        QCOMPARE(cell.turns.size(), 2);
        if (cell.job.targetId == u"short") {
            QCOMPARE(cell.job.state, JobState::Failed);
            QVERIFY(cell.turns.at(1).grade.grades.isEmpty()); // nothing of the failed turn was graded
            QVERIFY(cell.judgeCalls.isEmpty());
            QVERIFY(!cell.grade.pass);
            continue;
        }
        QCOMPARE(cell.job.state, JobState::Completed);
        const Grade &best = cell.turns.at(1).grade.grades.at(0);
        QVERIFY2(best.reason.contains(leftOut), qPrintable(best.reason));
        if (!compared) {
            QVERIFY(best.needsJudge);
            QVERIFY(best.reason.startsWith(QStringLiteral("not graded (select-best needs at least two answers")));
            QVERIFY(cell.judgeCalls.isEmpty());
            continue;
        }
        QVERIFY2(!best.needsJudge, qPrintable(best.reason));
        const bool winner = cell.job.targetId == u"best";
        QCOMPARE(best.pass, winner);
        QCOMPARE(best.score, winner ? 1.0 : 0.0);
        QCOMPARE(cell.grade.pass, winner);
        QCOMPARE(cell.grade.score, winner ? 1.0 : 0.5);
        QCOMPARE(cell.judgeCalls.size(), 2);
        QCOMPARE(cell.judgeCalls.first().answersJudged, 2);
    }
    if (!compared)
        return;
    // The judge compared the second turn's answers, with the users' side of the conversation:
    // the first question, but no target's first answer (each chain's differs).
    int asks = 0;
    for (const RecordedRequest &r : fake.requests()) {
        if (modelOf(r) != u"m-judge")
            continue;
        ++asks;
        const QString prompt = promptOf(r);
        QVERIFY(prompt.contains(QStringLiteral("<question>\nSecond question?\n</question>")));
        QVERIFY(prompt.contains(QStringLiteral("<message role=\"user\">\nFirst question?\n</message>")));
        QVERIFY(!prompt.contains(QStringLiteral("First answer from")));
        QVERIFY(prompt.contains(QStringLiteral("The best second answer")));
        QVERIFY(prompt.contains(QStringLiteral("A plain second answer")));
    }
    QCOMPARE(asks, 2);
}

void TestRunSessionChainGrading::theConversationSummarisesToolRounds()
{
    ChainTurnResult first;
    first.user = QStringLiteral("Weather in Oslo tomorrow?");
    first.toolCalls = {{QStringLiteral("call_1"), QStringLiteral("weather"), QStringLiteral("{\"city\":\"Oslo\"}")}};
    first.toolResults = {
        {QStringLiteral("call_1"), QStringLiteral("weather"), ToolResultKind::Error, QStringLiteral("HTTP 503"), true}};
    first.answer = QStringLiteral("The weather service failed.");
    ChainTurnResult second;
    second.user = QStringLiteral("Try again?");
    second.toolCalls = {{QStringLiteral("call_2"), QStringLiteral("weather"), QStringLiteral("{}")}};
    second.toolResults = {{QStringLiteral("call_2"), QStringLiteral("weather"), ToolResultKind::Interrupt,
                           QStringLiteral("Never mind."), true}};
    second.answer = QStringLiteral("OK.");
    const QList<ChainTurnResult> turns{first, second};

    const auto forSecond = ChainTranscript::forJudge(turns, 1);
    QCOMPARE(forSecond.size(), 2);
    const QStringList firstRoles{QStringLiteral("user"), QStringLiteral("tool_call"), QStringLiteral("tool_result"),
                                 QStringLiteral("assistant")};
    QCOMPARE(forSecond.at(0).size(), firstRoles.size());
    for (qsizetype i = 0; i < firstRoles.size(); ++i)
        QCOMPARE(forSecond.at(0).at(i).role, firstRoles.at(i));
    QCOMPARE(forSecond.at(0).at(1).text, QStringLiteral("weather({\"city\":\"Oslo\"})"));
    QVERIFY(forSecond.at(0).at(2).failed);
    QCOMPARE(forSecond.at(0).at(3).text, QStringLiteral("The weather service failed."));
    // The graded turn: its question and tool round, an interrupt with the user's words, no answer.
    const auto &graded = forSecond.at(1);
    QCOMPARE(graded.size(), 4);
    QCOMPARE(graded.at(0).text, QStringLiteral("Try again?"));
    QCOMPARE(graded.at(2).text, QStringLiteral("(the call was interrupted)"));
    QCOMPARE(graded.at(3).role, QStringLiteral("user"));
    QCOMPARE(graded.at(3).text, QStringLiteral("Never mind."));

    // The first turn alone has its tool round before the answer; users only: just the questions.
    QCOMPARE(ChainTranscript::forJudge(turns, 0).at(0).size(), 3);
    const auto users = ChainTranscript::forJudge(turns, 1, true);
    QCOMPARE(users.size(), 2);
    QCOMPARE(users.at(0).size(), 1);
    QCOMPARE(users.at(1).size(), 1);
    QCOMPARE(users.at(0).at(0).text, first.user);
}

QTEST_GUILESS_MAIN(TestRunSessionChainGrading)
#include "tst_runsessionchaingrading.moc"
