#include "sim/SimScheduler.h"

#include "sim/SimStream.h"

#include <QSocketNotifier>

#include <algorithm>

#ifdef Q_OS_LINUX
#include <sys/timerfd.h>
#include <unistd.h>
#endif

namespace Slopscope {

SimScheduler::SimScheduler(QObject *parent)
    : QObject(parent)
    , m_timer(this)
{
    m_clock.start();
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &SimScheduler::tick);
#ifdef Q_OS_LINUX
    m_timerFd = ::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (m_timerFd >= 0) {
        m_timerNotifier = new QSocketNotifier(static_cast<qintptr>(m_timerFd), QSocketNotifier::Read, this);
        connect(m_timerNotifier, &QSocketNotifier::activated, this, [this] {
            quint64 expirations = 0;
            if (::read(m_timerFd, &expirations, sizeof expirations) < 0) {
                // EAGAIN: already consumed; the tick below is harmless either way.
            }
            tick();
        });
    }
#endif
}

SimScheduler::~SimScheduler()
{
#ifdef Q_OS_LINUX
    delete m_timerNotifier;
    if (m_timerFd >= 0)
        ::close(m_timerFd);
#endif
}

qint64 SimScheduler::minimumWaitNs() const
{
    // Fewer, fuller writes as the load grows: 50 µs between wake-ups for a few streams, up to 1 ms
    // for many (where each write carries several tokens anyway).
    return std::clamp<qint64>(static_cast<qint64>(m_entries.size()) * 15'000, 50'000, 1'000'000);
}

void SimScheduler::add(SimStream *stream, DoneHandler onDone)
{
    m_entries.append(Entry{stream, std::move(onDone), 0});
    if (!m_ticking) {
        // Serve it right away: headers and anything already due go out without a timer hop.
        tick();
    }
}

void SimScheduler::remove(SimStream *stream)
{
    for (auto &e : m_entries) {
        if (e.stream == stream)
            e.stream = nullptr; // swept at the end of the current or next tick
    }
    if (!m_ticking)
        m_entries.removeIf([](const Entry &e) { return e.stream == nullptr; });
}

void SimScheduler::tick()
{
    m_ticking = true;
    QList<Entry> finished;
    // Index loop: pumping may add streams (never during a tick) or null entries out (remove()).
    for (qsizetype i = 0; i < m_entries.size(); ++i) {
        SimStream *stream = m_entries[i].stream;
        const qint64 now = m_clock.nsecsElapsed();
        if (!stream || m_entries[i].nextNs > now)
            continue;
        const qint64 next = stream->pump(now, m_stats);
        Entry &e = m_entries[i];
        if (!e.stream)
            continue; // removed while it was writing (its connection went away)
        e.nextNs = next;
        if (next < 0) {
            finished.append(e);
            e.stream = nullptr;
        }
    }
    m_entries.removeIf([](const Entry &e) { return e.stream == nullptr; });
    m_ticking = false;
    for (const Entry &e : std::as_const(finished)) {
        if (e.onDone)
            e.onDone(e.stream);
    }
    arm();
}

void SimScheduler::arm()
{
    qint64 next = SimStream::kWaitForever;
    for (const Entry &e : std::as_const(m_entries)) {
        if (e.stream)
            next = std::min(next, e.nextNs);
    }
    if (next == SimStream::kWaitForever) {
        m_timer.stop();
#ifdef Q_OS_LINUX
        if (m_timerFd >= 0) {
            const itimerspec off{};
            ::timerfd_settime(m_timerFd, 0, &off, nullptr);
        }
#endif
        return;
    }
    const qint64 wait = next - m_clock.nsecsElapsed();
    if (wait <= 0) {
        // Already late: yield once to the event loop (reads, new connections) and continue.
        m_timer.start(0);
        return;
    }
#ifdef Q_OS_LINUX
    if (m_timerFd >= 0) {
        m_timer.stop();
        const qint64 ns = std::max(wait, minimumWaitNs());
        itimerspec spec{};
        spec.it_value.tv_sec = static_cast<time_t>(ns / 1'000'000'000);
        spec.it_value.tv_nsec = static_cast<long>(ns % 1'000'000'000);
        if (::timerfd_settime(m_timerFd, 0, &spec, nullptr) == 0)
            return;
    }
#endif
    // Round up: a token is never written before it is due.
    m_timer.start(static_cast<int>(std::min<qint64>((wait + 999'999) / 1'000'000, 3'600'000)));
}

} // namespace Slopscope
