#pragma once

#include "engine/ProxyRules.h"

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
        return {m_rules ? m_rules->proxyFor(query.url()) : QNetworkProxy(QNetworkProxy::NoProxy)};
    }

private:
    std::shared_ptr<const ProxyRules> m_rules;
};

} // namespace Slopscope
