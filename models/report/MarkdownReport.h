#pragma once

#include "report/ReportData.h"

#include <QByteArray>

namespace Slopscope {

// A Markdown report (CommonMark with GFM tables): leaderboard, per-case answers and the
// methodology. Model output only ever appears inside fenced code blocks or backslash-escaped, so no
// raw HTML, link or image passes through.
class MarkdownReport final
{
public:
    static QByteArray render(const ReportData &data);
};

} // namespace Slopscope
