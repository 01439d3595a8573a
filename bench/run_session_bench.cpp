// RELIABILITY L-2: a 30,000-cell run through the real RunSession and RunRecorder (the history
// writer on its own thread) against the simulator at concurrency 32: 1,000 cases x 30 targets
// (6 per dialect), short answers. At every 10 % of the cells it prints cells/s, the process's
// resident memory (VmRSS) and the store's commits; at the end the memory per cell (RunSession
// keeps every CellResult, so RSS grows with the run by design), results per transaction and the
// time to load the finished run from the history (what opening it in the history view reads).
// Figures only, exit 0. Release build meant.
//
//   bench_run_session [cells=30000] [ttft_ms=20] [tokens=20] [concurrency=32] [database_folder]
//
// RELIABILITY's 50-500 ms fake latency is `bench_run_session 30000 150`: about 3 minutes.
#include "BenchSimulator.h"
#include "EngineBenchKit.h"

#include "quality/Suite.h"
#include "run/RunSession.h"
#include "store/HistoryStore.h"
#include "store/HistoryWriter.h"
#include "store/RunRecorder.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>

#include <cstdio>

using namespace Slopscope;
using namespace Slopscope::Bench;

namespace {

constexpr int kTargetsPerDialect = 6;

QString loadAverage()
{
    QFile file(QStringLiteral("/proc/loadavg"));
    if (!file.open(QIODevice::ReadOnly))
        return QStringLiteral("?");
    return QString::fromLatin1(file.readAll().split(' ').mid(0, 3).join(' '));
}

qint64 rssKb()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return 0;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    const int wanted = args.size() > 1 ? std::max(30, args.at(1).toInt()) : 30'000;
    const double ttftMs = args.size() > 2 ? std::max(1.0, args.at(2).toDouble()) : 20.0;
    const int tokens = args.size() > 3 ? std::max(1, args.at(3).toInt()) : 20;
    const int concurrency = args.size() > 4 ? std::max(1, args.at(4).toInt()) : 32;
    QTemporaryDir scratch;
    const QString folder = args.size() > 5 ? args.at(5) : scratch.path();
    const QString dbPath = QDir(folder).filePath(QStringLiteral("l2.sqlite"));
    qputenv("SLOPSCOPE_BENCH_KEY", "sk-bench-not-a-secret");

    BenchSimulator sim;
    // A spread of 1 puts most first tokens between a third and three times the median.
    sim.start(personasJson(ttftMs, 1.0, 2000.0));
    const QHash<QString, QString> headers{{QStringLiteral("x-sim-tokens"), QString::number(tokens)},
                                          {QStringLiteral("x-sim-fault"), QStringLiteral("none")}};
    Workspace workspace;
    workspace.name = QStringLiteral("L-2");
    for (Dialect d : allDialects()) {
        ProviderConfig p = simulatedProvider(d, concurrency, headers);
        p.baseUrl.replace(QStringLiteral("{simulator}"), sim.baseUrl());
        workspace.providers.append(p);
        for (int t = 0; t < kTargetsPerDialect; ++t) {
            TargetConfig target;
            target.id = QStringLiteral("%1-%2").arg(p.id).arg(t);
            target.label = target.id;
            target.providerId = p.id;
            target.model = modelFor(d);
            workspace.targets.append(target);
        }
    }
    const auto targets = static_cast<int>(workspace.targets.size());
    Suite suite;
    suite.name = QStringLiteral("l2");
    const int cases = (wanted + targets - 1) / targets;
    for (int c = 0; c < cases; ++c) {
        SuiteCase sc;
        sc.id = QStringLiteral("case%1").arg(c);
        sc.prompt = QStringLiteral("Answer in one short sentence: what is %1 plus %2?").arg(c).arg(c * 7 % 13);
        suite.cases.append(sc);
    }
    const int total = cases * targets;

    {
        HistoryStore store;
        if (auto opened = store.open(dbPath); !opened) {
            std::fprintf(stderr, "L-2: %s\n", qPrintable(opened.error()));
            return 2;
        }
    }
    HistoryWriter writer;
    StoreWriter::Options writerOptions;
    writerOptions.backupIntervalHours = 0;
    writer.start(dbPath, writerOptions);
    qint64 committed = 0;
    qint64 transactions = 0;
    QObject::connect(&writer, &HistoryWriter::committed, &app, [&](const QStringList &ids) {
        committed += ids.size();
        ++transactions;
    });
    RunRecorder recorder(&writer);
    RunSession session;
    recorder.attach(&session);

    RunSpec spec;
    spec.workspace = workspace;
    spec.suite = suite;
    spec.globalConcurrency = concurrency;
    spec.seed = 7;
    const QString runId = recorder.begin(spec);

