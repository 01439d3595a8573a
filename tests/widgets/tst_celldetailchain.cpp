#include "CellDetailPanel.h"

// The cell detail pane of a chain cell: the transcript turn by turn (user, tool calls, tool
// results marked failure/missing/interrupted, answers, per-turn verdicts) as plain text.

#include "LongTextView.h"
#include "run/RunSession.h"

#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTest>
#include <QTextBlock>

using namespace Slopscope;

class TestCellDetailChain final : public QObject
{
    Q_OBJECT

private slots:
    void showsTheChainTranscript();
    void oneQuestionCellShowsItsAnswer();
    void eachTurnShowsItsOwnFailingChecks();
    void simulatedDemoChainsShowEachTurnsGrade();
    void judgedChainTurnsShowTheirVerdicts();
    void aHugeAnswerIsShownInShortParagraphs();
};

void TestCellDetailChain::showsTheChainTranscript()
{
    CellResult c;
    c.job.state = JobState::Completed;
    c.job.result.text = QStringLiteral("Tomorrow looks sunny.");
    c.caseId = QStringLiteral("weather-chain");
    c.grade.pass = false;
    c.grade.score = 0.5;
    c.metrics.ttftNs = 120'000'000;
    c.metrics.e2eNs = 2'400'000'000;
    c.cost.usd = 0.0012;
    ChainTurnResult first;
    first.user = QStringLiteral("What's the weather in Oslo?");
    first.toolCalls = {
        {QStringLiteral("call_1"), QStringLiteral("get_weather"), QStringLiteral("{\"city\":\"Oslo\"}")},
        {QStringLiteral("call_2"), QStringLiteral("get_weather"), QStringLiteral("{\"city\":\"Oslo\"}")}};
    first.toolResults = {{QStringLiteral("call_1"), QStringLiteral("get_weather"), ToolResultKind::Error,
                          QStringLiteral("HTTP 503: weather service unavailable"), true},
                         {QStringLiteral("call_2"), QStringLiteral("get_weather"), ToolResultKind::Interrupt,
                          QStringLiteral("Actually, skip it and just tell me if you know."), true}};
    first.answer = QStringLiteral("I could not look it up: the weather service failed.\x1b[31m");
    first.requests = 3;
    first.grade.pass = true;
    first.grade.score = 1.0;
    ChainTurnResult second;
    second.user = QStringLiteral("And tomorrow?");
    second.answer = c.job.result.text;
    second.requests = 1;
    second.grade.pass = false;
    second.grade.score = 0.0;
    c.turns = {first, second};

    CellDetailPanel panel;
    panel.resize(760, 640);
    panel.showCell(QStringLiteral("Qwen3"), QStringLiteral("weather-chain"), {c});
    const QString text = panel.answerText();
    QVERIFY2(text.startsWith(QStringLiteral("Turn 1: passed · score 100%\nUser: What's the weather in Oslo?\n")),
             qPrintable(text));
    QVERIFY(text.contains(QStringLiteral("Tool call: get_weather({\"city\":\"Oslo\"})\n")));
    QVERIFY(text.contains(QStringLiteral("✗ Tool result (failure): HTTP 503: weather service unavailable\n")));
    QVERIFY(text.contains(QStringLiteral("✗ Tool result (interrupted): (the call was cancelled)\n")));
    QVERIFY(text.contains(QStringLiteral("User (interjects): Actually, skip it")));
    QVERIFY(text.contains(QStringLiteral("\n\n✗ Turn 2: failed · score 0%\nUser: And tomorrow?\n")));
    QVERIFY(text.contains(QStringLiteral("Assistant: Tomorrow looks sunny.")));
    QVERIFY(!text.contains(QChar(0x1b))); // control characters from the model are not passed through
    QVERIFY(panel.metricsText().contains(QStringLiteral("2 turn")));
    QVERIFY(panel.metricsText().contains(QStringLiteral("4 request")));
    QCOMPARE(panel.findChild<QPlainTextEdit *>(QStringLiteral("detailAnswer"))->accessibleName(),
             QStringLiteral("Chain transcript"));
    if (const QByteArray shot = qgetenv("SLOPSCOPE_SHOT"); !shot.isEmpty())
        QVERIFY(panel.grab().save(QString::fromLocal8Bit(shot)));
}

void TestCellDetailChain::oneQuestionCellShowsItsAnswer()
{
    CellResult c;
    c.job.state = JobState::Completed;
    c.job.result.text = QStringLiteral("Paris.");
    CellDetailPanel panel;
    panel.showCell(QStringLiteral("t"), QStringLiteral("c"), {c});
    QCOMPARE(panel.answerText(), QStringLiteral("Paris."));
    QVERIFY(!panel.metricsText().contains(QStringLiteral("turn")));
}

