#include "RunCommand.h"

#include "run/RunSession.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>
#include <QLocale>
#include <QTextStream>
#include <QTimer>

#include <csignal>

using namespace Slopscope;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("RunCommand", text);
}

Result<Suite> loadSuite(const QString &nameOrPath)
{
    if (QFileInfo::exists(nameOrPath))
        return Suite::fromFile(nameOrPath);
    // A bundled demo suite by its file name: facts, code, benchmark.
    const QString bundled = QStringLiteral(":/slopscope/demo/suites/%1.json").arg(nameOrPath);
    if (QFileInfo::exists(bundled))
        return Suite::fromFile(bundled);
    return Error{tr("No suite \"%1\": give a file, or one of the demo suites facts, code, benchmark.").arg(nameOrPath)};
}

QString figure(const std::optional<double> &v, int decimals, const QString &unit = {})
{
    return v ? QLocale::c().toString(*v, 'f', decimals) + unit : QStringLiteral("-");
}

volatile std::sig_atomic_t g_interrupted = 0;

void onInterrupt(int)
{
    g_interrupted = 1;
}

} // namespace

int runRunCommand(const QStringList &args)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QCommandLineParser parser;
    parser.setApplicationDescription(tr("Run a suite against targets and print one line per target."));
    const QCommandLineOption demo(QStringLiteral("demo"), tr("Use the bundled demo workspace and the simulator."));
    const QCommandLineOption suiteOpt(QStringLiteral("suite"), tr("Suite file or demo suite name."), tr("suite"),
                                      QStringLiteral("facts"));
    const QCommandLineOption workspaceOpt(QStringLiteral("workspace"), tr("Workspace file."), tr("file"));
    const QCommandLineOption targetsOpt(QStringLiteral("targets"), tr("Comma-separated target ids."), tr("ids"));
    const QCommandLineOption repeatOpt(QStringLiteral("repeat"), tr("Samples per case."), tr("k"), QStringLiteral("1"));
    const QCommandLineOption variantsOpt(QStringLiteral("variants"), tr("Also run each case's rewordings."));
    const QCommandLineOption seedOpt(QStringLiteral("seed"), tr("Seed of the dispatch order."), tr("s"),
                                     QStringLiteral("1"));
    parser.addOptions({demo, suiteOpt, workspaceOpt, targetsOpt, repeatOpt, variantsOpt, seedOpt});
    if (!parser.parse(QStringList{QStringLiteral("slopscope-cli run")} + args)) {
        err << parser.errorText() << Qt::endl;
        return 2;
    }
    if (parser.isSet(demo) == parser.isSet(workspaceOpt)) {
        err << tr("Give either --demo or --workspace FILE.") << Qt::endl;
        return 2;
    }

    RunSpec spec;
    if (parser.isSet(demo)) {
        spec.workspace = Workspace::demo();
    } else {
        auto ws = Workspace::fromFile(parser.value(workspaceOpt));
        if (!ws) {
            err << ws.error() << Qt::endl;
            return 2;
        }
        spec.workspace = ws.value();
    }
    auto suite = loadSuite(parser.value(suiteOpt));
    if (!suite) {
        err << suite.error() << Qt::endl;
        return 2;
    }
    spec.suite = suite.value();
    if (parser.isSet(targetsOpt))
        spec.targetIds = parser.value(targetsOpt).split(u',', Qt::SkipEmptyParts);
    bool ok = false;
    spec.repeats = parser.value(repeatOpt).toInt(&ok);
    if (!ok || spec.repeats < 1) {
        err << tr("--repeat takes a whole number of at least 1.") << Qt::endl;
        return 2;
    }
    spec.seed = parser.value(seedOpt).toULongLong(&ok);
    if (!ok) {
        err << tr("--seed takes a whole number.") << Qt::endl;
        return 2;
    }
    spec.variants = parser.isSet(variantsOpt);

    RunSession session;
    int failed = 0;
    QObject::connect(&session, &RunSession::cellFinished, &session, [&failed, &err](const CellResult &cell) {
        if (cell.job.state != JobState::Completed) {
            ++failed;
            err << cell.job.jobId << ": " << cell.job.error << Qt::endl;
        }
    });
    QObject::connect(&session, &RunSession::runFinished, &session, [] { QCoreApplication::exit(0); });
    const Status started = session.start(spec);
    if (!started.ok()) {
        err << started.error() << Qt::endl;
        return 2;
    }
    err << tr("Running %1: %2 request(s)…").arg(spec.suite.name).arg(session.total()) << Qt::endl;
    std::signal(SIGINT, onInterrupt);
    QTimer interruptPoll;
    QObject::connect(&interruptPoll, &QTimer::timeout, &session, [&session] {
        if (g_interrupted)
            session.cancel();
    });
    interruptPoll.start(100);
    QCoreApplication::exec();

    out << QStringLiteral("%1  %2  %3  %4  %5  %6  %7\n")
               .arg(tr("target"), -22)
               .arg(tr("quality"), 8)
               .arg(tr("95% interval"), 14)
               .arg(tr("$/1k cases"), 10)
               .arg(tr("TTFT ms"), 8)
               .arg(tr("tok/s"), 7)
               .arg(tr("n"), 3);
    for (const TargetSummary &s : session.summaries()) {
        const QString interval =
            s.qualityLow ? QStringLiteral("%1-%2").arg(figure(*s.qualityLow * 100, 0), figure(*s.qualityHigh * 100, 0))
                         : QStringLiteral("-");
        out << QStringLiteral("%1  %2  %3  %4  %5  %6  %7\n")
                   .arg(s.targetId, -22)
                   .arg(s.quality ? figure(*s.quality * 100, 1, QStringLiteral("%")) : QStringLiteral("-"), 8)
                   .arg(interval, 14)
                   .arg(figure(s.costPer1000Cases, 4), 10)
                   .arg(figure(s.medianTtftMs, 0), 8)
                   .arg(figure(s.medianDecodeTokensPerSecond, 0), 7)
                   .arg(s.cases, 3);
    }
    out << tr("spent $%1; %2 of %3 request(s) failed%4")
               .arg(QLocale::c().toString(session.spentUsd(), 'f', 6))
               .arg(failed)
               .arg(session.total())
               .arg(session.stopReason().isEmpty() ? QString() : QStringLiteral(" (") + session.stopReason() + u')')
        << Qt::endl;
    return failed == 0 && !g_interrupted ? 0 : 1;
}
