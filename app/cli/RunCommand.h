#pragma once

#include "RunOutputs.h"
#include "run/RunGate.h"
#include "run/RunSpec.h"

#include <QStringList>

// The exit codes promised in `slopscope-cli --help` and README: scripts and CI matrices rely on them.
enum ExitCode { ExitOk = 0, ExitGateFailed = 1, ExitBadInput = 2, ExitIncomplete = 3 };

// `slopscope-cli run`: runs a suite against a workspace's targets headlessly, records it in the
// history, writes the requested outputs and prints one line per target (quality with its
// interval, cost per 1,000 cases, TTFT, decode speed).
//   slopscope-cli run --demo [--suite NAME|FILE] [--targets ID,ID] [--repeat K] [--variants] [--seed S]
//   slopscope-cli run --suite FILE --workspace FILE [...]
// --demo uses the bundled demo workspace, answered by the embedded simulator. Expects a
// QCoreApplication (a QGuiApplication when PNG or PDF files are asked for).
int runRunCommand(const QStringList &args);

// Runs `spec` to the end (or SIGINT/SIGTERM), then applies the gates; returns the exit code. With
// resumeRunId the results join that recorded run (spec.completed holds what it already has).
int executeRun(const Slopscope::RunSpec &spec, const QList<Slopscope::RunGate> &gates,
               const Slopscope::OutputPaths &paths, const QString &resumeRunId);
