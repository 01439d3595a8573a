#include "quality/Statistics.h"

#include <QHash>
#include <QSet>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace Slopscope::Stats {

namespace {

double quantile(QList<double> sorted, double q)
{
    if (sorted.isEmpty())
        return 0.0;
    // Linear interpolation between closest ranks (type 7, the default in R and numpy).
    const double pos = q * static_cast<double>(sorted.size() - 1);
    const auto lo = static_cast<qsizetype>(std::floor(pos));
    const auto hi = std::min(lo + 1, sorted.size() - 1);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - static_cast<double>(lo));
}

double weightAt(const QList<double> &weights, qsizetype i)
{
    return weights.isEmpty() ? 1.0 : weights.at(i);
}

double binomialTwoSided(qsizetype k, qsizetype n)
{
    // P(X ≤ min(k, n−k)) · 2 for X ~ Bin(n, 1/2), computed in log space.
    const qsizetype m = std::min(k, n - k);
    double tail = 0.0;
    for (qsizetype i = 0; i <= m; ++i) {
        const double logChoose = std::lgamma(static_cast<double>(n) + 1) - std::lgamma(static_cast<double>(i) + 1) -
                                 std::lgamma(static_cast<double>(n - i) + 1);
        tail += std::exp(logChoose - static_cast<double>(n) * std::log(2.0));
    }
    return std::min(1.0, 2.0 * tail);
}

} // namespace

