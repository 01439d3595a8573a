#include "report/HtmlReport.h"

#include "report/ReportChart.h"
#include "report/ReportEscape.h"
#include "report/ReportStatistics.h"
#include "report/ReportText.h"
#include "report/WordDiff.h"
#include "run/ChainTranscript.h"

#include <QCoreApplication>

namespace Slopscope {

namespace {

// Through Q_DECLARE_TR_FUNCTIONS, lupdate files these strings under the context the code
// looks them up in (a translate() wrapper called tr() misled it into the namespace's).
struct HtmlReportTr
{
    Q_DECLARE_TR_FUNCTIONS(HtmlReport)
};

QString h(const QString &text)
{
    return ReportEscape::html(text);
}

// No '<' or '&' in here: the style element's text must stay well-formed XML.
const char *const kStyle = R"(
body{font-family:"DejaVu Sans",Arial,sans-serif;color:#222;max-width:1180px;margin:1.5em auto;padding:0 1em}
h1{font-size:1.6em}h2{margin-top:2em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;font-size:13px}
th,td{border:1px solid #ccc;padding:4px 7px;text-align:right;vertical-align:top}
th{background:#f2f2f2}th:first-child,td:first-child{text-align:left}
.ci{color:#666;font-size:11px;display:block}
.pareto{font-weight:bold}
pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f7f7f7;border:1px solid #ddd;padding:7px;
max-height:28em;overflow:auto;font-size:12px}
del{background:#fbdada;text-decoration:line-through}
ins{background:#d6f5d6;text-decoration:none}
details{border:1px solid #ddd;margin:.4em 0;padding:.3em .8em}
summary{cursor:pointer;font-weight:bold}
.answer h4{margin:.8em 0 .3em}
.error{color:#a00}
.muted{color:#666;font-size:12px}
dt{font-weight:bold;margin-top:.5em}dd{margin-left:1.5em}
svg{max-width:100%;height:auto}
)";

QString td(const QString &value, const QString &interval = {})
{
    QString cell = u"<td>" + h(value);
    if (!interval.isEmpty())
        cell += u"<span class=\"ci\">" + h(interval) + u"</span>";
    return cell + u"</td>";
}

void leaderboard(QString &o, const ReportData &data)
{
    o += u"<section id=\"leaderboard\"><h2>" + h(HtmlReportTr::tr("Leaderboard")) + u"</h2>\n<table>\n<thead><tr>";
    const QStringList head{
        HtmlReportTr::tr("Target"),         HtmlReportTr::tr("Quality"),          HtmlReportTr::tr("Brittleness"),
        HtmlReportTr::tr("$ per 1k cases"), HtmlReportTr::tr("Total cost"),       HtmlReportTr::tr("TTFT p50"),
        HtmlReportTr::tr("TTFT p95"),       HtmlReportTr::tr("Decode tok/s p50"), HtmlReportTr::tr("Latency p50"),
        HtmlReportTr::tr("Latency p95"),    HtmlReportTr::tr("Error rate"),       HtmlReportTr::tr("Answers ok")};
    for (const QString &title : head)
        o += u"<th>" + h(title) + u"</th>";
    o += u"</tr></thead>\n<tbody>\n";
    for (const ReportTarget &t : data.targets) {
        const TargetSummary &s = t.summary;
        const ReportTargetStats &st = t.stats;
        const bool pareto = data.onPareto(t.id);
        o += pareto ? QStringLiteral("<tr class=\"pareto\">") : QStringLiteral("<tr>");
        o += u"<td>" + (pareto ? QStringLiteral("★ ") : QString()) + h(t.label);
        QString detail = t.id;
        if (!t.model.isEmpty())
            detail += QStringLiteral(" · ") + t.model;
        o += u"<span class=\"ci\">" + h(detail) + u"</span></td>";
        o += td(ReportText::percent(s.quality), ReportText::percentInterval(s.qualityLow, s.qualityHigh));
        o += s.brittleness ? td(ReportText::points(s.brittleness),
                                ReportText::pointsInterval(s.brittlenessLow, s.brittlenessHigh))
                           : td(HtmlReportTr::tr("not measured"));
        o += td(ReportText::usd(s.costPer1000Cases));
        o += td(ReportText::usd(st.costUsdTotal));
        o += td(ReportText::ms(s.medianTtftMs ? s.medianTtftMs : st.ttftP50Ms));
        o += td(ReportText::ms(st.ttftP95Ms));
        o += td(ReportText::tokensPerSecond(s.medianDecodeTokensPerSecond ? s.medianDecodeTokensPerSecond
                                                                          : st.decodeTokensPerSecondP50));
        o += td(ReportText::ms(st.latencyP50Ms));
        o += td(ReportText::ms(s.p95LatencyMs ? s.p95LatencyMs : st.latencyP95Ms));
        o += td(ReportText::percent(st.errorRate));
        o += td(QStringLiteral("%1 / %2").arg(st.nOk).arg(st.n));
        o += u"</tr>\n";
    }
    o += u"</tbody></table>\n<p class=\"muted\">" + h(ReportText::leaderboardNote()) + u"</p></section>\n";
}

void agreementTable(QString &o, const ReportData &data)
{
    if (data.agreement.isEmpty())
        return;
    o += u"<section id=\"agreement\"><h2>" + h(ReportText::agreementTitle()) + u"</h2>\n<table>\n<thead><tr>";
    for (const QString &title : ReportText::agreementHeader())
        o += u"<th>" + h(title) + u"</th>";
    o += u"</tr></thead>\n<tbody>\n";
    for (const TargetAgreement &row : data.agreement) {
        o += u"<tr>";
        // Target labels and judge ids come from workspace files: escaped like any other text.
        for (const QString &cell : ReportText::agreementRow(data, row))
            o += td(cell);
        o += u"</tr>\n";
    }
    o += u"</tbody></table>\n<p class=\"muted\">" + h(ReportText::agreementNote()) + u"</p></section>\n";
}

QString diffHtml(const QList<DiffSegment> &segments)
{
    QString o;
    for (const DiffSegment &s : segments) {
        switch (s.kind) {
        case DiffSegment::Kind::Same:
            o += h(s.text);
            break;
        case DiffSegment::Kind::Added:
            o += u"<ins>" + h(s.text) + u"</ins>";
            break;
        case DiffSegment::Kind::Removed:
            o += u"<del>" + h(s.text) + u"</del>";
            break;
        }
    }
    return o;
}

void oneCase(QString &o, const ReportData &data, const ReportCase &c)
{
    struct Shown
    {
        const ReportTarget *target;
        const CellResult *cell;
    };
    QList<Shown> shown;
    int passed = 0;
    for (const ReportTarget &t : data.targets) {
        if (const CellResult *cell = data.primaryCell(c.id, t.id)) {
            shown.append({&t, cell});
            passed += ReportStatistics::status(*cell) == CellStatus::Ok && cell->grade.pass ? 1 : 0;
        }
    }
    o += u"<details><summary>" + h(c.id) + u" <span class=\"muted\">" +
         h(HtmlReportTr::tr("%1 of %2 passed").arg(QString::number(passed), QString::number(shown.size()))) +
         u"</span></summary>\n";
    if (!c.prompt.isEmpty())
        o += u"<h4>" + h(HtmlReportTr::tr("Prompt")) + u"</h4><pre>" + h(c.prompt) + u"</pre>\n";
    for (const ReportCase::Variant &v : c.variants) {
        o += u"<h4>" + h(HtmlReportTr::tr("Rewording %1 (%2)").arg(v.id, v.kind)) + u"</h4><pre>" + h(v.prompt) +
             u"</pre>\n";
    }
    if (!c.reference.isEmpty())
        o += u"<h4>" + h(HtmlReportTr::tr("Reference")) + u"</h4><pre>" + h(c.reference) + u"</pre>\n";

    // The diff baseline: the reference, else the first target's answer.
    const bool againstReference = !c.reference.isEmpty();
    const CellResult *baselineCell = againstReference || shown.isEmpty() ? nullptr : shown.first().cell;
    const QString baseline = againstReference ? c.reference : baselineCell ? baselineCell->job.result.text : QString();
    const QString baselineName = againstReference  ? HtmlReportTr::tr("the reference")
                                 : shown.isEmpty() ? QString()
                                                   : shown.first().target->label;
    for (const Shown &s : std::as_const(shown)) {
        const CellResult &cell = *s.cell;
        const CellStatus status = ReportStatistics::status(cell);
        QString heading = ReportStatistics::statusName(status);
        if (status != CellStatus::Cancelled && !cell.grade.pendingJudge)
            heading +=
                QStringLiteral(" · ") + HtmlReportTr::tr("score %1").arg(ReportText::percent(cell.grade.score, 0));
        o += u"<div class=\"answer\"><h4>" + h(s.target->label) + u" <span class=\"muted\">" + h(heading) +
             u"</span></h4>\n";
        if (!cell.job.error.isEmpty())
            o += u"<p class=\"error\">" + h(cell.job.error) + u"</p>\n";
        if (!cell.job.result.reasoningText.isEmpty()) {
            o += u"<details><summary>" + h(HtmlReportTr::tr("Reasoning")) + u"</summary><pre>" +
                 h(cell.job.result.reasoningText) + u"</pre></details>\n";
        }
        if (!cell.turns.isEmpty()) {
            // A chain: every turn, escaped line by line (model text and tool arguments are untrusted).
            o += u"<details><summary>" + h(HtmlReportTr::tr("Chain: %n turn(s)", nullptr, int(cell.turns.size()))) +
                 u"</summary><dl class=\"chain\">\n";
            for (const ChainTranscript::Line &line : ChainTranscript::lines(cell.turns)) {
                o += (line.bad ? u"<dt class=\"error\">" : u"<dt>") + h(line.label) + u"</dt><dd><pre>" + h(line.text) +
                     u"</pre></dd>\n";
            }
            o += u"</dl></details>\n";
        }
        o += u"<pre>" + h(cell.job.result.text) + u"</pre>\n";
        if (&cell != baselineCell && !baseline.isEmpty() && !cell.job.result.text.isEmpty()) {
            const auto segments = WordDiff::diff(baseline, cell.job.result.text);
            o += u"<p class=\"muted\">" + h(HtmlReportTr::tr("Word diff against %1:").arg(baselineName)) + u"</p>";
            if (segments)
                o += u"<pre class=\"diff\">" + diffHtml(*segments) + u"</pre>\n";
            else
                o += u"<p class=\"muted\">" + h(HtmlReportTr::tr("(too long to diff)")) + u"</p>\n";
        }
        o += u"</div>\n";
    }
    o += u"</details>\n";
}

void dl(QString &o, const QList<ReportText::Entry> &entries)
{
    o += u"<dl>\n";
    for (const ReportText::Entry &e : entries)
        o += u"<dt>" + h(e.term) + u"</dt><dd>" + h(e.text) + u"</dd>\n";
    o += u"</dl>\n";
}

void methodology(QString &o, const ReportData &data)
{
    o += u"<section id=\"methodology\"><h2>" + h(HtmlReportTr::tr("Methodology")) + u"</h2>\n";
    o += u"<h3>" + h(HtmlReportTr::tr("Definitions")) + u"</h3>\n";
    dl(o, ReportText::metricDefinitions());
    o += u"<h3>" + h(HtmlReportTr::tr("Run conditions")) + u"</h3>\n";
    dl(o, ReportText::runConditions(data));
    o += u"<h3>" + h(HtmlReportTr::tr("Prices")) + u"</h3>\n";
    dl(o, ReportText::priceSources(data));
    const QStringList overrides = ReportText::overrideLines(data);
    if (overrides.isEmpty()) {
        o += u"<p>" + h(HtmlReportTr::tr("No catalogue price was overridden by the workspace.")) + u"</p>\n";
    } else {
        o += u"<p>" + h(HtmlReportTr::tr("Prices the workspace set over the catalogue's:")) + u"</p>\n<ul>\n";
        for (const QString &line : overrides)
            o += u"<li>" + h(line) + u"</li>\n";
        o += u"</ul>\n";
    }
    o += u"</section>\n";
}

} // namespace

QByteArray HtmlReport::render(const ReportData &data)
{
    const QString title = ReportText::title(data);
    QString o;
    o += QStringLiteral("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n"
                        "<meta charset=\"utf-8\"/>\n");
    o += u"<meta http-equiv=\"Content-Security-Policy\" content=\"" + h(QString::fromLatin1(kContentSecurityPolicy)) +
         u"\"/>\n";
    o += QStringLiteral("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
                        "<meta name=\"referrer\" content=\"no-referrer\"/>\n");
    o += u"<meta name=\"generator\" content=\"Slopscope " + h(data.appVersion) + u"\"/>\n";
    o += u"<title>" + h(title) + u"</title>\n<style>" + QString::fromLatin1(kStyle) + u"</style>\n</head>\n<body>\n";
    o += u"<h1>" + h(title) + u"</h1>\n";
    if (!data.suiteDescription.isEmpty())
        o += u"<p>" + h(data.suiteDescription) + u"</p>\n";
    o += u"<p class=\"muted\">" +
         h(HtmlReportTr::tr("Run %1 · started %2 · ended %3 · Slopscope %4")
               .arg(data.runId.isEmpty() ? ReportText::unknown() : data.runId,
                    ReportText::dateTime(data.conditions.startedAt), ReportText::dateTime(data.conditions.endedAt),
                    data.appVersion)) +
         u"</p>\n";
    leaderboard(o, data);
    agreementTable(o, data);
    o += u"<section id=\"quadrant\"><h2>" + h(HtmlReportTr::tr("Price and quality")) + u"</h2>\n";
    o += ReportChart::svg(ReportChart::layout(data), false);
    o += u"</section>\n";
    o += u"<section id=\"cases\"><h2>" + h(HtmlReportTr::tr("Cases")) + u"</h2>\n<p class=\"muted\">" +
         h(HtmlReportTr::tr(
             "Each target's answer to the canonical wording (first repeat), with a word diff; every sample is in "
             "the CSV and JSONL exports.")) +
         u"</p>\n";
    for (const ReportCase &c : data.cases)
        oneCase(o, data, c);
    o += u"</section>\n";
    methodology(o, data);
    o += u"</body>\n</html>\n";
    return o.toUtf8();
}

} // namespace Slopscope
