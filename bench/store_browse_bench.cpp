// RELIABILITY L-5: the history browsed while a run writes. Fills a temporary history file with
// `results` rows (runs of 10,000) through the real writer thread, then keeps writing a live run at
// a steady rate through the same HistoryWriter (its thread, as the app records a run) while a
// reader thread does what the history browser does, in a loop: open the file read-only, list the
// runs; open a run (its 10,000 results as the matrix shows them, CellLoad::Matrix, as the app
// opens a run; `full` as the 5th argument: every field, as a report or export reads it); search a
// rare word, with and without filters. Prints each browse action's p50 / p95 / max, every
// SQLITE_BUSY (or other error) either side saw, and the WAL file's size each second: checkpoints
// keep up when it stays bounded.
// The live run starts afresh every 10,000 results (each run's cells are unique). Figures only,
// exit 0. Build with the release preset.
//
//   bench_store_browse [results=100000] [results_per_second=500] [seconds=20] [folder] [matrix|full]
//
// L-5 proper is `bench_store_browse 1000000`.
#include "EngineBenchKit.h"
#include "StoreBenchData.h"

#include "store/HistoryStore.h"
#include "store/HistoryWriter.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <map>
#include <memory>
#include <vector>

using namespace Slopscope;
using namespace Slopscope::Bench;

