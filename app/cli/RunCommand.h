#pragma once

#include <QStringList>

// `slopscope-cli run`: runs a suite against a workspace's targets headlessly and prints one line
// per target (quality with its interval, cost per 1,000 cases, TTFT, decode speed).
//   slopscope-cli run --demo [--suite NAME|FILE] [--targets ID,ID] [--repeat K] [--variants] [--seed S]
//   slopscope-cli run --suite FILE --workspace FILE [...]
// --demo uses the bundled demo workspace, answered by the embedded simulator. Exit code 0 when
// every cell completed, 1 when some failed, 2 for bad arguments. Expects a QCoreApplication.
int runRunCommand(const QStringList &args);
