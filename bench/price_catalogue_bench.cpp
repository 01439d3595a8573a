// Prints how fast the metrics part is: loading the bundled LiteLLM table, looking prices up, computing
// costs, and deriving metrics from 1,000 timelines of 500 chunks (plus their serialisation).
// Figures only, no pass/fail: the machine is shared. Build with the release preset for real numbers.

#include "metrics/CostCalculator.h"
#include "metrics/PriceCatalogue.h"
#include "metrics/RequestMetrics.h"
#include "metrics/Timeline.h"

#include <QElapsedTimer>
#include <QFile>
#include <QStringList>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace Slopscope;

namespace {

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

Timeline syntheticTimeline(int seed)
{
    constexpr qint64 kMs = 1'000'000;
    Timeline t;
    t.queued = 0;
    t.sent = 2 * kMs;
    t.headers = 120 * kMs;
    t.firstByte = 121 * kMs;
    qint64 at = 300 * kMs + seed * kMs;
    quint32 x = 2463534242u + static_cast<quint32>(seed); // xorshift: varied but repeatable gaps
    for (int i = 0; i < 500; ++i) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        at += (x % 40) * kMs / 2 + 100'000;
        t.addChunk(at, i < 50 ? ContentKind::Reasoning : ContentKind::Answer, static_cast<qint32>(1 + x % 12));
    }
    t.end = at + 5 * kMs;
    t.bytesReceived = 120'000;
    t.attempts = 1;
    return t;
}

} // namespace

