#include "engine/KeychainKeyStore.h"

#include "core/Version.h"

#include <QCoreApplication>
#include <QPointer>
#include <QTimer>

#include <qt6keychain/keychain.h>

#include <memory>

namespace Slopscope {

namespace {

// QtKeychain's libsecret backend reports a missing bus or secret service as OtherError with
// GDBus's message, and a locked collection as AccessDenied: tell them apart by the message.
bool looksLikeNoService(const QString &message)
{
    static const QLatin1StringView markers[] = {
        QLatin1StringView("D-Bus"),
        QLatin1StringView("DBus"),
        QLatin1StringView("dbus"),
        QLatin1StringView("org.freedesktop.secrets"),
        QLatin1StringView("Could not connect"),
        QLatin1StringView("autolaunch"),
        QLatin1StringView("ServiceUnknown"),
        QLatin1StringView("not provided by any .service files"),
    };
    for (const QLatin1StringView marker : markers) {
        if (message.contains(marker, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

} // namespace

KeyStoreStatus KeychainKeyStore::statusOf(int qkeychainError, const QString &message)
{
    switch (static_cast<QKeychain::Error>(qkeychainError)) {
    case QKeychain::NoError:
        return KeyStoreStatus::Ok;
    case QKeychain::EntryNotFound:
        return KeyStoreStatus::NotFound;
    case QKeychain::AccessDeniedByUser:
        return KeyStoreStatus::Denied;
    case QKeychain::AccessDenied:
        return message.contains(QLatin1StringView("lock"), Qt::CaseInsensitive) ? KeyStoreStatus::Locked
                                                                                : KeyStoreStatus::Denied;
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        return KeyStoreStatus::NoService;
    case QKeychain::CouldNotDeleteEntry:
        return KeyStoreStatus::Failed;
    case QKeychain::OtherError:
        return looksLikeNoService(message) ? KeyStoreStatus::NoService : KeyStoreStatus::Failed;
    }
    return KeyStoreStatus::Failed;
}

KeychainKeyStore::KeychainKeyStore(QObject *parent)
    : KeychainKeyStore(QString::fromLatin1(kAppId), parent)
{}

KeychainKeyStore::KeychainKeyStore(QString service, QObject *parent)
    : KeyStore(parent)
    , m_service(std::move(service))
{}

KeychainKeyStore::~KeychainKeyStore() = default;

QString KeychainKeyStore::displayName() const
{
    return tr("the system keychain");
}

void KeychainKeyStore::read(const QString &name, Done done)
{
    run(new QKeychain::ReadPasswordJob(m_service), name, true, std::move(done));
}

void KeychainKeyStore::write(const QString &name, const SecretString &value, Done done)
{
    auto *job = new QKeychain::WritePasswordJob(m_service);
    // QtKeychain takes a QString and keeps it until the job is deleted: a copy beyond our reach.
    job->setTextData(value.revealAsQString());
    run(job, name, false, std::move(done));
}

void KeychainKeyStore::remove(const QString &name, Done done)
{
    // libsecret reports deleting a missing entry as success: read first, so a missing key is
    // NotFound here as in every other store.
    QPointer<KeychainKeyStore> self(this);
    read(name, [self, name, done = std::move(done)](const KeyStoreResult &found) mutable {
        if (!self)
            return;
        if (!found.ok()) {
            done({found.status, {}, found.message});
            return;
        }
        self->run(new QKeychain::DeletePasswordJob(self->m_service), name, false, std::move(done));
    });
}

void KeychainKeyStore::run(QKeychain::Job *job, const QString &name, bool isRead, Done done)
{
    // Shared by the job's answer and the timeout: whichever comes first reports.
    struct Pending
    {
        bool reported = false;
        Done done;
    };
    auto pending = std::make_shared<Pending>();
    pending->done = std::move(done);

    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(name);
    connect(job, &QKeychain::Job::finished, this, [this, pending, name, isRead](QKeychain::Job *finished) {
        if (pending->reported)
            return;
        pending->reported = true;
        KeyStoreResult result;
        const QString detail = finished->errorString();
        result.status = statusOf(finished->error(), detail);
        if (result.ok()) {
            if (isRead) {
                // The job's own QString copy is freed with the job, unwiped (outside our control).
                QString text = static_cast<QKeychain::ReadPasswordJob *>(finished)->textData();
                result.value = SecretString::takeFrom(text);
            }
            if (isRead && result.value.isEmpty()) {
                result.status = KeyStoreStatus::NotFound;
                result.message = describe(result.status, name);
            }
        } else {
            result.message = describe(result.status, name);
            if (result.status != KeyStoreStatus::NotFound && !detail.isEmpty())
                result.message += u" (" + detail + u')';
        }
        // QtKeychain may finish inside start(); the contract says `done` is always called later.
        QTimer::singleShot(0, this, [pending, result] { pending->done(result); });
    });
    QTimer::singleShot(m_timeout, this, [pending, name] {
        if (pending->reported)
            return;
        pending->reported = true;
        pending->done({KeyStoreStatus::TimedOut, {}, describe(KeyStoreStatus::TimedOut, name)});
    });
    job->start();
}

} // namespace Slopscope
