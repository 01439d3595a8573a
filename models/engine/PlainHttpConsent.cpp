#include "engine/PlainHttpConsent.h"

#include "core/Workspace.h"
#include "engine/ProxyRules.h"

#include <QSettings>
#include <QUrl>

#include <memory>

namespace Slopscope {

namespace {

const QString kKey = QStringLiteral("PlainHttpKeyHosts/always");

std::unique_ptr<QSettings> open(const QString &file)
{
    return file.isEmpty() ? std::make_unique<QSettings>() : std::make_unique<QSettings>(file, QSettings::IniFormat);
}

} // namespace

PlainHttpConsent::PlainHttpConsent(QString settingsFile)
    : m_file(std::move(settingsFile))
{}

QStringList PlainHttpConsent::alwaysHosts() const
{
    QStringList hosts = open(m_file)->value(kKey).toStringList();
    hosts.removeAll(QString());
    return hosts;
}

void PlainHttpConsent::allowAlways(const QString &host)
{
    const QString h = host.trimmed().toLower();
    QStringList hosts = alwaysHosts();
    if (h.isEmpty() || hosts.contains(h))
        return;
    hosts.append(h);
    write(hosts);
}

void PlainHttpConsent::revoke(const QString &host)
{
    QStringList hosts = alwaysHosts();
    if (hosts.removeAll(host.trimmed().toLower()) > 0)
        write(hosts);
}

void PlainHttpConsent::write(const QStringList &hosts)
{
    auto settings = open(m_file);
    if (hosts.isEmpty())
        settings->remove(kKey);
    else
        settings->setValue(kKey, hosts);
    settings->sync();
}

QString PlainHttpConsent::hostNeedingConsent(const ProviderConfig &provider)
{
    if (provider.allowInsecureKey || provider.usesEmbeddedSimulator() || provider.secretNames().isEmpty())
        return {};
    const QUrl base(provider.baseUrl);
    if (base.scheme().compare(u"http", Qt::CaseInsensitive) != 0 || base.host().isEmpty() ||
        ProxyRules::isLoopbackHost(base.host()))
        return {};
    return base.host().toLower();
}

} // namespace Slopscope
