#include "HistoryCommands.h"

#include "core/AtomicWrite.h"
#include "report/ReportData.h"
#include "report/ReportExport.h"
#include "report/ReportJson.h"
#include "run/RunSession.h"
#include "RunCommand.h"
#include "RunOutputs.h"
#include "store/HistoryStore.h"
#include "store/RecordedRun.h"
#include "store/RunSnapshot.h"
#include "store/StoreEnums.h"

#include "quality/CsvImporter.h"
#include "quality/JsonlImporter.h"
#include "quality/PromptfooImporter.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QTemporaryDir>
#include <QTextStream>

using namespace Slopscope;

namespace {

// Through Q_DECLARE_TR_FUNCTIONS, lupdate files these strings under the context the code
// looks them up in (a translate() wrapper called tr() misled it into the namespace's).
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(HistoryCommands)
};

// Parses `args` (after the command name); prints the error and returns false on bad usage.
bool parse(QCommandLineParser &parser, const QString &command, const QStringList &args, QTextStream &err)
{
    if (!parser.parse(QStringList{QStringLiteral("slopscope-cli ") + command} + args)) {
        err << parser.errorText() << Qt::endl;
        return false;
    }
    return true;
}

QString dbPathFrom(const QCommandLineParser &parser, const QCommandLineOption &db)
{
    return parser.isSet(db) ? parser.value(db) : HistoryStore::defaultPath();
}

} // namespace

int runResumeCommand(const QStringList &args)
{
    QTextStream err(stderr);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        Tr::tr("Send the cells an interrupted or cancelled run is missing, into that run."));
    const QCommandLineOption workspaceOpt(QStringLiteral("workspace"),
                                          Tr::tr("Workspace with the run's providers (keys are never stored)."),
                                          Tr::tr("file"));
    const QCommandLineOption demoOpt(QStringLiteral("demo"), Tr::tr("The run used the demo workspace."));
    const QCommandLineOption failUnderOpt(QStringLiteral("fail-under"), Tr::tr("As for run. May be repeated."),
                                          Tr::tr("gate"));
    parser.addOptions({workspaceOpt, demoOpt, failUnderOpt});
    OutputPaths::addOptions(parser, true);
    if (!parse(parser, QStringLiteral("resume"), args, err))
        return ExitBadInput;
    if (parser.positionalArguments().size() != 1) {
        err << Tr::tr("Give the id of the run to resume (slopscope-cli resume RUN_ID).") << Qt::endl;
        return ExitBadInput;
    }
    auto paths = OutputPaths::fromParser(parser, true);
    if (!paths) {
        err << paths.error() << Qt::endl;
        return ExitBadInput;
    }
    if (paths.value().noDb) {
        err << Tr::tr("resume continues a run of the history: it needs a database, not --no-db.") << Qt::endl;
        return ExitBadInput;
    }
    const QString runId = parser.positionalArguments().first();
    auto stored = RecordedRun::load(paths.value().db, runId, true);
    if (!stored) {
        err << stored.error() << Qt::endl;
        return ExitBadInput;
    }
    if (stored.value().record.state == RunState::Completed) {
        err << Tr::tr("Run %1 completed; there is nothing to resume.").arg(runId) << Qt::endl;
        return ExitOk;
    }
    RunSpec spec = stored.value().spec;
    // The snapshot keeps no key and no header: the providers come from a workspace again. A run
    // answered by the embedded simulator needs none, the demo workspace's providers do.
    bool allSimulated = true;
    for (const ProviderConfig &p : std::as_const(spec.workspace.providers))
        allSimulated = allSimulated && p.usesEmbeddedSimulator();
    Workspace providers;
    if (parser.isSet(workspaceOpt)) {
        auto ws = Workspace::fromFile(parser.value(workspaceOpt));
        if (!ws) {
            err << ws.error() << Qt::endl;
            return ExitBadInput;
        }
        providers = ws.value();
    } else if (parser.isSet(demoOpt) || allSimulated) {
        providers = Workspace::demo();
    } else {
        err << Tr::tr("Run %1 used real providers: give the workspace that defines them (--workspace FILE).").arg(runId)
            << Qt::endl;
        return ExitBadInput;
    }
    auto withProviders = RunSnapshot::withProvidersFrom(spec, providers);
    if (!withProviders) {
        err << withProviders.error() << Qt::endl;
        return ExitBadInput;
    }
    spec = withProviders.value();
    spec.completed = stored.value().cells;
    const auto gates = RunGate::parseAll(parser.values(failUnderOpt));
    if (!gates) {
        err << gates.error() << Qt::endl;
        return ExitBadInput;
    }
    return executeRun(spec, gates.value(), paths.value(), runId);
}

