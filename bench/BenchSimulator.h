#pragma once

#include "sim/SimRecord.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QThread>

#include <array>

#include <ctime>

namespace Slopscope {

class SimServer;

namespace Bench {

// The simulator on a thread of its own (as EmbeddedSimulator runs it in the app), with a personas
// file of the benchmark's choosing, plus the CPU clock of that thread so a benchmark can take the
// simulator's share out of the process's CPU time.
class BenchSimulator final
{
public:
    BenchSimulator() = default;
    ~BenchSimulator();
    BenchSimulator(const BenchSimulator &) = delete;
    BenchSimulator &operator=(const BenchSimulator &) = delete;

    // Starts the server on 127.0.0.1 with these personas (a personas.json document); exits the
    // process on failure (a benchmark has nothing sensible to print without it).
    void start(const QByteArray &personasJson);
    [[nodiscard]] QString baseUrl() const { return m_baseUrl; }
    // CPU time the simulator thread has used so far, in nanoseconds.
    [[nodiscard]] qint64 cpuNs() const;
    // steady_clock (the engine's MonotonicClock) minus the simulator's clock, in nanoseconds: adds
    // to a SimRecord time (× 1e6) to put it on the client's time line. Both are CLOCK_MONOTONIC.
    [[nodiscard]] qint64 clockOffsetNs() const;
    // How late the simulator wrote tokens against their due times since the last reset: p50, p99
    // and max in ms (the ground truth's own jitter; SimScheduleStats). Resets the statistics.
    [[nodiscard]] std::array<double, 3> takeScheduleLagMs();
    // Connections the server holds open right now (SimServer::openConnections), read on its thread.
    [[nodiscard]] int openConnections() const;
    // The ground truth of finished requests (up to SimServer::kRecordLimit), fetched on its thread.
    [[nodiscard]] QList<SimRecord> records() const;

private:
    QThread m_thread;
    SimServer *m_server = nullptr;
    clockid_t m_cpuClock = CLOCK_THREAD_CPUTIME_ID;
    bool m_haveCpuClock = false;
    QString m_baseUrl;
};

} // namespace Bench
} // namespace Slopscope
