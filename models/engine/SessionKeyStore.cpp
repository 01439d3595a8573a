#include "engine/SessionKeyStore.h"

#include <QTimer>

namespace Slopscope {

SessionKeyStore::~SessionKeyStore() = default;

QString SessionKeyStore::displayName() const
{
    return tr("this session only");
}

void SessionKeyStore::read(const QString &name, Done done)
{
    KeyStoreResult result;
    const auto it = m_keys.constFind(name);
    if (it == m_keys.cend())
        result = {KeyStoreStatus::NotFound, {}, describe(KeyStoreStatus::NotFound, name)};
    else
        result.value = *it;
    QTimer::singleShot(0, this, [done = std::move(done), result] { done(result); });
}

void SessionKeyStore::write(const QString &name, const SecretString &value, Done done)
{
    m_keys.insert(name, value);
    QTimer::singleShot(0, this, [done = std::move(done)] { done({}); });
}

void SessionKeyStore::remove(const QString &name, Done done)
{
    KeyStoreResult result;
    if (m_keys.remove(name) == 0)
        result = {KeyStoreStatus::NotFound, {}, describe(KeyStoreStatus::NotFound, name)};
    QTimer::singleShot(0, this, [done = std::move(done), result] { done(result); });
}

} // namespace Slopscope
