// The real keychain through QtKeychain, run by keychain_test.sh in a throwaway HOME:
//   live:          a private D-Bus session with gnome-keyring: set, read back, remove (store and CLI)
//   nobus, badbus: no usable session bus: writing fails with NoService, the key is usable for the
//                  session, and no file under the temporary HOME and XDG dirs holds it.
//   hungbus:       a session bus that accepts the connection and never answers (the test listens
//                  itself): every call ends TimedOut ("Keychain not responding") after the
//                  store's own timeout, and the key is usable for the session.
#include "engine/KeychainKeyStore.h"
#include "engine/KeyringSecrets.h"
#include "RevealSecret.h"
#include "SecretScan.h"

#include <QElapsedTimer>
#include <QLocalServer>
#include <QLocalSocket>
#include <QProcess>
#include <QTest>
#include <QUuid>

#include <optional>

using namespace Slopscope;

namespace {

QString mode()
{
    return qEnvironmentVariable("SLOPSCOPE_KEYCHAIN_MODE");
}

template <typename T> struct Answer
{
    std::optional<T> value;
    auto callback()
    {
        return [this](const T &v) { value = v; };
    }
    // Longer than the store's own 10 s timeout: a hang shows as TimedOut, not as a test timeout.
    bool wait()
    {
        return QTest::qWaitFor([this] { return value.has_value(); }, 15'000);
    }
};

struct CliRun
{
    int exitCode = -1;
    QString out;
    QString err;
};

CliRun runCli(const QStringList &args, const QByteArray &input = {},
              const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment())
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(qEnvironmentVariable("SLOPSCOPE_CLI"), args);
    if (!p.waitForStarted())
        return {};
    p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(60'000)) {
        p.kill();
        p.waitForFinished();
    }
    CliRun r;
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

} // namespace

class TestKeychainStore final : public QObject
{
    Q_OBJECT

private:
    // A fresh name and canary value; every canary is searched for at the end.
    std::pair<QString, QString> newKey()
    {
        const QString id = QUuid::createUuid().toString(QUuid::Id128);
        const QString value = u"sk-CANARY-" + QUuid::createUuid().toString(QUuid::WithoutBraces);
        m_canaries.append(value);
        return {u"SLOPSCOPE_TEST_" + id.toUpper(), value};
    }
    bool live() const { return mode() == u"live"; }
    bool hung() const { return mode() == u"hungbus"; }

    QStringList m_canaries;
    // hungbus: the "bus" that takes connections and says nothing, and what it took.
    QLocalServer *m_silentBus = nullptr;

private Q_SLOTS:
    void initTestCase()
    {
        if (mode() != u"hungbus")
            return;
        // Before anything asks for the bus: libsecret keeps its first connection attempt.
        m_silentBus = new QLocalServer(this);
        const QString socket = qEnvironmentVariable("SLOPSCOPE_KEYCHAIN_SCAN") + u"/silent-bus";
        QVERIFY2(m_silentBus->listen(socket), qPrintable(m_silentBus->errorString()));
        connect(m_silentBus, &QLocalServer::newConnection, this, [this] {
            while (QLocalSocket *c = m_silentBus->nextPendingConnection())
                c->setParent(m_silentBus); // held open, never answered
        });
        qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=" + socket.toUtf8());
    }

    void init()
    {
        if (qEnvironmentVariableIsSet("SLOPSCOPE_KEYCHAIN_SKIP"))
            QSKIP(qPrintable(qEnvironmentVariable("SLOPSCOPE_KEYCHAIN_SKIP")));
        if (mode().isEmpty())
            QSKIP("run through tests/secrets/keychain_test.sh (ctest -R keychain)");
    }

    void serviceIsTheAppId()
    {
        KeychainKeyStore store;
        QCOMPARE(store.service(), QStringLiteral("io.github.slopscope.Slopscope"));
    }

    void storeRoundTrip()
    {
        if (!live())
            QSKIP("needs the keychain");
        KeychainKeyStore store;
        const auto [name, value] = newKey();
        const QString second = newKey().second;

        Answer<KeyStoreResult> absent;
        store.read(name, absent.callback());
        QVERIFY(absent.wait());
        QCOMPARE(absent.value->status, KeyStoreStatus::NotFound);

        Answer<KeyStoreResult> written;
        store.write(name, SecretString(value), written.callback());
        QVERIFY(written.wait());
        QVERIFY2(written.value->ok(), qPrintable(written.value->message));
        Answer<KeyStoreResult> read;
        store.read(name, read.callback());
        QVERIFY(read.wait());
        QVERIFY2(read.value->ok(), qPrintable(read.value->message));
        QCOMPARE(revealed(read.value->value), value);

        Answer<KeyStoreResult> overwritten;
        store.write(name, SecretString(second), overwritten.callback());
        QVERIFY(overwritten.wait());
        QVERIFY(overwritten.value->ok());
        Answer<KeyStoreResult> reread;
        store.read(name, reread.callback());
        QVERIFY(reread.wait());
        QCOMPARE(revealed(reread.value->value), second);

        Answer<KeyStoreResult> removed;
        store.remove(name, removed.callback());
        QVERIFY(removed.wait());
        QVERIFY2(removed.value->ok(), qPrintable(removed.value->message));
        Answer<KeyStoreResult> gone;
        store.read(name, gone.callback());
        QVERIFY(gone.wait());
        QCOMPARE(gone.value->status, KeyStoreStatus::NotFound);
    }

