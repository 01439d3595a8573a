#include "BenchSimulator.h"

#include "engine/MonotonicClock.h"
#include "sim/SimServer.h"

#include <pthread.h>

#include <cstdio>
#include <cstdlib>

namespace Slopscope::Bench {

BenchSimulator::~BenchSimulator()
{
    if (m_server) {
        SimServer *server = m_server;
        QMetaObject::invokeMethod(
            server, [server] { delete server; }, Qt::BlockingQueuedConnection);
    }
    m_thread.quit();
    m_thread.wait();
}

void BenchSimulator::start(const QByteArray &personasJson)
{
    auto personas = SimPersonas::fromJson(personasJson, QStringLiteral("bench personas"));
    if (!personas) {
        std::fprintf(stderr, "personas: %s\n", qPrintable(personas.error()));
        std::exit(2);
    }
    m_thread.setObjectName(QStringLiteral("simulator"));
    m_server = new SimServer;
    m_server->setPersonas(std::move(personas).value());
    m_server->setPersonaFaultsEnabled(false);
    m_server->moveToThread(&m_thread);
    m_thread.start();
    bool listening = false;
    QMetaObject::invokeMethod(
        m_server,
        [this, &listening] {
            listening = m_server->listen();
            m_haveCpuClock = pthread_getcpuclockid(pthread_self(), &m_cpuClock) == 0;
            m_baseUrl = m_server->baseUrl().toString(QUrl::StripTrailingSlash);
        },
        Qt::BlockingQueuedConnection);
    if (!listening) {
        std::fprintf(stderr, "the simulator cannot listen on 127.0.0.1\n");
        std::exit(2);
    }
}

int BenchSimulator::openConnections() const
{
    int open = 0;
    QMetaObject::invokeMethod(
        m_server, [this, &open] { open = m_server->openConnections(); }, Qt::BlockingQueuedConnection);
    return open;
}

qint64 BenchSimulator::cpuNs() const
{
    if (!m_haveCpuClock)
        return 0;
    timespec ts{};
    if (clock_gettime(m_cpuClock, &ts) != 0)
        return 0;
    return static_cast<qint64>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

qint64 BenchSimulator::clockOffsetNs() const
{
    const MonotonicClock steady = steadyClock();
    qint64 best = 0;
    qint64 bestWidth = -1;
    SimServer *server = m_server;
    // Read the simulator's clock between two steady readings, on its thread; keep the tightest.
    for (int i = 0; i < 20; ++i) {
        qint64 before = 0;
        qint64 sim = 0;
        qint64 after = 0;
        QMetaObject::invokeMethod(
            server,
            [&] {
                before = steady();
                sim = server->nowNs();
                after = steady();
            },
            Qt::BlockingQueuedConnection);
        if (bestWidth < 0 || after - before < bestWidth) {
            bestWidth = after - before;
            best = before + (after - before) / 2 - sim;
        }
    }
    return best;
}

std::array<double, 3> BenchSimulator::takeScheduleLagMs()
{
    std::array<double, 3> lag{};
    SimServer *server = m_server;
    QMetaObject::invokeMethod(
        server,
        [server, &lag] {
            const SimScheduleStats &s = server->scheduleStats();
            lag = {s.percentileMs(0.5), s.percentileMs(0.99), s.maxMs()};
            server->resetScheduleStats();
        },
        Qt::BlockingQueuedConnection);
    return lag;
}

QList<SimRecord> BenchSimulator::records() const
{
    QList<SimRecord> out;
    SimServer *server = m_server;
    QMetaObject::invokeMethod(
        server, [server, &out] { out = server->records(); }, Qt::BlockingQueuedConnection);
    return out;
}

} // namespace Slopscope::Bench
