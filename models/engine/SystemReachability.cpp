#include "engine/SystemReachability.h"

#include "engine/ProxyRules.h"

#include <QNetworkInformation>

namespace Slopscope {

namespace {

bool reachable(QNetworkInformation::Reachability reachability)
{
    // Only Disconnected holds requests. Local (no default route) is also what a network that
    // reaches the world through a proxy looks like, and Unknown is a backend that cannot tell.
    return reachability != QNetworkInformation::Reachability::Disconnected;
}

} // namespace

SystemReachability::SystemReachability(QObject *parent)
    : NetworkReachability(parent)
{
    if (!QNetworkInformation::loadBackendByFeatures(QNetworkInformation::Feature::Reachability))
        return;
    QNetworkInformation *info = QNetworkInformation::instance();
    m_online = reachable(info->reachability());
    connect(info, &QNetworkInformation::reachabilityChanged, this,
            [this](QNetworkInformation::Reachability reachability) {
                const bool online = reachable(reachability);
                if (online == m_online)
                    return;
                m_online = online;
                emit changed();
            });
}

SystemReachability::~SystemReachability() = default;

bool SystemReachability::canReach(const QString &host) const
{
    return canReach(m_online, host);
}

bool SystemReachability::canReach(bool online, const QString &host)
{
    return online || ProxyRules::isLoopbackHost(host);
}

} // namespace Slopscope