// Each turn's verdict is its own: the failing assertions of a turn, with their reasons, come right
// after that turn's answer and before the next turn; passing ones are not repeated there.
void TestCellDetailChain::eachTurnShowsItsOwnFailingChecks()
{
    CellResult c;
    c.job.state = JobState::Completed;
    c.job.result.text = QStringLiteral("It is 12.");
    c.grade.pass = false;
    c.grade.score = 0.5;
    c.grade.grades = {{QStringLiteral("cell-level"), false, 0.0, QStringLiteral("the cell's own reason"), 1.0, false}};
    ChainTurnResult first;
    first.user = QStringLiteral("Pick a number.");
    first.answer = QStringLiteral("Seven.");
    first.grade.pass = false;
    first.grade.score = 0.5;
    first.grade.grades = {
        {QStringLiteral("contains"), true, 1.0, QStringLiteral("found \"Seven\""), 1.0, false},
        {QStringLiteral("regex"), false, 0.0, QStringLiteral("no match for \\d+ <b>bold</b>\x1b[2J"), 1.0, false}};
    ChainTurnResult second;
    second.user = QStringLiteral("Double it.");
    second.answer = c.job.result.text;
    second.grade.pass = false;
    second.grade.score = 0.0;
    second.grade.grades = {{QStringLiteral("equals"), false, 0.0, QStringLiteral("expected \"14\""), 1.0, false},
                           {QStringLiteral("llm-rubric"), false, 0.0, QString(), 1.0, true}};
    c.turns = {first, second};

    CellDetailPanel panel;
    panel.resize(760, 640);
    panel.showCell(QStringLiteral("Qwen3"), QStringLiteral("numbers"), {c});
    const QString text = panel.answerText();
    QVERIFY2(text.contains(QStringLiteral("Assistant: Seven.\n✗ Failed check: regex: no match for \\d+ <b>bold</b>")),
             qPrintable(text));
    QVERIFY(!text.contains(QStringLiteral("found \"Seven\""))); // a passing check is not a finding
    QVERIFY(!text.contains(QChar(0x1b)));                       // reasons quote model output: sanitised
    const qsizetype turn2 = text.indexOf(QStringLiteral("✗ Turn 2: failed · score 0%"));
    QVERIFY(turn2 > text.indexOf(QStringLiteral("Failed check: regex")));
    QVERIFY(text.indexOf(QStringLiteral("Assistant: It is 12.\n✗ Failed check: equals: expected \"14\"\n"
                                        "Waiting for judge: llm-rubric")) > turn2);
    QVERIFY(!text.contains(QStringLiteral("the cell's own reason"))); // that one is in the grades pane
    QVERIFY(panel.gradesText().contains(QStringLiteral("the cell's own reason")));
    if (const QByteArray shot = qgetenv("SLOPSCOPE_SHOT_CHECKS"); !shot.isEmpty())
        QVERIFY(panel.grab().save(QString::fromLocal8Bit(shot)));
}

