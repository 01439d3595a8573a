#pragma once

#include "report/ReportData.h"

#include <QByteArray>

namespace Slopscope {

// The forwardable report: ONE self-contained file, well-formed XHTML syntax (so it parses as XML
// and as HTML5), no script, no external resource, a Content-Security-Policy that forbids both,
// the quadrant as inline SVG, the leaderboard with intervals, per-case answers with word diffs,
// and the methodology. Every piece of model output, every id and label is escaped
// (ReportEscape::html), bidi controls shown as visible escapes.
class HtmlReport final
{
public:
    static constexpr const char *kContentSecurityPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

    static QByteArray render(const ReportData &data);
};

} // namespace Slopscope
