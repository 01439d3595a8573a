#include "core/CoreDumps.h"
#include "core/Version.h"
#include "core/Workspace.h"
#include "engine/TraceLog.h"
#include "HistoryCommands.h"
#include "KeyCommands.h"
#include "RunCommand.h"
#include "SimCommand.h"
#include "Translations.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QGuiApplication>
#include <QTextStream>

#include <cstdio>
#include <memory>

using namespace Slopscope;

namespace {

int usage(QTextStream &err)
{
    err << QCoreApplication::translate(
        "cli", "Usage: slopscope-cli [--version] [--help] [--trace] <command> [options]\n"
               "Commands:\n"
               "  check-workspace FILE   validate a workspace file and list its targets\n"
               "  run --demo | --workspace FILE [--suite NAME|FILE] [--targets ID,ID] [--repeat K]\n"
               "      [--concurrency N] [--variants] [--seed S] [--max-cost USD] [--retry-truncated] [--no-preconnect]\n"
               "      [--fail-under quality=0.8] [--shard I/N] [--judge TARGET] [--db FILE | --no-db]\n"
               "      [--jsonl FILE] [--summary FILE.json] [--report FILE.html|.pdf|.md]...\n"
               "      [--chart FILE.png|.svg|.pdf]... [--csv FILE]\n"
               "                         run a suite, record it, print one line per target\n"
               "  resume RUN_ID [--db FILE] [--workspace FILE] [outputs]\n"
               "                         send only what an interrupted run is missing\n"
               "  report RUN_ID [--db FILE] [outputs]\n"
               "                         write a recorded run's reports from the database\n"
               "  runs [--db FILE]        list the recorded runs: id, start, state, answers, cost\n"
               "  merge DB... --db FILE   join databases (a CI matrix's shards) into one\n"
               "  import promptfoo|csv|jsonl FILE --out SUITE.json\n"
               "                         convert a promptfoo config, CSV or chat log to a suite\n"
               "  keys set NAME | keys remove NAME | keys status [--workspace FILE | --demo] [NAME...]\n"
               "                         API keys in the system keychain (set reads the key from stdin)\n"
               "  keys allow-host NAME HOST\n"
               "                         let a stored key go to another host (asked for in the app)\n"
               "  sim [--port N] [--personas FILE] [--log FILE] [--listen ADDR]\n"
               "                         run the provider simulator (every model simulated)\n"
               "--trace logs each request (credentials shown as ***) and the scheduler's decisions to\n"
               "stderr; QT_LOGGING_RULES=\"slopscope.net.debug=true\" does the same for one category.\n"
               "Exit codes of run: 0 ok, 1 a --fail-under or --max-cost gate failed, 2 bad usage or\n"
               "input, 3 the run could not complete. 'slopscope-cli run --help' lists every option.\n");
    return 2;
}

int checkWorkspace(const QStringList &args, QTextStream &out, QTextStream &err)
{
    if (args.size() != 1)
        return usage(err);
    auto ws = args.first() == u"demo" ? Result<Workspace>(Workspace::demo()) : Workspace::fromFile(args.first());
    if (!ws) {
        err << ws.error() << Qt::endl;
        return 1;
    }
    out << QCoreApplication::translate("cli", "%1: %2 provider(s), %3 target(s)")
               .arg(ws.value().name)
               .arg(ws.value().providers.size())
               .arg(ws.value().targets.size())
        << Qt::endl;
    for (const auto &t : ws.value().targets)
        out << "  " << t.id << "  " << t.providerId << "/" << t.model << Qt::endl;
    return 0;
}

// PNG and PDF outputs are painted, which needs a QGuiApplication; the CLI never shows a window,
// so it always paints offscreen (no display needed, and none is used when there is one).
bool paintsFiles(int argc, char *argv[])
{
    for (int i = 1; i < argc; ++i) {
        const QByteArray arg = QByteArray(argv[i]).toLower();
        if (arg.endsWith(".png") || arg.endsWith(".pdf"))
            return true;
    }
    return false;
}

} // namespace

int main(int argc, char *argv[])
{
    // Before anything can hold a key: no core file, no /proc/<pid>/mem for others (S-3).
    if (const Status dumps = disableCoreDumps(); !dumps)
        std::fprintf(stderr, "%s\n", qPrintable(dumps.error()));
    std::unique_ptr<QCoreApplication> application;
    if (paintsFiles(argc, argv)) {
        qputenv("QT_QPA_PLATFORM", "offscreen");
        application = std::make_unique<QGuiApplication>(argc, argv);
    } else {
        application = std::make_unique<QCoreApplication>(argc, argv);
    }
    QCoreApplication &app = *application;
    QCoreApplication::setApplicationName(QStringLiteral("slopscope-cli"));
    QCoreApplication::setOrganizationName(QStringLiteral("Slopscope"));
    QCoreApplication::setApplicationVersion(QString::fromLatin1(kVersion));
    installTranslations(app);

    QTextStream out(stdout);
    QTextStream err(stderr);
    QStringList args = QCoreApplication::arguments().mid(1);
    // Global, so it goes anywhere on the line and every command gets it.
    if (args.removeAll(QStringLiteral("--trace")) > 0)
        enableTraceLogging();
    if (args.isEmpty())
        return usage(err);
    const QString command = args.takeFirst();
    if (command == u"--version" || command == u"-v") {
        out << "slopscope-cli " << kVersion << Qt::endl;
        return 0;
    }
    if (command == u"--help" || command == u"-h") {
        usage(out);
        return 0;
    }
    if (command == u"check-workspace")
        return checkWorkspace(args, out, err);
    if (command == u"run")
        return runRunCommand(args);
    if (command == u"resume")
        return runResumeCommand(args);
    if (command == u"report")
        return runReportCommand(args);
    if (command == u"runs")
        return runListCommand(args);
    if (command == u"merge")
        return runMergeCommand(args);
    if (command == u"import")
        return runImportCommand(args);
    if (command == u"keys")
        return runKeysCommand(args);
    if (command == u"sim")
        return runSimCommand(args);
    err << QCoreApplication::translate("cli", "Unknown command \"%1\".").arg(command) << Qt::endl;
    return usage(err);
}
