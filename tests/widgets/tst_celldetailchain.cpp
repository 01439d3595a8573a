#include "CellDetailPanel.h"

// The cell detail pane of a chain cell: the transcript turn by turn (user, tool calls, tool
// results marked failure/missing/interrupted, answers, per-turn verdicts) as plain text.

#include <QPlainTextEdit>
#include <QTest>

using namespace Slopscope;

class TestCellDetailChain final : public QObject
{
    Q_OBJECT

private slots:
    void showsTheChainTranscript();
    void oneQuestionCellShowsItsAnswer();
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

QTEST_MAIN(TestCellDetailChain)
#include "tst_celldetailchain.moc"
