// The history store at scale: fills a temporary file with 1,000,000 results through the real
// writer thread (100 runs of 10,000), then times listing the runs, opening one 10,000-result run,
// full-text queries and a drift query. Figures only, no pass/fail: the machine is shared. Build
// with the release preset for real numbers.
//
//   bench_store [results=1000000] [folder] [maxIndexLag] [tail] [turns=N]
//
// "tail" times one search right after the last commit, while the writer is still indexing.
// "turns=N" (anywhere) makes every result a chain cell of N turns, each with a tool call and its
// result: schema 8 builds their search text with a recursive JSON walk, so the "committed and
// indexed" rate with and without turns is that walk's cost.

#include "StoreBenchData.h"

#include "store/HistoryStore.h"
#include "store/HistoryWriter.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace Slopscope;

namespace {

constexpr int kRunSize = Bench::kStoreRunSize;
constexpr int kTargets = Bench::kStoreTargets;

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

template <typename F> double timeMs(F &&f, int repeats)
{
    std::vector<double> times;
    for (int i = 0; i < repeats; ++i) {
        QElapsedTimer t;
        t.start();
        f();
        times.push_back(static_cast<double>(t.nsecsElapsed()) / 1e6);
    }
    return median(times);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QStringList args = app.arguments();
    int chainTurns = 0;
    for (qsizetype i = args.size() - 1; i > 0; --i) {
        if (args.at(i).startsWith(u"turns=")) {
            chainTurns = std::max(0, args.at(i).mid(6).toInt());
            args.removeAt(i);
        }
    }
    const int total = args.size() > 1 ? std::max(args.at(1).toInt(), kRunSize) : 1'000'000;
    QTemporaryDir scratch(args.size() > 2 ? args.at(2) + QStringLiteral("/bench_store-XXXXXX") : QString());
    const QString path = scratch.filePath(QStringLiteral("history.sqlite"));
    std::printf("Slopscope history store benchmark: %d results (%d chain turns each) in %s\n\n", total, chainTurns,
                qPrintable(path));

    HistoryStore store;
    if (auto opened = store.open(path); !opened) {
        std::printf("open failed: %s\n", qPrintable(opened.error()));
        return 1;
    }
    HistoryWriter writer;
    StoreWriter::Options options;
    options.backupIntervalHours = 0;
    options.maxBatch = 5000;
    if (args.size() > 3)
        options.maxIndexLag = args.at(3).toInt();
    writer.start(path, options);
    qint64 committedCount = 0;
    QObject::connect(&writer, &HistoryWriter::committed, &app,
                     [&committedCount](const QStringList &ids) { committedCount += ids.size(); });

    // Fill: as fast as the writer commits, with at most 20,000 results in flight.
    Bench::StoreRandom r;
    QStringList runIds;
    QElapsedTimer fill;
    fill.start();
    int produced = 0;
    QEventLoop loop;
    QTimer feeder;
    QObject::connect(&feeder, &QTimer::timeout, &app, [&] {
        while (produced < total && produced - committedCount < 20'000) {
            if (produced % kRunSize == 0) {
                if (!runIds.isEmpty())
                    writer.endRun(runIds.last(), RunState::Completed);
                const RunStart run = Bench::makeStoreRun(r, static_cast<int>(runIds.size()),
                                                         total / kRunSize - static_cast<int>(runIds.size()));
                writer.beginRun(run);
                runIds.append(run.id);
            }
            writer.addResult(runIds.last(), Bench::makeStoreCell(r, produced, chainTurns));
            ++produced;
        }
        if (committedCount >= total)
            loop.quit();
    });
    qint64 indexedTo = 0;
    QObject::connect(&writer, &HistoryWriter::searchIndexed, &app, [&indexedTo](qint64 to, qint64) { indexedTo = to; });
    feeder.start(1);
    loop.exec();
    feeder.stop();
    writer.endRun(runIds.last(), RunState::Completed);
    const double fillS = static_cast<double>(fill.nsecsElapsed()) / 1e9;
    std::printf("insert:        %10.0f results/s   (%d in %.1f s, batched commits; target >= 20,000/s)\n",
                total / fillS, total, fillS);
    // Schema 5 indexes for search after the commit: how far behind the index is, what a search
    // costs with that unindexed tail, and how long the writer takes to catch up once idle.
    QElapsedTimer catchUp;
    catchUp.start();
    if (args.size() > 4 && args.at(4) == u"tail") {
        HistoryStore reader;
        HistoryStore::OpenOptions noCheck;
        noCheck.quickCheck = false;
        if (reader.open(path, HistoryStore::Mode::ReadOnly, noCheck)) {
            SqliteStatus st;
            const auto mark = reader.connection().queryInt(QStringLiteral("SELECT indexed_to FROM search_state"), &st);
            const auto maxId = reader.connection().queryInt(QStringLiteral("SELECT max(id) FROM results"), &st);
            SearchQuery tailQuery;
            tailQuery.text = QStringLiteral("quokka");
            QElapsedTimer t;
            t.start();
            const auto found = reader.search(tailQuery);
            std::printf("FTS with tail: %10.1f ms   (%lld hits; %lld results not indexed yet at the last commit)\n",
                        static_cast<double>(t.nsecsElapsed()) / 1e6,
                        static_cast<long long>(found ? found.value().size() : -1),
                        static_cast<long long>(maxId.value_or(0) - mark.value_or(0)));
        }
    }
    while (indexedTo < total) { // a fresh file: the result ids are 1 to total
        if (catchUp.elapsed() > 600'000)
            break;
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    }
    const double catchUpS = static_cast<double>(catchUp.nsecsElapsed()) / 1e9;
    std::printf("index caught up %.1f s after the last commit: %.0f results/s committed and indexed\n", catchUpS,
                total / (fillS + catchUpS));
    writer.stop();
    std::printf("file size:     %10.1f MB\n", static_cast<double>(QFileInfo(path).size()) / 1e6);

    store.close();
    QElapsedTimer openTimer;
    openTimer.start();
    HistoryStore::OpenOptions noCheck;
    noCheck.quickCheck = false;
    if (auto reopened = store.open(path, HistoryStore::Mode::ReadWrite, noCheck); !reopened) {
        std::printf("reopen failed: %s\n", qPrintable(reopened.error()));
        return 1;
    }
    std::printf("open:          %10.1f ms (without quick_check)\n",
                static_cast<double>(openTimer.nsecsElapsed()) / 1e6);
    qsizetype runs = 0;
    const double listMs = timeMs([&] { runs = store.listRuns().value().size(); }, 7);
    std::printf("list runs:     %10.1f ms   (%lld runs; target < 300 ms)\n", listMs, static_cast<long long>(runs));
    qsizetype cells = 0;
    const QString middle = runIds.at(runIds.size() / 2);
    const double loadMs = timeMs([&] { cells = store.loadCells(middle).value().size(); }, 3);
    std::printf("open a run:    %10.1f ms   (%lld results, every field and attempt; target < 1 s)\n", loadMs,
                static_cast<long long>(cells));
    SearchQuery rare;
    rare.text = QStringLiteral("quokka");
    qsizetype hits = 0;
    const double rareMs = timeMs([&] { hits = store.search(rare).value().size(); }, 7);
    std::printf("FTS rare word: %10.1f ms   (%lld hits; target < 100 ms)\n", rareMs, static_cast<long long>(hits));
    SearchQuery filtered = rare;
    filtered.targetId = QStringLiteral("target7");
    filtered.suiteName = QStringLiteral("suite2");
    const double filteredMs = timeMs([&] { hits = store.search(filtered).value().size(); }, 7);
    std::printf("FTS + filters: %10.1f ms   (%lld hits)\n", filteredMs, static_cast<long long>(hits));
    SearchQuery common;
    common.text = QStringLiteral("question");
    common.limit = 200;
    const double commonMs = timeMs([&] { hits = store.search(common).value().size(); }, 3);
    std::printf("FTS common:    %10.1f ms   (a word in every prompt, best 200 by rank)\n", commonMs);
    qsizetype points = 0;
    const double driftMs = timeMs([&] { points = store.drift(QStringLiteral("target3")).value().size(); }, 3);
    std::printf("drift:         %10.1f ms   (one target across %lld runs, %d results)\n", driftMs,
                static_cast<long long>(points), total / kTargets);
    QElapsedTimer check;
    check.start();
    SqliteStatus s;
    const auto verdict = store.connection().queryText(QStringLiteral("PRAGMA quick_check"), &s);
    std::printf("quick_check:   %10.1f ms   (%s; what opening with the default check costs)\n",
                static_cast<double>(check.nsecsElapsed()) / 1e6, qPrintable(verdict.value_or(s.message)));
    return 0;
}
