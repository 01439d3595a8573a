// S-1 with the trace on (docs/ENGINE.md "Trace logging"): requests carrying a canary key in each
// dialect's credential header, in a ?key= query and in a proxy's credentials, a 401 that quotes the
// key, and a retried run, with every message caught by a handler. The trace must name each
// credential header with *** as its value, and never hold the key.
#include "FakeProvider.h"
#include "SchedulerTestKit.h"
#include "TestLineDecoder.h"

#include "engine/RequestBuilder.h"
#include "engine/RulesProxyFactory.h"
#include "engine/StreamHandler.h"
#include "engine/TraceLog.h"

#include <QMutex>
#include <QNetworkAccessManager>
#include <QNetworkProxyQuery>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTest>

using namespace Slopscope;
using namespace Slopscope::Test;

namespace {

const QString kCanary = QStringLiteral("sk-CANARY-trace-5f2c81");

// Every message of every thread (the scheduler's streams run on network threads), as
// "category: text"; passed on to the previous handler too, so the suite-wide sweep sees it.
QMutex g_mutex;
QStringList g_messages;
QtMessageHandler g_previous = nullptr;

void capture(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    {
        const QMutexLocker lock(&g_mutex);
        g_messages.append(QString::fromLatin1(context.category ? context.category : "default") + u": " + message);
    }
    if (g_previous)
        g_previous(type, context, message);
}

QStringList takeMessages()
{
    const QMutexLocker lock(&g_mutex);
    return std::exchange(g_messages, {});
}

Timeouts generous()
{
    Timeouts t;
    t.connectMs = 5000;
    t.firstByteMs = 5000;
    t.firstTokenMs = 5000;
    t.idleMs = 5000;
    t.contentIdleMs = 5000;
    t.totalMs = 8000;
    return t;
}

} // namespace

class tst_TraceLog final : public QObject
{
    Q_OBJECT

    FakeProvider *m_server = nullptr;
    QNetworkAccessManager *m_nam = nullptr;

    AttemptReport send(const PreparedRequest &request)
    {
        StreamHandler::Options o;
        o.timeouts = generous();
        o.decoderFactory = &TestLineDecoder::make;
        std::optional<AttemptReport> report;
        StreamHandler handler(request, o);
        connect(&handler, &StreamHandler::finished, this, [&report](const AttemptReport &r) { report = r; });
        handler.start(m_nam);
        [&] { QTRY_VERIFY_WITH_TIMEOUT(report.has_value(), 9000); }();
        return report.value_or(AttemptReport{});
    }

    static QString joined(const QStringList &messages) { return messages.join(u'\n'); }

private Q_SLOTS:
    void initTestCase() { g_previous = qInstallMessageHandler(capture); }
    void cleanupTestCase() { qInstallMessageHandler(g_previous); }

    void init()
    {
        m_server = new FakeProvider(this);
        QVERIFY(m_server->listen());
        m_nam = new QNetworkAccessManager(this);
        takeMessages();
    }
    void cleanup()
    {
        delete m_nam;
        delete m_server;
    }

