#include "report/HtmlReport.h"
#include "report/MarkdownReport.h"
#include "report/PdfReport.h"
#include "report/ReportJson.h"
#include "run/ChainTranscript.h"

// Chain cells in the reports: the JSON lists the turns, the HTML, Markdown and PDF show the
// transcript with model text and tool arguments escaped, and the transcript marks failed, missing
// and interrupted results and each turn's failing assertions.

#include "ReportFixture.h"

#include <QTest>
#include <QTextBlock>
#include <QTextDocument>

using namespace Slopscope;

namespace {

// A follow-up that tries to close the fence, open a heading, a table row, a link and raw HTML.
const QString kHostileFollowUp = QStringLiteral("And tomorrow?\n```\n# injected heading\n| a | b |\n"
                                                "[x](javascript:alert(1)) <img src=y onerror=alert(2)>");

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
    second.user = kHostileFollowUp;
    second.answer = QStringLiteral("Sunny.");
    second.grade.pass = false;
    second.grade.score = 0.5;
    second.grade.grades = {
        {QStringLiteral("icontains"), true, 1.0, QStringLiteral("found \"sun\""), 1.0, false},
        {QStringLiteral("contains"), false, 0.0, QStringLiteral("expected \"rain\" <b>"), 1.0, false}};
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
    void markdownListsTheTurnsInOrderEscaped();
    void pdfListsTheTurnsInOrderEscaped();

private:
    static ReportData chainData();
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
                               QStringLiteral("Assistant"),
                               QStringLiteral("Failed check")};
    QCOMPARE(labels, expected);
    QCOMPARE(lines.at(2).text, QStringLiteral("weather({\"city\":\"<img src=x>\"})"));
    QVERIFY(lines.at(3).bad);
    QVERIFY(lines.at(5).bad);
    QCOMPARE(lines.at(8).text, QStringLiteral("never mind, use Bergen"));
    QVERIFY(!lines.at(0).bad);
    QVERIFY(lines.at(10).bad); // the failed second turn
    QVERIFY(lines.at(10).text.contains(QStringLiteral("50%")));
    // Only the failing assertion of the turn is listed, with its reason; the passing one is not.
    QCOMPARE(lines.at(13).text, QStringLiteral("contains: expected \"rain\" <b>"));
    QVERIFY(lines.at(13).bad);
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
    QCOMPARE(QString::fromStdString(j.at("turns").at(1).at("user").get<std::string>()), kHostileFollowUp);
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

ReportData TestReportChains::chainData()
{
    QList<CellResult> cells = ReportFixture::cells();
    for (CellResult &c : cells) {
        if (c.caseId == u"c1") {
            c.turns = hostileTurns();
            c.job.result.text = c.turns.constLast().answer; // as ChainDriver leaves it
        }
    }
    return ReportData::fromRun(ReportFixture::spec(), cells, ReportFixture::summaries(), ReportFixture::runInfo());
}

// Where each needle first occurs at or after the previous one's position; -1 when missing.
static QList<qsizetype> positionsInOrder(const QString &text, const QStringList &needles)
{
    QList<qsizetype> out;
    qsizetype from = 0;
    for (const QString &n : needles) {
        const qsizetype at = text.indexOf(n, from);
        out.append(at);
        if (at >= 0)
            from = at + n.size();
    }
    return out;
}