// The demo's chains.json run against the simulator: every turn of every chain cell shows its own
// verdict, and each failing assertion of a turn sits inside that turn's block of the transcript.
void TestCellDetailChain::simulatedDemoChainsShowEachTurnsGrade()
{
    auto suite = Suite::fromFile(QStringLiteral(":/slopscope/demo/suites/chains.json"));
    QVERIFY2(suite.ok(), qPrintable(suite.error()));
    RunSpec spec;
    spec.workspace = Workspace::demo();
    spec.suite = suite.value();
    spec.targetIds = {QStringLiteral("sloptimized"), QStringLiteral("gpt-oss-groq")};
    RunSession session;
    QSignalSpy finished(&session, &RunSession::runFinished);
    const Status started = session.start(spec);
    QVERIFY2(started.ok(), qPrintable(started.error()));
    QVERIFY(finished.wait(120'000));

    int failedChecks = 0;
    QString shotCase;
    CellDetailPanel panel;
    panel.resize(900, 760);
    for (const CellResult &c : session.results()) {
        QVERIFY2(!c.turns.isEmpty(), qPrintable(c.caseId));
        panel.showCell(c.job.targetId, c.caseId, {c});
        const QString text = panel.answerText();
        for (qsizetype i = 0; i < c.turns.size(); ++i) {
            const ChainTurnResult &t = c.turns.at(i);
            const QString head = QStringLiteral("Turn %1: %2").arg(i + 1).arg(t.grade.pass ? u"passed" : u"failed");
            const qsizetype from = text.indexOf(head);
            QVERIFY2(from >= 0, qPrintable(head + u'\n' + text));
            const qsizetype next = text.indexOf(QStringLiteral("Turn %1: ").arg(i + 2), from);
            const QString block = text.mid(from, next < 0 ? -1 : next - from);
            for (const Grade &g : t.grade.grades) {
                if (g.pass || g.needsJudge)
                    continue;
                ++failedChecks;
                QVERIFY2(block.contains(QStringLiteral("✗ Failed check: ") + g.type), qPrintable(block));
                if (shotCase.isEmpty() && c.turns.size() > 1)
                    shotCase = c.job.jobId;
            }
        }
    }
    QVERIFY(failedChecks > 0); // the weak simulated model fails some turns: the check above ran
    if (const QByteArray shot = qgetenv("SLOPSCOPE_SHOT_DEMO"); !shot.isEmpty()) {
        for (const CellResult &c : session.results()) {
            if (c.job.jobId == shotCase)
                panel.showCell(c.job.targetId, c.caseId, {c});
        }
        QVERIFY(panel.grab().save(QString::fromLocal8Bit(shot)));
    }
}

// A demo chain judged by the simulator, with a select-best on its follow-up turn: no turn is left
// waiting, and the grades pane shows the turn's comparison and the rubric verdict read in context.
void TestCellDetailChain::judgedChainTurnsShowTheirVerdicts()
{
    auto suite = Suite::fromFile(QStringLiteral(":/slopscope/demo/suites/chains.json"));
    QVERIFY2(suite.ok(), qPrintable(suite.error()));
    RunSpec spec;
    spec.workspace = Workspace::demo();
    spec.suite = suite.value();
    spec.caseIds = {QStringLiteral("chain-followup-rubric-iron")};
    for (SuiteCase &c : spec.suite.cases) {
        if (c.id == spec.caseIds.first())
            c.turns[0].assertions.append(Assertion{QStringLiteral("select-best"), {}, std::nullopt, 1.0, {}, {}});
    }
    spec.targetIds = {QStringLiteral("opus"), QStringLiteral("sonnet"), QStringLiteral("local-llama")};
    spec.judgeTargetId = QStringLiteral("qwen3-coder");
    RunSession session;
    QSignalSpy finished(&session, &RunSession::runFinished);
    QVERIFY(session.start(spec).ok());
    QVERIFY(finished.wait(120'000));
    CellDetailPanel panel;
    panel.resize(900, 760);
    int shown = 0;
    for (const CellResult &c : session.results()) {
        if (c.job.state != JobState::Completed || c.turns.size() != 2)
            continue;
        ++shown;
        panel.showCell(c.job.targetId, c.caseId, {c});
        QVERIFY2(!panel.answerText().contains(QStringLiteral("Waiting for judge")), qPrintable(panel.answerText()));
        const QString grades = panel.gradesText();
        QVERIFY2(grades.contains(QStringLiteral("select-best")), qPrintable(grades));
        QVERIFY2(grades.contains(QStringLiteral("Read in context: 3 message(s)")), qPrintable(grades));
        if (const QByteArray shot = qgetenv("SLOPSCOPE_SHOT_JUDGED"); !shot.isEmpty() && shown == 1)
            QVERIFY(panel.grab().save(QString::fromLocal8Bit(shot)));
    }
    QVERIFY(shown >= 2);
}

void TestCellDetailChain::aHugeAnswerIsShownInShortParagraphs()
{
    // 50 MB with no newline (B-14): shown without one enormous paragraph, kept exactly.
    CellResult c;
    c.job.state = JobState::Completed;
    c.job.result.text = QStringLiteral("0123456789abcdef").repeated(50 * 1024 * 1024 / 16);
    c.caseId = QStringLiteral("huge");
    CellDetailPanel panel;
    panel.resize(600, 500);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    panel.showCell(QStringLiteral("T"), QStringLiteral("huge"), {c});
    QVERIFY(panel.answerText() == c.job.result.text);
    const QTextDocument *doc = panel.answerView()->document();
    int longest = 0;
    for (QTextBlock b = doc->begin(); b.isValid(); b = b.next())
        longest = std::max(longest, b.length() - 1);
    QVERIFY2(longest <= LongTextView::kHardBlockChars, qPrintable(QString::number(longest)));
    QVERIFY(doc->blockCount() >= c.job.result.text.size() / LongTextView::kHardBlockChars);
    QVERIFY(!panel.grab().isNull());
}

QTEST_MAIN(TestCellDetailChain)
#include "tst_celldetailchain.moc"
