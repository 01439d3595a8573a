#pragma once

#include "engine/KeyStoreResult.h"

#include <QObject>
#include <QString>

#include <functional>

namespace Slopscope {

// Stored API keys by name (the provider's api_key_env, e.g. OPENAI_API_KEY), asynchronously:
// keychains answer over D-Bus (or their platform's API) and may prompt or hang.
//
// Contract for every implementation:
// - `done` is called exactly once, always later from the event loop of the store's thread (never
//   from inside read/write/remove), unless the store is destroyed first; then never.
// - Failures carry a specific KeyStoreStatus and a translated message without the key.
// - Nothing is ever written to a file in plaintext.
class KeyStore : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KeyStore)

public:
    using Done = std::function<void(const KeyStoreResult &)>;

    explicit KeyStore(QObject *parent = nullptr)
        : QObject(parent)
    {}
    ~KeyStore() override = default;

    virtual void read(const QString &name, Done done) = 0;
    virtual void write(const QString &name, const SecretString &value, Done done) = 0;
    virtual void remove(const QString &name, Done done) = 0;
    // Where keys go, for the user ("the system keychain", "this session only").
    [[nodiscard]] virtual QString displayName() const = 0;

    // The standard translated message for a status (stores may add the backend's detail).
    static QString describe(KeyStoreStatus status, const QString &name);
};

} // namespace Slopscope
