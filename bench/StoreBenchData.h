#pragma once

// Synthetic history rows shared by the store benchmarks (bench_store, bench_store_browse): one
// deterministic generator, so their figures describe the same data.

#include "run/CellResult.h"
#include "store/StoreTypes.h"

#include <QString>

namespace Slopscope::Bench {

inline constexpr int kStoreRunSize = 10'000; // results per run: 1,250 cases x 8 targets
inline constexpr int kStoreTargets = 8;

struct StoreRandom
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

// A made-up word of 2 to 4 syllables.
QString storeWord(StoreRandom &r);
// Result `index` of a run: 30 words of answer (the rare word "quokka" once per 10,000), one
// attempt with 20 deltas, metrics, cost and a grade. With `chainTurns` > 0, a chain case of that
// many turns, each with a tool call and its scripted result (what schema 8 indexes for search).
CellResult makeStoreCell(StoreRandom &r, int index, int chainTurns = 0);
// A run of kStoreRunSize cells with 1,250 prompts; `hoursAgo` sets its start time.
RunStart makeStoreRun(StoreRandom &r, int ordinal, int hoursAgo);

} // namespace Slopscope::Bench
