#pragma once

#include <QString>
#include <QStringList>

namespace Slopscope {

struct ProviderConfig;

// RELIABILITY S-7's consent: the hosts the user chose to send a key to over plain HTTP "always"
// (a LAN server without TLS). Host names only, kept in the application's QSettings (or a given
// file, for tests), never in the workspace: a workspace is shared, a consent is this user's.
// Read and written on each call, so the Keys page and the main window agree without plumbing.
// "Allow once" is not kept here: it goes to the run only (RunOptions::plainHttpKeyHosts).
class PlainHttpConsent final
{
public:
    // settingsFile empty: the application's QSettings.
    explicit PlainHttpConsent(QString settingsFile = {});

    [[nodiscard]] QStringList alwaysHosts() const;
    void allowAlways(const QString &host);
    void revoke(const QString &host);

    // The host a provider would send a secret to over plain HTTP without the workspace's
    // "allow_insecure_key" (http://, not loopback, a key or a secret header): what needs the
    // user's consent. Empty when nothing does.
    [[nodiscard]] static QString hostNeedingConsent(const ProviderConfig &provider);

private:
    void write(const QStringList &hosts);

    QString m_file;
};

} // namespace Slopscope
