// Timing accuracy (issue #4 benchmark): 32 concurrent streams with known timing from the
// in-process simulator, measured by the whole client path (RunScheduler → NetworkPool →
// StreamHandler → decoders → computeMetrics), compared request by request with the simulator's
// ground-truth log (SimRecord: body complete, first content written, last token written,
// tokens sent). Per dialect it prints:
//   TTFT error = client TTFT − (first_content_ms − body_complete_ms): median and p99 of |error|
//                (targets < 1 ms and < 5 ms);
//   decode tokens/s relative error = |client − truth| ÷ truth, with
//                truth = (tokens_sent − 1) ÷ (last_byte_ms − first_content_ms): median and max
//                (target within 1 %).
// Jobs carry distinct repeats, which the engine sends as x-slopscope-repeat and the simulator
// records, so each client result is paired with its own ground-truth record (each run has its own
// range of repeats). `preconnect` = on, off, or both (the default): "both" runs every dialect with
// and without RunOptions::preconnect; `spacing_us` is a comma-separated list of
// RunOptions::launchSpacingUs values (default: the engine's own). Every combination runs every
// dialect `pairs` times, alternating which goes first, and prints its figures, with p99 over the
// first wave (the first `streams` requests) on its own. With SLOPSCOPE_BENCH_TIMELINE set, each
// run also prints its first wave request by request. Run a Release build:
//
//   bench_timing_accuracy [streams=32] [rounds=3] [tokens=150] [tokens_per_second=120] [ttft_ms=200]
//                         [preconnect=both] [pairs=1] [spacing_us=1000]
#include "BenchSimulator.h"
#include "EngineBenchKit.h"

#include "engine/RunScheduler.h"
#include "metrics/RequestMetrics.h"
#include "run/JobTimeline.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QHash>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

using namespace Slopscope;
using namespace Slopscope::Bench;

namespace {

struct Pair
{
    JobResult job;
    RequestMetrics metrics;
};

// One request's errors. Both clocks are CLOCK_MONOTONIC, so the two ends of each delivery can be
// put on one time line: request = simulator's body complete − client's "sent" stamp; content =
// client's stamp of the first content − simulator's write of it. TTFT error = content − request.
struct Sample
{
    double ttftErrorMs = 0; // client TTFT − simulator TTFT
    double decodeRel = 0;   // (client − truth) ÷ truth
    double requestDeliveryMs = 0;
    double contentDeliveryMs = 0;
    bool firstWave = false; // among the first `streams` requests: a new connection each
};

struct Errors
{
    int failed = 0;
    std::vector<Sample> samples;
    std::array<double, 3> simulatorLagMs{}; // the ground truth's own jitter: token due -> written
};

struct Summary
{
    int n = 0;
    double ttftP50 = 0, ttftAbsP50 = 0, ttftAbsP99 = 0;
    double decodeP50 = 0, decodeAbsP50 = 0, decodeAbsMax = 0; // percent
    double requestP50 = 0, requestP99 = 0, contentP50 = 0, contentP99 = 0;

