#include "engine/NetworkPool.h"

#include "engine/NetworkWorker.h"

#include <QThread>

#include <algorithm>

namespace Slopscope {

NetworkPool::NetworkPool(int threadCount, QObject *parent)
    : QObject(parent)
{
    if (threadCount <= 0)
        threadCount = std::clamp(QThread::idealThreadCount(), 1, 4);
    m_threads.resize(static_cast<std::size_t>(threadCount));
    for (int i = 0; i < threadCount; ++i) {
        ThreadEntry &e = m_threads[static_cast<std::size_t>(i)];
        e.thread = new QThread(this);
        e.thread->setObjectName(QStringLiteral("slopscope-net-%1").arg(i));
        e.worker = new NetworkWorker;
        e.worker->moveToThread(e.thread);
        e.thread->start();
    }
}

NetworkPool::~NetworkPool()
{
    for (ThreadEntry &e : m_threads) {
        // The managers and handlers must die in their own thread.
        QMetaObject::invokeMethod(e.worker, &NetworkWorker::shutdown, Qt::BlockingQueuedConnection);
        e.thread->quit();
        e.thread->wait();
        delete e.worker; // its thread has finished: nothing else can touch it
    }
}

void NetworkPool::setProxyRules(const std::shared_ptr<const ProxyRules> &rules)
{
    for (ThreadEntry &e : m_threads) {
        NetworkWorker *worker = e.worker;
        QMetaObject::invokeMethod(worker, [worker, rules] { worker->setProxyRules(rules); }, Qt::QueuedConnection);
    }
}

NetworkPool::Slot NetworkPool::acquire(const QString &hostKey)
{
    QHash<qint64, int> &perManager = m_active[hostKey];
    const QHash<qint64, int> warmHere = m_warm.value(hostKey);
    int bestWorker = -1;
    int bestManager = -1;
    // First a manager holding a pre-opened connection nobody rides yet, then any with room.
    for (const bool warmOnly : {true, false}) {
        if (bestWorker >= 0 || (warmOnly && warmHere.isEmpty()))
            continue;
        for (int w = 0; w < threadCount(); ++w) {
            const ThreadEntry &e = m_threads[static_cast<std::size_t>(w)];
            for (int m = 0; m < e.managers; ++m) {
                const int count = perManager.value(key(w, m));
                if (count >= (warmOnly ? warmHere.value(key(w, m)) : kMaxPerHostPerManager))
                    continue;
                if (bestWorker < 0) {
                    bestWorker = w;
                    bestManager = m;
                    continue;
                }
                // Prefer the least busy thread, then the fullest manager (fewer connections, and
                // HTTP/2 multiplexes them on one).
                const int bestThreadLoad = m_threads[static_cast<std::size_t>(bestWorker)].active;
                const int bestCount = perManager.value(key(bestWorker, bestManager));
                if (e.active < bestThreadLoad || (e.active == bestThreadLoad && count > bestCount)) {
                    bestWorker = w;
                    bestManager = m;
                }
            }
        }
    }
    if (bestWorker < 0) {
        // Every manager is full for this host: add one on the thread with the fewest managers.
        bestWorker = 0;
        for (int w = 1; w < threadCount(); ++w) {
            const ThreadEntry &e = m_threads[static_cast<std::size_t>(w)];
            const ThreadEntry &b = m_threads[static_cast<std::size_t>(bestWorker)];
            if (e.managers < b.managers || (e.managers == b.managers && e.active < b.active))
                bestWorker = w;
        }
        bestManager = m_threads[static_cast<std::size_t>(bestWorker)].managers++;
    }
    ++perManager[key(bestWorker, bestManager)];
    ++m_threads[static_cast<std::size_t>(bestWorker)].active;
    return Slot{bestWorker, bestManager, hostKey};
}

QList<QPair<NetworkPool::Slot, int>> NetworkPool::planWarm(const QString &hostKey, int connections)
{
    // Where a first wave of this many streams would go: acquired and released again, so only the
    // managers and the plan remain. Connections planned earlier for this host (another provider
    // on the same origin) count as busy meanwhile, so the two plans add up.
    const QHash<qint64, int> earlier = m_warm.value(hostKey);
    const auto holdEarlier = [this, &hostKey, &earlier](int sign) {
        QHash<qint64, int> &perManager = m_active[hostKey];
        for (auto it = earlier.cbegin(); it != earlier.cend(); ++it) {
            perManager[it.key()] += sign * it.value();
            m_threads[static_cast<std::size_t>(it.key() >> 32)].active += sign * it.value();
            if (perManager.value(it.key()) == 0)
                perManager.remove(it.key());
        }
        if (perManager.isEmpty())
            m_active.remove(hostKey);
    };
    holdEarlier(+1);
    QList<Slot> planned;
    for (int i = 0; i < connections; ++i)
        planned.append(acquire(hostKey));
    for (const Slot &slot : std::as_const(planned))
        release(slot);
    holdEarlier(-1);
    QList<QPair<Slot, int>> plan;
    for (const Slot &slot : std::as_const(planned)) {
        ++m_warm[hostKey][key(slot.worker, slot.manager)];
        const auto same = std::find_if(plan.begin(), plan.end(), [&slot](const QPair<Slot, int> &entry) {
            return entry.first.worker == slot.worker && entry.first.manager == slot.manager;
        });
        if (same == plan.end())
            plan.append({slot, 1});
        else
            ++same->second;
    }
    return plan;
}

int NetworkPool::warm(int worker, int manager, const QString &hostKey) const
{
    return m_warm.value(hostKey).value(key(worker, manager));
}

void NetworkPool::release(const Slot &slot)
{
    if (!slot.valid())
        return;
    auto host = m_active.find(slot.hostKey);
    if (host == m_active.end())
        return;
    auto it = host->find(key(slot.worker, slot.manager));
    if (it == host->end() || it.value() <= 0)
        return;
    if (--it.value() == 0)
        host->erase(it);
    if (host->isEmpty())
        m_active.erase(host);
    --m_threads[static_cast<std::size_t>(slot.worker)].active;
}

int NetworkPool::managerCount() const
{
    int n = 0;
    for (const ThreadEntry &e : m_threads)
        n += e.managers;
    return n;
}

int NetworkPool::active(int worker, int manager, const QString &hostKey) const
{
    return m_active.value(hostKey).value(key(worker, manager));
}

int NetworkPool::activeTotal() const
{
    int n = 0;
    for (const ThreadEntry &e : m_threads)
        n += e.active;
    return n;
}

} // namespace Slopscope