    std::printf("L-2: %d cells (%d cases x %d targets), concurrency %d, first token ~%.0f ms, %d tokens each\n"
                "load average at start %s; RSS before the run %lld KiB\n\n",
                total, cases, targets, concurrency, ttftMs, tokens, qPrintable(loadAverage()),
                static_cast<long long>(rssKb()));
    std::printf("%5s %8s %8s %9s %10s %10s %9s  %s\n", "done", "cells", "wall s", "cells/s", "RSS KiB", "committed",
                "writes/s", "load");
    int finished = 0;
    int failed = 0;
    int nextStep = 1;
    qint64 rssAtFirstStep = 0;
    qint64 rssAtLastStep = 0;
    int cellsAtFirstStep = 0;
    QElapsedTimer wall;
    QObject::connect(&session, &RunSession::cellFinished, &app, [&](const CellResult &cell) {
        ++finished;
        failed += cell.job.state == JobState::Completed ? 0 : 1;
        if (finished * 10 < nextStep * total)
            return;
        const double s = static_cast<double>(wall.nsecsElapsed()) / 1e9;
        const qint64 rss = rssKb();
        if (nextStep == 1) {
            rssAtFirstStep = rss;
            cellsAtFirstStep = finished;
        }
        rssAtLastStep = rss;
        std::printf("%4d%% %8d %8.1f %9.0f %10lld %10lld %9.0f  %s\n", nextStep * 10, finished, s, finished / s,
                    static_cast<long long>(rss), static_cast<long long>(committed), static_cast<double>(committed) / s,
                    qPrintable(loadAverage()));
        std::fflush(stdout);
        ++nextStep;
    });
    // The views' figures: how often they moved, and whether the last ones are the exact final figures
    // (live summaries resample less; the run's last flush must put that right).
    int summaryEmits = 0;
    QHash<QString, TargetSummary> lastSummary;
    QObject::connect(&session, &RunSession::summaryChanged, &app, [&](const TargetSummary &s) {
        ++summaryEmits;
        lastSummary.insert(s.targetId, s);
    });
    QObject::connect(&session, &RunSession::runFinished, &app, &QCoreApplication::quit);
    wall.start();
    if (const Status started = session.start(spec); !started.ok()) {
        std::fprintf(stderr, "L-2: %s\n", qPrintable(started.error()));
        return 2;
    }
    QCoreApplication::exec();
    const double runS = static_cast<double>(wall.nsecsElapsed()) / 1e9;
    QElapsedTimer drain;
    drain.start();
    while (committed < finished && drain.elapsed() < 60'000)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    const double drainS = static_cast<double>(drain.nsecsElapsed()) / 1e9;
    writer.stop();

    const double perCell = finished > cellsAtFirstStep ? static_cast<double>(rssAtLastStep - rssAtFirstStep) * 1024.0 /
                                                             static_cast<double>(finished - cellsAtFirstStep)
                                                       : 0.0;
    std::printf("\n%d cells in %.1f s: %.0f cells/s, %d not completed; RunSession keeps %lld results\n", finished, runS,
                finished / runS, failed, static_cast<long long>(session.results().size()));
    std::printf("RSS growth from 10 %% to 100 %%: %lld KiB, %.0f bytes per cell (results kept in memory; "
                "RSS now %lld KiB)\n",
                static_cast<long long>(rssAtLastStep - rssAtFirstStep), perCell, static_cast<long long>(rssKb()));
    std::printf("store: %lld results in %lld transactions (%.1f per transaction), all committed %.2f s after the last "
                "cell\n",
                static_cast<long long>(committed), static_cast<long long>(transactions),
                transactions ? static_cast<double>(committed) / static_cast<double>(transactions) : 0.0, drainS);

    int exactSummaries = 0;
    const QList<TargetSummary> finalSummaries = session.summaries();
    for (const TargetSummary &s : finalSummaries) {
        const TargetSummary shown = lastSummary.value(s.targetId);
        exactSummaries += shown.cells == s.cells && shown.quality == s.quality && shown.qualityLow == s.qualityLow &&
                                  shown.qualityHigh == s.qualityHigh
                              ? 1
                              : 0;
    }
    std::printf("summaries: %d emitted; the last shown equals the final figures for %d of %lld targets\n", summaryEmits,
                exactSummaries, static_cast<long long>(finalSummaries.size()));

    HistoryStore reader;
    if (auto opened = reader.open(dbPath, HistoryStore::Mode::ReadOnly, StoreOpenOptions{.quickCheck = false});
        opened) {
        QElapsedTimer load;
        load.start();
        const auto cells = reader.loadCells(runId);
        std::printf(
            "loading the finished run from the history: %lld cells in %.0f ms (target: the view opens in < 2 s)\n",
            static_cast<long long>(cells ? cells.value().size() : -1), static_cast<double>(load.nsecsElapsed()) / 1e6);
    }
    std::printf("load average at end %s\n", qPrintable(loadAverage()));
    return 0;
}
