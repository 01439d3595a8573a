// Proxies (RELIABILITY F-16, S-14): which requests go through https_proxy / http_proxy, which go
// direct (loopback always, no_proxy, a provider's "proxy": "none"), proxy credentials, and that a
// password never shows. The end-to-end cases run a small forwarding proxy on 127.0.0.1 in front
// of the loopback fake provider: the provider's host name is never resolved, only the proxy is.
#include "FakeProvider.h"
#include "SchedulerTestKit.h"

#include "engine/Preconnector.h"
#include "engine/ProxyRules.h"
#include "engine/RulesProxyFactory.h"
#include "engine/RunScheduler.h"
#include "engine/StreamHandler.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace Slopscope;
using namespace Slopscope::Test;

namespace {

// An HTTP forward proxy for one request per connection: records the request line and the
// Proxy-Authorization header, answers 407 when credentials are required and missing, otherwise
// rewrites the request to origin form and pipes it to the upstream server and the answer back.
class ForwardProxy final
{
public:
    struct Seen
    {
        QByteArray requestLine;
        QByteArray proxyAuthorization;
    };

    ForwardProxy(quint16 upstreamPort, QObject *context)
        : m_upstreamPort(upstreamPort)
    {
        m_server.listen(QHostAddress::LocalHost);
        QObject::connect(&m_server, &QTcpServer::newConnection, context, [this] {
            while (QTcpSocket *client = m_server.nextPendingConnection()) {
                ++m_accepted;
                serve(client);
            }
        });
    }

    void requireCredentials(const QByteArray &expectedBasic) { m_expected = expectedBasic; }
    [[nodiscard]] quint16 port() const { return m_server.serverPort(); }
    [[nodiscard]] const QList<Seen> &seen() const { return m_seen; }
    [[nodiscard]] int accepted() const { return m_accepted; }

private:
    void serve(QTcpSocket *client)
    {
        auto buffer = std::make_shared<QByteArray>();
        QObject::connect(client, &QTcpSocket::disconnected, client, &QObject::deleteLater);
        QObject::connect(client, &QTcpSocket::readyRead, client, [this, client, buffer] {
            buffer->append(client->readAll());
            const qsizetype end = buffer->indexOf("\r\n\r\n");
            if (end < 0 || client->property("forwarding").toBool())
                return;
            QList<QByteArray> lines = buffer->left(end).split('\n');
            for (QByteArray &l : lines)
                l = l.trimmed();
            Seen seen;
            seen.requestLine = lines.value(0);
            qsizetype contentLength = 0;
            QList<QByteArray> forwardHeaders;
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const qsizetype colon = lines[i].indexOf(':');
                const QByteArray name = lines[i].left(colon).trimmed().toLower();
                const QByteArray value = lines[i].mid(colon + 1).trimmed();
                if (name == "proxy-authorization")
                    seen.proxyAuthorization = value;
                else if (name == "content-length")
                    contentLength = value.toLongLong();
                if (!name.startsWith("proxy-") && name != "connection")
                    forwardHeaders.append(lines[i]);
            }
            if (buffer->size() < end + 4 + contentLength)
                return;
            m_seen.append(seen);
            if (!m_expected.isEmpty() && seen.proxyAuthorization != m_expected) {
                client->write("HTTP/1.1 407 Proxy Authentication Required\r\n"
                              "Proxy-Authenticate: Basic realm=\"corp\"\r\nContent-Length: 0\r\n\r\n");
                buffer->clear();
                return;
            }
            // "POST http://host:port/v1/x HTTP/1.1" -> "POST /v1/x HTTP/1.1"
            const QList<QByteArray> parts = seen.requestLine.split(' ');
            const QUrl target(QString::fromLatin1(parts.value(1)));
            QByteArray head = parts.value(0) + ' ' + target.path(QUrl::FullyEncoded).toLatin1() + ' ' + parts.value(2) + "\r\n";
            for (const QByteArray &h : std::as_const(forwardHeaders))
                head += h + "\r\n";
            head += "Connection: close\r\n\r\n";
            const QByteArray body = buffer->mid(end + 4, contentLength);
            client->setProperty("forwarding", true);
            auto *upstream = new QTcpSocket(client);
            QObject::connect(upstream, &QTcpSocket::connected, client,
                             [upstream, head, body] { upstream->write(head + body); });
            QObject::connect(upstream, &QTcpSocket::readyRead, client, [upstream, client] { client->write(upstream->readAll()); });
            QObject::connect(upstream, &QTcpSocket::disconnected, client, [client] { client->disconnectFromHost(); });
            upstream->connectToHost(QHostAddress::LocalHost, m_upstreamPort);
        });
    }

