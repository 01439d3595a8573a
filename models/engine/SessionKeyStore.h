#pragma once

#include "engine/KeyStore.h"

#include <QHash>

namespace Slopscope {

// Keys in this process's memory only: where a key goes when the keychain cannot take it, and
// the store for a user who wants a key for this session only. Nothing reaches a file; the
// values are gone when the store is.
class SessionKeyStore final : public KeyStore
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SessionKeyStore)

public:
    explicit SessionKeyStore(QObject *parent = nullptr)
        : KeyStore(parent)
    {}
    ~SessionKeyStore() override;

    void read(const QString &name, Done done) override;
    void write(const QString &name, const SecretString &value, Done done) override;
    void remove(const QString &name, Done done) override;
    [[nodiscard]] QString displayName() const override;

    // Synchronous look-up, for whoever holds this store in the same thread.
    [[nodiscard]] bool contains(const QString &name) const { return m_keys.contains(name); }

private:
    QHash<QString, SecretString> m_keys; // each wiped when removed or destroyed
};

} // namespace Slopscope
