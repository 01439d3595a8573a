#include "engine/NetworkWorker.h"

#include "engine/RulesProxyFactory.h"

#include <QNetworkAccessManager>

namespace Slopscope {

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
    for (QNetworkAccessManager *nam : m_managers)
        delete nam;
    m_managers.clear();
}

} // namespace Slopscope
