#pragma once

#include "engine/EnvSecretSource.h"
#include "engine/KeyHostBindings.h"
#include "engine/KeyStore.h"
#include "engine/SecretSource.h"

#include <QHash>
#include <QList>
#include <QMutex>
#include <QObject>
#include <QPointer>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>
#include <utility>

namespace Slopscope {

class SessionKeyStore;
struct Workspace;

// The keys a run may use, read synchronously by the engine (SecretSource, safe from any thread)
// and filled ahead of the run from a KeyStore.
//
// Precedence, highest first:
//   1. the environment variable named by api_key_env, when set and not empty: an explicitly
//      exported key overrides a stored one (CI, one-off runs);
//   2. a key entered during this session that the keychain could not take (session only);
//   3. the key loaded from the key store (the system keychain).
//
// Keys are never written anywhere but the key store: when it is unavailable (no session bus, no
// secret service, locked, denied, not answering), save() keeps the key in process memory
// (SessionKeyStore) and says so; there is no plaintext fallback.
class KeyringSecrets final : public QObject, public SecretSource
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KeyringSecrets)

public:
    enum class Origin { Missing, Environment, Session, Keychain };

    // What load() found, by name; a name appears in exactly one list.
    struct LoadReport
    {
        QStringList fromEnvironment;                      // set in the environment: the store was not asked
        QStringList found;                                // now available from the store (or this session)
        QStringList missing;                              // the store answered: no such key
        QList<std::pair<QString, KeyStoreResult>> failed; // the store could not answer
    };
    using LoadDone = std::function<void(const LoadReport &)>;

    // The outcome of save(): `result` is the key store's; when it says the store is unavailable,
    // keptForSession is true and the key is usable until the process ends.
    struct SaveReport
    {
        KeyStoreResult result;
        bool keptForSession = false;
    };
    using SaveDone = std::function<void(const SaveReport &)>;

    // `store` is borrowed and may be null (no keychain: every key is for this session only).
    explicit KeyringSecrets(KeyStore *store, QObject *parent = nullptr);
    ~KeyringSecrets() override;

    // Asks the store for each name not set in the environment, one at a time (keychains
    // serialise anyway); after a NoService or TimedOut answer the rest are reported failed with
    // it instead of each waiting again. `done` is called once, later, from the event loop.
    void load(const QStringList &names, LoadDone done);
    void save(const QString &name, const SecretString &value, SaveDone done);
    // From the store and from this session. NotFound only when neither had it.
    void remove(const QString &name, KeyStore::Done done);

    [[nodiscard]] std::optional<SecretString> secret(const QString &name) const override;
    // A key from the keychain or this session goes only to hosts it was confirmed for (the first
    // one is, on first use); one from the environment anywhere its provider points.
    [[nodiscard]] QString keyRefusal(const QString &name, const QString &host) const override;
    [[nodiscard]] Origin origin(const QString &name) const;
    // Where the hosts each key was confirmed for are kept; tests point it at their own file.
    [[nodiscard]] KeyHostBindings &hostBindings() { return *m_bindings; }
    void setHostBindingsFile(const QString &settingsFile);

    // The instance RunSession consults (after the environment) for every run of this process;
    // cleared when that instance is destroyed.
    void makeCurrent();
    [[nodiscard]] static std::optional<SecretString> currentSecret(const QString &name);
    [[nodiscard]] static QString currentKeyRefusal(const QString &name, const QString &host);

    // The distinct api_key_env names of the workspace's providers, sorted. Providers answered by
    // the embedded simulator need no real key and are left out unless includeSimulated.
    [[nodiscard]] static QStringList keyNames(const Workspace &workspace, bool includeSimulated);

private:
    struct Entry
    {
        SecretString value;
        Origin origin = Origin::Missing;
    };
    struct LoadState;

    void loadNext(const std::shared_ptr<LoadState> &state);
    void put(const QString &name, const SecretString &value, Origin origin);
    void drop(const QString &name);
    [[nodiscard]] std::optional<Entry> entry(const QString &name) const;

    QPointer<KeyStore> m_store;
    SessionKeyStore *m_session = nullptr;
    EnvSecretSource m_env;
    std::unique_ptr<KeyHostBindings> m_bindings;
    mutable QMutex m_mutex; // guards m_entries: the engine reads from its own threads
    QHash<QString, Entry> m_entries;
};

} // namespace Slopscope
