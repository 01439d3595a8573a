#include "engine/ProxyRules.h"

#include "core/Workspace.h"

#include <QCoreApplication>
#include <QHostAddress>

namespace Slopscope {

namespace {

struct ProxyRulesTr
{
    Q_DECLARE_TR_FUNCTIONS(Slopscope::ProxyRules)
};

// Lower case first, as curl reads them (it ignores upper-case HTTP_PROXY, which a web server may
// set from a request header); an empty value counts as unset.
QString firstSet(const QProcessEnvironment &env, std::initializer_list<const char *> names, QString *which)
{
    for (const char *name : names) {
        const QString value = env.value(QString::fromLatin1(name)).trimmed();
        if (!value.isEmpty()) {
            *which = QString::fromLatin1(name);
            return value;
        }
    }
    return {};
}

QNetworkProxy noProxy()
{
    return QNetworkProxy(QNetworkProxy::NoProxy);
}

} // namespace

Result<QNetworkProxy> ProxyRules::parseProxyUrl(const QString &text, const QString &source)
{
    const QString trimmed = text.trimmed();
    const QUrl url(trimmed.contains(u"://") ? trimmed : QStringLiteral("http://") + trimmed, QUrl::StrictMode);
    // Shown in errors without user name or password.
    const QString shown = url.isValid() ? url.toString(QUrl::RemoveUserInfo) : QStringLiteral("…");
    if (!url.isValid() || url.host().isEmpty())
        return Error{ProxyRulesTr::tr("%1: \"%2\" is not a proxy URL (expected http://host:port)").arg(source, shown)};
    const QString scheme = url.scheme().toLower();
    QNetworkProxy::ProxyType type = QNetworkProxy::HttpProxy;
    if (scheme == u"socks5" || scheme == u"socks5h") {
        type = QNetworkProxy::Socks5Proxy;
    } else if (scheme == u"https") {
        return Error{ProxyRulesTr::tr("%1: %2: a proxy reached over TLS (https://) is not supported; use http://, the "
                                      "connection to the provider is still encrypted end to end")
                         .arg(source, shown)};
    } else if (scheme != u"http") {
        return Error{ProxyRulesTr::tr("%1: %2: unsupported proxy scheme \"%3\" (expected http:// or socks5://)")
                         .arg(source, shown, scheme)};
    }
    if (!url.path().isEmpty() && url.path() != u"/")
        return Error{ProxyRulesTr::tr("%1: %2: a proxy URL has no path").arg(source, shown)};
    // curl's default proxy port.
    QNetworkProxy proxy(type, url.host(), static_cast<quint16>(url.port(1080)));
    proxy.setUser(url.userName(QUrl::FullyDecoded));
    proxy.setPassword(url.password(QUrl::FullyDecoded));
    return proxy;
}

Result<ProxyRules> ProxyRules::fromEnvironment(const QProcessEnvironment &environment)
{
    ProxyRules rules;
    rules.m_http = noProxy();
    rules.m_https = noProxy();
    QString which;
    const QString all = firstSet(environment, {"all_proxy", "ALL_PROXY"}, &which);
    const QString allName = which;
    const QString http = firstSet(environment, {"http_proxy"}, &which);
    const QString httpName = which;
    const QString https = firstSet(environment, {"https_proxy", "HTTPS_PROXY"}, &which);
    const QString httpsName = which;
    auto pick = [&](const QString &value, const QString &name, QNetworkProxy *out) -> Status {
        const QString &chosen = value.isEmpty() ? all : value;
        if (chosen.isEmpty())
            return {};
        auto proxy = parseProxyUrl(chosen, value.isEmpty() ? allName : name);
        if (!proxy)
            return Error{proxy.error()};
        *out = proxy.value();
        return {};
    };
    if (auto s = pick(http, httpName, &rules.m_http); !s)
        return Error{s.error()};
    if (auto s = pick(https, httpsName, &rules.m_https); !s)
        return Error{s.error()};
    const QString noProxyList = firstSet(environment, {"no_proxy", "NO_PROXY"}, &which);
    for (const QString &entry : noProxyList.split(u',', Qt::SkipEmptyParts)) {
        const QString e = entry.trimmed().toLower();
        if (!e.isEmpty())
            rules.m_noProxy.append(e);
    }
    return rules;
}

Status ProxyRules::addProviders(const QList<ProviderConfig> &providers)
{
    for (const ProviderConfig &provider : providers) {
        const QString setting = provider.proxy.trimmed();
        if (setting.isEmpty())
            continue;
        const QUrl base(provider.baseUrl);
        if (!base.isValid() || base.host().isEmpty())
            continue; // "{simulator}" and the like: loopback, direct anyway
        Choice choice;
        if (setting.compare(u"none", Qt::CaseInsensitive) == 0 ||
            setting.compare(u"direct", Qt::CaseInsensitive) == 0) {
            choice.direct = true;
        } else {
            const QString source = QStringLiteral("providers.%1.proxy").arg(provider.id);
            auto proxy = parseProxyUrl(setting, source);
            if (!proxy)
                return Error{proxy.error()};
            if (!proxy.value().user().isEmpty() || !proxy.value().password().isEmpty())
                return Error{
                    ProxyRulesTr::tr("%1: proxy credentials are secrets and are not read from workspace files; "
                                     "set them in https_proxy (http://user:password@host:port)")
                        .arg(source)};
            choice.proxy = proxy.value();
        }
        m_byOrigin.insert(origin(base), choice);
    }
    return {};
}

void ProxyRules::addBypass(const QStringList &entries)
{
    for (const QString &entry : entries) {
        const QString e = entry.trimmed().toLower();
        if (!e.isEmpty() && !m_noProxy.contains(e))
            m_noProxy.append(e);
    }
}

void ProxyRules::setCredentials(const QString &user, const QString &password)
{
    m_user = user;
    m_password = user.isEmpty() ? QString() : password;
}

QString ProxyRules::origin(const QUrl &url)
{
    const QString scheme = url.scheme().toLower();
    const int port = url.port(scheme == u"https" ? 443 : 80);
    return QStringLiteral("%1://%2:%3").arg(scheme, url.host().toLower()).arg(port);
}

bool ProxyRules::isLoopbackHost(const QString &host)
{
    const QString h = host.toLower();
    if (h == u"localhost" || h.endsWith(u".localhost"))
        return true;
    const QHostAddress address(h);
    return !address.isNull() && address.isLoopback();
}

bool ProxyRules::bypasses(const QStringList &noProxy, const QString &host, int port)
{
    const QString h = host.toLower();
    const QHostAddress address(h);
    for (QString entry : noProxy) {
        entry = entry.trimmed().toLower();
        if (entry == u"*")
            return true;
        if (entry.contains(u'/')) { // a CIDR block
            const auto subnet = QHostAddress::parseSubnet(entry);
            if (!address.isNull() && subnet.second >= 0 && address.isInSubnet(subnet))
                return true;
            continue;
        }
        // "host:port", "[v6]:port" or a bare IPv6 address (several colons, no brackets).
        int entryPort = -1;
        if (entry.startsWith(u'[')) {
            const qsizetype close = entry.indexOf(u']');
            if (close > 0 && entry.mid(close + 1).startsWith(u':'))
                entryPort = entry.mid(close + 2).toInt();
            entry = entry.mid(1, close > 0 ? close - 1 : -1);
        } else if (entry.count(u':') == 1) {
            const qsizetype colon = entry.indexOf(u':');
            entryPort = entry.mid(colon + 1).toInt();
            entry = entry.left(colon);
        }
        if (entryPort > 0 && entryPort != port)
            continue;
        if (const QHostAddress entryAddress(entry); !entryAddress.isNull()) {
            if (!address.isNull() && entryAddress.isEqual(address))
                return true;
            continue;
        }
        while (entry.startsWith(u'*') || entry.startsWith(u'.'))
            entry.remove(0, 1);
        if (entry.isEmpty())
            continue;
        if (h == entry || h.endsWith(u'.' + entry))
            return true;
    }
    return false;
}

QNetworkProxy ProxyRules::proxyFor(const QUrl &url) const
{
    QNetworkProxy proxy = chosenProxy(url);
    if (!m_user.isEmpty() && proxy.type() == QNetworkProxy::HttpProxy) {
        proxy.setUser(m_user);
        proxy.setPassword(m_password);
    }
    return proxy;
}

QNetworkProxy ProxyRules::chosenProxy(const QUrl &url) const
{
    const QString host = url.host();
    if (host.isEmpty() || isLoopbackHost(host))
        return noProxy();
    if (const auto it = m_byOrigin.constFind(origin(url)); it != m_byOrigin.cend())
        return it->direct ? noProxy() : it->proxy;
    const bool https = url.scheme().compare(u"https", Qt::CaseInsensitive) == 0;
    const QNetworkProxy &proxy = https ? m_https : m_http;
    if (proxy.type() == QNetworkProxy::NoProxy || proxy.type() == QNetworkProxy::DefaultProxy)
        return noProxy();
    if (bypasses(m_noProxy, host, url.port(https ? 443 : 80)))
        return noProxy();
    return proxy;
}

QString ProxyRules::describe(const QUrl &url) const
{
    const QNetworkProxy proxy = proxyFor(url);
    if (proxy.type() == QNetworkProxy::NoProxy)
        return ProxyRulesTr::tr("direct");
    const QString scheme =
        proxy.type() == QNetworkProxy::Socks5Proxy ? QStringLiteral("socks5") : QStringLiteral("http");
    return ProxyRulesTr::tr("via %1://%2:%3").arg(scheme, proxy.hostName()).arg(proxy.port());
}

} // namespace Slopscope
