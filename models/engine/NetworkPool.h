#pragma once

#include <QHash>
#include <QObject>
#include <QPair>
#include <QString>

#include <memory>
#include <vector>

class QThread;

namespace Slopscope {

class NetworkWorker;
class ProxyRules;

// The network threads and the bookkeeping that keeps requests out of Qt's own per-host queue.
// Qt opens at most six HTTP/1.1 connections per host in one QNetworkAccessManager and queues the
// rest, with their timers running; so each new stream goes to a manager that has fewer than six
// streams to that host, creating managers (spread over the threads) as needed. Used from one
// thread (the scheduler's); the workers do the network work in theirs.
class NetworkPool final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NetworkPool)

public:
    static constexpr int kMaxPerHostPerManager = 6;

    struct Slot
    {
        int worker = -1;
        int manager = -1;
        QString hostKey;
        [[nodiscard]] bool valid() const { return worker >= 0; }
    };

    // threadCount <= 0: one per core, at least 1 and at most 4.
    explicit NetworkPool(int threadCount = 0, QObject *parent = nullptr);
    ~NetworkPool() override;

    // A manager with room for one more stream to hostKey ("scheme://host:port"); one with a
    // pre-opened connection not yet in use first, so that the stream rides on it.
    Slot acquire(const QString &hostKey);
    // Plans `connections` pre-opened connections to hostKey over the managers that acquire() would
    // use (creating them), and remembers them so that acquire() prefers those managers. Returns
    // (slot, connections to open on that manager). Nothing stays acquired.
    QList<QPair<Slot, int>> planWarm(const QString &hostKey, int connections);
    // Forgets every planned connection (at the start of a run: earlier ones may have closed).
    void clearWarm() { m_warm.clear(); }
    [[nodiscard]] int warm(int worker, int manager, const QString &hostKey) const;
    void release(const Slot &slot);
    // Hands every worker the proxy rules; requests started afterwards follow them (each worker
    // takes them before any attempt queued after this call).
    void setProxyRules(const std::shared_ptr<const ProxyRules> &rules);

    [[nodiscard]] int threadCount() const { return static_cast<int>(m_threads.size()); }
    [[nodiscard]] NetworkWorker *worker(int index) const { return m_threads[static_cast<std::size_t>(index)].worker; }
    // Managers planned so far over all threads.
    [[nodiscard]] int managerCount() const;
    // Streams currently assigned to one manager for one host.
    [[nodiscard]] int active(int worker, int manager, const QString &hostKey) const;
    [[nodiscard]] int activeTotal() const;

private:
    struct ThreadEntry
    {
        QThread *thread = nullptr;
        NetworkWorker *worker = nullptr;
        int managers = 0;
        int active = 0;
    };
    static qint64 key(int worker, int manager) { return (static_cast<qint64>(worker) << 32) | manager; }

    std::vector<ThreadEntry> m_threads;
    QHash<QString, QHash<qint64, int>> m_active; // host → (worker, manager) → streams
    QHash<QString, QHash<qint64, int>> m_warm;   // host → (worker, manager) → pre-opened connections
};

} // namespace Slopscope
