// The network consents the GUI asks for and hands to the engine: a key over plain HTTP to a host
// that is not loopback (RELIABILITY S-7: Allow once / Always / Cancel, "always" kept per host in
// QSettings and revocable in Settings ▸ Keys), proxy credentials after a 407 (F-16: a masked
// prompt, used by the next run, kept nowhere on disk), and the workspace's proxy bypass list
// in Settings ▸ Providers (#7). Real MainWindow, offscreen, against small loopback servers.
// SLOPSCOPE_TEST_SHOTS=<dir> saves pictures of the new dialogs there.
#include "ScopedEnv.h"

#include "core/Workspace.h"
#include "engine/FakeKeyStore.h"
#include "engine/PlainHttpConsent.h"
#include "KeysSettingsPage.h"
#include "MainWindow.h"
#include "PlainHttpHostsBox.h"
#include "ProvidersSettingsPage.h"
#include "ProxyCredentialsDialog.h"
#include "quality/Suite.h"
#include "run/RunSession.h"
#include "SettingsDialog.h"

#include <QAbstractButton>
#include <QApplication>
#include <QDirIterator>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QScopeGuard>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>
#include <QUuid>

#include <algorithm>
#include <functional>
#include <memory>

using namespace Slopscope;
using Slopscope::Test::ScopedEnv;

namespace {

void shoot(QWidget *widget, const char *name)
{
    const QString dir = qEnvironmentVariable("SLOPSCOPE_TEST_SHOTS");
    if (!dir.isEmpty())
        widget->grab().save(dir + u'/' + QString::fromLatin1(name) + u".png");
}

// Records every HTTP request it gets (headers and body, several per connection) and answers each
// with `answer(request)`; a request is complete when its Content-Length body has arrived.
class RecordingServer final
{
public:
    using Answer = std::function<QByteArray(const QByteArray &request)>;

    RecordingServer(const QHostAddress &address, Answer answer, QObject *context)
        : m_answer(std::move(answer))
    {
        m_server.listen(address);
        QObject::connect(&m_server, &QTcpServer::newConnection, context, [this] {
            while (QTcpSocket *client = m_server.nextPendingConnection())
                serve(client);
        });
    }
    [[nodiscard]] quint16 port() const { return m_server.serverPort(); }
    [[nodiscard]] const QList<QByteArray> &requests() const { return m_requests; }

private:
    void serve(QTcpSocket *client)
    {
        auto buffer = std::make_shared<QByteArray>();
        QObject::connect(client, &QTcpSocket::disconnected, client, &QObject::deleteLater);
        QObject::connect(client, &QTcpSocket::readyRead, client, [this, client, buffer] {
            buffer->append(client->readAll());
            for (;;) {
                const qsizetype end = buffer->indexOf("\r\n\r\n");
                if (end < 0)
                    return;
                qsizetype length = 0;
                for (const QByteArray &line : buffer->left(end).split('\n')) {
                    if (line.toLower().startsWith("content-length:"))
                        length = line.mid(15).trimmed().toLongLong();
                }
                if (buffer->size() < end + 4 + length)
                    return;
                const QByteArray request = buffer->left(end + 4 + length);
                buffer->remove(0, end + 4 + length);
                m_requests.append(request);
                client->write(m_answer(request));
            }
        });
    }

    QTcpServer m_server;
    Answer m_answer;
    QList<QByteArray> m_requests;
};

const QByteArray kGone = "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

Workspace oneProvider(const QString &baseUrl, const QString &keyName)
{
    Workspace ws;
    ws.name = QStringLiteral("net");
    ProviderConfig p;
    p.id = QStringLiteral("lan");
    p.baseUrl = baseUrl;
    p.apiKeyEnv = keyName;
    p.maxRetries = 0;
    ws.providers = {p};
    TargetConfig t;
    t.id = QStringLiteral("t");
    t.label = QStringLiteral("T");
    t.providerId = p.id;
    t.model = QStringLiteral("m");
    t.color = QStringLiteral("#0072B2");
    ws.targets = {t};
    return ws;
}

Suite oneCase()
{
    auto suite = Suite::fromJson(R"({"name": "s", "cases": [{"id": "c1", "prompt": "Hi"}]})", QStringLiteral("<test>"));
    return suite.ok() ? suite.value() : Suite{};
}

// Clicks the button of the next message box whose text starts with `button`; keeps its text.
void answerNextBox(const QString &button, QString *text, const char *shot = nullptr)
{
    QTimer::singleShot(0, [button, text, shot] {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        if (!box)
            return;
        *text = box->text();
        if (shot)
            shoot(box, shot);
        for (QAbstractButton *b : box->buttons()) {
            if (b->text().remove(u'&').startsWith(button))
                b->click();
        }
    });
}

} // namespace

