#include "sim/SimTime.h"

#include <chrono>
#include <cstdio>

namespace Slopscope {

namespace {

struct Civil
{
    qint64 year;
    int month;
    int day;
    int hour;
    int minute;
    int second;
    int weekday; // 0 = Sunday
};

// Howard Hinnant's days-to-civil algorithm (public domain).
Civil civil(qint64 unixSecs)
{
    qint64 days = unixSecs / 86400;
    qint64 rem = unixSecs % 86400;
    if (rem < 0) {
        rem += 86400;
        --days;
    }
    Civil c{};
    c.hour = static_cast<int>(rem / 3600);
    c.minute = static_cast<int>(rem % 3600 / 60);
    c.second = static_cast<int>(rem % 60);
    c.weekday = static_cast<int>(((days % 7) + 11) % 7); // 1970-01-01 was a Thursday
    const qint64 z = days + 719468;
    const qint64 era = (z >= 0 ? z : z - 146096) / 146097;
    const qint64 doe = z - era * 146097;
    const qint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const qint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const qint64 mp = (5 * doy + 2) / 153;
    c.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    c.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    c.year = yoe + era * 400 + (c.month <= 2 ? 1 : 0);
    return c;
}

} // namespace

qint64 SimTime::wallNowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

QByteArray SimTime::isoSeconds(qint64 unixSecs)
{
    const Civil c = civil(unixSecs);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04lld-%02d-%02dT%02d:%02d:%02d", static_cast<long long>(c.year), c.month, c.day,
                  c.hour, c.minute, c.second);
    return QByteArray(buf);
}

QByteArray SimTime::httpDate(qint64 unixSecs)
{
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const Civil c = civil(unixSecs);
    char buf[40];
    std::snprintf(buf, sizeof buf, "%s, %02d %s %04lld %02d:%02d:%02d GMT", days[c.weekday], c.day, months[c.month - 1],
                  static_cast<long long>(c.year), c.hour, c.minute, c.second);
    return QByteArray(buf);
}

} // namespace Slopscope
