// Client throughput (issue #4 benchmark): 64 concurrent streams through the whole client path —
// RunScheduler → NetworkPool → StreamHandler → the dialect's decoder → computeMetrics — against
// the in-process simulator on 127.0.0.1, with a persona so fast (1,000,000 tokens/s, 1 ms to the
// first token) that the client is the bottleneck. Per dialect it prints the aggregate tokens/s and
// the client's CPU per token: the process's CPU time (getrusage) minus the simulator thread's own
// (its CPU clock). Target: at least 100,000 tokens/s on 2 cores. Run a Release build:
//
//   bench_client_throughput [streams=64] [tokens_per_request=3000] [rounds=3] [dialect...]
#include "BenchSimulator.h"
#include "EngineBenchKit.h"

#include "engine/RunScheduler.h"
#include "metrics/RequestMetrics.h"
#include "run/JobTimeline.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QThread>

#include <cstdio>

using namespace Slopscope;
using namespace Slopscope::Bench;

namespace {

struct Figures
{
    int requests = 0;
    int completed = 0;
    qint64 tokens = 0;
    qint64 deltasSeen = 0; // content deltas that reached the consumer (jobContent)
    double wallSeconds = 0;
    double processCpuSeconds = 0;
    double simulatorCpuSeconds = 0;
    std::vector<double> decodeRates;
};

Figures runDialect(BenchSimulator &sim, Dialect dialect, int streams, int tokens, int rounds)
{
    const QHash<QString, QString> headers{{QStringLiteral("x-sim-tokens"), QString::number(tokens)},
                                          {QStringLiteral("x-sim-fault"), QStringLiteral("none")}};
    const ProviderConfig provider = simulatedProvider(dialect, streams, headers);
    QList<ChatRequest> jobs;
    for (int i = 0; i < streams * rounds; ++i) {
        ChatRequest r;
        r.id = QStringLiteral("job-%1").arg(i);
        r.targetId = provider.id;
        r.providerId = provider.id;
        r.model = modelFor(dialect);
        r.messages = {{QStringLiteral("user"), QStringLiteral("Write a long story, number %1.").arg(i)}};
        r.caseId = QStringLiteral("case-%1").arg(i);
        jobs.append(r);
    }

    Figures f;
    f.requests = static_cast<int>(jobs.size());
    RunScheduler scheduler(dependencies(sim.baseUrl()));
    scheduler.setProviders({provider});
    QEventLoop loop;
    QObject::connect(&scheduler, &RunScheduler::jobContent, &loop,
                     [&f](const QString &, const QList<ContentDelta> &deltas) { f.deltasSeen += deltas.size(); });
    QObject::connect(&scheduler, &RunScheduler::jobFinished, &loop, [&f](const JobResult &job) {
        // What RunSession does for every cell: the metrics from the raw record.
        const RequestMetrics m = computeMetrics(jobTimeline(job), job.result.usage);
        if (job.state != JobState::Completed)
            return;
        ++f.completed;
        if (job.result.usage && job.result.usage->outputTokens)
            f.tokens += *job.result.usage->outputTokens;
        if (m.decodeTokensPerSecond)
            f.decodeRates.push_back(*m.decodeTokensPerSecond);
    });
    QObject::connect(&scheduler, &RunScheduler::runFinished, &loop, &QEventLoop::quit);

    RunOptions options;
    options.globalConcurrency = streams;
    const qint64 cpu0 = processCpuNs();
    const qint64 sim0 = sim.cpuNs();
    QElapsedTimer wall;
    wall.start();
    if (Status s = scheduler.start(jobs, options); !s) {
        std::fprintf(stderr, "start: %s\n", qPrintable(s.error()));
        return f;
    }
    loop.exec();
    f.wallSeconds = static_cast<double>(wall.nsecsElapsed()) / 1e9;
    f.processCpuSeconds = static_cast<double>(processCpuNs() - cpu0) / 1e9;
    f.simulatorCpuSeconds = static_cast<double>(sim.cpuNs() - sim0) / 1e9;
    return f;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    const int streams = args.size() > 1 ? std::max(1, args.at(1).toInt()) : 64;
    const int tokens = args.size() > 2 ? std::max(2, args.at(2).toInt()) : 3000;
    const int rounds = args.size() > 3 ? std::max(1, args.at(3).toInt()) : 3;
    QList<Dialect> dialects;
    for (qsizetype i = 4; i < args.size(); ++i) {
        if (const auto d = dialectFromName(args.at(i)))
            dialects.append(*d);
    }
    if (dialects.isEmpty())
        dialects = allDialects();

    BenchSimulator sim;
    sim.start(personasJson(1.0, 0.0, 1'000'000.0));

    std::printf("== client throughput: %d concurrent streams, %d requests of %d tokens per dialect, %d cores ==\n",
                streams, streams * rounds, tokens, QThread::idealThreadCount());
    std::printf("%-17s %9s %9s %8s %10s %9s %9s %9s %10s %9s\n", "dialect", "completed", "tokens", "wall s", "tokens/s",
                "proc CPU", "sim CPU", "client", "client", "decode");
    std::printf("%-17s %9s %9s %8s %10s %9s %9s %9s %10s %9s\n", "", "", "", "", "", "s", "s", "CPU s", "ns/token",
                "p50 tok/s");
    bool allMet = true;
    for (Dialect d : std::as_const(dialects)) {
        const Figures f = runDialect(sim, d, streams, tokens, rounds);
        const double rate = f.wallSeconds > 0 ? static_cast<double>(f.tokens) / f.wallSeconds : 0.0;
        const double clientCpu = f.processCpuSeconds - f.simulatorCpuSeconds;
        const double perToken = f.tokens > 0 ? clientCpu * 1e9 / static_cast<double>(f.tokens) : 0.0;
        std::printf("%-17s %4d/%-4d %9lld %8.2f %10.0f %9.2f %9.2f %9.2f %10.0f %9.0f\n", qPrintable(dialectName(d)),
                    f.completed, f.requests, static_cast<long long>(f.tokens), f.wallSeconds, rate, f.processCpuSeconds,
                    f.simulatorCpuSeconds, clientCpu, perToken, percentile(f.decodeRates, 0.5));
        std::fflush(stdout);
        allMet = allMet && f.completed == f.requests && rate >= 100'000.0;
    }
    std::printf("target: >= 100000 tokens/s per dialect: %s\n", allMet ? "met" : "NOT met");
    return 0;
}
