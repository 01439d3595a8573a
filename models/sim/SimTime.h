#pragma once

#include <QByteArray>
#include <QtGlobal>

namespace Slopscope {

// Wall-clock formatting without QDateTime (fast enough for a timestamp per token, and free of the
// time-spec API that changed between Qt 6.4 and 6.9).
class SimTime final
{
public:
    static qint64 wallNowNs();
    // "2025-08-04T08:52:19" (UTC) for a unix time in seconds.
    static QByteArray isoSeconds(qint64 unixSecs);
    // RFC 9110 IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT".
    static QByteArray httpDate(qint64 unixSecs);
};

} // namespace Slopscope
