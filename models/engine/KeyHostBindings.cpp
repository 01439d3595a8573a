#include "engine/KeyHostBindings.h"

#include <QMutexLocker>
#include <QSettings>

#include <memory>

namespace Slopscope {

namespace {

QString settingsKey(const QString &name)
{
    return QStringLiteral("keyHosts/") + name;
}

} // namespace

KeyHostBindings::KeyHostBindings(QString settingsFile)
    : m_file(std::move(settingsFile))
{}

std::unique_ptr<QSettings> KeyHostBindings::open() const
{
    // One file for the app and the CLI (their own settings files differ), so a host confirmed in
    // one is confirmed for the other.
    if (m_file.isEmpty())
        return std::make_unique<QSettings>(QSettings::UserScope, QStringLiteral("Slopscope"), QStringLiteral("key-hosts"));
    return std::make_unique<QSettings>(m_file, QSettings::IniFormat);
}

QStringList KeyHostBindings::read(const QString &name) const
{
    // Asked before every request that carries a stored key: the file is read once per name.
    if (const auto it = m_cache.constFind(name); it != m_cache.cend())
        return *it;
    const auto settings = open();
    const QStringList hosts = settings->value(settingsKey(name)).toStringList();
    m_cache.insert(name, hosts);
    return hosts;
}

void KeyHostBindings::write(const QString &name, const QStringList &hosts)
{
    const auto settings = open();
    m_cache.insert(name, hosts);
    if (hosts.isEmpty())
        settings->remove(settingsKey(name));
    else
        settings->setValue(settingsKey(name), hosts);
    settings->sync();
}

QStringList KeyHostBindings::hostsFor(const QString &name) const
{
    const QMutexLocker lock(&m_mutex);
    return read(name);
}

KeyHostBindings::Decision KeyHostBindings::check(const QString &name, const QString &host) const
{
    const QMutexLocker lock(&m_mutex);
    const QStringList hosts = read(name);
    if (hosts.isEmpty())
        return Decision::FirstUse;
    return hosts.contains(host.toLower()) ? Decision::Allowed : Decision::Refused;
}

KeyHostBindings::Decision KeyHostBindings::admit(const QString &name, const QString &host)
{
    const QMutexLocker lock(&m_mutex);
    const QStringList hosts = read(name);
    if (hosts.isEmpty()) {
        write(name, {host.toLower()});
        return Decision::FirstUse;
    }
    return hosts.contains(host.toLower()) ? Decision::Allowed : Decision::Refused;
}

void KeyHostBindings::allow(const QString &name, const QString &host)
{
    const QMutexLocker lock(&m_mutex);
    QStringList hosts = read(name);
    if (!hosts.contains(host.toLower())) {
        hosts.append(host.toLower());
        write(name, hosts);
    }
}

void KeyHostBindings::forget(const QString &name)
{
    const QMutexLocker lock(&m_mutex);
    write(name, {});
}

} // namespace Slopscope
