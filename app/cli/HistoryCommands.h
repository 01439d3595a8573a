#pragma once

#include <QStringList>

// The subcommands that work from the history database rather than a fresh run:
//   slopscope-cli resume RUN_ID [--db FILE] [--workspace FILE | --demo] [outputs] [--fail-under ...]
//       sends only the cells the run is missing (or that failed), into the same run
//   slopscope-cli report RUN_ID [--db FILE] [--report F]... [--chart F]... [--summary F] [--csv F] [--jsonl F]
//       the run's files again, from the database alone
//   slopscope-cli runs [--db FILE]
//       the runs of the history, newest first: id, start, state, answers, cost, suite
//   slopscope-cli merge DB... --db FILE
//       adds every run of the given databases (a CI matrix's shards) to one database
//   slopscope-cli import promptfoo|csv|jsonl FILE --out SUITE.json [--sample N] [--seed S] [--shuffle]
//       converts a promptfoo configuration, a CSV or a JSONL chat log into a suite file
// Each returns the exit code of `run` (RunCommand.h).
int runResumeCommand(const QStringList &args);
int runReportCommand(const QStringList &args);
int runMergeCommand(const QStringList &args);
int runListCommand(const QStringList &args);
int runImportCommand(const QStringList &args);