int main()
{
    std::printf("Slopscope metrics benchmark\n\n");

    // 1. Loading the bundled table, resource read included.
    {
        QFile f(QStringLiteral(":/slopscope/prices/litellm_model_prices.json"));
        QElapsedTimer readTimer;
        readTimer.start();
        if (!f.open(QIODevice::ReadOnly)) {
            std::printf("bundled price table missing\n");
            return 1;
        }
        const QByteArray bytes = f.readAll();
        const double readMs = readTimer.nsecsElapsed() / 1e6;
        std::vector<double> loads;
        std::vector<double> parses;
        qsizetype entries = 0;
        for (int i = 0; i < 7; ++i) {
            QElapsedTimer t;
            t.start();
            auto c = PriceCatalogue::loadBundled();
            loads.push_back(t.nsecsElapsed() / 1e6);
            if (!c) {
                std::printf("load failed: %s\n", qPrintable(c.error()));
                return 1;
            }
            entries = c.value().size();
            t.restart();
            auto p = PriceCatalogue::fromJson(bytes, QStringLiteral("table"));
            parses.push_back(t.nsecsElapsed() / 1e6);
        }
        std::printf("price table: %lld bytes, %lld entries\n", static_cast<long long>(bytes.size()),
                    static_cast<long long>(entries));
        std::printf("  resource read (first, decompression included): %8.2f ms\n", readMs);
        std::printf("  loadBundled() median of 7:                    %8.2f ms (min %.2f, max %.2f)\n", median(loads),
                    *std::min_element(loads.begin(), loads.end()), *std::max_element(loads.begin(), loads.end()));
        std::printf("  fromJson() on bytes in memory, median of 7:   %8.2f ms\n\n", median(parses));
    }

    auto loaded = PriceCatalogue::loadBundled();
    const PriceCatalogue &catalogue = loaded.value();

    // 2. Lookups: provider + model resolution, hits and misses mixed.
    {
        const QList<QPair<QString, QString>> queries = {
            {QStringLiteral("cerebras"), QStringLiteral("gpt-oss-120b")},
            {QStringLiteral("anthropic"), QStringLiteral("claude-sonnet-4-20250514")},
            {QStringLiteral("openai"), QStringLiteral("gpt-4o")},
            {QStringLiteral("gemini"), QStringLiteral("gemini-2.5-flash")},
            {QStringLiteral("groq"), QStringLiteral("openai/gpt-oss-120b")},
            {QStringLiteral("dashscope"), QStringLiteral("qwen3-coder-plus")},
            {QStringLiteral("my-proxy"), QStringLiteral("house-model")},
            {QStringLiteral("cerebras"), QStringLiteral("claude-sonnet-4-20250514")},
        };
        constexpr int rounds = 50'000;
        Price target;
        target.outputPerMTok = 1.0;
        int found = 0;
        QElapsedTimer t;
        t.start();
        for (int r = 0; r < rounds; ++r) {
            for (const auto &q : queries)
                found += catalogue.resolve(q.first, q.second, target).catalogueKey.isEmpty() ? 0 : 1;
        }
        const double s = t.nsecsElapsed() / 1e9;
        const double lookups = double(rounds) * queries.size();
        std::printf("resolve(provider, model, target price): %.0f lookups in %.3f s = %.2f M lookups/s (%d hits)\n",
                    lookups, s, lookups / s / 1e6, found);

        const QStringList keys = {QStringLiteral("cerebras/gpt-oss-120b"), QStringLiteral("gpt-5"),
                                  QStringLiteral("no/such-key"), QStringLiteral("claude-sonnet-4-20250514")};
        t.restart();
        int exact = 0;
        for (int r = 0; r < rounds * 2; ++r) {
            for (const QString &k : keys)
                exact += catalogue.entry(k) ? 1 : 0;
        }
        const double s2 = t.nsecsElapsed() / 1e9;
        std::printf("entry(exact key):                       %.2f M lookups/s (%d hits)\n",
                    double(rounds) * 2 * keys.size() / s2 / 1e6, exact);

        const PriceSchedule sched =
            catalogue.resolve(QStringLiteral("anthropic"), QStringLiteral("claude-sonnet-4-20250514"));
        Usage u;
        u.inputTokens = 12'000;
        u.outputTokens = 900;
        u.cachedInputTokens = 8'000;
        double sum = 0;
        t.restart();
        for (int r = 0; r < 1'000'000; ++r) {
            u.outputTokens = 900 + (r & 63);
            sum += CostCalculator::requestCost(u, sched).usd.value_or(0);
        }
        std::printf("requestCost(usage, tiered schedule):    %.2f M costs/s (checksum %.3f)\n\n",
                    1.0 / (t.nsecsElapsed() / 1e9), sum);
    }

    // 3. Metrics from 1,000 timelines of 500 chunks, and their serialisation.
    {
        std::vector<Timeline> timelines;
        timelines.reserve(1000);
        for (int i = 0; i < 1000; ++i)
            timelines.push_back(syntheticTimeline(i));
        Usage u;
        u.inputTokens = 500;
        u.outputTokens = 1400;

        std::vector<double> runs;
        double checksum = 0;
        for (int rep = 0; rep < 5; ++rep) {
            QElapsedTimer t;
            t.start();
            for (const Timeline &tl : timelines)
                checksum += computeMetrics(tl, u).decodeTokensPerSecond.value_or(0);
            runs.push_back(t.nsecsElapsed() / 1e6);
        }
        std::printf(
            "computeMetrics, 1,000 timelines x 500 chunks: %.2f ms (median of 5; %.2f us each; checksum %.1f)\n",
            median(runs), median(runs), checksum);

        QElapsedTimer t;
        t.start();
        std::vector<QByteArray> blobs;
        blobs.reserve(timelines.size());
        qint64 bytes = 0;
        for (const Timeline &tl : timelines) {
            blobs.push_back(tl.serialize());
            bytes += blobs.back().size();
        }
        const double serMs = t.nsecsElapsed() / 1e6;
        t.restart();
        int ok = 0;
        for (const QByteArray &b : blobs)
            ok += Timeline::deserialize(b).ok() ? 1 : 0;
        const double deMs = t.nsecsElapsed() / 1e6;
        std::printf("serialize 1,000 timelines:   %.2f ms, %.1f bytes/timeline (%.2f bytes/chunk)\n", serMs,
                    bytes / 1000.0, bytes / 1000.0 / 500.0);
        std::printf("deserialize 1,000 timelines: %.2f ms (%d ok)\n", deMs, ok);
    }
    return 0;
}
