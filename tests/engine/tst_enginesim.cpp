// The engine with the real decoders against the in-process simulator (models/sim): the repeat it
// names reaches the simulator, and HTTP/2 with prior knowledge through a real HTTP/2 peer
// (nghttpx from Debian's nghttp2-proxy, fronting the simulator; skipped when it is not installed).

#include "NghttpxFront.h"
#include "SchedulerTestKit.h"

#include "engine/Preconnector.h"
#include "engine/RunScheduler.h"
#include "engine/StreamHandler.h"
#include "sim/SimServer.h"

#include <QTest>

using namespace Slopscope;
using namespace Slopscope::Test;

namespace {

RunScheduler::Dependencies realDecoders(const QString &simulatorBaseUrl = {})
{
    RunScheduler::Dependencies d = schedulerDependencies();
    d.decoderFactory = defaultDecoderFactory();
    d.simulatorBaseUrl = simulatorBaseUrl;
    return d;
}

ProviderConfig simProvider(const QString &id, const QString &base)
{
    ProviderConfig p = providerAt(id, base, 8);
    p.simulated = true;
    p.headers.insert(QStringLiteral("x-sim-fault"), QStringLiteral("none"));
    return p;
}

ChatRequest simJob(const QString &id, const QString &provider, int repeat)
{
    ChatRequest r = job(id, provider, QStringLiteral("tea"), repeat);
    r.model = QStringLiteral("t-coin");
    r.messages = {{QStringLiteral("user"), QStringLiteral("Tell me about oolong tea.")}};
    return r;
}

} // namespace

class tst_EngineSim : public QObject
{
    Q_OBJECT

    SimServer *m_sim = nullptr;

private slots:
    void init()
    {
        m_sim = new SimServer(this);
        QVERIFY(m_sim->loadDefaults());
        QVERIFY(m_sim->loadPersonasFile(QStringLiteral(SLOPSCOPE_TEST_DATA "/sim/personas_test.json")));
        QVERIFY(m_sim->listen());
    }
    void cleanup()
    {
        delete m_sim;
        m_sim = nullptr;
        QTRY_COMPARE(StreamHandler::liveReplies(), 0);
    }

    void repeatReachesTheSimulator()
    {
        RunScheduler s(realDecoders(m_sim->baseUrl().toString()));
        ProviderConfig p = simProvider(u"sim"_qs, QString());
        p.baseUrl = u"{simulator}/v1"_qs;
        s.setProviders({p});
        // The same prompt three times: repeat 0, and repeat 1 twice (as a re-run of that cell).
        const QList<ChatRequest> list{simJob(u"a"_qs, u"sim"_qs, 0), simJob(u"b"_qs, u"sim"_qs, 1),
                                      simJob(u"b-again"_qs, u"sim"_qs, 1)};
        Collector c;
        c.attach(s, this, list);
        QVERIFY(s.start(list));
        QTRY_VERIFY_WITH_TIMEOUT(c.finished, 10000);

        for (const ChatRequest &j : list)
            QCOMPARE(c.results.value(j.id).state, JobState::Completed);
        const QList<SimRecord> records = m_sim->records();
        QCOMPARE(records.size(), 3);
        QHash<int, QList<SimRecord>> byRepeat;
        for (const SimRecord &r : records)
            byRepeat[r.repeat].append(r);
        QCOMPARE(byRepeat.value(0).size(), 1);
        QCOMPARE(byRepeat.value(1).size(), 2);
        // Repeat 1 asked twice is one answer (two attempts of one repeat), and the engine parsed it.
        QCOMPARE(byRepeat.value(1)[0].text, byRepeat.value(1)[1].text);
        QCOMPARE(byRepeat.value(1)[0].attempt + byRepeat.value(1)[1].attempt, 1);
        QCOMPARE(c.results.value(u"b"_qs).result.text, byRepeat.value(1)[0].text);
        QCOMPARE(c.results.value(u"b-again"_qs).result.text, byRepeat.value(1)[0].text);
        QCOMPARE(c.results.value(u"a"_qs).result.text, byRepeat.value(0)[0].text);
    }

