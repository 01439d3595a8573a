#include "report/HtmlReport.h"
#include "report/ReportJson.h"
#include "run/ChainTranscript.h"

// Chain cells in the reports: the JSON lists the turns, the HTML shows the transcript with model
// text and tool arguments escaped, and the transcript marks failed, missing and interrupted results.

#include "ReportFixture.h"

#include <QTest>

using namespace Slopscope;

namespace {

QList<ChainTurnResult> hostileTurns()
{
    ChainTurnResult first;
    first.user = QStringLiteral("Weather in Oslo?");
    first.answer = QStringLiteral("<script>alert('turn')</script> I could not look it up.");
    first.toolCalls = {
        {QStringLiteral("call_1"), QStringLiteral("weather"), QStringLiteral("{\"city\":\"<img src=x>\"}")},
        {QStringLiteral("call_2"), QStringLiteral("search"), QStringLiteral("{}")},
        {QStringLiteral("call_3"), QStringLiteral("lookup"), QStringLiteral("{}")}};
    first.toolResults = {
        {QStringLiteral("call_1"), QStringLiteral("weather"), ToolResultKind::Error, QStringLiteral("HTTP 503"), true},
        {QStringLiteral("call_2"), QStringLiteral("search"), ToolResultKind::Missing,
         QStringLiteral("{\"results\":[]}"), true},
        {QStringLiteral("call_3"), QStringLiteral("lookup"), ToolResultKind::Interrupt,
         QStringLiteral("never mind, use Bergen"), true}};
    first.grade.pass = true;
    first.grade.score = 1.0;
    ChainTurnResult second;
    second.user = QStringLiteral("And tomorrow?");
    second.answer = QStringLiteral("Sunny.");
    second.grade.pass = false;
    second.grade.score = 0.5;
    return {first, second};
}

} // namespace

class TestReportChains final : public QObject
{
    Q_OBJECT

private slots:
    void transcriptMarksEveryKindOfResult();
    void jsonListsTheTurns();
    void htmlShowsTheTranscriptEscaped();
};

void TestReportChains::transcriptMarksEveryKindOfResult()
{
    const auto lines = ChainTranscript::lines(hostileTurns());
    QStringList labels;
    for (const auto &l : lines)
        labels.append(l.label);
    const QStringList expected{QStringLiteral("Turn 1"),
                               QStringLiteral("User"),
                               QStringLiteral("Tool call"),
                               QStringLiteral("Tool result (failure)"),
                               QStringLiteral("Tool call"),
                               QStringLiteral("Tool result (missing information)"),
                               QStringLiteral("Tool call"),
                               QStringLiteral("Tool result (interrupted)"),
                               QStringLiteral("User (interjects)"),
                               QStringLiteral("Assistant"),
                               QStringLiteral("Turn 2"),
                               QStringLiteral("User"),
                               QStringLiteral("Assistant")};
    QCOMPARE(labels, expected);
    QCOMPARE(lines.at(2).text, QStringLiteral("weather({\"city\":\"<img src=x>\"})"));
    QVERIFY(lines.at(3).bad);
    QVERIFY(lines.at(5).bad);
    QCOMPARE(lines.at(8).text, QStringLiteral("never mind, use Bergen"));
    QVERIFY(!lines.at(0).bad);
    QVERIFY(lines.at(10).bad); // the failed second turn
    QVERIFY(lines.at(10).text.contains(QStringLiteral("50%")));
    const QString plain = ChainTranscript::plainText(hostileTurns());
    QVERIFY(plain.contains(QStringLiteral("Tool result (failure): HTTP 503\n")));
}

void TestReportChains::jsonListsTheTurns()
{
    CellResult chain = ReportFixture::cell(QStringLiteral("alpha"), QStringLiteral("c1"), 0.75, 0.001);
    chain.turns = hostileTurns();
    const auto j = ReportJson::cellJson(QStringLiteral("run"), chain);
    QVERIFY(j.contains("turns"));
    QCOMPARE(j.at("turns").size(), 2u);
    QCOMPARE(QString::fromStdString(j.at("turns").at(0).at("tool_results").at(0).at("kind").get<std::string>()),
             QStringLiteral("error"));
    QCOMPARE(QString::fromStdString(j.at("turns").at(1).at("user").get<std::string>()),
             QStringLiteral("And tomorrow?"));
    const auto plain = ReportJson::cellJson(QStringLiteral("run"),
                                            ReportFixture::cell(QStringLiteral("alpha"), QStringLiteral("c2"), 1, 0));
    QVERIFY(!plain.contains("turns")); // one-question cells keep their old shape
}

void TestReportChains::htmlShowsTheTranscriptEscaped()
{
    QList<CellResult> cells = ReportFixture::cells();
    for (CellResult &c : cells) {
        if (c.caseId == u"c1")
            c.turns = hostileTurns();
    }
    const ReportData data =
        ReportData::fromRun(ReportFixture::spec(), cells, ReportFixture::summaries(), ReportFixture::runInfo());
    const QString html = QString::fromUtf8(HtmlReport::render(data));
    QVERIFY(html.contains(QStringLiteral("Tool result (failure)")));
    QVERIFY(html.contains(QStringLiteral("Tool result (interrupted)")));
    QVERIFY(html.contains(QStringLiteral("never mind, use Bergen")));
    QVERIFY(html.contains(QStringLiteral("&lt;script&gt;alert(")));
    QVERIFY(!html.contains(QStringLiteral("<script>alert('turn')")));
    QVERIFY(!html.contains(QStringLiteral("<img src=x>")));
}

QTEST_GUILESS_MAIN(TestReportChains)
#include "tst_reportchains.moc"