void TestReportChains::markdownListsTheTurnsInOrderEscaped()
{
    const QString md = QString::fromUtf8(MarkdownReport::render(chainData()));
    // In order: turn 1's user, its calls and marked results, its answer; then turn 2 and its
    // failing assertion.
    const QStringList order{QStringLiteral("Turn 1: passed · score 100%"),
                            QStringLiteral("Weather in Oslo?"),
                            QStringLiteral("weather({\"city\":\"<img src=x>\"})"),
                            QStringLiteral("✗ Tool result \\(failure\\)"),
                            QStringLiteral("HTTP 503"),
                            QStringLiteral("✗ Tool result \\(missing information\\)"),
                            QStringLiteral("✗ Tool result \\(interrupted\\)"),
                            QStringLiteral("never mind, use Bergen"),
                            QStringLiteral("<script>alert('turn')</script>"),
                            QStringLiteral("✗ Turn 2: failed · score 50%"),
                            QStringLiteral("# injected heading"),
                            QStringLiteral("Sunny."),
                            QStringLiteral("✗ Failed check"),
                            QStringLiteral("contains: expected \"rain\" <b>")};
    const QList<qsizetype> at = positionsInOrder(md, order);
    for (qsizetype i = 0; i < order.size(); ++i)
        QVERIFY2(at.at(i) >= 0, qPrintable(QStringLiteral("missing or out of order: ") + order.at(i)));

    // The cell's answer is the last turn's: listed once, in the transcript.
    QVERIFY(md.count(QStringLiteral("✗ Turn 2: failed")) > 0);
    QCOMPARE(md.count(QStringLiteral("Sunny.")), md.count(QStringLiteral("✗ Turn 2: failed")));

    // Read back by a CommonMark parser: the follow-up's fence, heading, table row, link and HTML
    // stay literal text inside its code block.
    QTextDocument doc;
    doc.setMarkdown(md);
    const QString plain = doc.toPlainText();
    QVERIFY(plain.contains(QStringLiteral("# injected heading")));
    QVERIFY(plain.contains(QStringLiteral("<img src=y onerror=alert(2)>")));
    QVERIFY(plain.contains(QStringLiteral("[x](javascript:alert(1))")));
    QVERIFY(plain.contains(QStringLiteral("<script>alert('turn')</script>")));
    for (QTextBlock b = doc.begin(); b != doc.end(); b = b.next()) {
        QVERIFY2(b.blockFormat().headingLevel() == 0 || !b.text().contains(QStringLiteral("injected")),
                 qPrintable(b.text()));
        for (auto it = b.begin(); !it.atEnd(); ++it) {
            QVERIFY(!it.fragment().charFormat().isAnchor());
            QVERIFY(!it.fragment().charFormat().isImageFormat());
        }
    }
}

void TestReportChains::pdfListsTheTurnsInOrderEscaped()
{
    const QString html = PdfReport::documentHtml(chainData(), 1);
    const QStringList order{QStringLiteral("Turn 1"),
                            QStringLiteral("Weather in Oslo?"),
                            QStringLiteral("weather({&quot;city&quot;:&quot;&lt;img src=x&gt;&quot;})"),
                            QStringLiteral("✗ Tool result (failure)"),
                            QStringLiteral("✗ Tool result (missing information)"),
                            QStringLiteral("✗ Tool result (interrupted)"),
                            QStringLiteral("User (interjects)"),
                            QStringLiteral("&lt;script&gt;alert(&#39;turn&#39;)&lt;/script&gt;"),
                            QStringLiteral("✗ Turn 2"),
                            QStringLiteral("failed · score 50%"),
                            QStringLiteral("# injected heading"),
                            QStringLiteral("Sunny."),
                            QStringLiteral("✗ Failed check"),
                            QStringLiteral("contains: expected &quot;rain&quot; &lt;b&gt;")};
    const QList<qsizetype> at = positionsInOrder(html, order);
    for (qsizetype i = 0; i < order.size(); ++i)
        QVERIFY2(at.at(i) >= 0, qPrintable(QStringLiteral("missing or out of order: ") + order.at(i)));
    QCOMPARE(html.count(QStringLiteral("Sunny.")), html.count(QStringLiteral("failed · score 50%")));
    QVERIFY(!html.contains(QStringLiteral("<img src=y")));
    QVERIFY(!html.contains(QStringLiteral("<script>")));
    // As laid out, the document shows the hostile text as text.
    QTextDocument doc;
    doc.setHtml(html);
    QVERIFY(doc.toPlainText().contains(QStringLiteral("<img src=y onerror=alert(2)>")));
}

QTEST_MAIN(TestReportChains)
#include "tst_reportchains.moc"
