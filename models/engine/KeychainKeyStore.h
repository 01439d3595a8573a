#pragma once

#include "engine/KeyStore.h"

#include <chrono>

namespace QKeychain {
class Job;
}

namespace Slopscope {

// Keys in the operating system's keychain through QtKeychain (Secret Service / KWallet on Linux,
// Keychain on macOS, Credential Manager on Windows): one entry per key name under the service
// `kAppId` (io.github.slopscope.Slopscope, the app id packaging uses). QtKeychain's insecure
// plaintext fallback stays off.
//
// A job that does not finish within timeout() (default 10 s) is reported as TimedOut and its
// late answer ignored; the job itself is left to finish and delete itself, because libsecret
// still holds a pointer to it.
class KeychainKeyStore final : public KeyStore
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KeychainKeyStore)

public:
    explicit KeychainKeyStore(QObject *parent = nullptr);
    KeychainKeyStore(QString service, QObject *parent);
    ~KeychainKeyStore() override;

    void read(const QString &name, Done done) override;
    void write(const QString &name, const SecretString &value, Done done) override;
    void remove(const QString &name, Done done) override;
    [[nodiscard]] QString displayName() const override;

    void setTimeout(std::chrono::milliseconds timeout) { m_timeout = timeout; }
    [[nodiscard]] std::chrono::milliseconds timeout() const { return m_timeout; }
    [[nodiscard]] QString service() const { return m_service; }

    // What a QtKeychain error (a QKeychain::Error value) and its message mean here: the libsecret
    // backend reports a missing bus or secret service as OtherError with D-Bus's words, and a
    // locked collection as AccessDenied, so the message decides between them.
    [[nodiscard]] static KeyStoreStatus statusOf(int qkeychainError, const QString &message);

private:
    void run(QKeychain::Job *job, const QString &name, bool isRead, Done done);

    QString m_service;
    std::chrono::milliseconds m_timeout{10'000};
};

} // namespace Slopscope
