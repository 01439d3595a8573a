#include "judge/BradleyTerry.h"

#include <algorithm>
#include <cmath>

namespace Slopscope {

namespace {

bool valid(const Comparison &c, int players)
{
    return c.a >= 0 && c.b >= 0 && c.a < players && c.b < players && c.a != c.b && std::isfinite(c.scoreA);
}

// Type 7 quantile of sorted values, as Stats::bootstrapMean uses.
double quantile(const QList<double> &sorted, double q)
{
    if (sorted.isEmpty())
        return 0.0;
    const double pos = q * static_cast<double>(sorted.size() - 1);
    const auto lo = static_cast<qsizetype>(std::floor(pos));
    const auto hi = std::min(lo + 1, sorted.size() - 1);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - static_cast<double>(lo));
}

} // namespace

BradleyTerry::Fit BradleyTerry::fit(int players, const QList<Comparison> &comparisons, const Options &options)
{
    Fit out;
    if (players <= 0)
        return out;
    const auto n = static_cast<qsizetype>(players);
    QList<double> wins(n, 0.0);
    QList<double> games(n * n, 0.0); // games[i * n + j]
    out.games = QList<double>(n, 0.0);
    for (const Comparison &c : comparisons) {
        if (!valid(c, players))
            continue;
        const double s = std::clamp(c.scoreA, 0.0, 1.0);
        wins[c.a] += s;
        wins[c.b] += 1.0 - s;
        games[c.a * n + c.b] += 1.0;
        games[c.b * n + c.a] += 1.0;
        out.games[c.a] += 1.0;
        out.games[c.b] += 1.0;
    }
    if (options.prior > 0.0) {
        for (qsizetype i = 0; i < n; ++i) {
            for (qsizetype j = 0; j < n; ++j) {
                if (i == j)
                    continue;
                games[i * n + j] += options.prior;
                wins[i] += options.prior / 2.0;
            }
        }
    }

    QList<double> p(n, 1.0 / static_cast<double>(n));
    for (qsizetype i = 0; i < n; ++i) {
        double all = 0.0;
        for (qsizetype j = 0; j < n; ++j)
            all += games[i * n + j];
        if (all == 0.0)
            p[i] = 0.0; // never compared: no strength to speak of
    }
    QList<double> next(n, 0.0);
    for (int it = 0; it < options.maxIterations; ++it) {
        for (qsizetype i = 0; i < n; ++i) {
            double denominator = 0.0;
            for (qsizetype j = 0; j < n; ++j) {
                const double nij = games[i * n + j];
                if (j != i && nij > 0.0 && p[i] + p[j] > 0.0)
                    denominator += nij / (p[i] + p[j]);
            }
            next[i] = denominator > 0.0 ? wins[i] / denominator : 0.0;
        }
        double sum = 0.0;
        for (double v : std::as_const(next))
            sum += v;
        if (sum <= 0.0)
            break; // no wins at all: nothing to fit
        double change = 0.0;
        for (qsizetype i = 0; i < n; ++i) {
            next[i] /= sum;
            change = std::max(change, std::abs(next[i] - p[i]));
        }
        std::swap(p, next);
        out.iterations = it + 1;
        if (change <= options.tolerance) {
            out.converged = true;
            break;
        }
    }
    out.strength = p;
    return out;
}

QList<Stats::Interval> BradleyTerry::bootstrap(int players, const QList<Comparison> &comparisons, std::uint64_t seed,
                                               int iterations, double level, const Options &options)
{
    QList<Stats::Interval> out;
    if (players <= 0)
        return out;
    const Fit whole = fit(players, comparisons, options);
    QList<Comparison> usable;
    for (const Comparison &c : comparisons) {
        if (valid(c, players))
            usable.append(c);
    }
    const auto n = static_cast<qsizetype>(players);
    QList<QList<double>> samples(n);
    // Resamples in which someone won every game never converge; a looser stop keeps a thousand
    // refits affordable without moving the percentiles measurably.
    Options resampled = options;
    resampled.maxIterations = std::min(options.maxIterations, 2000);
    resampled.tolerance = std::max(options.tolerance, 1e-9);
    if (usable.size() >= 2) {
        Stats::SeededRandom rng(seed);
        QList<Comparison> resample(usable.size());
        const auto m = static_cast<std::uint64_t>(usable.size());
        for (int it = 0; it < iterations; ++it) {
            for (qsizetype k = 0; k < usable.size(); ++k)
                resample[k] = usable.at(static_cast<qsizetype>(rng.below(m)));
            const Fit f = fit(players, resample, resampled);
            for (qsizetype i = 0; i < n; ++i)
                samples[i].append(f.strength.at(i));
        }
    }
    const double alpha = (1.0 - level) / 2.0;
    for (qsizetype i = 0; i < n; ++i) {
        Stats::Interval iv;
        iv.estimate = whole.strength.at(i);
        iv.n = static_cast<qsizetype>(whole.games.at(i));
        QList<double> sorted = samples.at(i);
        if (sorted.isEmpty()) {
            iv.low = iv.high = iv.estimate;
        } else {
            std::sort(sorted.begin(), sorted.end());
            iv.low = quantile(sorted, alpha);
            iv.high = quantile(sorted, 1.0 - alpha);
        }
        out.append(iv);
    }
    return out;
}

double BradleyTerry::winProbability(double strengthA, double strengthB)
{
    const double total = strengthA + strengthB;
    return total > 0.0 ? strengthA / total : 0.5;
}

} // namespace Slopscope
