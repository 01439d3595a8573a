#pragma once

#include <QLoggingCategory>

namespace Slopscope {

// The engine's trace (docs/ENGINE.md "Trace logging"): off unless asked for, because a run sends
// thousands of requests. slopscope.net: each request (method, URL and headers with every
// credential shown as ***), its status, failure and proxy; slopscope.run: the scheduler's
// decisions (launch, retry, pause, stop). Everything logged goes through RequestBuilder's
// redaction, the one place that knows what a credential looks like.
Q_DECLARE_LOGGING_CATEGORY(lcNet)
Q_DECLARE_LOGGING_CATEGORY(lcRun)

// Turns on the debug messages of every slopscope.* category (the --trace flag). QT_LOGGING_RULES
// is applied after these rules, so it still has the last word.
void enableTraceLogging();

} // namespace Slopscope