    // RunOptions::preconnect against the simulator: the first wave rides on the connections opened
    // before it, so the simulator has accepted no more than one connection per stream (Qt keeps
    // them open), not the pre-opened ones plus one per request. Not asserted: that all eight were
    // open before the first answer ended; on a loaded machine an answer can end before the test
    // looks, and the count at the end already rules out extra connections.
    void preconnectedConnectionsCarryTheFirstWave()
    {
        RunScheduler s(realDecoders(m_sim->baseUrl().toString()));
        ProviderConfig p = simProvider(u"sim"_qs, QString());
        p.baseUrl = u"{simulator}/v1"_qs;
        p.maxConcurrency = 8;
        s.setProviders({p});
        QList<ChatRequest> list;
        for (int i = 0; i < 8; ++i)
            list.append(simJob(QStringLiteral("j%1").arg(i), u"sim"_qs, i));
        Collector c;
        c.attach(s, this, list);
        RunOptions options;
        options.globalConcurrency = 8;
        QVERIFY(s.start(list, options));
        QTRY_VERIFY_WITH_TIMEOUT(c.finished, 20000);
        for (const ChatRequest &j : list)
            QCOMPARE(c.results.value(j.id).state, JobState::Completed);
        QCOMPARE(m_sim->records().size(), 8);
        QCOMPARE(s.preconnector()->opened(), 8);
        // At most one connection per stream, all still open. Fewer happen on a loaded machine: Qt
        // may serve a preconnect with a connection another preconnect already opened (seen under
        // ASan with debug logging: 7 accepted for 8 preconnects), and a request launched after an
        // answer ended reuses that answer's connection.
        const QByteArray counts = "accepted " + QByteArray::number(m_sim->acceptedConnections()) + ", open " +
                                  QByteArray::number(m_sim->openConnections());
        QVERIFY2(m_sim->acceptedConnections() <= 8, counts.constData());
        QCOMPARE(m_sim->openConnections(), m_sim->acceptedConnections());
    }

    void http2PriorKnowledgeThroughARealPeer_data()
    {
        QTest::addColumn<bool>("priorKnowledge");
        QTest::newRow("h2c prior knowledge") << true;
        QTest::newRow("plain HTTP/1.1") << false;
    }
    void http2PriorKnowledgeThroughARealPeer()
    {
        QFETCH(bool, priorKnowledge);
        if (NghttpxFront::executable().isEmpty()) {
            // CI installs it (bootstrap.sh test), so there a missing tool is a failure.
            if (qEnvironmentVariableIsSet("SLOPSCOPE_CI"))
                QFAIL("nghttpx not installed (Debian package nghttp2-proxy)");
            QSKIP("nghttpx not installed (Debian package nghttp2-proxy)");
        }
        NghttpxFront proxy;
        QVERIFY2(proxy.start(m_sim->serverPort(), false), qPrintable(proxy.errorString()));
        const quint16 port = proxy.port();

        RunScheduler s(realDecoders());
        const QString base = QStringLiteral("http://127.0.0.1:%1").arg(port);
        s.setProviders({simProvider(u"h2"_qs, base)});
        s.setHttp2PriorKnowledge(u"h2"_qs, priorKnowledge);
        QList<ChatRequest> list;
        for (int i = 0; i < 4; ++i)
            list.append(simJob(QStringLiteral("j%1").arg(i), u"h2"_qs, i));
        Collector c;
        c.attach(s, this, list);
        QVERIFY(s.start(list));
        QTRY_VERIFY_WITH_TIMEOUT(c.finished, 15000);

        QHash<int, QString> simText;
        for (const SimRecord &r : m_sim->records())
            simText.insert(r.repeat, r.text);
        QCOMPARE(c.results.size(), 4);
        for (const ChatRequest &j : std::as_const(list)) {
            const JobResult r = c.results.value(j.id);
            QVERIFY2(r.state == JobState::Completed, qPrintable(r.error));
            QCOMPARE(r.attempts(), 1);
            QCOMPARE(r.timeline.attempts[0].http2, priorKnowledge);
            // The stream parsed whole: end marker, usage, and exactly the text the simulator sent.
            QCOMPARE(r.result.outcome, StreamOutcome::Complete);
            QVERIFY(r.result.terminalMarkerSeen);
            QVERIFY(r.result.usage && r.result.usage->outputTokens);
            QVERIFY(!r.result.text.isEmpty());
            QCOMPARE(r.result.text, simText.value(j.repeat));
            QCOMPARE(c.streamed.value(j.id), r.result.text);
        }
    }
};

QTEST_GUILESS_MAIN(tst_EngineSim)
#include "tst_enginesim.moc"
