#include "report/MarkdownReport.h"

#include "report/ReportEscape.h"
#include "report/ReportStatistics.h"
#include "report/ReportText.h"
#include "run/ChainTranscript.h"

#include <QCoreApplication>

namespace Slopscope {

namespace {

// Through Q_DECLARE_TR_FUNCTIONS, lupdate files these strings under the context the code
// looks them up in (a translate() wrapper called tr() misled it into the namespace's).
struct MarkdownReportTr
{
    Q_DECLARE_TR_FUNCTIONS(MarkdownReport)
};

QString md(const QString &text)
{
    return ReportEscape::markdownInline(text);
}

QString withInterval(const QString &value, const QString &interval)
{
    return interval.isEmpty() ? value : value + u' ' + interval;
}

void leaderboard(QString &out, const ReportData &data)
{
    out += u"## " + md(MarkdownReportTr::tr("Leaderboard")) + u"\n\n";
    const QStringList head{MarkdownReportTr::tr("Target"),      MarkdownReportTr::tr("Quality (95% interval)"),
                           MarkdownReportTr::tr("Brittleness"), MarkdownReportTr::tr("$/1k cases"),
                           MarkdownReportTr::tr("TTFT p50"),    MarkdownReportTr::tr("Decode tok/s p50"),
                           MarkdownReportTr::tr("Error rate"),  MarkdownReportTr::tr("n")};
    QStringList cells;
    for (const QString &h : head)
        cells.append(md(h));
    out += u"| " + cells.join(QStringLiteral(" | ")) + u" |\n";
    out += QStringLiteral("| --- |") + QStringLiteral(" ---: |").repeated(head.size() - 1) + u'\n';
    for (const ReportTarget &t : data.targets) {
        const TargetSummary &s = t.summary;
        QString name = md(t.label);
        if (t.label != t.id)
            name += QStringLiteral(" (") + md(t.id) + u')';
        if (data.onPareto(t.id))
            name += QStringLiteral(" ★");
        const QStringList row{
            name,
            md(withInterval(ReportText::percent(s.quality), ReportText::percentInterval(s.qualityLow, s.qualityHigh))),
            md(s.brittleness ? withInterval(ReportText::points(s.brittleness),
                                            ReportText::pointsInterval(s.brittlenessLow, s.brittlenessHigh))
                             : MarkdownReportTr::tr("not measured")),
            md(ReportText::usd(s.costPer1000Cases)),
            md(ReportText::ms(s.medianTtftMs ? s.medianTtftMs : t.stats.ttftP50Ms)),
            md(ReportText::tokensPerSecond(s.medianDecodeTokensPerSecond ? s.medianDecodeTokensPerSecond
                                                                         : t.stats.decodeTokensPerSecondP50)),
            md(ReportText::percent(t.stats.errorRate)),
            QString::number(t.stats.n),
        };
        out += u"| " + row.join(QStringLiteral(" | ")) + u" |\n";
    }
    out += u'\n' + md(ReportText::leaderboardNote()) + u"\n\n";
}

// A chain cell's turns. Every piece of model or tool text goes into a fenced block of its own (no
// list items: a fence inside one ends with the item, and the rest would be parsed as markup); the
// labels and verdicts are escaped inline text.
void chainTurns(QString &out, const QList<ChainTurnResult> &turns)
{
    out += u"**" + md(MarkdownReportTr::tr("Chain: %n turn(s)", nullptr, int(turns.size()))) + u"**\n\n";
    for (const ChainTranscript::Line &line : ChainTranscript::lines(turns)) {
        const QString mark = line.bad ? QStringLiteral("✗ ") : QString();
        if (line.kind == ChainTranscript::Kind::Turn) {
            out += u"##### " + mark + md(line.label + QStringLiteral(": ") + line.text) + u"\n\n";
            continue;
        }
        out += u"*" + mark + md(line.label) + u"*\n\n" + ReportEscape::markdownCodeBlock(line.text) + u'\n';
    }
}

void cases(QString &out, const ReportData &data)
{
    out += u"## " + md(MarkdownReportTr::tr("Cases")) + u"\n\n";
    out += md(MarkdownReportTr::tr(
               "Each target's answer to the canonical wording (first repeat); every sample is in the CSV "
               "and JSONL exports.")) +
           u"\n\n";
    for (const ReportCase &c : data.cases) {
        out += u"### " + md(c.id) + u"\n\n";
        if (!c.prompt.isEmpty())
            out += u"**" + md(MarkdownReportTr::tr("Prompt")) + u"**\n\n" + ReportEscape::markdownCodeBlock(c.prompt) +
                   u'\n';
        if (!c.reference.isEmpty())
            out += u"**" + md(MarkdownReportTr::tr("Reference")) + u"**\n\n" +
                   ReportEscape::markdownCodeBlock(c.reference) + u'\n';
        for (const ReportTarget &t : data.targets) {
            const CellResult *cell = data.primaryCell(c.id, t.id);
            if (!cell)
                continue;
            const CellStatus status = ReportStatistics::status(*cell);
            QString heading = t.label + QStringLiteral(": ") + ReportStatistics::statusName(status);
            if (status != CellStatus::Cancelled)
                heading += QStringLiteral(", ") +
                           MarkdownReportTr::tr("score %1").arg(ReportText::percent(cell->grade.score, 0));
            out += u"#### " + md(heading) + u"\n\n";
            if (!cell->job.error.isEmpty())
                out += md(cell->job.error) + u"\n\n";
            if (!cell->turns.isEmpty())
                chainTurns(out, cell->turns);
            // A chain's answer is its last turn's, already listed there.
            if (cell->turns.isEmpty() || cell->job.result.text != cell->turns.constLast().answer)
                out += ReportEscape::markdownCodeBlock(cell->job.result.text) + u'\n';
        }
    }
}

void agreementTable(QString &out, const ReportData &data)
{
    if (data.agreement.isEmpty())
        return;
    out += u"## " + md(ReportText::agreementTitle()) + u"\n\n";
    const QStringList head = ReportText::agreementHeader();
    QStringList cells;
    for (const QString &title : head)
        cells.append(md(title));
    out += u"| " + cells.join(QStringLiteral(" | ")) + u" |\n";
    out += QStringLiteral("| --- | --- |") + QStringLiteral(" ---: |").repeated(head.size() - 2) + u'\n';
    for (const TargetAgreement &row : data.agreement) {
        QStringList line;
        for (const QString &cell : ReportText::agreementRow(data, row))
            line.append(md(cell));
        out += u"| " + line.join(QStringLiteral(" | ")) + u" |\n";
    }
    out += u'\n' + md(ReportText::agreementNote()) + u"\n\n";
}

void entries(QString &out, const QList<ReportText::Entry> &list)
{
    for (const ReportText::Entry &e : list)
        out += u"- **" + md(e.term) + u"**: " + md(e.text) + u'\n';
    out += u'\n';
}

void methodology(QString &out, const ReportData &data)
{
    out += u"## " + md(MarkdownReportTr::tr("Methodology")) + u"\n\n";
    out += u"### " + md(MarkdownReportTr::tr("Definitions")) + u"\n\n";
    entries(out, ReportText::metricDefinitions());
    out += u"### " + md(MarkdownReportTr::tr("Run conditions")) + u"\n\n";
    entries(out, ReportText::runConditions(data));
    out += u"### " + md(MarkdownReportTr::tr("Prices")) + u"\n\n";
    entries(out, ReportText::priceSources(data));
    const QStringList overrides = ReportText::overrideLines(data);
    out += md(overrides.isEmpty() ? MarkdownReportTr::tr("No catalogue price was overridden by the workspace.")
                                  : MarkdownReportTr::tr("Prices the workspace set over the catalogue's:")) +
           u"\n\n";
    for (const QString &line : overrides)
        out += u"- " + md(line) + u'\n';
    if (!overrides.isEmpty())
        out += u'\n';
}

} // namespace

QByteArray MarkdownReport::render(const ReportData &data)
{
    QString out;
    out += u"# " + md(ReportText::title(data)) + u"\n\n";
    if (!data.suiteDescription.isEmpty())
        out += md(data.suiteDescription) + u"\n\n";
    leaderboard(out, data);
    agreementTable(out, data);
    cases(out, data);
    methodology(out, data);
    return out.toUtf8();
}

} // namespace Slopscope
