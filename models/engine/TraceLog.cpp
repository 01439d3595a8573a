#include "engine/TraceLog.h"

namespace Slopscope {

// QtInfoMsg: debug messages are off by default, info and warnings on.
Q_LOGGING_CATEGORY(lcNet, "slopscope.net", QtInfoMsg)
Q_LOGGING_CATEGORY(lcRun, "slopscope.run", QtInfoMsg)

void enableTraceLogging()
{
    QLoggingCategory::setFilterRules(QStringLiteral("slopscope.*.debug=true"));
}

} // namespace Slopscope
