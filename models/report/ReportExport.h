#pragma once

#include "core/Result.h"
#include "report/ReportData.h"

#include <QByteArray>
#include <QString>

namespace Slopscope {

// Writes the exports to files, each atomically (QSaveFile: a reader sees the old file or the
// whole new one, never a half-written one). The format follows the file's extension.
class ReportExport final
{
public:
    static Status writeFile(const QString &path, const QByteArray &bytes);

    // .html/.htm, .pdf, .md/.markdown
    static Status writeReport(const QString &path, const ReportData &data);
    // .png (2×), .svg, .pdf
    static Status writeChart(const QString &path, const ReportData &data);
    static Status writeSummary(const QString &path, const ReportData &data);
    static Status writeCsv(const QString &path, const ReportData &data);
    static Status writeJsonl(const QString &path, const ReportData &data);

    static bool isReportPath(const QString &path);
    static bool isChartPath(const QString &path);
};

} // namespace Slopscope