    void keyringSecretsSaveAndLoad()
    {
        if (!live())
            QSKIP("needs the keychain");
        const auto [name, value] = newKey();
        {
            KeychainKeyStore store;
            KeyringSecrets secrets(&store);
            Answer<KeyringSecrets::SaveReport> saved;
            secrets.save(name, SecretString(value), saved.callback());
            QVERIFY(saved.wait());
            QVERIFY2(saved.value->result.ok(), qPrintable(saved.value->result.message));
            QVERIFY(!saved.value->keptForSession);
        }
        // A new process-like start: nothing in memory, the keychain has it.
        KeychainKeyStore store;
        KeyringSecrets secrets(&store);
        Answer<KeyringSecrets::LoadReport> report;
        secrets.load({name}, report.callback());
        QVERIFY(report.wait());
        QCOMPARE(report.value->found, QStringList{name});
        QCOMPARE(revealed(secrets.secret(name)), std::optional<QString>(value));
        QCOMPARE(secrets.origin(name), KeyringSecrets::Origin::Keychain);

        const QString exported = newKey().second;
        qputenv(name.toLatin1().constData(), exported.toUtf8());
        QCOMPARE(revealed(secrets.secret(name)), std::optional<QString>(exported));
        qunsetenv(name.toLatin1().constData());

        Answer<KeyStoreResult> removed;
        secrets.remove(name, removed.callback());
        QVERIFY(removed.wait());
        QVERIFY(removed.value->ok());
    }

    void cliSetStatusRemove()
    {
        if (!live())
            QSKIP("needs the keychain");
        const auto [name, value] = newKey();
        const CliRun set = runCli({QStringLiteral("keys"), QStringLiteral("set"), name}, value.toUtf8() + '\n');
        QVERIFY2(set.exitCode == 0, qPrintable(set.err));
        QVERIFY(!set.out.contains(value) && !set.err.contains(value));

        const CliRun status = runCli({QStringLiteral("keys"), QStringLiteral("status"), name});
        QCOMPARE(status.exitCode, 0);
        QVERIFY2(status.out.contains(QStringLiteral("keychain")), qPrintable(status.out));
        QVERIFY(!status.out.contains(value));

        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(name, newKey().second);
        const CliRun overridden = runCli({QStringLiteral("keys"), QStringLiteral("status"), name}, {}, env);
        QVERIFY2(overridden.out.contains(QStringLiteral("environment")), qPrintable(overridden.out));

        const CliRun removed = runCli({QStringLiteral("keys"), QStringLiteral("remove"), name});
        QVERIFY2(removed.exitCode == 0, qPrintable(removed.err));
        const CliRun after = runCli({QStringLiteral("keys"), QStringLiteral("status"), name});
        QCOMPARE(after.exitCode, 1);
        QVERIFY2(after.out.contains(QStringLiteral("missing")), qPrintable(after.out));
        const CliRun again = runCli({QStringLiteral("keys"), QStringLiteral("remove"), name});
        QCOMPARE(again.exitCode, 1);
    }

    void writeFailsClearlyWithoutABus()
    {
        if (live() || hung())
            QSKIP("needs no session bus");
        KeychainKeyStore store;
        const auto [name, value] = newKey();
        Answer<KeyStoreResult> written;
        store.write(name, SecretString(value), written.callback());
        QVERIFY(written.wait());
        QVERIFY2(written.value->status == KeyStoreStatus::NoService, qPrintable(written.value->message));
        QVERIFY(!written.value->message.isEmpty());
        QVERIFY(!written.value->message.contains(value));
        qInfo("write without a bus: %s", qPrintable(written.value->message));

        Answer<KeyStoreResult> read;
        store.read(name, read.callback());
        QVERIFY(read.wait());
        QCOMPARE(read.value->status, KeyStoreStatus::NoService);
        Answer<KeyStoreResult> removed;
        store.remove(name, removed.callback());
        QVERIFY(removed.wait());
        QCOMPARE(removed.value->status, KeyStoreStatus::NoService);
    }

