#pragma once

#include "engine/ProxyRules.h"
#include "engine/TraceLog.h"

#include <QNetworkProxyFactory>

#include <memory>

namespace Slopscope {

// Lets a QNetworkAccessManager ask ProxyRules, request by request. The rules are shared and never
// change once made (a new set replaces the factory), so managers in several network threads can
// read them without locks.
class RulesProxyFactory final : public QNetworkProxyFactory
{
public:
    explicit RulesProxyFactory(std::shared_ptr<const ProxyRules> rules)
        : m_rules(std::move(rules))
    {}

    QList<QNetworkProxy> queryProxy(const QNetworkProxyQuery &query) override
    {
        if (!m_rules)
            return {QNetworkProxy(QNetworkProxy::NoProxy)};
        // connectToHost(Encrypted) asks for "preconnect-http(s)://host:port": decide as for the
        // request it prepares, or an https preconnect would take the http proxy (or none).
        QUrl url = query.url();
        if (url.scheme().startsWith(u"preconnect-"))
            url.setScheme(url.scheme() == u"preconnect-https" ? QStringLiteral("https") : QStringLiteral("http"));
        const QNetworkProxy proxy = m_rules->proxyFor(url);
        // describe() never names credentials; that there are some is worth knowing for a 407.
        qCDebug(lcNet).noquote() << "proxy for"
                                 << url.adjusted(QUrl::RemoveUserInfo | QUrl::RemovePath | QUrl::RemoveQuery).toString()
                                 << m_rules->describe(url)
                                 << (proxy.user().isEmpty() ? QString() : QStringLiteral("(credentials: ***)"));
        return {proxy};
    }

private:
    std::shared_ptr<const ProxyRules> m_rules;
};

} // namespace Slopscope
