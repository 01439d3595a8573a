#include "engine/FakeKeyStore.h"

#include <QTimer>

namespace Slopscope {

FakeKeyStore::~FakeKeyStore() = default;

std::optional<KeyStoreResult> FakeKeyStore::failure(Operation operation, const QString &name) const
{
    const KeyStoreStatus status = m_failures.at(index(operation));
    if (status == KeyStoreStatus::Ok)
        return std::nullopt;
    return KeyStoreResult{status, {}, describe(status, name)};
}

void FakeKeyStore::answer(Done done, KeyStoreResult result)
{
    auto deliver = [done = std::move(done), result = std::move(result)] { done(result); };
    if (m_holding)
        m_held.append(std::move(deliver));
    else
        QTimer::singleShot(0, this, std::move(deliver));
}

void FakeKeyStore::release()
{
    m_holding = false;
    const auto held = std::exchange(m_held, {});
    for (const auto &deliver : held)
        QTimer::singleShot(0, this, deliver);
}

void FakeKeyStore::read(const QString &name, Done done)
{
    ++m_calls.at(index(Operation::Read));
    if (auto failed = failure(Operation::Read, name))
        return answer(std::move(done), *failed);
    const auto it = m_keys.constFind(name);
    if (it == m_keys.cend())
        return answer(std::move(done), {KeyStoreStatus::NotFound, {}, describe(KeyStoreStatus::NotFound, name)});
    answer(std::move(done), {KeyStoreStatus::Ok, *it, {}});
}

void FakeKeyStore::write(const QString &name, const SecretString &value, Done done)
{
    ++m_calls.at(index(Operation::Write));
    if (auto failed = failure(Operation::Write, name))
        return answer(std::move(done), *failed);
    m_keys.insert(name, value);
    answer(std::move(done), {});
}

void FakeKeyStore::remove(const QString &name, Done done)
{
    ++m_calls.at(index(Operation::Remove));
    if (auto failed = failure(Operation::Remove, name))
        return answer(std::move(done), *failed);
    if (m_keys.remove(name) == 0)
        return answer(std::move(done), {KeyStoreStatus::NotFound, {}, describe(KeyStoreStatus::NotFound, name)});
    answer(std::move(done), {});
}

} // namespace Slopscope