std::uint64_t SeededRandom::next()
{
    std::uint64_t z = (m_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

std::uint64_t SeededRandom::below(std::uint64_t n)
{
    if (n == 0)
        return 0;
    const std::uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    std::uint64_t x = next();
    while (x >= limit)
        x = next();
    return x % n;
}

double SeededRandom::unit()
{
    return static_cast<double>(next() >> 11) * 0x1.0p-53;
}

std::uint64_t stableSeed(const QString &text)
{
    std::uint64_t h = 1469598103934665603ULL;
    for (const char byte : text.toUtf8()) {
        h ^= static_cast<unsigned char>(byte);
        h *= 1099511628211ULL;
    }
    return h;
}

std::optional<double> nearestRank(QList<double> values, double q)
{
    if (values.isEmpty())
        return std::nullopt;
    std::sort(values.begin(), values.end());
    const auto rank = static_cast<qsizetype>(std::ceil(std::clamp(q, 0.0, 1.0) * static_cast<double>(values.size())));
    return values.at(std::clamp<qsizetype>(rank - 1, 0, values.size() - 1));
}

double weightedMean(const QList<double> &values, const QList<double> &weights)
{
    double sum = 0.0;
    double total = 0.0;
    for (qsizetype i = 0; i < values.size(); ++i) {
        sum += values.at(i) * weightAt(weights, i);
        total += weightAt(weights, i);
    }
    return total > 0 ? sum / total : 0.0;
}

Interval bootstrapMean(const QList<double> &values, const QList<double> &weights, std::uint64_t seed, int iterations,
                       double level)
{
    Interval out;
    out.n = values.size();
    out.estimate = weightedMean(values, weights);
    if (values.size() < 2) {
        out.low = out.high = out.estimate;
        return out;
    }
    SeededRandom rng(seed);
    QList<double> means;
    means.reserve(iterations);
    const auto n = static_cast<std::uint64_t>(values.size());
    for (int it = 0; it < iterations; ++it) {
        double sum = 0.0;
        double total = 0.0;
        for (std::uint64_t k = 0; k < n; ++k) {
            const auto i = static_cast<qsizetype>(rng.below(n));
            sum += values.at(i) * weightAt(weights, i);
            total += weightAt(weights, i);
        }
        means.append(total > 0 ? sum / total : 0.0);
    }
    std::sort(means.begin(), means.end());
    const double alpha = (1.0 - level) / 2.0;
    out.low = quantile(means, alpha);
    out.high = quantile(means, 1.0 - alpha);
    return out;
}

PairedComparison pairedBootstrap(const QList<double> &a, const QList<double> &b, std::uint64_t seed, int iterations,
                                 double level)
{
    const qsizetype n = std::min(a.size(), b.size());
    QList<double> diff;
    diff.reserve(n);
    for (qsizetype i = 0; i < n; ++i)
        diff.append(a.at(i) - b.at(i));
    PairedComparison out;
    out.difference = bootstrapMean(diff, {}, seed, iterations, level);
    if (n < 2)
        return out;
    // Two-sided p: how often the resampled difference lands on the other side of zero.
    SeededRandom rng(seed ^ 0x5DEECE66DULL);
    qsizetype opposite = 0;
    const auto un = static_cast<std::uint64_t>(n);
    const double observed = out.difference.estimate;
    for (int it = 0; it < iterations; ++it) {
        double sum = 0.0;
        for (std::uint64_t k = 0; k < un; ++k)
            sum += diff.at(static_cast<qsizetype>(rng.below(un)));
        const double mean = sum / static_cast<double>(n);
        if ((observed >= 0 && mean <= 0) || (observed < 0 && mean >= 0))
            ++opposite;
    }
    out.pValue = std::min(1.0, 2.0 * static_cast<double>(opposite + 1) / static_cast<double>(iterations + 1));
    if (observed == 0.0)
        out.pValue = 1.0;
    return out;
}

double chiSquare1Survival(double x)
{
    if (x <= 0)
        return 1.0;
    return std::erfc(std::sqrt(x / 2.0));
}

McNemar mcnemar(const QList<bool> &passA, const QList<bool> &passB)
{
    McNemar out;
    const qsizetype n = std::min(passA.size(), passB.size());
    for (qsizetype i = 0; i < n; ++i) {
        if (passA.at(i) && !passB.at(i))
            ++out.onlyA;
        else if (!passA.at(i) && passB.at(i))
            ++out.onlyB;
    }
    const qsizetype discordant = out.onlyA + out.onlyB;
    if (discordant == 0) {
        out.pValue = 1.0;
        return out;
    }
    if (discordant < 25) {
        out.exact = true;
        out.pValue = binomialTwoSided(out.onlyA, discordant);
    } else {
        out.exact = false;
        const double d = std::abs(static_cast<double>(out.onlyA - out.onlyB)) - 1.0;
        out.pValue = chiSquare1Survival(d * d / static_cast<double>(discordant));
    }
    return out;
}

std::optional<qsizetype> casesToSeparate(const QList<double> &a, const QList<double> &b)
{
    const qsizetype n = std::min(a.size(), b.size());
    if (n < 2)
        return std::nullopt;
    QList<double> diff;
    for (qsizetype i = 0; i < n; ++i)
        diff.append(a.at(i) - b.at(i));
    const double mean = weightedMean(diff);
    if (mean == 0.0)
        return std::nullopt;
    double var = 0.0;
    for (double d : diff)
        var += (d - mean) * (d - mean);
    var /= static_cast<double>(n - 1);
    if (var == 0.0)
        return n; // every case already agrees on the direction and size
    // Paired z-test: n ≥ (1.96 · sd / |mean|)².
    const double needed = std::ceil(std::pow(1.959964 * std::sqrt(var) / std::abs(mean), 2.0));
    return static_cast<qsizetype>(std::max(needed, 2.0));
}

Agreement agreement(const QList<int> &raterA, const QList<int> &raterB)
{
    Agreement out;
    out.n = std::min(raterA.size(), raterB.size());
    if (out.n == 0)
        return out;
    QHash<int, qsizetype> countA;
    QHash<int, qsizetype> countB;
    QSet<int> labels;
    qsizetype same = 0;
    for (qsizetype i = 0; i < out.n; ++i) {
        same += raterA.at(i) == raterB.at(i) ? 1 : 0;
        ++countA[raterA.at(i)];
        ++countB[raterB.at(i)];
        labels.insert(raterA.at(i));
        labels.insert(raterB.at(i));
    }
    const auto total = static_cast<double>(out.n);
    out.percent = static_cast<double>(same) / total;
    double expected = 0.0;
    for (int label : std::as_const(labels))
        expected +=
            (static_cast<double>(countA.value(label)) / total) * (static_cast<double>(countB.value(label)) / total);
    out.kappa = expected >= 1.0 ? 1.0 : (out.percent - expected) / (1.0 - expected);
    return out;
}

} // namespace Slopscope::Stats
