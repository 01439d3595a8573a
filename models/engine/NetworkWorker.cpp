#include "engine/NetworkWorker.h"

#include "engine/RulesProxyFactory.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>

#if QT_CONFIG(ssl)
#include <QSslCertificate>
#include <QSslConfiguration>
#endif

namespace Slopscope {

namespace {

QString batchKey(int managerIndex, const QUrl &url, bool https)
{
    return QString::number(managerIndex) + u'|' + url.host() + u':' + QString::number(url.port(https ? 443 : 80));
}

} // namespace

NetworkWorker::NetworkWorker(QObject *parent)
    : QObject(parent)
{}

NetworkWorker::~NetworkWorker()
{
    shutdown();
}

QNetworkAccessManager *NetworkWorker::manager(int index)
{
    while (static_cast<int>(m_managers.size()) <= index) {
        auto *nam = new QNetworkAccessManager(this);
        // Redirects are handled per request as well (manual); this is the belt to those braces.
        nam->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
        // Always our rules, never Qt's platform guess: without rules, every request goes direct.
        nam->setProxyFactory(new RulesProxyFactory(m_proxyRules));
        const int managerIndex = static_cast<int>(m_managers.size());
        connect(nam, &QNetworkAccessManager::finished, this,
                [this, managerIndex](QNetworkReply *reply) { onManagerFinished(managerIndex, reply); });
        m_managers.push_back(nam);
    }
    return m_managers[static_cast<std::size_t>(index)];
}

void NetworkWorker::startAttempt(quint64 attemptId, int managerIndex, const PreparedRequest &request,
                                 const StreamHandler::Options &options)
{
    auto *handler = new StreamHandler(request, options, this);
    m_handlers.insert(attemptId, handler);
    connect(handler, &StreamHandler::contentReady, this,
            [this, attemptId](const QList<ContentDelta> &deltas) { emit content(attemptId, deltas); });
    connect(handler, &StreamHandler::rateLimitHeaders, this,
            [this, attemptId](const QList<QPair<QByteArray, QByteArray>> &headers) {
                emit rateLimitHeaders(attemptId, headers);
            });
    connect(handler, &StreamHandler::finished, this, [this, attemptId, handler](const AttemptReport &report) {
        m_handlers.remove(attemptId);
        handler->deleteLater();
        emit attemptFinished(attemptId, report);
    });
    handler->start(manager(managerIndex));
}

void NetworkWorker::preconnect(quint64 batchId, int managerIndex, const QUrl &origin, const QByteArray &caCertificates,
                               int connections)
{
    const bool https = origin.scheme() == u"https";
    if (connections <= 0 || (!https && origin.scheme() != u"http")) {
        emit preconnected(batchId, 0, 0);
        return;
    }
#if !QT_CONFIG(ssl)
    if (https) { // no TLS here: the requests will fail on their own
        emit preconnected(batchId, 0, connections);
        return;
    }
#endif
    Batch &batch = m_batches[batchKey(managerIndex, origin, https)];
    const bool fresh = batch.remaining == 0 && batch.deferred == 0;
    if (!fresh) { // another batch to this origin still connecting: they end together
        batch.ids.append(batchId);
        batch.total += connections;
        if (https)
            batch.deferred += connections;
        else
            batch.remaining += connections;
    } else {
        batch = Batch{{batchId}, connections, connections, 0, 0, {}};
        if (https) {
            // One first, the rest once it has negotiated its protocol (onManagerFinished): none
            // for h2, which carries every stream on that one. Handed all the preconnects at once,
            // Qt 6.4 opened one socket more than asked for on an HTTP/1.1 origin, never used
            // (measured in tst_preconnect). By our reading of Qt it holds the others back until
            // ALPN has answered anyway, so waiting for the first costs no time.
            batch.remaining = 1;
            batch.deferred = connections - 1;
        }
    }
    QNetworkAccessManager *nam = manager(managerIndex);
    if (https) {
        batch.caCertificates = caCertificates;
        if (fresh)
            openEncrypted(nam, origin, caCertificates);
        return;
    }
    const auto port = static_cast<quint16>(origin.port(80));
    for (int i = 0; i < connections; ++i)
        nam->connectToHost(origin.host(), port);
}

void NetworkWorker::openEncrypted(QNetworkAccessManager *nam, const QUrl &origin, const QByteArray &caCertificates)
{
#if QT_CONFIG(ssl)
    // As StreamHandler configures its requests: the system's trust plus the provider's CAs,
    // verification on, and HTTP/2 offered by ALPN (Qt fixes the protocol at connect time, and a
    // connection set up otherwise is not handed to the requests).
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    if (!caCertificates.isEmpty())
        tls.addCaCertificates(QSslCertificate::fromData(caCertificates, QSsl::Pem));
    tls.setAllowedNextProtocols({QSslConfiguration::ALPNProtocolHTTP2, QSslConfiguration::NextProtocolHttp1_1});
    nam->connectToHostEncrypted(origin.host(), static_cast<quint16>(origin.port(443)), tls);
#else
    Q_UNUSED(nam)
    Q_UNUSED(origin)
    Q_UNUSED(caCertificates)
#endif
}

void NetworkWorker::onManagerFinished(int managerIndex, QNetworkReply *reply)
{
    // Every reply passes here; only preconnects ("preconnect-http[s]" URLs) are ours to count
    // and delete (StreamHandler owns its own replies).
    const QUrl url = reply->url();
    if (!url.scheme().startsWith(u"preconnect-"))
        return;
    const bool https = url.scheme() == u"preconnect-https";
    const bool failed = reply->error() != QNetworkReply::NoError;
    reply->deleteLater();
    const QString key = batchKey(managerIndex, url, https);
    auto it = m_batches.find(key);
    if (it == m_batches.end())
        return;
    if (failed)
        ++it->failed;
    if (https && it->deferred > 0) {
        const int more = std::exchange(it->deferred, 0);
        bool http2 = false;
#if QT_CONFIG(ssl)
        http2 = reply->sslConfiguration().nextNegotiatedProtocol() == QSslConfiguration::ALPNProtocolHTTP2;
#endif
        if (failed) {
            it->failed += more; // they would fail alike; the requests will say why
        } else if (http2) {
            it->total -= more; // that one connection carries every stream
        } else {
            it->remaining += more;
            QUrl origin = url;
            origin.setScheme(QStringLiteral("https"));
            for (int i = 0; i < more; ++i)
                openEncrypted(manager(managerIndex), origin, it->caCertificates);
        }
    }
    if (--it->remaining > 0)
        return;
    const Batch done = *it;
    m_batches.erase(it);
    reportBatch(done);
}

void NetworkWorker::reportBatch(const Batch &batch)
{
    // The counts go with the newest id; the others report nothing opened, so a sum over the ids
    // counts each connection once.
    for (qsizetype i = 0; i < batch.ids.size(); ++i) {
        const bool newest = i == batch.ids.size() - 1;
        emit preconnected(batch.ids.at(i), newest ? batch.total - batch.failed : 0, newest ? batch.failed : 0);
    }
}

void NetworkWorker::setProxyRules(std::shared_ptr<const ProxyRules> rules)
{
    m_proxyRules = std::move(rules);
    for (QNetworkAccessManager *nam : m_managers)
        nam->setProxyFactory(new RulesProxyFactory(m_proxyRules)); // the manager deletes the old one
}

void NetworkWorker::cancelAttempt(quint64 attemptId)
{
    if (StreamHandler *handler = m_handlers.value(attemptId))
        handler->cancel();
}

void NetworkWorker::cancelAll()
{
    const QList<StreamHandler *> handlers = m_handlers.values();
    for (StreamHandler *handler : handlers)
        handler->cancel();
}

void NetworkWorker::shutdown()
{
    const QList<StreamHandler *> handlers = m_handlers.values();
    m_handlers.clear();
    for (StreamHandler *handler : handlers) {
        disconnect(handler, nullptr, this, nullptr);
        delete handler;
    }
    m_batches.clear();
    for (QNetworkAccessManager *nam : m_managers)
        delete nam;
    m_managers.clear();
}

} // namespace Slopscope