    void keyIsUsableForTheSession()
    {
        if (live() || hung())
            QSKIP("needs no session bus");
        KeychainKeyStore store;
        KeyringSecrets secrets(&store);
        const auto [name, value] = newKey();
        Answer<KeyringSecrets::SaveReport> saved;
        secrets.save(name, SecretString(value), saved.callback());
        QVERIFY(saved.wait());
        QCOMPARE(saved.value->result.status, KeyStoreStatus::NoService);
        QVERIFY(saved.value->keptForSession);
        QCOMPARE(revealed(secrets.secret(name)), std::optional<QString>(value));
        QCOMPARE(secrets.origin(name), KeyringSecrets::Origin::Session);
        secrets.makeCurrent();
        QCOMPARE(revealed(KeyringSecrets::currentSecret(name)), std::optional<QString>(value));
    }

    void cliSetFailsClearlyWithoutABus()
    {
        if (live() || hung())
            QSKIP("needs no session bus");
        const auto [name, value] = newKey();
        const CliRun set = runCli({QStringLiteral("keys"), QStringLiteral("set"), name}, value.toUtf8());
        QCOMPARE(set.exitCode, 3);
        QVERIFY2(set.err.contains(name), qPrintable(set.err));
        QVERIFY(!set.out.contains(value) && !set.err.contains(value));
        const CliRun status = runCli({QStringLiteral("keys"), QStringLiteral("status"), name});
        QCOMPARE(status.exitCode, 1);
        QVERIFY2(status.out.contains(QStringLiteral("missing")), qPrintable(status.out));
    }

    // F-14: a keychain that never answers. The store's own timeout (shortened here from 10 s) ends
    // each call as TimedOut with "Keychain not responding", and the late answer is never reported.
    void hangingKeychainIsNotResponding()
    {
        if (!hung())
            QSKIP("needs the silent bus (keychain_test.sh hungbus)");
        KeychainKeyStore store;
        QCOMPARE(store.timeout(), std::chrono::milliseconds(10'000)); // the default the matrix names
        store.setTimeout(std::chrono::milliseconds(400));
        const auto [name, value] = newKey();
        QElapsedTimer clock;
        clock.start();
        int calls = 0;
        Answer<KeyStoreResult> written;
        store.write(name, SecretString(value), [&](const KeyStoreResult &r) {
            ++calls;
            written.value = r;
        });
        QVERIFY(written.wait());
        const qint64 took = clock.elapsed();
        QVERIFY2(took >= 380 && took < 5'000, qPrintable(QString::number(took)));
        QCOMPARE(written.value->status, KeyStoreStatus::TimedOut);
        QVERIFY2(written.value->message.contains(u"Keychain not responding"), qPrintable(written.value->message));
        QVERIFY(!written.value->message.contains(value));
        QVERIFY(written.value->unavailable()); // what offers the session-only key
        QVERIFY(m_silentBus->findChildren<QLocalSocket *>().size() >= 1); // it really asked the bus
        Answer<KeyStoreResult> read;
        store.read(name, read.callback());
        QVERIFY(read.wait());
        QCOMPARE(read.value->status, KeyStoreStatus::TimedOut);
        QTest::qWait(300);
        QCOMPARE(calls, 1); // reported once, whatever comes later
    }

    // … and the user can still use the key for this session, never written to a file.
    void hangingKeychainKeepsTheKeyForTheSession()
    {
        if (!hung())
            QSKIP("needs the silent bus (keychain_test.sh hungbus)");
        KeychainKeyStore store;
        store.setTimeout(std::chrono::milliseconds(400));
        KeyringSecrets secrets(&store);
        const auto [name, value] = newKey();
        Answer<KeyringSecrets::SaveReport> saved;
        secrets.save(name, SecretString(value), saved.callback());
        QVERIFY(saved.wait());
        QCOMPARE(saved.value->result.status, KeyStoreStatus::TimedOut);
        QVERIFY(saved.value->keptForSession);
        QCOMPARE(revealed(secrets.secret(name)), std::optional<QString>(value));
        QCOMPARE(secrets.origin(name), KeyringSecrets::Origin::Session);
    }

    // Last: whatever the mode, the canaries are in no file under the temporary HOME and XDG dirs
    // (gnome-keyring's own file is encrypted, so it must not match either).
    void noFileHoldsAKey()
    {
        const QString root = qEnvironmentVariable("SLOPSCOPE_KEYCHAIN_SCAN");
        QVERIFY(!root.isEmpty());
        QVERIFY(!m_canaries.isEmpty());
        const SecretScan scan = scanForSecrets(root, m_canaries);
        qInfo("%d file(s) scanned under %s", scan.filesScanned, qPrintable(root));
        QVERIFY2(scan.hits.isEmpty(), qPrintable(scan.hits.join(u'\n')));
    }
};

QTEST_GUILESS_MAIN(TestKeychainStore)
#include "tst_keychainstore.moc"
