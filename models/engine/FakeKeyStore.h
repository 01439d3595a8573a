#pragma once

#include "engine/KeyStore.h"

#include <QHash>
#include <QList>

#include <array>
#include <functional>
#include <optional>

namespace Slopscope {

// An in-memory KeyStore for tests that can be told to fail each operation with a chosen status,
// and counts what it was asked. Answers asynchronously, like a real keychain.
class FakeKeyStore final : public KeyStore
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FakeKeyStore)

public:
    enum class Operation { Read, Write, Remove };

    explicit FakeKeyStore(QObject *parent = nullptr)
        : KeyStore(parent)
    {}
    ~FakeKeyStore() override;

    void read(const QString &name, Done done) override;
    void write(const QString &name, const SecretString &value, Done done) override;
    void remove(const QString &name, Done done) override;
    [[nodiscard]] QString displayName() const override { return QStringLiteral("fake keychain"); }

    // Every later `operation` fails with `status` (KeyStoreStatus::Ok clears it).
    void setFailure(Operation operation, KeyStoreStatus status) { m_failures.at(index(operation)) = status; }
    // Answers are held until release() (a keychain that hangs).
    void setHolding(bool holding) { m_holding = holding; }
    void release();

    // Direct access to the contents, bypassing failures and counters.
    void seed(const QString &name, const QString &value) { m_keys.insert(name, SecretString(value)); }
    [[nodiscard]] const QHash<QString, SecretString> &contents() const { return m_keys; }
    [[nodiscard]] int calls(Operation operation) const { return m_calls.at(index(operation)); }

private:
    static std::size_t index(Operation operation) { return static_cast<std::size_t>(operation); }
    // The failure set for `operation`, if any, as a result.
    [[nodiscard]] std::optional<KeyStoreResult> failure(Operation operation, const QString &name) const;
    void answer(Done done, KeyStoreResult result);

    QHash<QString, SecretString> m_keys;
    std::array<KeyStoreStatus, 3> m_failures{KeyStoreStatus::Ok, KeyStoreStatus::Ok, KeyStoreStatus::Ok};
    std::array<int, 3> m_calls{};
    bool m_holding = false;
    QList<std::function<void()>> m_held;
};

} // namespace Slopscope
