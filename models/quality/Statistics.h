#pragma once

#include <QList>
#include <QString>

#include <cstdint>
#include <optional>

namespace Slopscope::Stats {

// A deterministic random source: the same seed gives the same numbers on every platform
// (std::uniform_*_distribution is implementation-defined, so it is not used).
class SeededRandom final
{
public:
    explicit SeededRandom(std::uint64_t seed)
        : m_state(seed)
    {}
    std::uint64_t next();                 // splitmix64
    std::uint64_t below(std::uint64_t n); // uniform in [0, n), no modulo bias
    double unit();                        // uniform in [0, 1)

private:
    std::uint64_t m_state;
};

struct Interval
{
    double estimate = 0.0;
    double low = 0.0;
    double high = 0.0;
    qsizetype n = 0; // how many results the figure rests on
};

// FNV-1a of the UTF-8 bytes: the same seed for the same text on every machine and Qt version
// (qHash may use a different algorithm per CPU), so intervals are reproducible.
std::uint64_t stableSeed(const QString &text);

// Nearest rank: the ⌈q·n⌉-th smallest value (q clamped to 0..1); nullopt for no values.
std::optional<double> nearestRank(QList<double> values, double q);

double weightedMean(const QList<double> &values, const QList<double> &weights = {});

// Percentile bootstrap of the (weighted) mean: resample cases with replacement.
Interval bootstrapMean(const QList<double> &values, const QList<double> &weights = {}, std::uint64_t seed = 1,
                       int iterations = 2000, double level = 0.95);

struct PairedComparison
{
    Interval difference; // mean(a − b) with its bootstrap interval
    double pValue = 1.0; // two-sided, from the bootstrap distribution of the difference
};

// Two targets scored on the same cases, in the same order.
PairedComparison pairedBootstrap(const QList<double> &a, const QList<double> &b, std::uint64_t seed = 1,
                                 int iterations = 2000, double level = 0.95);

struct McNemar
{
    qsizetype onlyA = 0; // a passed, b failed
    qsizetype onlyB = 0;
    double pValue = 1.0; // exact two-sided binomial when onlyA + onlyB < 25, else χ² with continuity correction
    bool exact = true;
};
McNemar mcnemar(const QList<bool> &passA, const QList<bool> &passB);

// Cases needed (paired, same per-case variability) for the observed difference to reach p < 0.05;
// nullopt when there is no difference to separate.
std::optional<qsizetype> casesToSeparate(const QList<double> &a, const QList<double> &b);

struct Agreement
{
    double percent = 0.0;
    double kappa = 0.0; // Cohen's kappa
    qsizetype n = 0;
};
Agreement agreement(const QList<int> &raterA, const QList<int> &raterB);

double chiSquare1Survival(double x); // P(χ²₁ ≥ x)

} // namespace Slopscope::Stats
