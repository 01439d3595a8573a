#include "engine/Preconnector.h"

#include "engine/NetworkPool.h"
#include "engine/NetworkWorker.h"
#include "engine/ProxyRules.h"
#include "engine/RequestBuilder.h"

#include <QTimer>

namespace Slopscope {

Preconnector::Preconnector(NetworkPool *pool, QObject *parent)
    : QObject(parent)
    , m_pool(pool)
{
    m_cap = new QTimer(this);
    m_cap->setSingleShot(true);
    m_cap->setTimerType(Qt::PreciseTimer);
    connect(m_cap, &QTimer::timeout, this, [this] { finish(true); });
    for (int i = 0; i < m_pool->threadCount(); ++i)
        connect(m_pool->worker(i), &NetworkWorker::preconnected, this, &Preconnector::onPreconnected);
}

std::optional<Preconnector::Target> Preconnector::targetFor(const ProviderConfig &provider,
                                                            const QString &simulatorBaseUrl,
                                                            const ProxyRules &proxyRules, bool http2PriorKnowledge,
                                                            int connections)
{
    const auto base = RequestBuilder::baseUrl(provider, simulatorBaseUrl);
    if (!base || connections <= 0)
        return std::nullopt;
    const QUrl &url = base.value();
    const bool https = url.scheme() == u"https";
    if (!https && url.scheme() != u"http")
        return std::nullopt;
    if (http2PriorKnowledge && !https)
        return std::nullopt;
    if (proxyRules.proxyFor(url).type() != QNetworkProxy::NoProxy)
        return std::nullopt;
    Target t;
    t.origin.setScheme(url.scheme());
    t.origin.setHost(url.host());
    t.origin.setPort(url.port(https ? 443 : 80));
    t.caCertificates = provider.caCertificates;
    t.connections = connections;
    return t;
}

void Preconnector::start(const QList<Target> &targets, int capMs)
{
    m_cap->stop();
    m_pending.clear();
    m_opened = 0;
    m_failed = 0;
    m_timedOut = false;
    m_waiting = true;
    for (const Target &t : targets) {
        const QString hostKey = t.origin.scheme() + u"://" + t.origin.host() + u':' + QString::number(t.origin.port());
        const QList<QPair<NetworkPool::Slot, int>> plan = m_pool->planWarm(hostKey, t.connections);
        for (const auto &[slot, connections] : plan) {
            const quint64 batchId = ++m_nextBatchId;
            m_pending.insert(batchId);
            NetworkWorker *worker = m_pool->worker(slot.worker);
            QMetaObject::invokeMethod(
                worker,
                [worker, batchId, manager = slot.manager, origin = t.origin, ca = t.caCertificates, n = connections] {
                    worker->preconnect(batchId, manager, origin, ca, n);
                },
                Qt::QueuedConnection);
        }
    }
    if (m_pending.isEmpty()) {
        // Not synchronously: the caller is still setting its run up.
        QTimer::singleShot(0, this, [this] { finish(false); });
        return;
    }
    m_cap->start(std::max(0, capMs));
}

void Preconnector::onPreconnected(quint64 batchId, int opened, int failed)
{
    if (!m_pending.remove(batchId))
        return; // a batch of an earlier start(), or one reported after the cap
    m_opened += opened;
    m_failed += failed;
    if (m_pending.isEmpty())
        finish(false);
}

void Preconnector::finish(bool timedOut)
{
    if (!m_waiting)
        return;
    m_waiting = false;
    m_timedOut = timedOut;
    m_cap->stop();
    m_pending.clear();
    emit ready();
}

} // namespace Slopscope
