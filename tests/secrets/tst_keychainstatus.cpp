// KeychainKeyStore::statusOf: what each QtKeychain error means to Slopscope. The live keychain
// tests provoke NoService and NotFound; Locked, Denied and the other codes cannot be provoked
// here (no desktop prompt, no policy), so the mapping itself is checked, with the messages the
// libsecret backend really sends.
#include "engine/KeychainKeyStore.h"

#include <QTest>

#include <qt6keychain/keychain.h>

using namespace Slopscope;

class TestKeychainStatus final : public QObject
{
    Q_OBJECT

private slots:
    void mapping_data()
    {
        QTest::addColumn<int>("error");
        QTest::addColumn<QString>("message");
        QTest::addColumn<KeyStoreStatus>("status");
        QTest::newRow("ok") << int(QKeychain::NoError) << QString() << KeyStoreStatus::Ok;
        QTest::newRow("not found") << int(QKeychain::EntryNotFound) << QStringLiteral("No match")
                                   << KeyStoreStatus::NotFound;
        QTest::newRow("user said no") << int(QKeychain::AccessDeniedByUser) << QStringLiteral("Dismissed")
                                      << KeyStoreStatus::Denied;
        QTest::newRow("locked collection") << int(QKeychain::AccessDenied)
                                           << QStringLiteral("Cannot create an item in a locked collection")
                                           << KeyStoreStatus::Locked;
        QTest::newRow("denied by policy") << int(QKeychain::AccessDenied) << QStringLiteral("Access denied by policy")
                                          << KeyStoreStatus::Denied;
        QTest::newRow("no backend") << int(QKeychain::NoBackendAvailable) << QString() << KeyStoreStatus::NoService;
        QTest::newRow("not implemented") << int(QKeychain::NotImplemented) << QString() << KeyStoreStatus::NoService;
        QTest::newRow("no session bus")
            << int(QKeychain::OtherError)
            << QStringLiteral("Cannot autolaunch D-Bus without X11 $DISPLAY") << KeyStoreStatus::NoService;
        QTest::newRow("no secret service")
            << int(QKeychain::OtherError)
            << QStringLiteral("The name org.freedesktop.secrets was not provided by any .service files")
            << KeyStoreStatus::NoService;
        QTest::newRow("other") << int(QKeychain::OtherError) << QStringLiteral("Unexpected reply")
                               << KeyStoreStatus::Failed;
        QTest::newRow("delete failed") << int(QKeychain::CouldNotDeleteEntry) << QStringLiteral("Busy")
                                       << KeyStoreStatus::Failed;
        QTest::newRow("unknown code") << 999 << QString() << KeyStoreStatus::Failed;
    }
    void mapping()
    {
        QFETCH(int, error);
        QFETCH(QString, message);
        QFETCH(KeyStoreStatus, status);
        QCOMPARE(KeychainKeyStore::statusOf(error, message), status);
    }
};

QTEST_GUILESS_MAIN(TestKeychainStatus)
#include "tst_keychainstatus.moc"