    // Runs first: the categories are quiet until asked, then --trace's rules turn them on.
    void offByDefaultOnWithTrace()
    {
        if (!qEnvironmentVariableIsEmpty("QT_LOGGING_RULES")) {
            // The canary sweep turns every category on for this process, hiding the defaults:
            // observe them in a copy of this test started without its rules.
            QProcess child;
            QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
            environment.remove(QStringLiteral("QT_LOGGING_RULES"));
            child.setProcessEnvironment(environment);
            child.setProcessChannelMode(QProcess::MergedChannels);
            child.start(QCoreApplication::applicationFilePath(), {QStringLiteral("offByDefaultOnWithTrace")});
            QVERIFY2(child.waitForFinished(60'000), qPrintable(child.errorString()));
            const QByteArray output = child.readAll();
            QVERIFY2(child.exitStatus() == QProcess::NormalExit && child.exitCode() == 0, output.constData());
            // It ran the test rather than skipping it.
            QVERIFY2(output.contains("PASS   : tst_TraceLog::offByDefaultOnWithTrace()"), output.constData());
            return;
        }
        QVERIFY(!lcNet().isDebugEnabled());
        QVERIFY(!lcRun().isDebugEnabled());
        QVERIFY(lcNet().isInfoEnabled());
        enableTraceLogging();
        QVERIFY(lcNet().isDebugEnabled());
        QVERIFY(lcRun().isDebugEnabled());
    }

    void redactedUrl()
    {
        const QUrl url(u"https://user:" + kCanary + u"@example.com/v1beta/models/m:streamGenerateContent?alt=sse&key=" +
                       kCanary + u"&access_token=" + kCanary + u"#frag");
        const QString shown = RequestBuilder::redactedUrl(url);
        QVERIFY2(!shown.contains(kCanary), qPrintable(shown));
        QVERIFY2(shown.contains(QStringLiteral("user:***@example.com/v1beta/models/m:streamGenerateContent")),
                 qPrintable(shown));
        QVERIFY2(shown.contains(QStringLiteral("alt=sse&key=***&access_token=***")), qPrintable(shown));
        // A URL with nothing secret is shown as it is.
        QCOMPARE(RequestBuilder::redactedUrl(QUrl(QStringLiteral("http://127.0.0.1:8080/v1/chat?alt=sse"))),
                 QStringLiteral("http://127.0.0.1:8080/v1/chat?alt=sse"));
    }

    void eachDialectsHeader_data()
    {
        QTest::addColumn<Dialect>("dialect");
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<QByteArray>("sentValue");
        QTest::newRow("openai bearer") << Dialect::OpenAIChat << QByteArray("authorization")
                                       << (QByteArray("Bearer ") + kCanary.toUtf8());
        QTest::newRow("anthropic x-api-key") << Dialect::Anthropic << QByteArray("x-api-key") << kCanary.toUtf8();
        QTest::newRow("gemini x-goog-api-key") << Dialect::Gemini << QByteArray("x-goog-api-key") << kCanary.toUtf8();
    }
    void eachDialectsHeader()
    {
        enableTraceLogging();
        QFETCH(Dialect, dialect);
        QFETCH(QByteArray, header);
        QFETCH(QByteArray, sentValue);
        ProviderConfig provider;
        provider.id = QStringLiteral("p");
        provider.dialect = dialect;
        provider.baseUrl = m_server->baseUrl() + u"/v1";
        // Plain headers of the provider whose names say they are credentials (an API gateway's).
        provider.headers.insert(QStringLiteral("Ocp-Apim-Subscription-Key"), kCanary + u"-apim");
        provider.headers.insert(QStringLiteral("Cookie"), u"session=" + kCanary);
        ChatRequest request = job(QStringLiteral("j"), QStringLiteral("p"));
        // A secret header of the provider's own (ProviderConfig::secretHeaders) is redacted too.
        const QList<QPair<QString, SecretString>> secretHeaders{
            {QStringLiteral("X-Gateway-Pass"), SecretString(QString(kCanary + u"-gw"))}};
        auto prepared = RequestBuilder::build(request, provider, SecretString(kCanary), {}, secretHeaders);
        QVERIFY2(prepared, qPrintable(prepared.error()));
        m_server->enqueue(FakeResponse::lines({"D:hello", "END"}));

        const AttemptReport report = send(prepared.value());
        QCOMPARE(report.record.failure, FailureKind::None);
        // The key really travelled, so a trace without it proves the redaction.
        QCOMPARE(m_server->requestCount(), 1);
        QCOMPARE(m_server->requests().first().header(header), sentValue);

        const QString trace = joined(takeMessages());
        QVERIFY2(!trace.contains(u"CANARY"), qPrintable(trace));
        QVERIFY2(trace.contains(QString::fromLatin1(header) + u": ***"), qPrintable(trace));
        QVERIFY2(trace.contains(QStringLiteral("x-gateway-pass: ***")), qPrintable(trace));
        QVERIFY2(trace.contains(QStringLiteral("ocp-apim-subscription-key: ***")), qPrintable(trace));
        QVERIFY2(trace.contains(QStringLiteral("cookie: ***")), qPrintable(trace));
        QVERIFY2(trace.contains(u"slopscope.net: POST " + m_server->baseUrl() + u"/v1"), qPrintable(trace));
        QVERIFY2(trace.contains(QStringLiteral("content-type: application/json")), qPrintable(trace));
        QVERIFY2(trace.contains(QStringLiteral("attempt 1 status 200 ok")), qPrintable(trace));
    }

    // A Gemini URL with the key in its query (as Google's samples write it), answered by a 401 that
    // quotes the key: the URL is logged with key=***, and the quoted key is scrubbed from the
    // trace and the error, because a credential in the query counts as one too.
    void queryKeyAndUnauthorized()
    {
        enableTraceLogging();
        PreparedRequest request;
        request.dialect = Dialect::Gemini;
        request.url = QUrl(m_server->baseUrl() + u"/v1beta/models/m:streamGenerateContent?alt=sse&key=" + kCanary);
        request.headers = {{"content-type", "application/json"}};
        request.body = R"({"contents":[]})";
        m_server->enqueue(FakeResponse::error(401, "API key not valid: " + kCanary.toUtf8()));

        const AttemptReport report = send(request);
        QCOMPARE(report.record.failure, FailureKind::HttpStatus);
        QCOMPARE(report.record.httpStatus, 401);
        QVERIFY(m_server->requests().value(0).target.contains(kCanary.toUtf8()));
        QVERIFY2(!report.record.error.contains(kCanary), qPrintable(report.record.error));
        QVERIFY(!report.errorBody.contains(kCanary.toUtf8()));

        const QString trace = joined(takeMessages());
        QVERIFY2(!trace.contains(u"CANARY"), qPrintable(trace));
        QVERIFY2(trace.contains(QStringLiteral(":streamGenerateContent?alt=sse&key=*** (attempt 1)")),
                 qPrintable(trace));
        QVERIFY2(trace.contains(QStringLiteral("attempt 1 status 401 failed: HTTP 401")), qPrintable(trace));
    }

    // Through the scheduler: a 500 that is retried, then a 401 quoting the bearer key, which
    // stops the provider. slopscope.run shows each decision; nothing shows the key.
    void schedulerDecisions()
    {
        enableTraceLogging();
        m_server->enqueue(FakeResponse::error(500, "busy"));
        m_server->enqueue(FakeResponse::error(401, "Incorrect API key provided: " + kTestKey.toUtf8()));
        Collector collector;
        QVERIFY(runOneJob(providerAt(QStringLiteral("p"), m_server->baseUrl()), collector, this));
        QCOMPARE(m_server->requestCount(), 2);
        QCOMPARE(m_server->requests().at(1).header("authorization"), "Bearer " + kTestKey.toUtf8());
        QCOMPARE(collector.results.value(QStringLiteral("j")).state, JobState::Failed);

        const QString trace = joined(takeMessages());
        QVERIFY2(!trace.contains(u"CANARY"), qPrintable(trace));
        QVERIFY2(trace.contains(QStringLiteral("slopscope.run: launch j on p attempt 1")), qPrintable(trace));
        QVERIFY2(trace.contains(QStringLiteral("slopscope.run: retry j in")), qPrintable(trace));
        QVERIFY2(trace.contains(QStringLiteral("ms after HTTP 500")), qPrintable(trace));
        QVERIFY2(trace.contains(QStringLiteral("slopscope.run: launch j on p attempt 2")), qPrintable(trace));
        QVERIFY2(trace.contains(QStringLiteral("authorization: ***")), qPrintable(trace));
        QVERIFY2(trace.contains(QStringLiteral("attempt 2 status 401 failed: HTTP 401")), qPrintable(trace));
        QVERIFY2(trace.contains(QStringLiteral("slopscope.run: finish j failed: HTTP 401")), qPrintable(trace));
        QVERIFY2(trace.contains(QStringLiteral("slopscope.run: stop p")), qPrintable(trace));
    }

    // A proxy with credentials in https_proxy: the trace names the proxy, says it has
    // credentials, and shows neither the user's password nor the URL's.
    void proxyCredentials()
    {
        enableTraceLogging();
        QProcessEnvironment env;
        env.insert(QStringLiteral("https_proxy"), u"http://alice:" + kCanary + u"@proxy.example:3128");
        auto rules = ProxyRules::fromEnvironment(env);
        QVERIFY2(rules, qPrintable(rules.error()));
        RulesProxyFactory factory(std::make_shared<const ProxyRules>(std::move(rules).value()));
        const QList<QNetworkProxy> proxies =
            factory.queryProxy(QNetworkProxyQuery(QUrl(QStringLiteral("https://api.example.com/v1/chat"))));
        QCOMPARE(proxies.size(), 1);
        QCOMPARE(proxies.first().password(), kCanary); // Qt gets the credentials; the log does not

        const QString trace = joined(takeMessages());
        QVERIFY2(!trace.contains(u"CANARY"), qPrintable(trace));
        QVERIFY2(trace.contains(QStringLiteral("slopscope.net: proxy for https://api.example.com via "
                                               "http://proxy.example:3128 (credentials: ***)")),
                 qPrintable(trace));
    }
};

QTEST_GUILESS_MAIN(tst_TraceLog)
#include "tst_tracelog.moc"
