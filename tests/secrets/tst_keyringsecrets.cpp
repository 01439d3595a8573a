// KeyringSecrets and the key stores through FakeKeyStore and SessionKeyStore: loading before a
// run, environment precedence, a specific error per failing operation, and the session-only
// fallback when the keychain is unavailable.
#include "RevealSecret.h"
#include "ScopedEnv.h"

#include "core/Workspace.h"
#include "engine/FakeKeyStore.h"
#include "engine/KeyringSecrets.h"
#include "engine/SessionKeyStore.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <optional>

using namespace Slopscope;
using Slopscope::Test::ScopedEnv;

Q_DECLARE_METATYPE(Slopscope::KeyStoreStatus)
Q_DECLARE_METATYPE(Slopscope::FakeKeyStore::Operation)

namespace {

QString canary()
{
    return u"sk-CANARY-" + QUuid::createUuid().toString(QUuid::WithoutBraces);
}

// Waits for one asynchronous answer; fails the test if none comes.
template <typename T> struct Answer
{
    std::optional<T> value;
    auto callback()
    {
        return [this](const T &v) { value = v; };
    }
    bool wait()
    {
        return QTest::qWaitFor([this] { return value.has_value(); }, 5000);
    }
};

} // namespace

class TestKeyringSecrets final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        qunsetenv("SLOPSCOPE_T_ONE");
        qunsetenv("SLOPSCOPE_T_TWO");
        qunsetenv("SLOPSCOPE_T_THREE");
    }

    void storesAnswerLaterNeverInline()
    {
        FakeKeyStore fake;
        SessionKeyStore session;
        for (KeyStore *store : {static_cast<KeyStore *>(&fake), static_cast<KeyStore *>(&session)}) {
            bool called = false;
            store->write(QStringLiteral("SLOPSCOPE_T_ONE"), SecretString(QStringLiteral("v")),
                         [&called](const KeyStoreResult &) { called = true; });
            QVERIFY(!called); // callers may rely on finishing their own set-up first
            QTRY_VERIFY(called);
        }
    }

    void sessionStoreRoundTrip()
    {
        SessionKeyStore store;
        const QString key = canary();
        Answer<KeyStoreResult> missing;
        store.read(QStringLiteral("SLOPSCOPE_T_ONE"), missing.callback());
        QVERIFY(missing.wait());
        QCOMPARE(missing.value->status, KeyStoreStatus::NotFound);

        Answer<KeyStoreResult> written;
        store.write(QStringLiteral("SLOPSCOPE_T_ONE"), SecretString(key), written.callback());
        QVERIFY(written.wait());
        QVERIFY(written.value->ok());
        Answer<KeyStoreResult> read;
        store.read(QStringLiteral("SLOPSCOPE_T_ONE"), read.callback());
        QVERIFY(read.wait());
        QCOMPARE(revealed(read.value->value), key);

        Answer<KeyStoreResult> removed;
        store.remove(QStringLiteral("SLOPSCOPE_T_ONE"), removed.callback());
        QVERIFY(removed.wait());
        QVERIFY(removed.value->ok());
        Answer<KeyStoreResult> again;
        store.remove(QStringLiteral("SLOPSCOPE_T_ONE"), again.callback());
        QVERIFY(again.wait());
        QCOMPARE(again.value->status, KeyStoreStatus::NotFound);
    }

    void loadBeforeRun()
    {
        FakeKeyStore store;
        const QString one = canary();
        store.seed(QStringLiteral("SLOPSCOPE_T_ONE"), one);
        KeyringSecrets secrets(&store);
        QVERIFY(!secrets.secret(QStringLiteral("SLOPSCOPE_T_ONE"))); // nothing until loaded

        Answer<KeyringSecrets::LoadReport> report;
        secrets.load({QStringLiteral("SLOPSCOPE_T_ONE"), QStringLiteral("SLOPSCOPE_T_TWO"),
                      QStringLiteral("SLOPSCOPE_T_ONE"), QString()},
                     report.callback());
        QVERIFY(report.wait());
        QCOMPARE(report.value->found, QStringList{QStringLiteral("SLOPSCOPE_T_ONE")});
        QCOMPARE(report.value->missing, QStringList{QStringLiteral("SLOPSCOPE_T_TWO")});
        QVERIFY(report.value->failed.isEmpty());
        QVERIFY(report.value->fromEnvironment.isEmpty());
        QCOMPARE(store.calls(FakeKeyStore::Operation::Read), 2); // duplicates and empty names not asked

        QCOMPARE(revealed(secrets.secret(QStringLiteral("SLOPSCOPE_T_ONE"))), std::optional<QString>(one));
        QCOMPARE(secrets.origin(QStringLiteral("SLOPSCOPE_T_ONE")), KeyringSecrets::Origin::Keychain);
        QVERIFY(!secrets.secret(QStringLiteral("SLOPSCOPE_T_TWO")));
        QCOMPARE(secrets.origin(QStringLiteral("SLOPSCOPE_T_TWO")), KeyringSecrets::Origin::Missing);
    }

    void currentInstanceServesTheRun()
    {
        FakeKeyStore store;
        const QString one = canary();
        store.seed(QStringLiteral("SLOPSCOPE_T_ONE"), one);
        QVERIFY(!KeyringSecrets::currentSecret(QStringLiteral("SLOPSCOPE_T_ONE")));
        {
            KeyringSecrets secrets(&store);
            Answer<KeyringSecrets::LoadReport> report;
            secrets.load({QStringLiteral("SLOPSCOPE_T_ONE")}, report.callback());
            QVERIFY(report.wait());
            QVERIFY(!KeyringSecrets::currentSecret(QStringLiteral("SLOPSCOPE_T_ONE"))); // not current yet
            secrets.makeCurrent();
            QCOMPARE(revealed(KeyringSecrets::currentSecret(QStringLiteral("SLOPSCOPE_T_ONE"))),
                     std::optional<QString>(one));
        }
        QVERIFY(!KeyringSecrets::currentSecret(QStringLiteral("SLOPSCOPE_T_ONE"))); // gone with it
    }

    void storedKeysGoOnlyToConfirmedHosts()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString bindingsFile = dir.filePath(QStringLiteral("bindings.ini"));
        FakeKeyStore store;
        const QString key = canary();
        store.seed(QStringLiteral("SLOPSCOPE_T_ONE"), key);
        KeyringSecrets secrets(&store);
        secrets.setHostBindingsFile(bindingsFile);
        Answer<KeyringSecrets::LoadReport> report;
        secrets.load({QStringLiteral("SLOPSCOPE_T_ONE")}, report.callback());
        QVERIFY(report.wait());

        // First use binds the key to its host; the same host again is fine.
        QVERIFY(secrets.keyRefusal(QStringLiteral("SLOPSCOPE_T_ONE"), QStringLiteral("api.openai.com")).isEmpty());
        QVERIFY(secrets.keyRefusal(QStringLiteral("SLOPSCOPE_T_ONE"), QStringLiteral("API.openai.com")).isEmpty());
        // A workspace pointing the provider elsewhere: refused, naming both hosts, never the key.
        const QString refusal = secrets.keyRefusal(QStringLiteral("SLOPSCOPE_T_ONE"), QStringLiteral("collector.evil.example"));
        QVERIFY2(refusal.contains(u"api.openai.com"_qs) && refusal.contains(u"collector.evil.example"_qs), qPrintable(refusal));
        QVERIFY(!refusal.contains(key));
        QCOMPARE(secrets.hostBindings().hostsFor(QStringLiteral("SLOPSCOPE_T_ONE")), QStringList{u"api.openai.com"_qs});

        // Confirmed by the user: allowed, and remembered by the next process.
        secrets.hostBindings().allow(QStringLiteral("SLOPSCOPE_T_ONE"), QStringLiteral("collector.evil.example"));
        QVERIFY(secrets.keyRefusal(QStringLiteral("SLOPSCOPE_T_ONE"), QStringLiteral("collector.evil.example")).isEmpty());
        KeyHostBindings later(bindingsFile);
        QCOMPARE(later.check(QStringLiteral("SLOPSCOPE_T_ONE"), QStringLiteral("collector.evil.example")),
                 KeyHostBindings::Decision::Allowed);
        QCOMPARE(later.check(QStringLiteral("SLOPSCOPE_T_ONE"), QStringLiteral("third.example")), KeyHostBindings::Decision::Refused);
        QCOMPARE(later.check(QStringLiteral("SLOPSCOPE_T_TWO"), QStringLiteral("third.example")), KeyHostBindings::Decision::FirstUse);
        // No key of that name was stored in the file, only host names.
        QFile file(bindingsFile);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(!file.readAll().contains(key.toUtf8()));

        // A key exported in the environment is the user's explicit choice: not checked.
        const ScopedEnv env("SLOPSCOPE_T_ONE", canary().toUtf8());
        QVERIFY(secrets.keyRefusal(QStringLiteral("SLOPSCOPE_T_ONE"), QStringLiteral("third.example")).isEmpty());
        // Nor is a name with no stored key (the request fails as "no key" instead).
        QVERIFY(secrets.keyRefusal(QStringLiteral("SLOPSCOPE_T_THREE"), QStringLiteral("third.example")).isEmpty());
    }

    void environmentWins()
    {
        FakeKeyStore store;
        const QString stored = canary();
        const QString exported = canary();
        store.seed(QStringLiteral("SLOPSCOPE_T_ONE"), stored);
        store.seed(QStringLiteral("SLOPSCOPE_T_TWO"), canary());
        KeyringSecrets secrets(&store);
        Answer<KeyringSecrets::LoadReport> first;
        secrets.load({QStringLiteral("SLOPSCOPE_T_ONE")}, first.callback());
        QVERIFY(first.wait());

        const ScopedEnv env1("SLOPSCOPE_T_ONE", exported.toUtf8());
        const ScopedEnv env2("SLOPSCOPE_T_TWO", exported.toUtf8());
        QCOMPARE(revealed(secrets.secret(QStringLiteral("SLOPSCOPE_T_ONE"))), std::optional<QString>(exported));
        QCOMPARE(secrets.origin(QStringLiteral("SLOPSCOPE_T_ONE")), KeyringSecrets::Origin::Environment);

        // A name set in the environment is not asked of the keychain at all.
        const int readsBefore = store.calls(FakeKeyStore::Operation::Read);
        Answer<KeyringSecrets::LoadReport> second;
        secrets.load({QStringLiteral("SLOPSCOPE_T_TWO")}, second.callback());
        QVERIFY(second.wait());
        QCOMPARE(second.value->fromEnvironment, QStringList{QStringLiteral("SLOPSCOPE_T_TWO")});
        QCOMPARE(store.calls(FakeKeyStore::Operation::Read), readsBefore);
    }

    void emptyEnvironmentDoesNotShadow()
    {
        FakeKeyStore store;
        const QString stored = canary();
        store.seed(QStringLiteral("SLOPSCOPE_T_ONE"), stored);
        const ScopedEnv blank("SLOPSCOPE_T_ONE", "  ");
        KeyringSecrets secrets(&store);
        Answer<KeyringSecrets::LoadReport> report;
        secrets.load({QStringLiteral("SLOPSCOPE_T_ONE")}, report.callback());
        QVERIFY(report.wait());
        QCOMPARE(revealed(secrets.secret(QStringLiteral("SLOPSCOPE_T_ONE"))), std::optional<QString>(stored));
    }

    void failuresPerOperation_data()
    {
        QTest::addColumn<FakeKeyStore::Operation>("operation");
        QTest::addColumn<KeyStoreStatus>("status");
        const QList<KeyStoreStatus> statuses{KeyStoreStatus::NoService, KeyStoreStatus::Locked, KeyStoreStatus::Denied,
                                             KeyStoreStatus::TimedOut, KeyStoreStatus::Failed};
        const QList<std::pair<FakeKeyStore::Operation, const char *>> operations{
            {FakeKeyStore::Operation::Read, "read"},
            {FakeKeyStore::Operation::Write, "write"},
            {FakeKeyStore::Operation::Remove, "remove"}};
        for (const auto &[operation, name] : operations) {
            for (const KeyStoreStatus status : statuses)
                QTest::addRow("%s-%d", name, int(status)) << operation << status;
        }
    }

    void failuresPerOperation()
    {
        QFETCH(FakeKeyStore::Operation, operation);
        QFETCH(KeyStoreStatus, status);
        FakeKeyStore store;
        const QString key = canary();
        store.seed(QStringLiteral("SLOPSCOPE_T_ONE"), key);
        store.setFailure(operation, status);
        Answer<KeyStoreResult> answer;
        switch (operation) {
        case FakeKeyStore::Operation::Read:
            store.read(QStringLiteral("SLOPSCOPE_T_ONE"), answer.callback());
            break;
        case FakeKeyStore::Operation::Write:
            store.write(QStringLiteral("SLOPSCOPE_T_ONE"), SecretString(canary()), answer.callback());
            break;
        case FakeKeyStore::Operation::Remove:
            store.remove(QStringLiteral("SLOPSCOPE_T_ONE"), answer.callback());
            break;
        }
        QVERIFY(answer.wait());
        QCOMPARE(answer.value->status, status);
        QVERIFY(!answer.value->message.isEmpty());
        QVERIFY(!answer.value->message.contains(key));
        QVERIFY(answer.value->value.isEmpty());
        QCOMPARE(revealed(store.contents().value(QStringLiteral("SLOPSCOPE_T_ONE"))), key); // nothing changed

        // The other operations still work: failures are per operation.
        if (operation != FakeKeyStore::Operation::Read) {
            Answer<KeyStoreResult> read;
            store.read(QStringLiteral("SLOPSCOPE_T_ONE"), read.callback());
            QVERIFY(read.wait());
            QCOMPARE(revealed(read.value->value), key);
        }
    }

    void distinctMessagesPerStatus()
    {
        QSet<QString> messages;
        for (const KeyStoreStatus s : {KeyStoreStatus::NotFound, KeyStoreStatus::NoService, KeyStoreStatus::Locked,
                                       KeyStoreStatus::Denied, KeyStoreStatus::TimedOut, KeyStoreStatus::Failed})
            messages.insert(KeyStore::describe(s, QStringLiteral("SLOPSCOPE_T_ONE")));
        QCOMPARE(messages.size(), 6);
        QVERIFY(KeyStore::describe(KeyStoreStatus::TimedOut, {}).contains(QStringLiteral("not responding")));
    }

    void loadReportsFailuresAndStopsAfterNoService()
    {
        FakeKeyStore store;
        store.setFailure(FakeKeyStore::Operation::Read, KeyStoreStatus::NoService);
        KeyringSecrets secrets(&store);
        Answer<KeyringSecrets::LoadReport> report;
        secrets.load(
            {QStringLiteral("SLOPSCOPE_T_ONE"), QStringLiteral("SLOPSCOPE_T_TWO"), QStringLiteral("SLOPSCOPE_T_THREE")},
            report.callback());
        QVERIFY(report.wait());
        QCOMPARE(report.value->failed.size(), 3);
        for (const auto &[name, result] : report.value->failed)
            QCOMPARE(result.status, KeyStoreStatus::NoService);
        QCOMPARE(store.calls(FakeKeyStore::Operation::Read), 1); // one wait, not three
        QVERIFY(report.value->found.isEmpty());
        QVERIFY(report.value->missing.isEmpty());
    }

    void lockedReadIsReportedPerName()
    {
        FakeKeyStore store;
        store.setFailure(FakeKeyStore::Operation::Read, KeyStoreStatus::Locked);
        KeyringSecrets secrets(&store);
        Answer<KeyringSecrets::LoadReport> report;
        secrets.load({QStringLiteral("SLOPSCOPE_T_ONE"), QStringLiteral("SLOPSCOPE_T_TWO")}, report.callback());
        QVERIFY(report.wait());
        QCOMPARE(report.value->failed.size(), 2);
        QCOMPARE(report.value->failed.at(0).second.status, KeyStoreStatus::Locked);
        QCOMPARE(store.calls(FakeKeyStore::Operation::Read), 2); // locked may be per item: ask each
    }

    void hangingKeychainDoesNotBlockTheCaller()
    {
        FakeKeyStore store;
        store.seed(QStringLiteral("SLOPSCOPE_T_ONE"), canary());
        store.setHolding(true);
        KeyringSecrets secrets(&store);
        Answer<KeyringSecrets::LoadReport> report;
        secrets.load({QStringLiteral("SLOPSCOPE_T_ONE")}, report.callback());
        QTest::qWait(50);
        QVERIFY(!report.value); // still waiting, and the event loop runs
        store.release();
        QVERIFY(report.wait());
        QCOMPARE(report.value->found.size(), 1);
    }

    void saveGoesToTheKeychain()
    {
        FakeKeyStore store;
        KeyringSecrets secrets(&store);
        const QString key = canary();
        Answer<KeyringSecrets::SaveReport> saved;
        secrets.save(QStringLiteral("SLOPSCOPE_T_ONE"), SecretString(key), saved.callback());
        QVERIFY(saved.wait());
        QVERIFY(saved.value->result.ok());
        QVERIFY(!saved.value->keptForSession);
        QCOMPARE(revealed(store.contents().value(QStringLiteral("SLOPSCOPE_T_ONE"))), key);
        QCOMPARE(revealed(secrets.secret(QStringLiteral("SLOPSCOPE_T_ONE"))), std::optional<QString>(key));
        QCOMPARE(secrets.origin(QStringLiteral("SLOPSCOPE_T_ONE")), KeyringSecrets::Origin::Keychain);
    }

    void unavailableKeychainKeepsTheKeyForTheSession_data()
    {
        QTest::addColumn<KeyStoreStatus>("status");
        QTest::newRow("no service") << KeyStoreStatus::NoService;
        QTest::newRow("locked") << KeyStoreStatus::Locked;
        QTest::newRow("denied") << KeyStoreStatus::Denied;
        QTest::newRow("timed out") << KeyStoreStatus::TimedOut;
    }

    void unavailableKeychainKeepsTheKeyForTheSession()
    {
        QFETCH(KeyStoreStatus, status);
        FakeKeyStore store;
        store.setFailure(FakeKeyStore::Operation::Write, status);
        store.setFailure(FakeKeyStore::Operation::Read, status);
        KeyringSecrets secrets(&store);
        const QString key = canary();
        Answer<KeyringSecrets::SaveReport> saved;
        secrets.save(QStringLiteral("SLOPSCOPE_T_ONE"), SecretString(key), saved.callback());
        QVERIFY(saved.wait());
        QCOMPARE(saved.value->result.status, status); // the failure is reported, not hidden
        QVERIFY(!saved.value->result.message.isEmpty());
        QVERIFY(!saved.value->result.message.contains(key));
        QVERIFY(saved.value->keptForSession);
        QVERIFY(store.contents().isEmpty());
        QCOMPARE(revealed(secrets.secret(QStringLiteral("SLOPSCOPE_T_ONE"))), std::optional<QString>(key));
        QCOMPARE(secrets.origin(QStringLiteral("SLOPSCOPE_T_ONE")), KeyringSecrets::Origin::Session);

        // A later load before a run finds it without asking the (still broken) keychain.
        const int reads = store.calls(FakeKeyStore::Operation::Read);
        Answer<KeyringSecrets::LoadReport> report;
        secrets.load({QStringLiteral("SLOPSCOPE_T_ONE")}, report.callback());
        QVERIFY(report.wait());
        QCOMPARE(report.value->found, QStringList{QStringLiteral("SLOPSCOPE_T_ONE")});
        QCOMPARE(store.calls(FakeKeyStore::Operation::Read), reads);
        QCOMPARE(revealed(secrets.secret(QStringLiteral("SLOPSCOPE_T_ONE"))), std::optional<QString>(key));

        // Removing it clears the session copy too.
        Answer<KeyStoreResult> removed;
        secrets.remove(QStringLiteral("SLOPSCOPE_T_ONE"), removed.callback());
        QVERIFY(removed.wait());
        QVERIFY(!secrets.secret(QStringLiteral("SLOPSCOPE_T_ONE")));
    }

    void otherWriteFailuresAreNotKept()
    {
        FakeKeyStore store;
        store.setFailure(FakeKeyStore::Operation::Write, KeyStoreStatus::Failed);
        KeyringSecrets secrets(&store);
        Answer<KeyringSecrets::SaveReport> saved;
        secrets.save(QStringLiteral("SLOPSCOPE_T_ONE"), SecretString(canary()), saved.callback());
        QVERIFY(saved.wait());
        QCOMPARE(saved.value->result.status, KeyStoreStatus::Failed);
        QVERIFY(!saved.value->keptForSession);
        QVERIFY(!secrets.secret(QStringLiteral("SLOPSCOPE_T_ONE")));
    }

    void noKeychainAtAll()
    {
        KeyringSecrets secrets(nullptr);
        const QString key = canary();
        Answer<KeyringSecrets::SaveReport> saved;
        secrets.save(QStringLiteral("SLOPSCOPE_T_ONE"), SecretString(key), saved.callback());
        QVERIFY(saved.wait());
        QCOMPARE(saved.value->result.status, KeyStoreStatus::NoService);
        QVERIFY(saved.value->keptForSession);
        QCOMPARE(revealed(secrets.secret(QStringLiteral("SLOPSCOPE_T_ONE"))), std::optional<QString>(key));
        Answer<KeyringSecrets::LoadReport> report;
        secrets.load({QStringLiteral("SLOPSCOPE_T_ONE"), QStringLiteral("SLOPSCOPE_T_TWO")}, report.callback());
        QVERIFY(report.wait());
        QCOMPARE(report.value->found, QStringList{QStringLiteral("SLOPSCOPE_T_ONE")});
        QCOMPARE(report.value->failed.size(), 1);
        QCOMPARE(report.value->failed.first().second.status, KeyStoreStatus::NoService);
    }

    void removeReportsNotFound()
    {
        FakeKeyStore store;
        KeyringSecrets secrets(&store);
        Answer<KeyStoreResult> removed;
        secrets.remove(QStringLiteral("SLOPSCOPE_T_ONE"), removed.callback());
        QVERIFY(removed.wait());
        QCOMPARE(removed.value->status, KeyStoreStatus::NotFound);
    }

    void destroyedBeforeTheAnswer()
    {
        FakeKeyStore store;
        store.setHolding(true);
        bool called = false;
        {
            KeyringSecrets secrets(&store);
            secrets.load({QStringLiteral("SLOPSCOPE_T_ONE")},
                         [&called](const KeyringSecrets::LoadReport &) { called = true; });
            QTest::qWait(10);
        }
        store.release();
        QTest::qWait(20);
        QVERIFY(!called); // and no use after free (the ASan build runs this)
    }

    void keyNamesOfAWorkspace()
    {
        Workspace ws;
        ProviderConfig real;
        real.id = QStringLiteral("real");
        real.baseUrl = QStringLiteral("https://api.example.com/v1");
        real.apiKeyEnv = QStringLiteral("ZED_KEY");
        ProviderConfig second = real;
        second.id = QStringLiteral("second");
        second.apiKeyEnv = QStringLiteral("ALPHA_KEY");
        ProviderConfig same = real;
        same.id = QStringLiteral("same");
        ProviderConfig keyless = real;
        keyless.id = QStringLiteral("ollama");
        keyless.apiKeyEnv.clear();
        keyless.secretHeaders.insert(QStringLiteral("X-Gateway-Key"), QStringLiteral("GATEWAY_KEY"));
        ProviderConfig simulated = real;
        simulated.id = QStringLiteral("sim");
        simulated.baseUrl = QStringLiteral("{simulator}/v1");
        simulated.apiKeyEnv = QStringLiteral("SIM_KEY");
        ws.providers = {real, second, same, keyless, simulated};
        // A secret header's secret is loaded like a key (S-14).
        QCOMPARE(KeyringSecrets::keyNames(ws, false),
                 (QStringList{QStringLiteral("ALPHA_KEY"), QStringLiteral("GATEWAY_KEY"), QStringLiteral("ZED_KEY")}));
        QCOMPARE(KeyringSecrets::keyNames(ws, true), (QStringList{QStringLiteral("ALPHA_KEY"), QStringLiteral("GATEWAY_KEY"),
                                                                  QStringLiteral("SIM_KEY"), QStringLiteral("ZED_KEY")}));
    }
};

QTEST_GUILESS_MAIN(TestKeyringSecrets)
#include "tst_keyringsecrets.moc"
