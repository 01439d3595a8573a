#include "engine/KeyringSecrets.h"

#include "core/Workspace.h"
#include "engine/SessionKeyStore.h"

#include <QMutexLocker>
#include <QTimer>

#include <memory>

namespace Slopscope {

namespace {

QMutex g_currentMutex;
KeyringSecrets *g_current = nullptr; // guarded by g_currentMutex

} // namespace

struct KeyringSecrets::LoadState
{
    QStringList pending;
    LoadReport report;
    LoadDone done;
    std::optional<KeyStoreResult> giveUp; // set after NoService / TimedOut
};

KeyringSecrets::KeyringSecrets(KeyStore *store, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_session(new SessionKeyStore(this))
    , m_bindings(std::make_unique<KeyHostBindings>())
{}

KeyringSecrets::~KeyringSecrets()
{
    {
        const QMutexLocker lock(&g_currentMutex);
        if (g_current == this)
            g_current = nullptr;
    }
}

void KeyringSecrets::makeCurrent()
{
    const QMutexLocker lock(&g_currentMutex);
    g_current = this;
}

std::optional<SecretString> KeyringSecrets::currentSecret(const QString &name)
{
    const QMutexLocker lock(&g_currentMutex);
    if (!g_current)
        return std::nullopt;
    return g_current->secret(name);
}

QString KeyringSecrets::currentKeyRefusal(const QString &name, const QString &host)
{
    const QMutexLocker lock(&g_currentMutex);
    if (!g_current)
        return {};
    return g_current->keyRefusal(name, host);
}

QStringList KeyringSecrets::keyNames(const Workspace &workspace, bool includeSimulated)
{
    QStringList names;
    for (const ProviderConfig &p : workspace.providers) {
        if (!includeSimulated && p.usesEmbeddedSimulator())
            continue;
        for (const QString &name : p.secretNames()) {
            if (!names.contains(name))
                names.append(name);
        }
    }
    names.sort();
    return names;
}

std::optional<SecretString> KeyringSecrets::secret(const QString &name) const
{
    if (auto fromEnv = m_env.secret(name))
        return fromEnv;
    if (auto stored = entry(name); stored && !stored->value.isEmpty())
        return stored->value;
    return std::nullopt;
}

QString KeyringSecrets::keyRefusal(const QString &name, const QString &host) const
{
    const Origin from = origin(name);
    if (from != Origin::Keychain && from != Origin::Session)
        return {};
    if (m_bindings->admit(name, host) != KeyHostBindings::Decision::Refused)
        return {};
    return tr("The stored key %1 was confirmed for %2, not for %3: allow it when the app asks before a run "
              "or with \"slopscope-cli keys allow-host %1 %3\", or set %1 in the environment")
        .arg(name, m_bindings->hostsFor(name).join(QStringLiteral(", ")), host);
}

void KeyringSecrets::setHostBindingsFile(const QString &settingsFile)
{
    m_bindings = std::make_unique<KeyHostBindings>(settingsFile);
}

KeyringSecrets::Origin KeyringSecrets::origin(const QString &name) const
{
    if (m_env.secret(name))
        return Origin::Environment;
    if (auto stored = entry(name))
        return stored->origin;
    return Origin::Missing;
}

std::optional<KeyringSecrets::Entry> KeyringSecrets::entry(const QString &name) const
{
    const QMutexLocker lock(&m_mutex);
    const auto it = m_entries.constFind(name);
    if (it == m_entries.cend())
        return std::nullopt;
    return *it;
}

void KeyringSecrets::put(const QString &name, const SecretString &value, Origin origin)
{
    const QMutexLocker lock(&m_mutex);
    m_entries.insert(name, Entry{value, origin});
}

void KeyringSecrets::drop(const QString &name)
{
    const QMutexLocker lock(&m_mutex);
    m_entries.remove(name);
}

void KeyringSecrets::load(const QStringList &names, LoadDone done)
{
    auto state = std::make_shared<LoadState>();
    state->done = std::move(done);
    for (const QString &name : names) {
        if (name.isEmpty() || state->pending.contains(name) || state->report.fromEnvironment.contains(name) ||
            state->report.found.contains(name))
            continue;
        if (m_env.secret(name))
            state->report.fromEnvironment.append(name);
        else if (m_session->contains(name))
            state->report.found.append(name); // entered this session: newer than the keychain's
        else
            state->pending.append(name);
    }
    if (!m_store) {
        const KeyStoreResult none{KeyStoreStatus::NoService, {}, KeyStore::describe(KeyStoreStatus::NoService, {})};
        for (const QString &name : std::as_const(state->pending))
            state->report.failed.append({name, none});
        state->pending.clear();
    }
    // Always answer from the event loop, as the stores do.
    QTimer::singleShot(0, this, [this, state] { loadNext(state); });
}

void KeyringSecrets::loadNext(const std::shared_ptr<LoadState> &state)
{
    if (state->pending.isEmpty() || !m_store) {
        for (const QString &name : std::as_const(state->pending))
            state->report.failed.append(
                {name, {KeyStoreStatus::NoService, {}, KeyStore::describe(KeyStoreStatus::NoService, name)}});
        state->pending.clear();
        state->done(state->report);
        return;
    }
    const QString name = state->pending.takeFirst();
    if (state->giveUp) {
        state->report.failed.append({name, *state->giveUp});
        loadNext(state);
        return;
    }
    QPointer<KeyringSecrets> self(this);
    m_store->read(name, [self, state, name](const KeyStoreResult &result) {
        if (!self)
            return;
        if (result.ok()) {
            self->put(name, result.value, Origin::Keychain);
            state->report.found.append(name);
        } else if (result.status == KeyStoreStatus::NotFound) {
            self->drop(name);
            state->report.missing.append(name);
        } else {
            state->report.failed.append({name, result});
            if (result.status == KeyStoreStatus::NoService || result.status == KeyStoreStatus::TimedOut)
                state->giveUp = result;
        }
        self->loadNext(state);
    });
}

void KeyringSecrets::save(const QString &name, const SecretString &value, SaveDone done)
{
    QPointer<KeyringSecrets> self(this);
    auto keepForSession = [self, name, value, done](const KeyStoreResult &storeResult) {
        if (!self)
            return;
        self->m_session->write(name, value, [self, name, value, done, storeResult](const KeyStoreResult &) {
            if (!self)
                return;
            self->put(name, value, Origin::Session);
            done({storeResult, true});
        });
    };
    if (!m_store) {
        keepForSession({KeyStoreStatus::NoService, {}, KeyStore::describe(KeyStoreStatus::NoService, name)});
        return;
    }
    m_store->write(name, value, [self, name, value, done, keepForSession](const KeyStoreResult &result) {
        if (!self)
            return;
        if (result.ok()) {
            // The keychain has it now; a session copy would shadow later changes to it.
            self->m_session->remove(name, [](const KeyStoreResult &) {});
            self->put(name, value, Origin::Keychain);
            done({result, false});
        } else if (result.unavailable()) {
            keepForSession(result);
        } else {
            done({result, false});
        }
    });
}

void KeyringSecrets::remove(const QString &name, KeyStore::Done done)
{
    const bool hadSession = m_session->contains(name);
    m_session->remove(name, [](const KeyStoreResult &) {});
    drop(name);
    if (!m_store) {
        KeyStoreResult result;
        if (!hadSession)
            result = {KeyStoreStatus::NotFound, {}, KeyStore::describe(KeyStoreStatus::NotFound, name)};
        QTimer::singleShot(0, this, [done = std::move(done), result] { done(result); });
        return;
    }
    m_store->remove(name, [hadSession, done = std::move(done)](const KeyStoreResult &result) {
        if (result.status == KeyStoreStatus::NotFound && hadSession)
            done({});
        else
            done(result);
    });
}

} // namespace Slopscope
