#pragma once

#include "sim/SimScheduleStats.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QTimer>

class QSocketNotifier;

#include <functional>

namespace Slopscope {

class SimStream;

// The one timing loop behind every connection of a server: on each tick it computes what is due
// from the monotonic clock, lets every stream write all its due tokens in one write, and arms a
// single precise timer for the earliest next due time. At rates above the timer's resolution
// several tokens go out per write, so the schedule holds and there is no drift.
// On Linux the timer is a timerfd (nanosecond deadlines, woken through the event loop); elsewhere
// a Qt::PreciseTimer rounded up to the next millisecond. Either way nothing is written early.
class SimScheduler final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SimScheduler)

public:
    using DoneHandler = std::function<void(SimStream *)>;

    explicit SimScheduler(QObject *parent = nullptr);
    ~SimScheduler() override;

    [[nodiscard]] qint64 nowNs() const { return m_clock.nsecsElapsed(); }
    [[nodiscard]] double nowMs() const { return static_cast<double>(nowNs()) / 1e6; }

    // Serves `stream` until it is done, then calls `onDone` (outside the tick's loop).
    void add(SimStream *stream, DoneHandler onDone);
    // Forgets a stream (its connection is going away); onDone is not called.
    void remove(SimStream *stream);

    [[nodiscard]] const SimScheduleStats &stats() const { return m_stats; }
    void resetStats() { m_stats.reset(); }
    [[nodiscard]] int activeStreams() const { return static_cast<int>(m_entries.size()); }

private:
    struct Entry
    {
        SimStream *stream;
        DoneHandler onDone;
        qint64 nextNs;
    };
    void tick();
    void arm();
    [[nodiscard]] qint64 minimumWaitNs() const;

    QElapsedTimer m_clock;
    QTimer m_timer; // zero-delay yields, and the whole timer where there is no timerfd
    int m_timerFd = -1;
    QSocketNotifier *m_timerNotifier = nullptr;
    QList<Entry> m_entries;
    SimScheduleStats m_stats;
    bool m_ticking = false;
};

} // namespace Slopscope
