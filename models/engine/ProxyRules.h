#pragma once

#include "core/Result.h"

#include <QHash>
#include <QNetworkProxy>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QUrl>

namespace Slopscope {

struct ProviderConfig;

// Which proxy, if any, a request to a URL goes through. Read from the usual environment
// (`https_proxy`, `http_proxy`, `all_proxy`, `no_proxy`, in lower or upper case, as curl and the
// providers' SDKs read them) and from each provider's "proxy" setting, rather than from Qt's
// platform code, so that the choice is the same on every system and can be tested:
// - loopback hosts (localhost, 127.0.0.0/8, ::1) always go direct: a local Ollama or the
//   simulator must never be measured through a proxy;
// - a provider's "proxy" of "none" goes direct, a URL uses that proxy, empty follows the
//   environment;
// - a host named in `no_proxy` (exact name, domain suffix, IP address, CIDR block, optionally
//   with a port, or "*") goes direct.
// Credentials may only come from the environment (`http://user:password@proxy:3128`); they are
// handed to Qt and never shown: describe() leaves them out.
class ProxyRules final
{
public:
    ProxyRules() = default;

    // Fails on a proxy variable that is not a usable proxy URL, naming the variable.
    static Result<ProxyRules> fromEnvironment(const QProcessEnvironment &environment);
    // Adds each provider's own "proxy" choice (keyed by its base URL's origin).
    Status addProviders(const QList<ProviderConfig> &providers);

    // The proxy for a request to url: QNetworkProxy::NoProxy for a direct connection.
    [[nodiscard]] QNetworkProxy proxyFor(const QUrl &url) const;
    // "direct" or "via http://proxy:3128", without credentials, for status lines and logs.
    [[nodiscard]] QString describe(const QUrl &url) const;

    [[nodiscard]] static bool isLoopbackHost(const QString &host);
    // Whether one no_proxy list matches host (and port).
    [[nodiscard]] static bool bypasses(const QStringList &noProxy, const QString &host, int port);
    // Parses "http://[user:password@]host:port" (the scheme may be left out, as curl allows);
    // socks5:// is accepted too. An error names what is wrong, never the password.
    static Result<QNetworkProxy> parseProxyUrl(const QString &text, const QString &source);

private:
    struct Choice
    {
        bool direct = false;
        QNetworkProxy proxy; // used when !direct and the type is not NoProxy
    };
    [[nodiscard]] static QString origin(const QUrl &url);

    QNetworkProxy m_http;
    QNetworkProxy m_https;
    QStringList m_noProxy;
    QHash<QString, Choice> m_byOrigin;
};

} // namespace Slopscope
