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
// - a host named in the workspace's own "no_proxy" list (addBypass, same syntax) goes direct too:
//   the two lists are joined, so either one can send a host around the proxy.
// Credentials come from the environment (`http://user:password@proxy:3128`) or, for the session
// only, from the user when a proxy answered 407 (setCredentials); they are handed to Qt in the
// proxy the factory returns, so Qt answers the proxy's challenge itself on the network thread and
// nothing waits for a dialog there. They are never shown: describe() leaves them out.
class ProxyRules final
{
public:
    ProxyRules() = default;

    // Fails on a proxy variable that is not a usable proxy URL, naming the variable.
    static Result<ProxyRules> fromEnvironment(const QProcessEnvironment &environment);
    // Adds each provider's own "proxy" choice (keyed by its base URL's origin).
    Status addProviders(const QList<ProviderConfig> &providers);
    // Joins entries (the workspace's "no_proxy", no_proxy syntax) to the environment's list.
    void addBypass(const QStringList &entries);
    // Session credentials for every HTTP proxy the rules return, replacing any from the
    // environment: the user typed them after that proxy refused what it had. Empty user: none.
    void setCredentials(const QString &user, const QString &password);

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
    [[nodiscard]] QNetworkProxy chosenProxy(const QUrl &url) const; // before session credentials

    QNetworkProxy m_http;
    QNetworkProxy m_https;
    QStringList m_noProxy;
    QHash<QString, Choice> m_byOrigin;
    QString m_user;
    QString m_password;
};

} // namespace Slopscope