class TestNetworkConsent final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        for (const char *name : {"http_proxy", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY"})
            qunsetenv(name);
    }

    // S-7 end to end: 0.0.0.0 is not loopback to the engine but reaches this machine's listener.
    void plainHttpKeyIsAskedAllowedAndRevoked()
    {
        const auto cleanup = qScopeGuard([] { QSettings().remove(QStringLiteral("PlainHttpKeyHosts")); });
        const QByteArray key = QByteArrayLiteral("sk-CANARY-") + QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
        const ScopedEnv env("SLOPSCOPE_T_LAN", key); // the environment's key: no keychain, no S-11 question
        RecordingServer server(QHostAddress::AnyIPv4, [](const QByteArray &) { return kGone; }, this);
        FakeKeyStore store;
        MainWindow window;
        window.useKeyStore(&store);
        window.setWorkspace(oneProvider(QStringLiteral("http://0.0.0.0:%1/v1").arg(server.port()),
                                        QStringLiteral("SLOPSCOPE_T_LAN")));
        window.addSuite(oneCase());
        QTest::qWait(200); // the keychain's (empty) answer: a Run pressed before it would wait for it
        PlainHttpConsent consent;
        auto sentWithKey = [&] {
            return static_cast<int>(std::count_if(server.requests().cbegin(), server.requests().cend(),
                                                  [&](const QByteArray &r) { return r.contains(key); }));
        };

        // Cancel: the run goes, the engine refuses the cell, nothing is sent or remembered.
        QString asked;
        answerNextBox(QStringLiteral("Cancel"), &asked, "h4-plainhttp-prompt");
        QVERIFY(window.startRun());
        QCOMPARE(asked, u"Send the key over plain HTTP to 0.0.0.0?"_qs);
        QTRY_COMPARE_WITH_TIMEOUT(window.session()->done(), 1, 15'000);
        QTRY_VERIFY(!window.session()->isRunning());
        QVERIFY2(window.session()->results().first().job.error.contains(u"plain HTTP"_qs),
                 qPrintable(window.session()->results().first().job.error));
        QTest::qWait(50);
        QCOMPARE(server.requests().size(), 0);
        QVERIFY(consent.alwaysHosts().isEmpty());

        // Allow once: this run sends the key; the next one asks again.
        asked.clear();
        answerNextBox(QStringLiteral("Allow Once"), &asked);
        QVERIFY(window.startRun());
        QVERIFY(!asked.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(window.session()->done(), 1, 15'000);
        QTRY_VERIFY(!window.session()->isRunning());
        QCOMPARE(sentWithKey(), 1);
        QVERIFY(!window.session()->results().first().job.error.contains(u"plain HTTP"_qs));
        QVERIFY(consent.alwaysHosts().isEmpty());

        // Always: asked this time, kept in QSettings, not asked again.
        asked.clear();
        answerNextBox(QStringLiteral("Always"), &asked);
        QVERIFY(window.startRun());
        QVERIFY(!asked.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(window.session()->done(), 1, 15'000);
        QTRY_VERIFY(!window.session()->isRunning());
        QCOMPARE(sentWithKey(), 2);
        QCOMPARE(consent.alwaysHosts(), QStringList{u"0.0.0.0"_qs});
        QCOMPARE(QSettings().value(u"PlainHttpKeyHosts/always"_qs).toStringList(), QStringList{u"0.0.0.0"_qs});
        asked.clear();
        QVERIFY(window.startRun());
        QVERIFY(asked.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(window.session()->done(), 1, 15'000);
        QTRY_VERIFY(!window.session()->isRunning());
        QCOMPARE(sentWithKey(), 3);

        // Settings ▸ Keys lists it; Revoke forgets it, and the next run asks again.
        window.showSettings(SettingsDialog::Page::Keys);
        PlainHttpHostsBox *hosts = window.settingsDialog()->keysPage()->plainHttpHosts();
        QVERIFY(hosts->isVisible());
        QCOMPARE(hosts->list()->count(), 1);
        QCOMPARE(hosts->list()->item(0)->text(), u"0.0.0.0"_qs);
        QVERIFY(!hosts->revokeButton()->isEnabled());
        shoot(window.settingsDialog(), "h4-keys-plainhttp");
        hosts->list()->setCurrentRow(0);
        QVERIFY(hosts->revokeButton()->isEnabled());
        QTest::mouseClick(hosts->revokeButton(), Qt::LeftButton);
        QVERIFY(consent.alwaysHosts().isEmpty());
        QVERIFY(!QSettings().contains(u"PlainHttpKeyHosts/always"_qs));
        QVERIFY(hosts->list()->item(0)->flags() == Qt::NoItemFlags); // "(none)"
        window.settingsDialog()->close();
        asked.clear();
        answerNextBox(QStringLiteral("Cancel"), &asked);
        QVERIFY(window.startRun());
        QVERIFY(!asked.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(window.session()->done(), 1, 15'000);
        QTRY_VERIFY(!window.session()->isRunning());
        QCOMPARE(sentWithKey(), 3);
    }

    // F-16: a 407 opens the masked prompt once; the credentials go with the next run's requests
    // and are in no settings file once the window is closed.
    void proxyCredentialsArePromptedAndUsed()
    {
        const QByteArray password = QByteArrayLiteral("pw-CANARY-") + QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
        const QByteArray basic = QByteArray(QByteArray("bob:") + password).toBase64();
        const QByteArray expected = QByteArray("Basic ") + basic;
        RecordingServer proxy(
            QHostAddress::LocalHost,
            [expected](const QByteArray &request) -> QByteArray {
                if (!request.contains(QByteArray(QByteArray("Proxy-Authorization: ") + expected)) &&
                    !request.contains(QByteArray(QByteArray("proxy-authorization: ") + expected)))
                    return "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"corp\"\r\n"
                           "Content-Length: 0\r\n\r\n";
                return kGone; // let through: the upstream's answer does not matter here
            },
            this);
        const ScopedEnv env("http_proxy", QByteArray(QByteArray("http://127.0.0.1:") + QByteArray::number(proxy.port())));
        FakeKeyStore store;
        {
            MainWindow window;
            window.useKeyStore(&store);
            // No key: nothing to consent to; a remote name that only the proxy can reach.
            window.setWorkspace(oneProvider(QStringLiteral("http://llm.example.test/v1"), QString()));
            window.addSuite(oneCase());
            window.show();
            QVERIFY(window.startRun());
            QTRY_VERIFY_WITH_TIMEOUT(window.proxyCredentialsDialog(), 15'000);
            ProxyCredentialsDialog *dialog = window.proxyCredentialsDialog();
            QTRY_VERIFY(dialog->isVisible());
            QVERIFY(window.session()->results().first().job.proxyRefusedCredentials());
            QCOMPARE(dialog->passwordEdit()->echoMode(), QLineEdit::Password);
            QVERIFY(!window.session()->hasProxyCredentials());
            QTest::keyClicks(dialog->userEdit(), u"bob"_qs);
            QTest::keyClicks(dialog->passwordEdit(), QString::fromLatin1(password));
            shoot(dialog, "h4-proxy-credentials");
            dialog->accept();
            QVERIFY(window.session()->hasProxyCredentials());
            QVERIFY(window.statusBar()->currentMessage().contains(u"Run again"_qs));
            QTRY_VERIFY(!window.proxyCredentialsDialog());

            const qsizetype before = proxy.requests().size();
            QTRY_VERIFY(!window.session()->isRunning());
            QVERIFY(window.startRun());
            QTRY_VERIFY_WITH_TIMEOUT(!window.session()->isRunning() && window.session()->done() == 1, 15'000);
            bool authorised = false;
            for (qsizetype i = before; i < proxy.requests().size(); ++i)
                authorised = authorised || proxy.requests().at(i).contains(expected);
            QVERIFY(authorised);
            QVERIFY(!window.session()->results().first().job.proxyRefusedCredentials());
            QVERIFY(!window.proxyCredentialsDialog()); // accepted: not asked again
            window.close();
        }
        // The canary: in no file under the test-mode settings and data folders.
        QSettings().sync();
        QVERIFY(QFile::exists(QSettings().fileName())); // the control: the window wrote its settings
        int scanned = 0;
        for (const auto location : {QStandardPaths::GenericConfigLocation, QStandardPaths::AppConfigLocation,
                                    QStandardPaths::AppDataLocation, QStandardPaths::GenericDataLocation}) {
            QDirIterator it(QStandardPaths::writableLocation(location), QDir::Files, QDirIterator::Subdirectories);
            while (it.hasNext()) {
                QFile file(it.next());
                if (!file.open(QIODevice::ReadOnly))
                    continue;
                const QByteArray bytes = file.readAll();
                ++scanned;
                QVERIFY2(!bytes.contains(password) && !bytes.contains(basic),
                         qPrintable(file.fileName()));
            }
        }
        QVERIFY(scanned > 0);
    }

    // #7: the Providers page edits the workspace's bypass list, held to the loader's checks.
    void bypassListIsEditedOnTheProvidersPage()
    {
        Workspace ws = oneProvider(QStringLiteral("https://api.example.test/v1"), QString());
        ws.noProxy = {u".lan"_qs};
        ProvidersSettingsPage page(ws, nullptr);
        page.resize(800, 500);
        QCOMPARE(page.bypassEdit()->text(), u".lan"_qs);
        page.bypassEdit()->selectAll();
        QTest::keyClicks(page.bypassEdit(), u".lan, 10.0.0.0/8,, gpu-box:11434 "_qs);
        QCOMPARE(page.workspace().noProxy, QStringList({u".lan"_qs, u"10.0.0.0/8"_qs, u"gpu-box:11434"_qs}));
        QVERIFY(page.problem().isEmpty());
        QVERIFY(page.isModified());
        shoot(&page, "h4-providers-bypass");
        page.bypassEdit()->selectAll();
        QTest::keyClicks(page.bypassEdit(), u"gpu box"_qs);
        QVERIFY2(page.problem().contains(u"no_proxy[0]"_qs), qPrintable(page.problem()));
        page.setLocked(u"running"_qs);
        QVERIFY(!page.bypassEdit()->isEnabled());
    }
};

QTEST_MAIN(TestNetworkConsent)
#include "tst_networkconsent.moc"
