#pragma once

#include "core/Workspace.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QSet>
#include <QUrl>

#include <optional>

class QTimer;

namespace Slopscope {

class NetworkPool;
class ProxyRules;

// Opens a run's connections before its first wave (RunOptions::preconnect), so TCP and TLS set-up
// stay out of the first requests' TTFT, as real clients keep warm connections. The connections
// are opened on the very managers NetworkPool::acquire() will hand those requests (planWarm), and
// Qt reuses an idle connection of a manager for the next request to the same origin. Lives in the
// scheduler's thread; the workers connect in theirs.
class Preconnector final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Preconnector)

public:
    struct Target
    {
        QUrl origin; // scheme, host and port of the provider's requests
        QByteArray caCertificates;
        int connections = 0;
    };

    explicit Preconnector(NetworkPool *pool, QObject *parent = nullptr);

    // What to pre-open for a provider whose first wave is `connections` streams, or nothing:
    // providers that go through a proxy (the proxy's own upstream connection is out of reach, so
    // a warm socket to it would only half-measure; they connect when they send, as before), h2c
    // with prior knowledge (Qt's preconnect cannot ask for it and would fix HTTP/1.1 on the
    // connection), and URLs that are not http(s).
    static std::optional<Target> targetFor(const ProviderConfig &provider, const QString &simulatorBaseUrl,
                                           const ProxyRules &proxyRules, bool http2PriorKnowledge, int connections);

    // Plans and opens the targets' connections; ready() follows once every one has connected or
    // failed, or after capMs, whichever is first (always, even with no target: queued). A failed
    // preconnect is only counted: the request then connects itself and reports its own error.
    void start(const QList<Target> &targets, int capMs);
    [[nodiscard]] bool isWaiting() const { return m_waiting; }
    // Of the last start(): connections that connected, that failed, and whether the cap ended it.
    [[nodiscard]] int opened() const { return m_opened; }
    [[nodiscard]] int failed() const { return m_failed; }
    [[nodiscard]] bool timedOut() const { return m_timedOut; }

signals:
    void ready();

private:
    void onPreconnected(quint64 batchId, int opened, int failed);
    void finish(bool timedOut);

    NetworkPool *m_pool = nullptr;
    QTimer *m_cap = nullptr;
    QSet<quint64> m_pending; // batch ids of this start() not reported yet
    quint64 m_nextBatchId = 0;
    int m_opened = 0;
    int m_failed = 0;
    bool m_waiting = false;
    bool m_timedOut = false;
};

} // namespace Slopscope
