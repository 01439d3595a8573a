#pragma once

#include <QHash>
#include <QMutex>
#include <QSettings>
#include <QString>
#include <QStringList>

#include <memory>

namespace Slopscope {

// The hosts each stored key has been sent to with the user's consent (RELIABILITY S-11): a
// workspace that points a provider at another base URL must not carry a stored key to a new host
// silently. Trust on first use: a key with no host yet is bound to the first one it goes to;
// after that, another host needs the user's confirmation (allow()). Keys set in the environment
// are the user's explicit choice for that process and are not checked. Host names only, never
// keys, kept in one settings file the app and the CLI share (or a given file, for tests), read
// once per name by each object (a host allowed by another process counts from its next start);
// safe from any thread.
class KeyHostBindings final
{
public:
    enum class Decision { Allowed, FirstUse, Refused };

    // settingsFile empty: the application's QSettings.
    explicit KeyHostBindings(QString settingsFile = {});

    [[nodiscard]] QStringList hostsFor(const QString &name) const;
    // Allowed: a host the key was confirmed for; FirstUse: the key has none yet (and is now bound
    // to this one); Refused: it is bound to others.
    Decision admit(const QString &name, const QString &host);
    [[nodiscard]] Decision check(const QString &name, const QString &host) const;
    void allow(const QString &name, const QString &host);
    void forget(const QString &name);

private:
    [[nodiscard]] std::unique_ptr<QSettings> open() const;
    [[nodiscard]] QStringList read(const QString &name) const;
    void write(const QString &name, const QStringList &hosts);

    QString m_file;
    mutable QMutex m_mutex;                        // guards m_cache and the file
    mutable QHash<QString, QStringList> m_cache;   // name → hosts, as read or written by this object
};

} // namespace Slopscope
