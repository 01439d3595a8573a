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

    JobResult runOne(const ProviderConfig &provider, QString *startError = nullptr)
    {
        RunScheduler s(schedulerDependencies());
        s.setProviders({provider});
        const QList<ChatRequest> list{job(u"j"_qs, provider.id)};
        Collector c;
        c.attach(s, this, list);
        if (Status started = s.start(list); !started) {
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