    QTcpServer m_server;
    quint16 m_upstreamPort;
    QByteArray m_expected;
    QList<Seen> m_seen;
    int m_accepted = 0;
};

QProcessEnvironment env(std::initializer_list<std::pair<const char *, const char *>> vars)
{
    QProcessEnvironment e;
    for (const auto &[name, value] : vars)
        e.insert(QString::fromLatin1(name), QString::fromLatin1(value));
    return e;
}

// Sets environment variables for one test and puts back what was there.
class ScopedVars final
{
public:
    ScopedVars(std::initializer_list<std::pair<const char *, QByteArray>> vars)
    {
        for (const auto &[name, value] : vars) {
            m_old.append({name, qEnvironmentVariableIsSet(name) ? std::optional(qgetenv(name)) : std::nullopt});
            qputenv(name, value);
        }
    }
    ~ScopedVars()
    {
        for (const auto &[name, value] : m_old) {
            if (value)
                qputenv(name, *value);
            else
                qunsetenv(name);
        }
    }
    Q_DISABLE_COPY_MOVE(ScopedVars)

private:
    QList<std::pair<const char *, std::optional<QByteArray>>> m_old;
};

const char *const kProxyVars[] = {"http_proxy", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY"};

} // namespace

class tst_Proxy : public QObject
{
    Q_OBJECT

    FakeProvider *m_server = nullptr;

    // A provider whose host is not loopback and does not resolve: reachable only through a proxy.
    ProviderConfig remoteProvider() const
    {
        ProviderConfig p = providerAt(u"remote"_qs, QStringLiteral("http://llm.example.test:%1").arg(m_server->port()));
        p.allowInsecureKey = true; // plain HTTP to a non-loopback name; the test's own fake
        p.maxRetries = 0;
        return p;
    }

    JobResult runOne(const ProviderConfig &provider, QString *startError = nullptr, const RunOptions &options = {})
    {
        RunScheduler s(schedulerDependencies());
        s.setProviders({provider});
        const QList<ChatRequest> list{job(u"j"_qs, provider.id)};
        Collector c;
        c.attach(s, this, list);
        if (Status started = s.start(list, options); !started) {
            if (startError)
                *startError = started.error();
            return {};
        }
        if (!QTest::qWaitFor([&] { return c.finished; }, 8000))
            return {};
        return c.results.value(u"j"_qs);
    }

private slots:
    void init()
    {
        for (const char *name : kProxyVars)
            qunsetenv(name);
        m_server = new FakeProvider(this);
        QVERIFY(m_server->listen());
    }
    void cleanup()
    {
        delete m_server;
        QTRY_COMPARE(StreamHandler::liveReplies(), 0);
        for (const char *name : kProxyVars)
            qunsetenv(name);
    }