int runReportCommand(const QStringList &args)
{
    QTextStream err(stderr);
    QCommandLineParser parser;
    parser.setApplicationDescription(Tr::tr("Write a recorded run's reports again, from the database alone."));
    const QCommandLineOption dbOpt(QStringLiteral("db"), Tr::tr("History database (default: the user's)."),
                                   Tr::tr("file"));
    parser.addOption(dbOpt);
    OutputPaths::addOptions(parser, false);
    if (!parse(parser, QStringLiteral("report"), args, err))
        return ExitBadInput;
    if (parser.positionalArguments().size() != 1) {
        err << Tr::tr("Give the id of the run to report (slopscope-cli report RUN_ID).") << Qt::endl;
        return ExitBadInput;
    }
    auto paths = OutputPaths::fromParser(parser, false);
    if (!paths) {
        err << paths.error() << Qt::endl;
        return ExitBadInput;
    }
    const OutputPaths &out = paths.value();
    if (out.jsonl.isEmpty() && out.summary.isEmpty() && out.csv.isEmpty() && out.reports.isEmpty() &&
        out.charts.isEmpty()) {
        err << Tr::tr("Nothing to write: give --report, --chart, --summary, --csv or --jsonl.") << Qt::endl;
        return ExitBadInput;
    }
    const QString runId = parser.positionalArguments().first();
    auto stored = RecordedRun::load(dbPathFrom(parser, dbOpt), runId);
    if (!stored) {
        err << stored.error() << Qt::endl;
        return ExitBadInput;
    }
    const RecordedRun &run = stored.value();
    if (!run.ratingsProblem.isEmpty())
        err << Tr::tr("The people's ratings of this run could not be read, so the report has no judge–human "
                      "agreement: %1")
                   .arg(run.ratingsProblem)
            << Qt::endl;
    const ReportData data = ReportData::fromRecordedRun(run);
    QStringList problems;
    if (!out.jsonl.isEmpty()) {
        QByteArray lines;
        for (const CellResult &c : run.cells)
            lines += ReportJson::jsonlLine(runId, c);
        if (const Status s = ReportExport::writeFile(out.jsonl, lines); !s.ok())
            problems.append(s.error());
    }
    if (const Status s = RunOutputs::writeEndFiles(out, data); !s.ok())
        problems.append(s.error());
    if (!problems.isEmpty()) {
        err << problems.join(u'\n') << Qt::endl;
        return ExitIncomplete;
    }
    return ExitOk;
}

int runListCommand(const QStringList &args)
{
    QTextStream err(stderr);
    QTextStream out(stdout);
    QCommandLineParser parser;
    parser.setApplicationDescription(Tr::tr("List the runs of the history, newest first."));
    const QCommandLineOption dbOpt(QStringLiteral("db"), Tr::tr("History database (default: the user's)."),
                                   Tr::tr("file"));
    parser.addOption(dbOpt);
    if (!parse(parser, QStringLiteral("runs"), args, err))
        return ExitBadInput;
    HistoryStore store;
    auto opened = store.open(dbPathFrom(parser, dbOpt), HistoryStore::Mode::ReadOnly);
    auto runs = opened ? store.listRuns() : Result<QList<RunRecord>>(Error{opened.error()});
    if (!runs) {
        err << runs.error() << Qt::endl;
        return ExitBadInput;
    }
    // Tab-separated, one run a line, so `cut` and spreadsheets read it; the id comes first
    // because `report`, `resume` and `slopscope --open-run` take it.
    for (const RunRecord &run : runs.value()) {
        out << run.id << '\t' << run.startedAt.toString(Qt::ISODate) << '\t' << StoreEnums::runStateName(run.state)
            << '\t' << run.okCells << '/' << run.plannedCells << '\t' << QString::number(run.costUsd, 'f', 6) << '\t'
            << run.suiteName << '\n';
    }
    out.flush();
    return ExitOk;
}

