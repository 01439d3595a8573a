#pragma once

#include <QStringList>

// `slopscope-cli sim`: runs the provider simulator standalone until SIGINT/SIGTERM.
//   slopscope-cli sim [--port N] [--personas FILE] [--suite FILE]... [--log FILE] [--listen ADDR] [--no-faults]
// Returns the process exit code. Expects a QCoreApplication to exist.
int runSimCommand(const QStringList &args);
