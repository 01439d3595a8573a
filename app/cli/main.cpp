#include "core/Version.h"
#include "core/Workspace.h"
#include "RunCommand.h"
#include "SimCommand.h"
#include "Translations.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

using namespace Slopscope;

namespace {

int usage(QTextStream &err)
{
    err << QCoreApplication::translate(
        "cli", "Usage: slopscope-cli [--version] [--help] <command> [options]\n"
               "Commands:\n"
               "  check-workspace FILE   validate a workspace file and list its targets\n"
               "  run --demo | --workspace FILE [--suite NAME|FILE] [--targets ID,ID] [--repeat K]\n"
               "      [--concurrency N] [--variants] [--seed S] [--max-cost USD]\n"
               "      [--fail-under quality=0.8] [--shard I/N]\n"
               "                         run a suite and print one line per target\n"
               "  sim [--port N] [--personas FILE] [--log FILE] [--listen ADDR]\n"
               "                         run the provider simulator (every model simulated)\n"
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

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("slopscope-cli"));
    QCoreApplication::setOrganizationName(QStringLiteral("Slopscope"));
    QCoreApplication::setApplicationVersion(QString::fromLatin1(kVersion));
    installTranslations(app);

    QTextStream out(stdout);
    QTextStream err(stderr);
    QStringList args = QCoreApplication::arguments().mid(1);
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
    if (command == u"sim")
        return runSimCommand(args);
    err << QCoreApplication::translate("cli", "Unknown command \"%1\".").arg(command) << Qt::endl;
    return usage(err);
}