    void rulesFollowTheEnvironment()
    {
        auto rules = ProxyRules::fromEnvironment(env({{"https_proxy", "http://proxy.corp:3128"},
                                                      {"http_proxy", "proxy.corp:8080"},
                                                      {"no_proxy", "internal.corp, .lan,10.0.0.0/8, 192.168.1.20,gpu:11434"}}));
        QVERIFY2(rules, qPrintable(rules.error()));
        const ProxyRules &r = rules.value();
        const QNetworkProxy viaHttps = r.proxyFor(QUrl(u"https://api.openai.com/v1"_qs));
        QCOMPARE(viaHttps.type(), QNetworkProxy::HttpProxy);
        QCOMPARE(viaHttps.hostName(), u"proxy.corp"_qs);
        QCOMPARE(viaHttps.port(), quint16(3128));
        QCOMPARE(r.proxyFor(QUrl(u"http://api.example.com/v1"_qs)).port(), quint16(8080)); // scheme left out
        QCOMPARE(r.describe(QUrl(u"https://api.openai.com"_qs)), u"via http://proxy.corp:3128"_qs);
        // Direct: loopback always, and every kind of no_proxy entry.
        for (const char *url : {"http://127.0.0.1:11434", "http://localhost:8080", "http://[::1]:9000", "http://127.3.4.5",
                                "https://internal.corp/v1", "https://a.b.internal.corp", "http://ollama.lan:11434",
                                "http://10.1.2.3:8000", "http://192.168.1.20:11434", "http://gpu:11434"}) {
            QCOMPARE(r.proxyFor(QUrl(QString::fromLatin1(url))).type(), QNetworkProxy::NoProxy);
        }
        // Not matched: another port, a look-alike name, an address outside the block.
        for (const char *url : {"http://gpu:8080", "https://notinternal.corp", "http://11.0.0.1", "http://192.168.1.21"})
            QCOMPARE(r.proxyFor(QUrl(QString::fromLatin1(url))).type(), QNetworkProxy::HttpProxy);
        QCOMPARE(r.describe(QUrl(u"http://10.0.0.1"_qs)), u"direct"_qs);
    }

