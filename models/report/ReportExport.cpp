#include "report/ReportExport.h"

#include "core/AtomicWrite.h"

#include "report/HtmlReport.h"
#include "report/MarkdownReport.h"
#include "report/PdfReport.h"
#include "report/ReportChart.h"
#include "report/ReportCsv.h"
#include "report/ReportJson.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace Slopscope {

namespace {

// Through Q_DECLARE_TR_FUNCTIONS, lupdate files these strings under the context the code
// looks them up in (a translate() wrapper called tr() misled it into the namespace's).
struct ReportExportTr
{
    Q_DECLARE_TR_FUNCTIONS(ReportExport)
};

QString suffixOf(const QString &path)
{
    return QFileInfo(path).suffix().toLower();
}

Status writeResult(const QString &path, const Result<QByteArray> &bytes)
{
    if (!bytes)
        return Error{ReportExportTr::tr("%1: %2").arg(QDir::toNativeSeparators(path), bytes.error())};
    return ReportExport::writeFile(path, bytes.value());
}

} // namespace

Status ReportExport::writeFile(const QString &path, const QByteArray &bytes)
{
    if (const Status written = writeAtomically(path, bytes); !written.ok())
        return Error{ReportExportTr::tr("%1: cannot write: %2").arg(QDir::toNativeSeparators(path), written.error())};
    return {};
}

bool ReportExport::isReportPath(const QString &path)
{
    static const QStringList known{QStringLiteral("html"), QStringLiteral("htm"), QStringLiteral("pdf"),
                                   QStringLiteral("md"), QStringLiteral("markdown")};
    return known.contains(suffixOf(path));
}

bool ReportExport::isChartPath(const QString &path)
{
    static const QStringList known{QStringLiteral("png"), QStringLiteral("svg"), QStringLiteral("pdf")};
    return known.contains(suffixOf(path));
}

Status ReportExport::writeReport(const QString &path, const ReportData &data)
{
    const QString suffix = suffixOf(path);
    if (suffix == u"html" || suffix == u"htm")
        return writeFile(path, HtmlReport::render(data));
    if (suffix == u"md" || suffix == u"markdown")
        return writeFile(path, MarkdownReport::render(data));
    if (suffix == u"pdf")
        return writeResult(path, PdfReport::render(data));
    return Error{ReportExportTr::tr("%1: a report is .html, .pdf or .md").arg(QDir::toNativeSeparators(path))};
}

Status ReportExport::writeChart(const QString &path, const ReportData &data)
{
    const QString suffix = suffixOf(path);
    const ReportChart::Layout layout = ReportChart::layout(data);
    if (suffix == u"svg")
        return writeFile(path, ReportChart::svg(layout, true).toUtf8());
    if (suffix == u"png")
        return writeResult(path, ReportChart::png(layout, 2.0));
    if (suffix == u"pdf")
        return writeResult(path, ReportChart::pdf(layout));
    return Error{ReportExportTr::tr("%1: a chart is .png, .svg or .pdf").arg(QDir::toNativeSeparators(path))};
}

Status ReportExport::writeSummary(const QString &path, const ReportData &data)
{
    return writeFile(path, ReportJson::summary(data));
}

Status ReportExport::writeCsv(const QString &path, const ReportData &data)
{
    return writeFile(path, ReportCsv::csv(data));
}

Status ReportExport::writeJsonl(const QString &path, const ReportData &data)
{
    return writeFile(path, ReportJson::jsonl(data));
}

} // namespace Slopscope
