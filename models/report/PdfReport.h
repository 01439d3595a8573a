#pragma once

#include "core/Result.h"
#include "report/ReportData.h"

#include <QByteArray>
#include <QString>

namespace Slopscope {

// The report as a PDF (A4): the leaderboard, the quadrant drawn with QPainter (vectors), then the
// per-case answers and the methodology, from a simplified HTML laid out by QTextDocument. Needs
// a QGuiApplication (fonts); fails without one.
class PdfReport final
{
public:
    // The rich text QTextDocument lays out: `part` 0 is the title and leaderboard, 1 the cases and
    // methodology. Everything untrusted is escaped; no image, no link.
    static QString documentHtml(const ReportData &data, int part);
    static Result<QByteArray> render(const ReportData &data);
};

} // namespace Slopscope