    // The workspace's "no_proxy" joins the environment's: a host either one names goes direct,
    // in the same syntax, and an empty workspace list changes nothing.
    void workspaceBypassJoinsTheEnvironment_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("direct");
        QTest::newRow("env name") << u"https://internal.corp/v1"_qs << true;
        QTest::newRow("workspace name") << u"https://gpu-box/v1"_qs << true;
        QTest::newRow("workspace suffix") << u"http://ollama.lab.example:11434"_qs << true;
        QTest::newRow("workspace suffix, itself") << u"http://lab.example"_qs << true;
        QTest::newRow("workspace cidr") << u"http://172.16.4.2:8000"_qs << true;
        QTest::newRow("workspace ip") << u"http://192.168.7.7"_qs << true;
        QTest::newRow("workspace port, matching") << u"http://vllm.box:8000"_qs << true;
        QTest::newRow("workspace port, other") << u"http://vllm.box:9000"_qs << false;
        QTest::newRow("look-alike suffix") << u"https://notlab.example"_qs << false;
        QTest::newRow("outside the block") << u"http://172.32.0.1"_qs << false;
        QTest::newRow("cloud") << u"https://api.openai.com/v1"_qs << false;
    }
    void workspaceBypassJoinsTheEnvironment()
    {
        QFETCH(QString, url);
        QFETCH(bool, direct);
        auto rules = ProxyRules::fromEnvironment(
            env({{"https_proxy", "http://proxy.corp:3128"}, {"http_proxy", "http://proxy.corp:3128"}, {"no_proxy", "internal.corp"}}));
        QVERIFY(rules);
        rules.value().addBypass({u"gpu-box"_qs, u" .LAB.example"_qs, u"172.16.0.0/12"_qs, u"192.168.7.7"_qs,
                                 u"vllm.box:8000"_qs, QString()});
        QCOMPARE(rules.value().proxyFor(QUrl(url)).type() == QNetworkProxy::NoProxy, direct);
        auto star = ProxyRules::fromEnvironment(env({{"https_proxy", "http://proxy.corp:3128"}}));
        QVERIFY(star);
        star.value().addBypass({u"*"_qs});
        QCOMPARE(star.value().proxyFor(QUrl(url)).type(), QNetworkProxy::NoProxy);
    }

    // Session credentials go with every HTTP proxy the rules return (the environment's and a
    // provider's), replacing the environment's; describe() never shows them.
    void sessionCredentialsGoWithTheProxy()
    {
        auto rules = ProxyRules::fromEnvironment(env({{"https_proxy", "http://old:stale@proxy.corp:3128"}}));
        QVERIFY(rules);
        ProviderConfig own = providerAt(u"eu"_qs, u"https://eu.api.example"_qs);
        own.proxy = u"http://eu-gate:9000"_qs;
        QVERIFY(rules.value().addProviders({own}));
        QCOMPARE(rules.value().proxyFor(QUrl(u"https://api.openai.com"_qs)).user(), u"old"_qs);
        rules.value().setCredentials(u"bob"_qs, u"hunter2"_qs);
        for (const char *url : {"https://api.openai.com", "https://eu.api.example/v1"}) {
            const QNetworkProxy proxy = rules.value().proxyFor(QUrl(QString::fromLatin1(url)));
            QCOMPARE(proxy.user(), u"bob"_qs);
            QCOMPARE(proxy.password(), u"hunter2"_qs);
            QVERIFY(!rules.value().describe(QUrl(QString::fromLatin1(url))).contains(u"hunter2"_qs));
        }
        QCOMPARE(rules.value().proxyFor(QUrl(u"http://127.0.0.1:8080"_qs)).type(), QNetworkProxy::NoProxy);
        rules.value().setCredentials(QString(), u"ignored"_qs);
        QCOMPARE(rules.value().proxyFor(QUrl(u"https://api.openai.com"_qs)).user(), u"old"_qs);
    }

    void rulesFallBackAndBypassEverything()
    {
        auto all = ProxyRules::fromEnvironment(env({{"ALL_PROXY", "socks5://gate:1080"}}));
        QVERIFY(all);
        QCOMPARE(all.value().proxyFor(QUrl(u"https://api.anthropic.com"_qs)).type(), QNetworkProxy::Socks5Proxy);
        QCOMPARE(all.value().proxyFor(QUrl(u"http://api.example.com"_qs)).hostName(), u"gate"_qs);
        auto star = ProxyRules::fromEnvironment(env({{"HTTPS_PROXY", "http://p:1"}, {"NO_PROXY", "*"}}));
        QVERIFY(star);
        QCOMPARE(star.value().proxyFor(QUrl(u"https://api.openai.com"_qs)).type(), QNetworkProxy::NoProxy);
        auto none = ProxyRules::fromEnvironment(QProcessEnvironment());
        QVERIFY(none);
        QCOMPARE(none.value().proxyFor(QUrl(u"https://api.openai.com"_qs)).type(), QNetworkProxy::NoProxy);
    }

    void providerChoiceWins()
    {
        auto rules = ProxyRules::fromEnvironment(env({{"https_proxy", "http://proxy.corp:3128"}}));
        QVERIFY(rules);
        ProviderConfig direct = providerAt(u"lan"_qs, u"https://models.corp"_qs);
        direct.proxy = u"none"_qs;
        ProviderConfig own = providerAt(u"eu"_qs, u"https://eu.api.example"_qs);
        own.proxy = u"http://eu-gate:9000"_qs;
        QVERIFY(rules.value().addProviders({direct, own}));
        QCOMPARE(rules.value().proxyFor(QUrl(u"https://models.corp/v1/chat/completions"_qs)).type(), QNetworkProxy::NoProxy);
        QCOMPARE(rules.value().proxyFor(QUrl(u"https://eu.api.example/v1"_qs)).hostName(), u"eu-gate"_qs);
        QCOMPARE(rules.value().proxyFor(QUrl(u"https://api.openai.com"_qs)).hostName(), u"proxy.corp"_qs);

        ProviderConfig withPassword = providerAt(u"bad"_qs, u"https://x.example"_qs);
        withPassword.proxy = u"http://bob:hunter2@gate:3128"_qs;
        const Status refused = rules.value().addProviders({withPassword});
        QVERIFY(!refused);
        QVERIFY2(refused.error().contains(u"providers.bad.proxy"_qs), qPrintable(refused.error()));
        QVERIFY(!refused.error().contains(u"hunter2"_qs));
    }

    void badProxyUrlsAreNamedWithoutTheirPassword()
    {
        auto tls = ProxyRules::fromEnvironment(env({{"https_proxy", "https://alice:pa55word@gate:443"}}));
        QVERIFY(!tls);
        QVERIFY2(tls.error().contains(u"https_proxy"_qs) && tls.error().contains(u"not supported"_qs), qPrintable(tls.error()));
        QVERIFY(!tls.error().contains(u"pa55word"_qs));
        auto scheme = ProxyRules::fromEnvironment(env({{"http_proxy", "ftp://gate:21"}}));
        QVERIFY(!scheme);
        QVERIFY2(scheme.error().contains(u"http_proxy"_qs) && scheme.error().contains(u"ftp"_qs), qPrintable(scheme.error()));
        auto path = ProxyRules::fromEnvironment(env({{"all_proxy", "http://gate:3128/some/path"}}));
        QVERIFY(!path);
        // A broken variable stops the run before anything is sent, with that message.
        ScopedVars vars{{"https_proxy", "https://alice:pa55word@gate:443"}};
        QString startError;
        (void)runOne(providerAt(u"p"_qs, m_server->baseUrl()), &startError);
        QVERIFY2(startError.contains(u"https_proxy"_qs), qPrintable(startError));
        QVERIFY(!startError.contains(u"pa55word"_qs));
        QCOMPARE(m_server->requestCount(), 0);
    }

    void remoteProvidersGoThroughTheProxy()
    {
        ForwardProxy proxy(m_server->port(), this);
        ScopedVars vars{{"http_proxy", QByteArray("http://127.0.0.1:") + QByteArray::number(proxy.port())}};
        m_server->enqueue(okResponse("through the proxy"));
        const JobResult r = runOne(remoteProvider());
        QCOMPARE(r.state, JobState::Completed);
        QCOMPARE(r.result.text, u"through the proxy"_qs);
        QCOMPARE(proxy.seen().size(), 1);
        QCOMPARE(proxy.seen().first().requestLine,
                 "POST http://llm.example.test:" + QByteArray::number(m_server->port()) + "/v1/chat/completions HTTP/1.1");
        QCOMPARE(m_server->requestCount(), 1);
    }

    // connectToHost(Encrypted) asks the proxy factory about "preconnect-http(s)://" URLs: they must
    // get the proxy their requests would, never the other scheme's (or none).
    void preconnectUrlsGetTheirRequestsProxy()
    {
        auto httpsOnly = ProxyRules::fromEnvironment(env({{"https_proxy", "http://proxy.corp:3128"}}));
        QVERIFY(httpsOnly);
        RulesProxyFactory https(std::make_shared<const ProxyRules>(httpsOnly.value()));
        const QNetworkProxy viaHttps =
            https.queryProxy(QNetworkProxyQuery(QUrl(u"preconnect-https://api.example.com:443"_qs))).value(0);
        QCOMPARE(viaHttps.type(), QNetworkProxy::HttpProxy);
        QCOMPARE(viaHttps.hostName(), u"proxy.corp"_qs);
        QCOMPARE(https.queryProxy(QNetworkProxyQuery(QUrl(u"preconnect-http://api.example.com:80"_qs))).value(0).type(),
                 QNetworkProxy::NoProxy);

        auto httpOnly = ProxyRules::fromEnvironment(env({{"http_proxy", "http://proxy.corp:8080"}}));
        QVERIFY(httpOnly);
        RulesProxyFactory http(std::make_shared<const ProxyRules>(httpOnly.value()));
        QCOMPARE(http.queryProxy(QNetworkProxyQuery(QUrl(u"preconnect-http://api.example.com:80"_qs))).value(0).port(),
                 8080);
        QCOMPARE(http.queryProxy(QNetworkProxyQuery(QUrl(u"preconnect-https://api.example.com:443"_qs))).value(0).type(),
                 QNetworkProxy::NoProxy);
    }

    // RunOptions::preconnect skips a provider that goes through a proxy (it connects when it sends,
    // through the proxy, as before) and still pre-opens a direct one in the same run.
    void proxiedProvidersAreNotPreconnected()
    {
        ForwardProxy proxy(m_server->port(), this);
        ScopedVars vars{{"http_proxy", QByteArray("http://127.0.0.1:") + QByteArray::number(proxy.port())}};
        FakeProvider local;
        QVERIFY(local.listen());
        local.enqueue(okResponse("direct"));
        m_server->enqueue(okResponse("through the proxy"));
        RunScheduler s(schedulerDependencies());
        const ProviderConfig remote = remoteProvider();
        s.setProviders({remote, providerAt(u"local"_qs, local.baseUrl())});
        const QList<ChatRequest> list{job(u"r"_qs, remote.id), job(u"l"_qs, u"local"_qs)};
        Collector c;
        c.attach(s, this, list);
        QVERIFY(s.start(list)); // preconnect is on by default
        QTRY_VERIFY_WITH_TIMEOUT(c.finished, 8000);
        QCOMPARE(c.results.value(u"r"_qs).state, JobState::Completed);
        QCOMPARE(c.results.value(u"l"_qs).state, JobState::Completed);
        QCOMPARE(s.preconnector()->opened(), 1); // the direct one only
        QCOMPARE(s.preconnector()->failed(), 0);
        QCOMPARE(local.acceptedConnections(), 1);
        // The proxy saw the request's own connection and nothing else; nothing went around it.
        QCOMPARE(proxy.accepted(), 1);
        QCOMPARE(proxy.seen().size(), 1);
        QCOMPARE(m_server->acceptedConnections(), 1);
    }

    void loopbackAndBypassedProvidersGoDirect()
    {
        ForwardProxy proxy(m_server->port(), this);
        const QByteArray proxyUrl = QByteArray("http://127.0.0.1:") + QByteArray::number(proxy.port());
        ScopedVars vars{{"http_proxy", proxyUrl}, {"all_proxy", proxyUrl}};
        m_server->enqueue(okResponse("direct"));
        const JobResult r = runOne(providerAt(u"local"_qs, m_server->baseUrl()));
        QCOMPARE(r.state, JobState::Completed);
        QCOMPARE(r.result.text, u"direct"_qs);
        QVERIFY(proxy.seen().isEmpty());
        QCOMPARE(m_server->requestCount(), 1);
    }

    // End to end: with the workspace's list, the proxy sees the request that is not bypassed and
    // none of the bypassed one, which reaches the server directly; without it, it sees both.
    // 0.0.0.0 is not loopback to ProxyRules but reaches this machine's listeners on Linux.
    void workspaceBypassGoesAroundTheProxy()
    {
        ForwardProxy proxy(m_server->port(), this);
        ScopedVars vars{{"http_proxy", QByteArray("http://127.0.0.1:") + QByteArray::number(proxy.port())}};
        ProviderConfig lan = providerAt(u"lan"_qs, QStringLiteral("http://0.0.0.0:%1").arg(m_server->port()));
        lan.allowInsecureKey = true;
        lan.maxRetries = 0;
        const ProviderConfig remote = remoteProvider();
        auto runBoth = [&](const QStringList &noProxy) {
            RunScheduler s(schedulerDependencies());
            s.setProviders({remote, lan});
            const QList<ChatRequest> list{job(u"r"_qs, remote.id), job(u"l"_qs, lan.id)};
            Collector c;
            c.attach(s, this, list);
            RunOptions options;
            options.preconnect = false;
            options.noProxy = noProxy;
            if (!s.start(list, options))
                return false;
            return QTest::qWaitFor([&] { return c.finished; }, 8000) &&
                   c.results.value(u"r"_qs).state == JobState::Completed &&
                   c.results.value(u"l"_qs).state == JobState::Completed;
        };
        for (int i = 0; i < 4; ++i)
            m_server->enqueue(okResponse("ok"));
        QVERIFY(runBoth({u"0.0.0.0"_qs}));
        QCOMPARE(proxy.seen().size(), 1);
        QVERIFY2(proxy.seen().first().requestLine.contains("llm.example.test"), proxy.seen().first().requestLine.constData());
        QCOMPARE(m_server->requestCount(), 2);
        // The control: the same run without the list sends both through the proxy.
        QVERIFY(runBoth({}));
        QCOMPARE(proxy.seen().size(), 3);
        QVERIFY(proxy.seen().last().requestLine.contains("0.0.0.0") || proxy.seen().at(1).requestLine.contains("0.0.0.0"));
        QCOMPARE(m_server->requestCount(), 4);
    }

    // F-16: credentials the user typed (RunOptions, for the session) answer a proxy that
    // demands them, over the environment's; without them the failure says a 407 came back.
    void sessionCredentialsAnswerTheProxy()
    {
        ForwardProxy proxy(m_server->port(), this);
        proxy.requireCredentials("Basic " + QByteArray("bob:hunter2").toBase64());
        ScopedVars vars{{"http_proxy", QByteArray("http://bob:stale@127.0.0.1:") + QByteArray::number(proxy.port())}};
        const JobResult refused = runOne(remoteProvider());
        QCOMPARE(refused.state, JobState::Failed);
        QVERIFY(refused.proxyRefusedCredentials());
        QCOMPARE(m_server->requestCount(), 0);

        RunOptions options;
        options.proxyUser = u"bob"_qs;
        options.proxyPassword = u"hunter2"_qs;
        m_server->enqueue(okResponse("authorised"));
        const JobResult r = runOne(remoteProvider(), nullptr, options);
        QCOMPARE(r.state, JobState::Completed);
        QVERIFY(!r.proxyRefusedCredentials());
        QCOMPARE(proxy.seen().last().proxyAuthorization, "Basic " + QByteArray("bob:hunter2").toBase64());
        QCOMPARE(m_server->requestCount(), 1);
    }

    // S-7: a host the user allowed (RunOptions::plainHttpKeyHosts) gets the key over plain HTTP;
    // once the consent is gone, the key is refused before connecting again.
    void plainHttpKeyFollowsTheUsersConsent()
    {
        ProviderConfig p = providerAt(u"lan"_qs, QStringLiteral("http://0.0.0.0:%1").arg(m_server->port()));
        p.maxRetries = 0;
        QVERIFY(!p.allowInsecureKey);
        m_server->enqueue(okResponse("allowed"));
        RunOptions allowed;
        allowed.preconnect = false;
        allowed.plainHttpKeyHosts = {u"0.0.0.0"_qs};
        const JobResult sent = runOne(p, nullptr, allowed);
        QCOMPARE(sent.state, JobState::Completed);
        QCOMPARE(m_server->requestCount(), 1);
        QVERIFY(m_server->requests().constFirst().header("authorization").contains(kTestKey.toLatin1()));

        RunOptions revoked = allowed;
        revoked.plainHttpKeyHosts = {u"10.0.0.5"_qs};
        m_server->enqueue(okResponse("leak"));
        const JobResult refused = runOne(p, nullptr, revoked);
        QCOMPARE(refused.state, JobState::Failed);
        QCOMPARE(refused.failure, FailureKind::NotSent);
        QVERIFY(refused.error.contains(u"plain HTTP"_qs));
        QTest::qWait(50);
        QCOMPARE(m_server->requestCount(), 1);
    }

    void proxyCredentialsAreSentAndNeverShown()
    {
        ForwardProxy proxy(m_server->port(), this);
        proxy.requireCredentials("Basic " + QByteArray("bob:hunter2").toBase64());
        // Without credentials: a proxy error naming the provider, no retry storm, nothing upstream.
        {
            ScopedVars vars{{"http_proxy", QByteArray("http://127.0.0.1:") + QByteArray::number(proxy.port())}};
            const JobResult r = runOne(remoteProvider());
            QCOMPARE(r.state, JobState::Failed);
            QVERIFY(!r.timeline.attempts.isEmpty());
            QCOMPARE(r.timeline.attempts.last().failure, FailureKind::Proxy);
            QVERIFY2(r.error.contains(u"requires authentication"_qs), qPrintable(r.error));
            QCOMPARE(m_server->requestCount(), 0);
        }
        // With them in the variable: through, and the password appears in no message.
        {
            ScopedVars vars{{"http_proxy", QByteArray("http://bob:hunter2@127.0.0.1:") + QByteArray::number(proxy.port())}};
            m_server->enqueue(okResponse("authorised"));
            const JobResult r = runOne(remoteProvider());
            QCOMPARE(r.state, JobState::Completed);
            QCOMPARE(r.result.text, u"authorised"_qs);
            QCOMPARE(proxy.seen().last().proxyAuthorization, "Basic " + QByteArray("bob:hunter2").toBase64());
            QVERIFY(!r.error.contains(u"hunter2"_qs));
        }
        // Wrong credentials: the same plain proxy error, without the password.
        {
            ScopedVars vars{{"http_proxy", QByteArray("http://bob:wrong-pw@127.0.0.1:") + QByteArray::number(proxy.port())}};
            const JobResult r = runOne(remoteProvider());
            QCOMPARE(r.state, JobState::Failed);
            QCOMPARE(r.timeline.attempts.last().failure, FailureKind::Proxy);
            QVERIFY(!r.error.contains(u"wrong-pw"_qs));
        }
    }
};

QTEST_GUILESS_MAIN(tst_Proxy)
#include "tst_proxy.moc"
