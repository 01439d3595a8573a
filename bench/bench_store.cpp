// The history store at scale: fills a temporary file with 1,000,000 results through the real
// writer thread (100 runs of 10,000), then times listing the runs, opening one 10,000-result run,
// full-text queries and a drift query. Figures only, no pass/fail: the machine is shared. Build
// with the release preset for real numbers.
//
//   bench_store [results=1000000] [folder] [maxIndexLag] [tail]
//
// "tail" times one search right after the last commit, while the writer is still indexing.

#include "store/HistoryStore.h"
#include "store/HistoryWriter.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTimer>
#include <QUuid>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace Slopscope;

namespace {

constexpr int kRunSize = 10'000;
constexpr int kTargets = 8;

struct Random
{
    quint64 state = 88172645463325252ULL;
    quint64 next(quint64 below)
    {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return state % below;
    }
};

QString word(Random &r)
{
    static const char *const syllables[] = {"ka",  "lo",  "mi",  "ne",  "ru",  "sa",  "ti",  "vo",  "ze",  "pa",
                                            "qui", "dor", "ben", "fal", "gri", "hum", "jex", "wun", "yop", "cre"};
    QString w;
    const int n = 2 + static_cast<int>(r.next(3));
    for (int i = 0; i < n; ++i)
        w += QLatin1StringView(syllables[r.next(20)]);
    return w;
}

CellResult makeCell(Random &r, int index)
{
    constexpr qint64 ms = 1'000'000;
    CellResult c;
    // Every (case, target) once per run of 10,000: 1,250 cases x 8 targets.
    c.caseId = QStringLiteral("case%1").arg((index / kTargets) % 1250);
    c.repeat = 0;
    c.job.targetId = QStringLiteral("target%1").arg(index % kTargets);
    c.job.providerId = QStringLiteral("provider");
    c.job.jobId = QStringLiteral("%1||0|%2").arg(c.caseId, c.job.targetId);
    c.job.state = r.next(50) == 0 ? JobState::Failed : JobState::Completed;
    QStringList words;
    for (int i = 0; i < 30; ++i)
        words.append(word(r));
    if (index % 10'000 == 7)
        words.append(QStringLiteral("quokka")); // a rare word: 100 hits in a million
    c.job.result.text = words.join(u' ');
    c.job.result.model = QStringLiteral("model-%1").arg(index % kTargets);
    c.job.result.finishReason = QStringLiteral("stop");
    Usage u;
    u.inputTokens = 200;
    u.outputTokens = 60;
    c.job.result.usage = u;
    AttemptRecord a;
    a.startedNs = 1 * ms;
    a.sentNs = 2 * ms;
    a.headersNs = 100 * ms;
    a.firstByteNs = 101 * ms;
    for (int i = 0; i < 20; ++i)
        a.deltas.append({(150 + i * 10) * ms, ContentKind::Answer, 9});
    a.endNs = 400 * ms;
    a.httpStatus = 200;
    a.bytesReceived = 3000;
    c.job.timeline.queuedNs = 0;
    c.job.timeline.attempts = {a};
    c.metrics.ttftNs = static_cast<qint64>(148 + r.next(50)) * ms;
    c.metrics.e2eNs = 398 * ms;
    c.metrics.decodeTokensPerSecond = 80.0 + static_cast<double>(r.next(400)) / 10.0;
    c.metrics.outputTokens = 60;
    c.metrics.contentChunks = 20;
    c.metrics.attempts = 1;
    c.cost.usd = 0.0001 * static_cast<double>(1 + index % kTargets);
    c.grade.score = r.next(4) == 0 ? 0.0 : 1.0;
    c.grade.pass = c.grade.score > 0.5;
    return c;
}

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
    const QStringList args = app.arguments();
    const int total = args.size() > 1 ? std::max(args.at(1).toInt(), kRunSize) : 1'000'000;
    QTemporaryDir scratch(args.size() > 2 ? args.at(2) + QStringLiteral("/bench_store-XXXXXX") : QString());
    const QString path = scratch.filePath(QStringLiteral("history.sqlite"));
    std::printf("Slopscope history store benchmark: %d results in %s\n\n", total, qPrintable(path));

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
    Random r;
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
                RunStart run;
                run.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
                run.suiteName = QStringLiteral("suite%1").arg(runIds.size() % 5);
                run.suiteJson = QStringLiteral("{}");
                run.targetsJson = QStringLiteral("[]");
                for (int t = 0; t < kTargets; ++t)
                    run.targetIds.append(QStringLiteral("target%1").arg(t));
                run.settingsJson = QStringLiteral("{}");
                run.appVersion = QStringLiteral("bench");
                run.startedAt = QDateTime::currentDateTimeUtc().addSecs(-3600LL * (total / kRunSize - runIds.size()));
                for (int c = 0; c < 1250; ++c)
                    run.prompts.append({QStringLiteral("case%1").arg(c), QString(),
                                        QStringLiteral("Question number %1 about %2").arg(c).arg(word(r))});
                writer.beginRun(run);
                runIds.append(run.id);
            }
            writer.addResult(runIds.last(), makeCell(r, produced));
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