int runMergeCommand(const QStringList &args)
{
    QTextStream err(stderr);
    QTextStream out(stdout);
    QCommandLineParser parser;
    parser.setApplicationDescription(Tr::tr("Add every run of the given databases to one database."));
    const QCommandLineOption dbOpt(QStringLiteral("db"), Tr::tr("The database to merge into (created if missing)."),
                                   Tr::tr("file"));
    parser.addOption(dbOpt);
    if (!parse(parser, QStringLiteral("merge"), args, err))
        return ExitBadInput;
    if (!parser.isSet(dbOpt) || parser.positionalArguments().isEmpty()) {
        err << Tr::tr("Usage: slopscope-cli merge SOURCE.sqlite... --db TARGET.sqlite") << Qt::endl;
        return ExitBadInput;
    }
    HistoryStore target;
    if (auto opened = target.open(parser.value(dbOpt)); !opened) {
        err << opened.error() << Qt::endl;
        return ExitBadInput;
    }
    QTemporaryDir scratch;
    if (!scratch.isValid()) {
        err << Tr::tr("Cannot create a temporary folder: %1").arg(scratch.errorString()) << Qt::endl;
        return ExitIncomplete;
    }
    int merged = 0;
    int skipped = 0;
    for (const QString &sourcePath : parser.positionalArguments()) {
        HistoryStore source;
        auto opened = source.open(sourcePath, HistoryStore::Mode::ReadOnly);
        if (!opened) {
            err << opened.error() << Qt::endl;
            return ExitBadInput;
        }
        auto runs = source.listRuns();
        if (!runs) {
            err << runs.error() << Qt::endl;
            return ExitBadInput;
        }
        for (const RunRecord &run : runs.value()) {
            // One run at a time through the export format: the same checks as sharing a run.
            const QString file = scratch.filePath(run.id + QStringLiteral(".slopscope-run"));
            if (const Status exported = source.exportRun(run.id, file); !exported.ok()) {
                err << exported.error() << Qt::endl;
                return ExitIncomplete;
            }
            auto imported = target.importRuns(file);
            if (!imported) {
                // A run the target already holds (the same shard merged twice) is not an error.
                err << Tr::tr("%1: run %2 skipped: %3").arg(sourcePath, run.id, imported.error()) << Qt::endl;
                ++skipped;
                continue;
            }
            merged += static_cast<int>(imported.value().size());
        }
    }
    out << Tr::tr("Merged %1 run(s) into %2; %3 skipped.")
               .arg(merged)
               .arg(QDir::toNativeSeparators(parser.value(dbOpt)))
               .arg(skipped)
        << Qt::endl;
    return ExitOk;
}

