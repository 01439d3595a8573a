#pragma once

#include <QtGlobal>

#include <chrono>
#include <functional>

namespace Slopscope {

// Nanoseconds on a monotonic clock. Injected into the engine so tests control time stamps; must
// be callable from any thread.
using MonotonicClock = std::function<qint64()>;

inline MonotonicClock steadyClock()
{
    return [] {
        return static_cast<qint64>(
            std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
                .count());
    };
}

} // namespace Slopscope
