// RELIABILITY L-7: cancel-all during a full load, against the 1 s bound. Each round starts 80
// jobs on one simulated provider capped at 64 (64 streaming slowly, 16 waiting in the engine's own
// queue), waits until all 64 have received content, calls RunScheduler::cancelAll() and measures,
// from that call: the last job ending, StreamHandler::liveReplies() back to 0 and the simulator's
// open connections back to 0. Also checks that every job ended `Cancelled` and the 64 kept their
// partial text. Prints p50 / max over the rounds; figures only, exit 0. Release build meant.
//
//   bench_cancel_all [rounds=5] [streams=64] [queued=16]
#include "BenchSimulator.h"
#include "EngineBenchKit.h"

#include "engine/RunScheduler.h"
#include "engine/StreamHandler.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QSet>
#include <QTimer>

#include <cstdio>

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

struct Round
{
    double jobsEndedMs = -1;   // the last jobFinished (and runFinished)
    double repliesMs = -1;     // liveReplies() == 0
    double connectionsMs = -1; // the simulator's open connections == 0
    int cancelled = 0;
    int withPartial = 0;
    int total = 0;
    bool streamedAll = false;
};

Round runRound(BenchSimulator &sim, int streams, int queued, int round)
{
    const Dialect dialect = Dialect::OpenAIChat;
    // Long, slow answers: nothing finishes by itself during the round.
    const QHash<QString, QString> headers{{QStringLiteral("x-sim-tokens"), QStringLiteral("100000")},
                                          {QStringLiteral("x-sim-fault"), QStringLiteral("none")}};
    const ProviderConfig provider = simulatedProvider(dialect, streams, headers);
    QList<ChatRequest> jobs;
    for (int i = 0; i < streams + queued; ++i) {
        ChatRequest r;
        r.id = QStringLiteral("r%1-job-%2").arg(round).arg(i);
        r.targetId = provider.id;
        r.providerId = provider.id;
        r.model = modelFor(dialect);
        r.messages = {{QStringLiteral("user"), QStringLiteral("Tell a very long story, number %1.").arg(i)}};
        r.caseId = QStringLiteral("case-%1").arg(i);
        jobs.append(r);
    }
    Round out;
    out.total = static_cast<int>(jobs.size());
    RunScheduler scheduler(dependencies(sim.baseUrl()));
    scheduler.setProviders({provider});
    QSet<QString> streaming;
    QEventLoop loop;
    QElapsedTimer sinceCancel;
    bool runFinished = false;
    QObject::connect(&scheduler, &RunScheduler::jobContent, &loop, [&](const QString &id, const QList<ContentDelta> &) {
        streaming.insert(id);
        if (streaming.size() == streams && !sinceCancel.isValid())
            loop.quit();
    });
    QObject::connect(&scheduler, &RunScheduler::jobFinished, &loop, [&](const JobResult &job) {
        out.cancelled += job.state == JobState::Cancelled && job.failure == FailureKind::Cancelled ? 1 : 0;
        out.withPartial += job.result.text.isEmpty() ? 0 : 1;
    });
    QObject::connect(&scheduler, &RunScheduler::runFinished, &loop, [&] {
        runFinished = true;
        if (sinceCancel.isValid())
            out.jobsEndedMs = static_cast<double>(sinceCancel.nsecsElapsed()) / 1e6;
    });
    RunOptions options;
    options.globalConcurrency = streams + queued;
    if (Status s = scheduler.start(jobs, options); !s) {
        std::fprintf(stderr, "start: %s\n", qPrintable(s.error()));
        return out;
    }
    QTimer::singleShot(30'000, &loop, &QEventLoop::quit);
    loop.exec();
    out.streamedAll = streaming.size() == streams;
    if (!out.streamedAll)
        std::fprintf(stderr, "round %d: only %lld of %d streams had content after 30 s\n", round,
                     static_cast<long long>(streaming.size()), streams);

    sinceCancel.start();
    scheduler.cancelAll();
    // Poll each millisecond: the three conditions arrive in their own order.
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        const double now = static_cast<double>(sinceCancel.nsecsElapsed()) / 1e6;
        if (out.repliesMs < 0 && StreamHandler::liveReplies() == 0)
            out.repliesMs = now;
        if (out.connectionsMs < 0 && sim.openConnections() == 0)
            out.connectionsMs = now;
        if ((runFinished && out.repliesMs >= 0 && out.connectionsMs >= 0) || now > 10'000)
            loop.quit();
    });
    poll.start(1);
    loop.exec();
    return out;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    const int rounds = args.size() > 1 ? std::max(1, args.at(1).toInt()) : 5;
    const int streams = args.size() > 2 ? std::max(1, args.at(2).toInt()) : 64;
    const int queued = args.size() > 3 ? std::max(0, args.at(3).toInt()) : 16;

    BenchSimulator sim;
    sim.start(personasJson(5.0, 0.0, 20.0)); // 20 tokens/s: every stream is still going when cancelled
    std::printf("L-7: cancel-all with %d streaming + %d queued jobs, %d rounds; load average %s\n", streams, queued,
                rounds, qPrintable(loadAverage()));
    std::printf("%5s %10s %10s %12s %10s %10s\n", "round", "jobs ms", "replies ms", "server ms", "cancelled",
                "partial");
    std::vector<double> ended;
    std::vector<double> replies;
    std::vector<double> connections;
    std::vector<double> worst;
    bool allOk = true;
    for (int i = 0; i < rounds; ++i) {
        const Round r = runRound(sim, streams, queued, i);
        std::printf("%5d %10.1f %10.1f %12.1f %6d/%-3d %6d/%-3d\n", i + 1, r.jobsEndedMs, r.repliesMs, r.connectionsMs,
                    r.cancelled, r.total, r.withPartial, streams);
        std::fflush(stdout);
        ended.push_back(r.jobsEndedMs);
        replies.push_back(r.repliesMs);
        connections.push_back(r.connectionsMs);
        worst.push_back(std::max({r.jobsEndedMs, r.repliesMs, r.connectionsMs}));
        allOk = allOk && r.streamedAll && r.cancelled == r.total && r.withPartial == streams && r.jobsEndedMs >= 0 &&
                r.repliesMs >= 0 && r.connectionsMs >= 0;
    }
    std::printf("every job Cancelled, every stream's partial text kept, nothing left open: %s\n", allOk ? "yes" : "NO");
    std::printf("jobs ended:          p50 %7.1f ms  max %7.1f ms\n", percentile(ended, 0.5), percentile(ended, 1.0));
    std::printf("live replies 0:      p50 %7.1f ms  max %7.1f ms\n", percentile(replies, 0.5),
                percentile(replies, 1.0));
    std::printf("server connections 0: p50 %6.1f ms  max %7.1f ms\n", percentile(connections, 0.5),
                percentile(connections, 1.0));
    std::printf("all three:           p50 %7.1f ms  max %7.1f ms  (target < 1000 ms): %s; load average %s\n",
                percentile(worst, 0.5), percentile(worst, 1.0),
                allOk && percentile(worst, 1.0) < 1000.0 ? "met" : "NOT met", qPrintable(loadAverage()));
    return 0;
}