int runImportCommand(const QStringList &args)
{
    QTextStream err(stderr);
    QTextStream out(stdout);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        Tr::tr("Convert a promptfoo configuration, a CSV or a JSONL chat log into a suite."));
    const QCommandLineOption outOpt(QStringLiteral("out"), Tr::tr("The suite file to write."), Tr::tr("suite.json"));
    const QCommandLineOption sampleOpt(QStringLiteral("sample"), Tr::tr("jsonl: keep N conversations."), Tr::tr("n"));
    const QCommandLineOption seedOpt(QStringLiteral("seed"), Tr::tr("jsonl: seed of the sample and shuffle."),
                                     Tr::tr("s"), QStringLiteral("1"));
    const QCommandLineOption shuffleOpt(QStringLiteral("shuffle"), Tr::tr("jsonl: order the cases by the seed."));
    const QCommandLineOption noRedactOpt(QStringLiteral("no-redact"),
                                         Tr::tr("jsonl: keep e-mail addresses, phone numbers and key-like strings."));
    parser.addOptions({outOpt, sampleOpt, seedOpt, shuffleOpt, noRedactOpt});
    if (!parse(parser, QStringLiteral("import"), args, err))
        return ExitBadInput;
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 2 || !parser.isSet(outOpt)) {
        err << Tr::tr("Usage: slopscope-cli import promptfoo|csv|jsonl FILE --out SUITE.json") << Qt::endl;
        return ExitBadInput;
    }
    const QString &format = positional.at(0);
    const QString &file = positional.at(1);
    Suite suite;
    QStringList notes;
    if (format == u"promptfoo") {
        auto imported = PromptfooImporter::fromFile(file);
        if (!imported) {
            err << imported.error() << Qt::endl;
            return ExitBadInput;
        }
        suite = imported.value().suite;
        notes = imported.value().warnings;
        for (const TargetSuggestion &t : imported.value().targets)
            notes.append(Tr::tr("provider %1 → %2%3")
                             .arg(t.source, t.mapped() ? t.preset + u'/' + t.model : Tr::tr("not mapped"),
                                  t.note.isEmpty() ? QString() : QStringLiteral(" (") + t.note + u')'));
    } else if (format == u"csv") {
        auto imported = CsvImporter::fromFile(file);
        if (!imported) {
            err << imported.error() << Qt::endl;
            return ExitBadInput;
        }
        suite = imported.value();
    } else if (format == u"jsonl") {
        JsonlImporter::Options options;
        bool ok = true;
        if (parser.isSet(sampleOpt)) {
            options.sample = parser.value(sampleOpt).toLongLong(&ok);
            if (!ok || *options.sample < 1) {
                err << Tr::tr("--sample takes a whole number of at least 1.") << Qt::endl;
                return ExitBadInput;
            }
        }
        options.seed = parser.value(seedOpt).toULongLong(&ok);
        if (!ok) {
            err << Tr::tr("--seed takes a whole number.") << Qt::endl;
            return ExitBadInput;
        }
        options.shuffle = parser.isSet(shuffleOpt);
        options.redact = !parser.isSet(noRedactOpt);
        auto imported = JsonlImporter::fromFile(file, options);
        if (!imported) {
            err << imported.error() << Qt::endl;
            return ExitBadInput;
        }
        suite = imported.value().suite;
        notes.append(Tr::tr("%1 conversation(s) read, %2 kept").arg(imported.value().lines).arg(suite.cases.size()));
    } else {
        err << Tr::tr("Unknown import format \"%1\": promptfoo, csv or jsonl.").arg(format) << Qt::endl;
        return ExitBadInput;
    }
    // Written through the loader's own format, then read back: what is written is a valid suite.
    const QByteArray json = RunSnapshot::suiteJson(suite).toUtf8();
    if (auto check = Suite::fromJson(json, parser.value(outOpt)); !check) {
        err << Tr::tr("The imported suite does not load back: %1").arg(check.error()) << Qt::endl;
        return ExitIncomplete;
    }
    if (const Status written = writeAtomically(parser.value(outOpt), json); !written.ok()) {
        err << Tr::tr("Cannot write %1: %2").arg(QDir::toNativeSeparators(parser.value(outOpt)), written.error())
            << Qt::endl;
        return ExitIncomplete;
    }
    for (const QString &note : std::as_const(notes))
        err << note << Qt::endl;
    out << Tr::tr("%1 case(s) written to %2")
               .arg(suite.cases.size())
               .arg(QDir::toNativeSeparators(parser.value(outOpt)))
        << Qt::endl;
    return ExitOk;
}
