#include "RunCommand.h"

#include "CliProgress.h"
#include "KeyCommands.h"
#include "run/RunGate.h"
#include "run/RunSession.h"
#include "RunOutputs.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QLocale>
#include <QTextStream>
#include <QTimer>

#include <csignal>

using namespace Slopscope;

namespace {

// Through Q_DECLARE_TR_FUNCTIONS, lupdate files these strings under the context the code
// looks them up in (a translate() wrapper called tr() misled it into the namespace's).
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(RunCommand)
};

Result<Suite> loadSuite(const QString &nameOrPath)
{
    if (QFileInfo::exists(nameOrPath))
        return Suite::fromFile(nameOrPath);
    // A bundled demo suite by its file name: facts, code, benchmark, tools, chains.
    const QString bundled = QStringLiteral(":/slopscope/demo/suites/%1.json").arg(nameOrPath);
    if (QFileInfo::exists(bundled))
        return Suite::fromFile(bundled);
    return Error{Tr::tr("No suite \"%1\": give a file, or one of the demo suites facts, code, benchmark, tools, chains.")
                     .arg(nameOrPath)};
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

int executeRun(const RunSpec &spec, const QList<RunGate> &gates, const OutputPaths &paths, const QString &resumeRunId)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    // Keychain keys for the providers whose environment variable is not set; kept for the run.
    const auto keychainKeys = loadKeychainKeys(spec.workspace);
    RunSession session;
    RunOutputs outputs(paths);
    if (const Status opened = outputs.open(&session); !opened.ok()) {
        err << opened.error() << Qt::endl;
        return ExitBadInput;
    }
    for (const QString &notice : outputs.notices())
        err << notice << Qt::endl;
    CliProgress progress(CliProgress::stderrIsTerminal());
    bool storeFailed = false;
    QObject::connect(&outputs, &RunOutputs::storeFailed, &session,
                     [&session, &progress, &storeFailed](const QString &message) {
                         // Nothing more is sent once results cannot be kept; what is queued is retried.
                         progress.message(Tr::tr("History database: %1. Stopping the run.").arg(message));
                         storeFailed = true;
                         session.cancel();
                     });
    int failed = 0;
    int answered = 0;
    QObject::connect(&session, &RunSession::cellFinished, &session,
                     [&failed, &answered, &progress](const CellResult &cell) {
                         if (cell.job.state == JobState::Completed) {
                             ++answered;
                         } else if (cell.job.state != JobState::Cancelled) {
                             ++failed;
                             progress.message(cell.job.jobId + u": " + cell.job.error);
                         }
                     });
    QObject::connect(&session, &RunSession::progress, &session,
                     [&progress](int done, int total, double spent) { progress.update(done, total, spent); });
    QObject::connect(&session, &RunSession::runFinished, &session, [] { QCoreApplication::exit(0); });
    const QString runId = resumeRunId.isEmpty() ? outputs.begin(spec) : resumeRunId;
    if (!resumeRunId.isEmpty())
        outputs.resume(resumeRunId);
    const Status started = session.start(spec);
    if (!started.ok()) {
        err << started.error() << Qt::endl;
        return ExitBadInput;
    }
    progress.message(Tr::tr("Running %1: %2 request(s), run %3…").arg(spec.suite.name).arg(session.total()).arg(runId));
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
    QTimer interruptPoll;
    QObject::connect(&interruptPoll, &QTimer::timeout, &session, [&session] {
        if (g_interrupted)
            session.cancel();
    });
    interruptPoll.start(100);
    QCoreApplication::exec();
    progress.finish();
    const Status saved = outputs.finish(session);

    const QList<TargetSummary> summaries = session.summaries();
    out << QStringLiteral("%1  %2  %3  %4  %5  %6  %7\n")
               .arg(Tr::tr("target"), -22)
               .arg(Tr::tr("quality"), 8)
               .arg(Tr::tr("95% interval"), 14)
               .arg(Tr::tr("$/1k cases"), 10)
               .arg(Tr::tr("TTFT ms"), 8)
               .arg(Tr::tr("tok/s"), 7)
               .arg(Tr::tr("n"), 3);
    for (const TargetSummary &s : summaries) {
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
    out << Tr::tr("spent $%1; %2 of %3 request(s) failed%4")
               .arg(QLocale::c().toString(session.spentUsd(), 'f', 6))
               .arg(failed)
               .arg(session.total())
               .arg(session.stopReason().isEmpty() ? QString() : QStringLiteral(" (") + session.stopReason() + u')')
        << Qt::endl;
    out.flush();

    if (!saved.ok())
        err << saved.error() << Qt::endl;
    if (!paths.db.isEmpty())
        err << Tr::tr("Recorded as run %1 in %2.").arg(runId, QDir::toNativeSeparators(paths.db)) << Qt::endl;
    if (g_interrupted) {
        err << Tr::tr("Interrupted: the run did not complete.") << Qt::endl;
        return ExitIncomplete;
    }
    if (storeFailed || !saved.ok())
        return ExitIncomplete;
    if (answered == 0) {
        err << Tr::tr("No request was answered: the run could not complete.") << Qt::endl;
        return ExitIncomplete;
    }
    int exitCode = ExitOk;
    if (spec.maxCostUsd && session.spentUsd() >= *spec.maxCostUsd) {
        err << Tr::tr("Gate failed: the spend cap of $%1 was reached before the run finished.")
                   .arg(QLocale::c().toString(*spec.maxCostUsd, 'g', 6))
            << Qt::endl;
        exitCode = ExitGateFailed;
    }
    for (const RunGate &gate : std::as_const(gates)) {
        for (const QString &failure : gate.failures(summaries)) {
            err << Tr::tr("Gate failed: %1").arg(failure) << Qt::endl;
            exitCode = ExitGateFailed;
        }
    }
    return exitCode;
}

int runRunCommand(const QStringList &args)
{
    QTextStream err(stderr);
    QCommandLineParser parser;
    parser.setApplicationDescription(Tr::tr("Run a suite against targets and print one line per target."));
    const QCommandLineOption demo(QStringLiteral("demo"), Tr::tr("Use the bundled demo workspace and the simulator."));
    const QCommandLineOption suiteOpt(QStringLiteral("suite"), Tr::tr("Suite file or demo suite name."),
                                      Tr::tr("suite"), QStringLiteral("facts"));
    const QCommandLineOption workspaceOpt(QStringLiteral("workspace"), Tr::tr("Workspace file."), Tr::tr("file"));
    const QCommandLineOption targetsOpt(QStringLiteral("targets"), Tr::tr("Comma-separated target ids."),
                                        Tr::tr("ids"));
    const QCommandLineOption repeatOpt(QStringLiteral("repeat"), Tr::tr("Samples per case."), Tr::tr("k"),
                                       QStringLiteral("1"));
    const QCommandLineOption concurrencyOpt(QStringLiteral("concurrency"),
                                            Tr::tr("Requests in flight at once, over all providers."), Tr::tr("n"),
                                            QStringLiteral("64"));
    const QCommandLineOption variantsOpt(QStringLiteral("variants"), Tr::tr("Also run each case's rewordings."));
    const QCommandLineOption oneAtATimeOpt(QStringLiteral("one-provider-at-a-time"),
                                           Tr::tr("Measure providers one after another (clean speed figures)."));
    const QCommandLineOption retryTruncatedOpt(
        QStringLiteral("retry-truncated"),
        Tr::tr("Send again an answer that broke off mid-stream; the new answer replaces it (costs tokens twice)."));
    const QCommandLineOption noPreconnectOpt(
        QStringLiteral("no-preconnect"),
        Tr::tr("Do not open the first requests' connections before sending them (their TTFT then includes "
               "connection set-up, as a cold client's would)."));
    const QCommandLineOption seedOpt(QStringLiteral("seed"), Tr::tr("Seed of the dispatch order and statistics."),
                                     Tr::tr("s"), QStringLiteral("1"));
    const QCommandLineOption maxCostOpt(
        QStringLiteral("max-cost"), Tr::tr("Stop dispatching once the run has spent this many US dollars (exit 1)."),
        Tr::tr("usd"));
    const QCommandLineOption failUnderOpt(QStringLiteral("fail-under"),
                                          Tr::tr("Exit 1 when a target's figure is under a minimum: quality=0.8, "
                                                 "quality_ci_low=0.7, TARGET:quality=80%. May be repeated."),
                                          Tr::tr("gate"));
    const QCommandLineOption shardOpt(QStringLiteral("shard"),
                                      Tr::tr("Run only slice I of N of the cases (stable by case id), e.g. 2/4."),
                                      Tr::tr("i/n"));
    const QCommandLineOption judgeOpt(QStringLiteral("judge"),
                                      Tr::tr("Target that grades llm-rubric, factuality and select-best assertions."),
                                      Tr::tr("target"));
    parser.addOptions({demo, suiteOpt, workspaceOpt, targetsOpt, repeatOpt, concurrencyOpt, variantsOpt, oneAtATimeOpt,
                       retryTruncatedOpt, noPreconnectOpt, seedOpt, maxCostOpt, failUnderOpt, shardOpt, judgeOpt});
    OutputPaths::addOptions(parser, true);
    if (!parser.parse(QStringList{QStringLiteral("slopscope-cli run")} + args)) {
        err << parser.errorText() << Qt::endl;
        return ExitBadInput;
    }
    if (!parser.positionalArguments().isEmpty()) {
        err << Tr::tr("Unexpected argument \"%1\".").arg(parser.positionalArguments().first()) << Qt::endl;
        return ExitBadInput;
    }
    if (parser.isSet(demo) == parser.isSet(workspaceOpt)) {
        err << Tr::tr("Give either --demo or --workspace FILE.") << Qt::endl;
        return ExitBadInput;
    }

    RunSpec spec;
    if (parser.isSet(demo)) {
        spec.workspace = Workspace::demo();
    } else {
        auto ws = Workspace::fromFile(parser.value(workspaceOpt));
        if (!ws) {
            err << ws.error() << Qt::endl;
            return ExitBadInput;
        }
        spec.workspace = ws.value();
    }
    auto suite = loadSuite(parser.value(suiteOpt));
    if (!suite) {
        err << suite.error() << Qt::endl;
        return ExitBadInput;
    }
    spec.suite = suite.value();
    if (parser.isSet(targetsOpt))
        spec.targetIds = parser.value(targetsOpt).split(u',', Qt::SkipEmptyParts);
    bool ok = false;
    spec.repeats = parser.value(repeatOpt).toInt(&ok);
    if (!ok || spec.repeats < 1) {
        err << Tr::tr("--repeat takes a whole number of at least 1.") << Qt::endl;
        return ExitBadInput;
    }
    spec.globalConcurrency = parser.value(concurrencyOpt).toInt(&ok);
    if (!ok || spec.globalConcurrency < 1 || spec.globalConcurrency > 4096) {
        err << Tr::tr("--concurrency takes a whole number from 1 to 4096.") << Qt::endl;
        return ExitBadInput;
    }
    spec.seed = parser.value(seedOpt).toULongLong(&ok);
    if (!ok) {
        err << Tr::tr("--seed takes a whole number.") << Qt::endl;
        return ExitBadInput;
    }
    if (parser.isSet(maxCostOpt)) {
        const double cap = QLocale::c().toDouble(parser.value(maxCostOpt), &ok);
        if (!ok || cap <= 0) {
            err << Tr::tr("--max-cost takes a positive number of US dollars, e.g. 0.50.") << Qt::endl;
            return ExitBadInput;
        }
        spec.maxCostUsd = cap;
    }
    const auto gates = RunGate::parseAll(parser.values(failUnderOpt));
    if (!gates) {
        err << gates.error() << Qt::endl;
        return ExitBadInput;
    }
    if (parser.isSet(shardOpt)) {
        auto shard = parseShard(parser.value(shardOpt));
        if (!shard) {
            err << shard.error() << Qt::endl;
            return ExitBadInput;
        }
        const auto [index, count] = shard.value();
        for (const SuiteCase &c : std::as_const(spec.suite.cases)) {
            if (inShard(c.id, index, count))
                spec.caseIds.append(c.id);
        }
        if (spec.caseIds.isEmpty()) {
            err << Tr::tr("Shard %1/%2 holds none of the suite's %3 case(s); nothing to run.")
                       .arg(index)
                       .arg(count)
                       .arg(spec.suite.cases.size())
                << Qt::endl;
            return ExitOk;
        }
    }
    spec.variants = parser.isSet(variantsOpt);
    spec.oneProviderAtATime = parser.isSet(oneAtATimeOpt);
    spec.retryTruncated = parser.isSet(retryTruncatedOpt);
    spec.preconnect = !parser.isSet(noPreconnectOpt);
    if (parser.isSet(judgeOpt)) {
        spec.judgeTargetId = parser.value(judgeOpt);
        if (!spec.workspace.target(spec.judgeTargetId)) {
            err << Tr::tr("--judge %1: the workspace has no such target.").arg(spec.judgeTargetId) << Qt::endl;
            return ExitBadInput;
        }
    }
    auto outputs = OutputPaths::fromParser(parser, true);
    if (!outputs) {
        err << outputs.error() << Qt::endl;
        return ExitBadInput;
    }
    return executeRun(spec, gates.value(), outputs.value(), {});
}
