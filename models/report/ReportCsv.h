#pragma once

#include "report/ReportData.h"

#include <QByteArray>
#include <QStringList>

namespace Slopscope {

// One row per cell, the JSONL fields as columns (grades as a JSON text), RFC 4180 with CRLF line
// ends and UTF-8. Unknown figures are empty cells. Text cells that a spreadsheet would run as a
// formula are escaped (ReportEscape::csvField).
class ReportCsv final
{
public:
    static QStringList columns();
    static QByteArray csv(const ReportData &data);
};

} // namespace Slopscope