    [[nodiscard]] bool met() const { return n > 0 && ttftAbsP50 < 1.0 && ttftAbsP99 < 5.0 && decodeAbsMax < 1.0; }
};

enum class Subset { All, FirstWave, Open };

Summary summarize(const std::vector<Sample> &samples, Subset subset)
{
    std::vector<double> ttft, ttftAbs, dec, decAbs, request, content;
    for (const Sample &s : samples) {
        if ((subset == Subset::Open && s.firstWave) || (subset == Subset::FirstWave && !s.firstWave))
            continue;
        ttft.push_back(s.ttftErrorMs);
        ttftAbs.push_back(std::abs(s.ttftErrorMs));
        dec.push_back(s.decodeRel * 100.0);
        decAbs.push_back(std::abs(s.decodeRel) * 100.0);
        request.push_back(s.requestDeliveryMs);
        content.push_back(s.contentDeliveryMs);
    }
    Summary m;
    m.n = static_cast<int>(ttft.size());
    m.ttftP50 = percentile(ttft, 0.5);
    m.ttftAbsP50 = percentile(ttftAbs, 0.5);
    m.ttftAbsP99 = percentile(ttftAbs, 0.99);
    m.decodeP50 = percentile(dec, 0.5);
    m.decodeAbsP50 = percentile(decAbs, 0.5);
    m.decodeAbsMax = percentile(decAbs, 1.0);
    m.requestP50 = percentile(request, 0.5);
    m.requestP99 = percentile(request, 0.99);
    m.contentP50 = percentile(content, 0.5);
    m.contentP99 = percentile(content, 0.99);
    return m;
}

// One request of the first wave on one time line (ns on the client's clock), for
// SLOPSCOPE_BENCH_TIMELINE: when each left the scheduler, was stamped sent, reached the simulator's
// parser, and when its first content was written and stamped received.
struct WaveEntry
{
    double startedNs = 0, sentNs = 0, bodyCompleteNs = 0, firstContentWrittenNs = 0, firstContentNs = 0;
    double ttftErrorMs = 0;
};

void printWaveTimeline(std::vector<WaveEntry> wave)
{
    if (wave.empty())
        return;
    std::sort(wave.begin(), wave.end(),
              [](const WaveEntry &a, const WaveEntry &b) { return a.startedNs < b.startedNs; });
    const double t0 = wave.front().startedNs;
    const auto ms = [t0](double ns) { return (ns - t0) / 1e6; };
    std::printf("  first wave, ms from the first start: started / sent / body read by the simulator / TTFT error | "
                "first content written / received\n");
    for (const WaveEntry &w : wave)
        std::printf("  %8.3f %8.3f %8.3f %7.3f | %9.3f %9.3f\n", ms(w.startedNs), ms(w.sentNs), ms(w.bodyCompleteNs),
                    w.ttftErrorMs, ms(w.firstContentWrittenNs), ms(w.firstContentNs));
}

Errors runDialect(BenchSimulator &sim, Dialect dialect, int streams, int rounds, int tokens, bool preconnect,
                  int spacingUs, int repeatBase)
{
    const QHash<QString, QString> headers{{QStringLiteral("x-sim-tokens"), QString::number(tokens)},
                                          {QStringLiteral("x-sim-fault"), QStringLiteral("none")}};
    const ProviderConfig provider = simulatedProvider(dialect, streams, headers);
    // A record is found by (model, repeat): every dialect has its own persona.
    QList<ChatRequest> jobs;
    for (int i = 0; i < streams * rounds; ++i) {
        ChatRequest r;
        r.id = QStringLiteral("job-%1").arg(i);
        r.targetId = provider.id;
        r.providerId = provider.id;
        r.model = modelFor(dialect);
        r.messages = {{QStringLiteral("user"), QStringLiteral("Tell me a long story.")}};
        r.caseId = QStringLiteral("story");
        r.repeat = repeatBase + i;
        jobs.append(r);
    }
    QHash<int, Pair> results;
    {
        RunScheduler scheduler(dependencies(sim.baseUrl()));
        scheduler.setProviders({provider});
        QEventLoop loop;
        QObject::connect(&scheduler, &RunScheduler::jobFinished, &loop, [&results, &jobs](const JobResult &job) {
            const int index = job.jobId.mid(4).toInt();
            results.insert(jobs.at(index).repeat, Pair{job, computeMetrics(jobTimeline(job), job.result.usage)});
        });
        QObject::connect(&scheduler, &RunScheduler::runFinished, &loop, &QEventLoop::quit);
        RunOptions options;
        options.globalConcurrency = streams;
        options.preconnect = preconnect;
        options.launchSpacingUs = spacingUs;
        if (Status s = scheduler.start(jobs, options); !s) {
            std::fprintf(stderr, "start: %s\n", qPrintable(s.error()));
            return {};
        }
        loop.exec();
    }

    Errors e;
    e.simulatorLagMs = sim.takeScheduleLagMs();
    const qint64 offsetNs = sim.clockOffsetNs();
    const auto onClientLine = [offsetNs](double simMs) { return simMs * 1e6 + static_cast<double>(offsetNs); };
    const QString model = modelFor(dialect);
    std::vector<WaveEntry> wave;
    for (const SimRecord &rec : sim.records()) {
        if (rec.model != model || !results.contains(rec.repeat))
            continue;
        const Pair &p = results[rec.repeat];
        const AttemptRecord *a = p.job.timeline.attempts.isEmpty() ? nullptr : &p.job.timeline.attempts.last();
        if (p.job.state != JobState::Completed || rec.outcome != u"complete" || !p.metrics.ttftNs ||
            !p.metrics.decodeTokensPerSecond || rec.firstContentMs < 0 || rec.lastByteMs <= rec.firstContentMs || !a ||
            !a->sentNs)
            continue;
        Sample s;
        s.firstWave = rec.repeat - repeatBase < streams;
        const double truthTtftMs = rec.firstContentMs - rec.bodyCompleteMs;
        s.ttftErrorMs = static_cast<double>(*p.metrics.ttftNs) / 1e6 - truthTtftMs;
        s.requestDeliveryMs = (onClientLine(rec.bodyCompleteMs) - static_cast<double>(*a->sentNs)) / 1e6;
        const auto firstContentNs = static_cast<double>(*a->sentNs + *p.metrics.ttftNs);
        s.contentDeliveryMs = (firstContentNs - onClientLine(rec.firstContentMs)) / 1e6;
        const double truthRate = (rec.tokensSent - 1) / ((rec.lastByteMs - rec.firstContentMs) / 1000.0);
        s.decodeRel = (*p.metrics.decodeTokensPerSecond - truthRate) / truthRate;
        e.samples.push_back(s);
        if (s.firstWave)
            wave.push_back({static_cast<double>(a->startedNs.value_or(*a->sentNs)), static_cast<double>(*a->sentNs),
                            onClientLine(rec.bodyCompleteMs), onClientLine(rec.firstContentMs), firstContentNs,
                            s.ttftErrorMs});
    }
    if (qEnvironmentVariableIsSet("SLOPSCOPE_BENCH_TIMELINE"))
        printWaveTimeline(std::move(wave));
    e.failed = static_cast<int>(jobs.size() - static_cast<qsizetype>(e.samples.size())); // also: no record at all
    return e;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    const int streams = args.size() > 1 ? std::max(1, args.at(1).toInt()) : 32;
    const int rounds = args.size() > 2 ? std::max(1, args.at(2).toInt()) : 3;
    const int tokens = args.size() > 3 ? std::max(3, args.at(3).toInt()) : 150;
    const double rate = args.size() > 4 ? args.at(4).toDouble() : 120.0;
    const double ttft = args.size() > 5 ? args.at(5).toDouble() : 200.0;

    const QString mode = args.size() > 6 ? args.at(6) : QStringLiteral("both");
    const int pairs = args.size() > 7 ? std::max(1, args.at(7).toInt()) : 1;
    QList<int> spacings;
    for (const QString &v : (args.size() > 8 ? args.at(8) : QString::number(RunOptions{}.launchSpacingUs)).split(u','))
        spacings.append(std::max(0, v.toInt()));
    // Each (preconnect, spacing) pair is one "side"; every side runs every dialect `pairs` times.
    struct Side
    {
        bool preconnect = true;
        int spacingUs = 0;
    };
    QList<Side> sides;
    for (const int spacing : std::as_const(spacings)) {
        if (mode != u"off")
            sides.append({true, spacing});
        if (mode != u"on")
            sides.append({false, spacing});
    }
    const auto label = [](const Side &side) {
        return QStringLiteral("%1/%2").arg(side.preconnect ? u"on" : u"off").arg(side.spacingUs);
    };

    BenchSimulator sim;
    sim.start(personasJson(ttft, 0.5, rate));
    (void)sim.takeScheduleLagMs();

    QStringList spacingText;
    for (const int spacing : std::as_const(spacings))
        spacingText.append(QString::number(spacing));
    std::printf("== timing accuracy: %d concurrent streams, %d requests per dialect and run; TTFT median %.0f ms "
                "(spread 0.5), %.0f tokens/s, %d tokens; preconnect %s; launch spacing %s us; %d pair(s) ==\n",
                streams, streams * rounds, ttft, rate, tokens, qPrintable(mode), qPrintable(spacingText.join(u',')),
                pairs);
    std::printf("TTFT error = client TTFT - simulator TTFT (first content written - request body read); decode "
                "error = client tokens/s vs (tokens sent - 1) / (last - first token written). 'first' = the first "
                "wave (the first %d requests), 'open' = the requests after it.\n",
                streams);
    std::printf("%-17s %-8s %-5s %5s %10s %10s %10s %10s %10s %10s  %-23s %-23s\n", "dialect", "pre/us", "which", "n",
                "TTFT err", "TTFT |err|", "TTFT |err|", "decode err", "dec |err|", "dec |err|", "request delivery",
                "content delivery");
    std::printf("%-17s %-8s %-5s %5s %10s %10s %10s %10s %10s %10s  %-23s %-23s\n", "", "", "", "", "p50 ms", "p50 ms",
                "p99 ms", "p50 %", "p50 %", "max %", "p50 / p99 ms", "p50 / p99 ms");
    QHash<QString, bool> metAll, metOpen;
    QHash<QString, std::vector<double>> allP99, firstP99;
    int repeatBase = 0;
    int runIndex = 0;
    for (Dialect d : allDialects()) {
        for (int pair = 0; pair < pairs; ++pair) {
            // Alternate the order of the sides, so none always meets a warmer (or busier) machine.
            QList<Side> order = sides;
            if (runIndex++ % 2 == 1)
                std::reverse(order.begin(), order.end());
            for (const Side &side : std::as_const(order)) {
                const QString key = label(side);
                const Errors e =
                    runDialect(sim, d, streams, rounds, tokens, side.preconnect, side.spacingUs, repeatBase);
                repeatBase += streams * rounds;
                for (const Subset subset : {Subset::All, Subset::FirstWave, Subset::Open}) {
                    const Summary m = summarize(e.samples, subset);
                    const char *which = subset == Subset::All ? "all" : subset == Subset::FirstWave ? "first" : "open";
                    std::printf("%-17s %-8s %-5s %5d %10.3f %10.3f %10.3f %10.3f %10.3f %10.3f  %7.3f / %-13.3f "
                                "%7.3f / %-13.3f\n",
                                subset == Subset::All ? qPrintable(dialectName(d)) : "",
                                subset == Subset::All ? qPrintable(key) : "", which, m.n, m.ttftP50, m.ttftAbsP50,
                                m.ttftAbsP99, m.decodeP50, m.decodeAbsP50, m.decodeAbsMax, m.requestP50, m.requestP99,
                                m.contentP50, m.contentP99);
                    if (subset == Subset::All) {
                        metAll[key] = metAll.value(key, true) && m.met();
                        allP99[key].push_back(m.ttftAbsP99);
                    } else if (subset == Subset::FirstWave) {
                        firstP99[key].push_back(m.ttftAbsP99);
                    } else {
                        metOpen[key] = metOpen.value(key, true) && m.met();
                    }
                }
                std::printf("%-17s %-8s %-5s unpaired or failed: %d; simulator schedule lag (token due -> written) "
                            "p50 / p99 / max: %.3f / %.3f / %.3f ms\n",
                            "", "", "", e.failed, e.simulatorLagMs[0], e.simulatorLagMs[1], e.simulatorLagMs[2]);
                std::fflush(stdout);
                metAll[key] = metAll.value(key, true) && e.failed == 0;
            }
        }
    }
    for (const Side &side : std::as_const(sides)) {
        const QString key = label(side);
        const auto worst = [](const std::vector<double> &v) {
            return v.empty() ? 0.0 : *std::max_element(v.begin(), v.end());
        };
        std::printf("preconnect %-3s, launch spacing %5d us: TTFT |err| p99 over all requests, worst run %.3f ms; over "
                    "the first wave, worst run %.3f ms; targets (p50 < 1 ms, p99 < 5 ms, decode within 1 %%): all "
                    "requests %s, open connections %s\n",
                    side.preconnect ? "on" : "off", side.spacingUs, worst(allP99[key]), worst(firstP99[key]),
                    metAll.value(key) ? "met" : "NOT met", metOpen.value(key) ? "met" : "NOT met");
    }
    return 0;
}
