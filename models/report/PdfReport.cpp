#include "report/PdfReport.h"

#include "report/ReportChart.h"
#include "report/ReportEscape.h"
#include "report/ReportStatistics.h"
#include "report/ReportText.h"
#include "run/ChainTranscript.h"

#include <QAbstractTextDocumentLayout>
#include <QBuffer>
#include <QCoreApplication>
#include <QGuiApplication>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QTextDocument>

namespace Slopscope {

namespace {

// Through Q_DECLARE_TR_FUNCTIONS, lupdate files these strings under the context the code
// looks them up in (a translate() wrapper called tr() misled it into the namespace's).
struct PdfReportTr
{
    Q_DECLARE_TR_FUNCTIONS(PdfReport)
};

QString escaped(const QString &text)
{
    return ReportEscape::html(text);
}

QString pre(const QString &text)
{
    return u"<pre style=\"white-space: pre-wrap; background-color: #f4f4f4\">" + escaped(text) + u"</pre>\n";
}

// A chain cell's turns, every line escaped: the model's and the tools' text is shown, never run.
void chainTurnsHtml(QString &o, const QList<ChainTurnResult> &turns)
{
    o += u"<p><i>" + escaped(PdfReportTr::tr("Chain: %n turn(s)", nullptr, int(turns.size()))) + u"</i></p>\n";
    for (const ChainTranscript::Line &line : ChainTranscript::lines(turns)) {
        const QString label = escaped((line.bad ? QStringLiteral("✗ ") : QString()) + line.label);
        const QString styled = line.bad ? u"<font color=\"#a00000\">" + label + u"</font>" : label;
        if (line.kind == ChainTranscript::Kind::Turn)
            o += u"<p><b>" + styled + u"</b> · " + escaped(line.text) + u"</p>\n";
        else
            o += u"<p>" + styled + u"</p>\n" + pre(line.text);
    }
}

void entries(QString &o, const QList<ReportText::Entry> &list)
{
    for (const ReportText::Entry &e : list)
        o += u"<p><b>" + escaped(e.term) + u":</b> " + escaped(e.text) + u"</p>\n";
}

// Judge–human agreement, as the HTML and Markdown reports show it; nothing while nobody rated.
void agreementHtml(QString &o, const ReportData &data)
{
    if (data.agreement.isEmpty())
        return;
    o += u"<h2>" + escaped(ReportText::agreementTitle()) + u"</h2>\n";
    o += QStringLiteral("<table border=\"1\" cellspacing=\"0\" cellpadding=\"3\"><tr>");
    for (const QString &title : ReportText::agreementHeader())
        o += u"<th>" + escaped(title) + u"</th>";
    o += u"</tr>\n";
    for (const TargetAgreement &row : data.agreement) {
        o += QStringLiteral("<tr>");
        for (const QString &cell : ReportText::agreementRow(data, row))
            o += u"<td>" + escaped(cell) + u"</td>";
        o += u"</tr>\n";
    }
    o += u"</table>\n<p><small>" + escaped(ReportText::agreementNote()) + u"</small></p>\n";
}

QString leaderboardHtml(const ReportData &data)
{
    QString o;
    o += u"<h1>" + escaped(ReportText::title(data)) + u"</h1>\n";
    if (!data.suiteDescription.isEmpty())
        o += u"<p>" + escaped(data.suiteDescription) + u"</p>\n";
    o += u"<p>" +
         escaped(PdfReportTr::tr("Run %1 · started %2 · ended %3 · Slopscope %4")
                     .arg(data.runId.isEmpty() ? ReportText::unknown() : data.runId,
                          ReportText::dateTime(data.conditions.startedAt),
                          ReportText::dateTime(data.conditions.endedAt), data.appVersion)) +
         u"</p>\n";
    o += u"<h2>" + escaped(PdfReportTr::tr("Leaderboard")) + u"</h2>\n";
    o += QStringLiteral("<table border=\"1\" cellspacing=\"0\" cellpadding=\"3\" width=\"100%\"><tr>");
    const QStringList head{PdfReportTr::tr("Target"),
                           PdfReportTr::tr("Quality [95% interval]"),
                           PdfReportTr::tr("Brittleness"),
                           PdfReportTr::tr("$ / 1k cases"),
                           PdfReportTr::tr("TTFT p50"),
                           PdfReportTr::tr("tok/s p50"),
                           PdfReportTr::tr("Latency p95"),
                           PdfReportTr::tr("Error rate"),
                           PdfReportTr::tr("n")};
    for (const QString &title : head)
        o += u"<th>" + escaped(title) + u"</th>";
    o += u"</tr>\n";
    for (const ReportTarget &t : data.targets) {
        const TargetSummary &s = t.summary;
        const QString star = data.onPareto(t.id) ? QStringLiteral("★ ") : QString();
        o += u"<tr><td>" + escaped(star + t.label) + u"</td>";
        o += u"<td align=\"right\">" + escaped(ReportText::percent(s.quality)) + u"<br/><small>" +
             escaped(ReportText::percentInterval(s.qualityLow, s.qualityHigh)) + u"</small></td>";
        o += u"<td align=\"right\">" +
             escaped(s.brittleness ? ReportText::points(s.brittleness) : PdfReportTr::tr("not measured")) + u"</td>";
        o += u"<td align=\"right\">" + escaped(ReportText::usd(s.costPer1000Cases)) + u"</td>";
        o += u"<td align=\"right\">" + escaped(ReportText::ms(s.medianTtftMs ? s.medianTtftMs : t.stats.ttftP50Ms)) +
             u"</td>";
        o += u"<td align=\"right\">" + escaped(ReportText::tokensPerSecond(s.medianDecodeTokensPerSecond)) + u"</td>";
        o += u"<td align=\"right\">" + escaped(ReportText::ms(s.p95LatencyMs ? s.p95LatencyMs : t.stats.latencyP95Ms)) +
             u"</td>";
        o += u"<td align=\"right\">" + escaped(ReportText::percent(t.stats.errorRate)) + u"</td>";
        o += u"<td align=\"right\">" + QString::number(t.stats.n) + u"</td></tr>\n";
    }
    o += u"</table>\n<p><small>" + escaped(ReportText::leaderboardNote()) + u"</small></p>\n";
    agreementHtml(o, data);
    return o;
}

QString casesHtml(const ReportData &data)
{
    QString o;
    o += u"<h2>" + escaped(PdfReportTr::tr("Cases")) + u"</h2>\n";
    for (const ReportCase &c : data.cases) {
        o += u"<h3>" + escaped(c.id) + u"</h3>\n";
        if (!c.prompt.isEmpty())
            o += u"<p><b>" + escaped(PdfReportTr::tr("Prompt")) + u"</b></p>\n" + pre(c.prompt);
        if (!c.reference.isEmpty())
            o += u"<p><b>" + escaped(PdfReportTr::tr("Reference")) + u"</b></p>\n" + pre(c.reference);
        for (const ReportTarget &t : data.targets) {
            const CellResult *cell = data.primaryCell(c.id, t.id);
            if (!cell)
                continue;
            const CellStatus status = ReportStatistics::status(*cell);
            QString heading = t.label + QStringLiteral(" · ") + ReportStatistics::statusName(status);
            if (status != CellStatus::Cancelled && !cell->grade.pendingJudge)
                heading +=
                    QStringLiteral(" · ") + PdfReportTr::tr("score %1").arg(ReportText::percent(cell->grade.score, 0));
            o += u"<p><b>" + escaped(heading) + u"</b></p>\n";
            if (!cell->job.error.isEmpty())
                o += u"<p><font color=\"#a00000\">" + escaped(cell->job.error) + u"</font></p>\n";
            if (!cell->turns.isEmpty())
                chainTurnsHtml(o, cell->turns);
            // A chain's answer is its last turn's, already listed there.
            if (cell->turns.isEmpty() || cell->job.result.text != cell->turns.constLast().answer)
                o += pre(cell->job.result.text);
        }
    }
    o += u"<h2>" + escaped(PdfReportTr::tr("Methodology")) + u"</h2>\n<h3>" + escaped(PdfReportTr::tr("Definitions")) +
         u"</h3>\n";
    entries(o, ReportText::metricDefinitions());
    o += u"<h3>" + escaped(PdfReportTr::tr("Run conditions")) + u"</h3>\n";
    entries(o, ReportText::runConditions(data));
    o += u"<h3>" + escaped(PdfReportTr::tr("Prices")) + u"</h3>\n";
    entries(o, ReportText::priceSources(data));
    const QStringList overrides = ReportText::overrideLines(data);
    o += u"<p>" +
         escaped(overrides.isEmpty() ? PdfReportTr::tr("No catalogue price was overridden by the workspace.")
                                     : PdfReportTr::tr("Prices the workspace set over the catalogue's:")) +
         u"</p>\n";
    for (const QString &line : overrides)
        o += u"<p>• " + escaped(line) + u"</p>\n";
    return o;
}

// Lays `html` out on pages of the writer and draws them, each page after the first on a new one.
void drawDocument(QPainter &painter, QPdfWriter &writer, const QString &html, int &pageNumber)
{
    const QSizeF page(writer.width(), writer.height());
    const double footer = page.height() * 0.04;
    QTextDocument doc;
    doc.documentLayout()->setPaintDevice(&writer);
    QFont font(QStringLiteral("DejaVu Sans"));
    font.setPointSizeF(9);
    doc.setDefaultFont(font);
    doc.setDefaultStyleSheet(QStringLiteral("pre { font-family: 'DejaVu Sans Mono'; font-size: 8pt; }"));
    doc.setPageSize(QSizeF(page.width(), page.height() - footer));
    doc.setHtml(html);
    const int pages = doc.pageCount();
    const double bodyHeight = page.height() - footer;
    for (int i = 0; i < pages; ++i) {
        if (pageNumber > 0)
            writer.newPage();
        painter.save();
        painter.translate(0, -i * bodyHeight);
        doc.drawContents(&painter, QRectF(0, i * bodyHeight, page.width(), bodyHeight));
        painter.restore();
        ++pageNumber;
        QFont small(QStringLiteral("DejaVu Sans"));
        small.setPointSizeF(7);
        painter.setFont(small);
        painter.setPen(Qt::gray);
        painter.drawText(QRectF(0, page.height() - footer, page.width(), footer), Qt::AlignRight | Qt::AlignBottom,
                         QString::number(pageNumber));
    }
}

} // namespace

QString PdfReport::documentHtml(const ReportData &data, int part)
{
    return QStringLiteral("<html><body>") + (part == 0 ? leaderboardHtml(data) : casesHtml(data)) +
           QStringLiteral("</body></html>");
}

Result<QByteArray> PdfReport::render(const ReportData &data)
{
    if (!qobject_cast<QGuiApplication *>(QCoreApplication::instance()))
        return Error{PdfReportTr::tr("Writing a PDF needs the graphical application (a QGuiApplication).")};
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    {
        QPdfWriter writer(&buffer);
        writer.setPageSize(QPageSize(QPageSize::A4));
        writer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout::Millimeter);
        writer.setTitle(ReportText::title(data));
        writer.setCreator(QStringLiteral("Slopscope ") + data.appVersion);
        QPainter painter;
        if (!painter.begin(&writer))
            return Error{PdfReportTr::tr("The PDF writer could not start.")};
        int pageNumber = 0;
        drawDocument(painter, writer, documentHtml(data, 0), pageNumber);

        // The quadrant on a page of its own, as vectors.
        writer.newPage();
        ++pageNumber;
        const ReportChart::Layout layout = ReportChart::layout(data);
        const double width = writer.width();
        ReportChart::paint(painter, layout, QRectF(0, 0, width, width * layout.size.height() / layout.size.width()));

        drawDocument(painter, writer, documentHtml(data, 1), pageNumber);
        painter.end();
    }
    return bytes;
}

} // namespace Slopscope
