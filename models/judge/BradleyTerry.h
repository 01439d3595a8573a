#pragma once

#include "quality/Statistics.h"

#include <QList>

#include <cstdint>

namespace Slopscope {

// One pairwise outcome between players a and b (indices): scoreA is 1 when a won, 0 when b won,
// 0.5 for a tie (a tie counts half a win to each).
struct Comparison
{
    int a = -1;
    int b = -1;
    double scoreA = 0.5;
};

// How BradleyTerry fits (outside the class so it can be a default argument).
struct BradleyTerryOptions
{
    // Virtual games per pair of players, each a tie: 0 fits the data alone. A player who lost
    // every game has strength 0, and one who won every game makes the fit drift (converged =
    // false); a small prior (e.g. 0.5) keeps sparse arena data finite, at some shrinkage.
    double prior = 0.0;
    int maxIterations = 10'000;
    double tolerance = 1e-12; // on the largest change of a normalised strength
};

// Bradley–Terry strengths from pairwise outcomes: P(i beats j) = p_i / (p_i + p_j). Fitted by
// Hunter's MM algorithm (2004): p_i ← W_i / Σ_j n_ij / (p_i + p_j), W_i the wins of i (ties half),
// n_ij the games between i and j; strengths normalised to sum to 1.
class BradleyTerry final
{
public:
    using Options = BradleyTerryOptions;
    struct Fit
    {
        QList<double> strength; // per player, summing to 1; 0 for a player without games
        QList<double> games;    // per player, real comparisons only
        int iterations = 0;
        bool converged = false;
    };

    // Comparisons naming a player outside [0, players) or the same player twice are ignored.
    static Fit fit(int players, const QList<Comparison> &comparisons, const Options &options = {});
    // Percentile intervals of each strength: the comparisons are resampled with replacement (a
    // seeded Stats::SeededRandom, so the same seed gives the same intervals) and refitted. The
    // estimate is the fit of all comparisons; n is the player's number of games.
    static QList<Stats::Interval> bootstrap(int players, const QList<Comparison> &comparisons, std::uint64_t seed = 1,
                                            int iterations = 1000, double level = 0.95, const Options &options = {});
    static double winProbability(double strengthA, double strengthB);
};

} // namespace Slopscope
