#pragma once

#include <QByteArrayView>
#include <QtGlobal>

#include <cmath>

namespace Slopscope {

// Deterministic pseudo-randomness for the simulator: FNV-1a to seed from text, SplitMix64 to step.
// The same inputs give the same numbers on every platform and run, which is what makes answers,
// timings and faults reproducible (std:: distributions are implementation-defined, so not used).
class SimRandom final
{
public:
    explicit SimRandom(quint64 seed)
        : m_state(seed)
    {}

    static quint64 hash(QByteArrayView bytes, quint64 h = 14695981039346656037ULL)
    {
        for (const char c : bytes) {
            h ^= static_cast<unsigned char>(c);
            h *= 1099511628211ULL;
        }
        return h;
    }
    // Combines a seed with a purpose tag so independent decisions do not share one stream.
    static quint64 derive(quint64 seed, QByteArrayView tag)
    {
        return finalize(hash(tag, seed ^ 0x9e3779b97f4a7c15ULL));
    }
    static quint64 finalize(quint64 z)
    {
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }

    quint64 next()
    {
        m_state += 0x9e3779b97f4a7c15ULL;
        return finalize(m_state);
    }
    // Uniform in [0, 1).
    double uniform() { return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0); }
    // Uniform integer in [0, n); n > 0.
    int below(int n) { return n <= 1 ? 0 : static_cast<int>(next() % static_cast<quint64>(n)); }
    // Standard normal (Box-Muller), deterministic.
    double normal()
    {
        const double u1 = 1.0 - uniform(); // (0, 1]
        const double u2 = uniform();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    }

private:
    quint64 m_state;
};

} // namespace Slopscope