namespace {

QString loadAverage()
{
    QFile file(QStringLiteral("/proc/loadavg"));
    if (!file.open(QIODevice::ReadOnly))
        return QStringLiteral("?");
    return QString::fromLatin1(file.readAll().split(' ').mid(0, 3).join(' '));
}

bool looksBusy(const QString &error)
{
    return error.contains(u"locked", Qt::CaseInsensitive) || error.contains(u"busy", Qt::CaseInsensitive);
}

// What the reader thread measured; read by the main thread only after the reader has finished.
struct Browse
{
    std::map<std::string, std::vector<double>> ms; // per action, milliseconds
    std::vector<double> all;
    int errors = 0;
    int busy = 0;
    QString firstError;
};

// The history browser's reads, each with its own read-only open (HistoryBrowser::reload and the
// run views open a HistoryStore per action), until `stop`.
void browseLoop(const QString &path, const QStringList &runIds, CellLoad load, const std::atomic<bool> &stop,
                Browse &out)
{
    StoreRandom r;
    r.state ^= 0x5eed;
    const auto timed = [&](const char *name, auto &&action) {
        QElapsedTimer t;
        t.start();
        HistoryStore store;
        QString error;
        if (auto opened = store.open(path, HistoryStore::Mode::ReadOnly, StoreOpenOptions{.quickCheck = false});
            !opened)
            error = opened.error();
        else
            error = action(store);
        const double ms = static_cast<double>(t.nsecsElapsed()) / 1e6;
        out.ms[name].push_back(ms);
        out.all.push_back(ms);
        if (!error.isEmpty()) {
            ++out.errors;
            out.busy += looksBusy(error) ? 1 : 0;
            if (out.firstError.isEmpty())
                out.firstError = error;
        }
    };
    const auto errorOf = [](const auto &result) { return result ? QString() : result.error(); };
    while (!stop.load()) {
        timed("list runs", [&](HistoryStore &s) { return errorOf(s.listRuns()); });
        const QString run = runIds.at(static_cast<qsizetype>(r.next(static_cast<quint64>(runIds.size()))));
        timed("open a run", [&](HistoryStore &s) { return errorOf(s.loadCells(run, load)); });
        SearchQuery rare;
        rare.text = QStringLiteral("quokka");
        timed("search", [&](HistoryStore &s) { return errorOf(s.search(rare)); });
        SearchQuery filtered = rare;
        filtered.targetId = QStringLiteral("target%1").arg(r.next(kStoreTargets));
        filtered.suiteName = QStringLiteral("suite%1").arg(r.next(5));
        timed("search+filters", [&](HistoryStore &s) { return errorOf(s.search(filtered)); });
    }
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    const int total = args.size() > 1 ? std::max(args.at(1).toInt(), kStoreRunSize) : 100'000;
    const int rate = args.size() > 2 ? std::max(1, args.at(2).toInt()) : 500;
    const int seconds = args.size() > 3 ? std::max(1, args.at(3).toInt()) : 20;
    QTemporaryDir scratch(args.size() > 4 && !args.at(4).isEmpty() ? args.at(4) + QStringLiteral("/bench_browse-XXXXXX")
                                                                   : QString());
    const CellLoad load = args.size() > 5 && args.at(5) == u"full" ? CellLoad::Full : CellLoad::Matrix;
    const QString path = scratch.filePath(QStringLiteral("history.sqlite"));
    const QString walPath = path + QStringLiteral("-wal");
    std::printf("L-5: %d results in history, then a live run writing %d results/s for %d s while a reader "
                "browses (opening runs with %s)\nfile %s; load average at start %s\n\n",
                total, rate, seconds, load == CellLoad::Full ? "every field" : "the matrix's fields",
                qPrintable(path), qPrintable(loadAverage()));

    {
        HistoryStore creator;
        if (auto opened = creator.open(path); !opened) {
            std::printf("open failed: %s\n", qPrintable(opened.error()));
            return 1;
        }
    }
    HistoryWriter writer;
    StoreWriter::Options options;
    options.backupIntervalHours = 0;
    writer.start(path, options); // the app's settings otherwise (maxBatch, maxIndexLag, busy timeout)
    qint64 committed = 0;
    QObject::connect(&writer, &HistoryWriter::committed, &app,
                     [&committed](const QStringList &ids) { committed += ids.size(); });
    int writerBusy = 0;
    int writerProblems = 0;
    QString firstProblem;
    QObject::connect(&writer, &HistoryWriter::problemChanged, &app, [&](const StoreProblem &p) {
        if (p.kind == StoreProblem::Kind::None)
            return;
        ++writerProblems;
        writerBusy += p.kind == StoreProblem::Kind::Busy ? 1 : 0;
        if (firstProblem.isEmpty())
            firstProblem = p.message;
    });
    qint64 indexedTo = 0;
    QObject::connect(&writer, &HistoryWriter::searchIndexed, &app, [&indexedTo](qint64 to, qint64) { indexedTo = to; });

    // Fill as fast as the writer commits, at most 20,000 results in flight.
    StoreRandom r;
    QStringList runIds;
    int produced = 0;
    QElapsedTimer fill;
    fill.start();
    {
        QEventLoop loop;
        QTimer feeder;
        QObject::connect(&feeder, &QTimer::timeout, &app, [&] {
            while (produced < total && produced - committed < 20'000) {
                if (produced % kStoreRunSize == 0) {
                    if (!runIds.isEmpty())
                        writer.endRun(runIds.last(), RunState::Completed);
                    const RunStart run = makeStoreRun(r, static_cast<int>(runIds.size()),
                                                      total / kStoreRunSize - static_cast<int>(runIds.size()) + 1);
                    writer.beginRun(run);
                    runIds.append(run.id);
                }
                writer.addResult(runIds.last(), makeStoreCell(r, produced));
                ++produced;
            }
            if (committed >= total && indexedTo >= total)
                loop.quit();
        });
        feeder.start(1);
        loop.exec();
        writer.endRun(runIds.last(), RunState::Completed);
    }
    std::printf("filled and indexed %d results in %.1f s; WAL %.1f MB\n\n", total,
                static_cast<double>(fill.nsecsElapsed()) / 1e9, static_cast<double>(QFileInfo(walPath).size()) / 1e6);
    const int problemsAfterFill = writerProblems;

    // The live runs and the browser, together. A new run every 10,000 results: a result for a cell
    // the run already has would replace it (a resume), which is not what a live run writes.
    QString live;
    int liveRuns = 0;
    const qint64 committedBefore = committed;
    std::atomic<bool> stop{false};
    Browse browse;
    std::unique_ptr<QThread> reader(
        QThread::create([&path, runIds, load, &stop, &browse] { browseLoop(path, runIds, load, stop, browse); }));
    int liveProduced = 0;
    QElapsedTimer clock;
    clock.start();
    QTimer writeTick;
    QObject::connect(&writeTick, &QTimer::timeout, &app, [&] {
        // Steady: whatever the rate owes by now, never a burst to catch up more than one tick.
        const auto due = static_cast<int>(static_cast<double>(clock.elapsed()) * rate / 1000.0);
        for (; liveProduced < due; ++liveProduced) {
            if (liveProduced % kStoreRunSize == 0) {
                if (!live.isEmpty())
                    writer.endRun(live, RunState::Completed);
                const RunStart run = makeStoreRun(r, static_cast<int>(runIds.size()) + liveRuns++, 0);
                writer.beginRun(run);
                live = run.id;
            }
            writer.addResult(live, makeStoreCell(r, liveProduced));
        }
    });
    std::vector<double> walMb;
    QTimer sampler;
    QObject::connect(&sampler, &QTimer::timeout, &app, [&] {
        walMb.push_back(static_cast<double>(QFileInfo(walPath).size()) / 1e6);
        std::printf("%4.0f s  live committed %7lld  WAL %7.2f MB  load %s\n",
                    static_cast<double>(clock.elapsed()) / 1000.0, static_cast<long long>(committed - committedBefore),
                    walMb.back(), qPrintable(loadAverage()));
        std::fflush(stdout);
    });
    QEventLoop loop;
    QTimer::singleShot(seconds * 1000, &app, [&] { loop.quit(); });
    writeTick.start(20);
    sampler.start(1000);
    reader->start();
    loop.exec();
    writeTick.stop();
    sampler.stop();
    stop = true;
    reader->wait();
    if (!live.isEmpty())
        writer.endRun(live, RunState::Completed);
    QElapsedTimer drain;
    drain.start();
    while (committed - committedBefore < liveProduced && drain.elapsed() < 60'000)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    writer.stop();

    std::printf("\nwriter: %d results asked, %lld committed (%.0f/s asked); load average at end %s\n", liveProduced,
                static_cast<long long>(committed - committedBefore), static_cast<double>(rate),
                qPrintable(loadAverage()));
    std::printf("%-15s %7s %9s %9s %9s\n", "browse action", "count", "p50 ms", "p95 ms", "max ms");
    for (const auto &[name, times] : browse.ms) {
        std::printf("%-15s %7zu %9.1f %9.1f %9.1f\n", name.c_str(), times.size(), percentile(times, 0.5),
                    percentile(times, 0.95), percentile(times, 1.0));
    }
    std::printf("%-15s %7zu %9.1f %9.1f %9.1f   (target p95 < 200 ms)\n", "all", browse.all.size(),
                percentile(browse.all, 0.5), percentile(browse.all, 0.95), percentile(browse.all, 1.0));
    std::printf("SQLITE_BUSY surfaced: reader %d, writer %d (target 0); other errors: reader %d, writer %d\n",
                browse.busy, writerBusy, browse.errors - browse.busy, writerProblems - writerBusy);
    if (!browse.firstError.isEmpty())
        std::printf("  first reader error: %s\n", qPrintable(browse.firstError));
    if (!firstProblem.isEmpty())
        std::printf("  first writer problem: %s (%d during the fill)\n", qPrintable(firstProblem), problemsAfterFill);
    const double walMax = walMb.empty() ? 0.0 : *std::max_element(walMb.begin(), walMb.end());
    const double walLast = walMb.empty() ? 0.0 : walMb.back();
    const std::size_t half = walMb.size() / 2;
    const double firstHalfMax = half ? *std::max_element(walMb.begin(), walMb.begin() + static_cast<long>(half)) : 0.0;
    std::printf("WAL: max %.2f MB, at the end %.2f MB, max of the first half %.2f MB: %s\n", walMax, walLast,
                firstHalfMax,
                walMax <= std::max(firstHalfMax * 1.5, 8.0) ? "bounded (checkpoints keep up)"
                                                            : "GROWING (checkpoints starved)");
    return 0;
}
