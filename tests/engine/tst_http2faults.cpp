// HTTP/2 faults through a real HTTP/2 peer (RELIABILITY.md F-3): several streams multiplexed over
// one h2 connection, every one mid-answer, when the connection dies at once. nghttpx (Debian's
// nghttp2-proxy) is the h2 peer in front of a loopback FakeProvider; a TcpRelay between the engine
// and nghttpx counts the connections the engine really opened. Killing nghttpx (SIGKILL) drops
// every stream of the connection together, as a provider's front or a NAT timeout would.
// Skipped when nghttpx is missing, a failure under SLOPSCOPE_CI (bootstrap.sh test installs it).
//
// h2c (prior knowledge) is the exception, pinned in its own test: Qt 6.4 does not report the loss
// of an h2c connection to its streams, so they end at the byte-idle timeout (F-5's reason).

#include "FakeProvider.h"
#include "NghttpxFront.h"
#include "SchedulerTestKit.h"
#include "TcpRelay.h"

#include "engine/Preconnector.h"
#include "engine/RunScheduler.h"
#include "engine/StreamHandler.h"

#include <QElapsedTimer>
#include <QFile>
#include <QSet>
#include <QTest>

#include <memory>

using namespace Slopscope;
using namespace Slopscope::Test;

namespace {

constexpr int kStreams = 4;

QByteArray testCa()
{
    QFile file(QStringLiteral(SLOPSCOPE_TEST_DATA "/engine/test-ca-cert.pem"));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// The partial answer of the backend's `index`th request (two content events), then silence.
QString partialText(int index)
{
    return QStringLiteral("cell %1 says half ").arg(index) + u"an answer";
}

const char *const kProxyVars[] = {"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"};

} // namespace

class tst_Http2Faults : public QObject
{
    Q_OBJECT

    std::unique_ptr<FakeProvider> m_backend;
    std::unique_ptr<NghttpxFront> m_front;
    std::unique_ptr<TcpRelay> m_relay;
    std::unique_ptr<RunScheduler> m_scheduler;
    QList<ChatRequest> m_jobs;
    Collector m_collector;

    // nghttpx (h2c or h2 over TLS) in front of a backend that answers every stream with two
    // content events and then keeps quiet; the relay in front of nghttpx. Then a run of kStreams
    // jobs on it, waiting until every cell holds its whole partial answer.
    void startRunUntilEveryCellHasHalfAnAnswer(bool tls, bool preconnect, int idleMs = 8000)
    {
        m_backend = std::make_unique<FakeProvider>();
        QVERIFY(m_backend->listen());
        m_backend->setScript([](const RecordedRequest &, int index) {
            const QString text = partialText(index);
            FakeResponse r = FakeResponse::lines({"D:" + text.chopped(9).toUtf8(), "D:" + text.right(9).toUtf8()}, 5);
            r.end = FakeResponse::End::Stall; // the backend keeps quiet; only the h2 side breaks
            r.holdUntilOpen = kStreams;       // all streams open before any answers: multiplexed
            return r;
        });
        m_front = std::make_unique<NghttpxFront>();
        QVERIFY2(m_front->start(m_backend->port(), tls), qPrintable(m_front->errorString()));
        m_relay = std::make_unique<TcpRelay>(m_front->port());
        QVERIFY(m_relay->listen());

        const QString base = QStringLiteral("%1://127.0.0.1:%2").arg(tls ? u"https"_qs : u"http"_qs).arg(m_relay->port());
        ProviderConfig provider = providerAt(u"h2"_qs, base, kStreams);
        if (tls)
            provider.caCertificates = testCa();
        provider.timeouts.idleMs = idleMs;
        provider.timeouts.contentIdleMs = idleMs;
        provider.timeouts.totalMs = idleMs + 5000;
        QVERIFY(provider.maxRetries > 0); // retries were allowed: not taken because content arrived
        m_scheduler = std::make_unique<RunScheduler>(schedulerDependencies());
        m_scheduler->setProviders({provider});
        m_scheduler->setHttp2PriorKnowledge(u"h2"_qs, !tls);
        m_jobs = jobs(kStreams, u"h2"_qs);
        m_collector.attach(*m_scheduler, m_scheduler.get(), m_jobs);
        RunOptions options;
        options.preconnect = preconnect;
        QVERIFY(m_scheduler->start(m_jobs, options));

        QTRY_VERIFY_WITH_TIMEOUT(streamedTexts() == expectedTexts(), 10000);
        QVERIFY(!m_collector.finished);
        QCOMPARE(m_relay->acceptedConnections(), 1);
        QCOMPARE(m_relay->openConnections(), 1);
    }

    [[nodiscard]] QSet<QString> streamedTexts() const
    {
        QSet<QString> streamed;
        for (const ChatRequest &j : m_jobs)
            streamed.insert(m_collector.streamed.value(j.id));
        return streamed;
    }
    [[nodiscard]] static QSet<QString> expectedTexts()
    {
        QSet<QString> expected;
        for (int i = 0; i < kStreams; ++i)
            expected.insert(partialText(i));
        return expected;
    }

    // What holds whichever way the cells ended: the partial answer kept as streamed, never
    // complete, one attempt (no automatic retry once content was delivered), one connection.
    void verifyPartialAnswersKeptWithoutRetry(FailureKind failure)
    {
        QSet<QString> kept;
        for (const ChatRequest &j : std::as_const(m_jobs)) {
            const JobResult r = m_collector.results.value(j.id);
            QCOMPARE(r.failure, failure);
            QCOMPARE(r.result.text, m_collector.streamed.value(j.id));
            QVERIFY(r.result.outcome != StreamOutcome::Complete);
            QVERIFY(!r.result.terminalMarkerSeen);
            kept.insert(r.result.text);
            QCOMPARE(r.attempts(), 1);
            QVERIFY(r.timeline.attempts[0].http2);
            QCOMPARE(r.timeline.attempts[0].failure, failure);
        }
        QCOMPARE(kept, expectedTexts());
        QCOMPARE(m_backend->requestCount(), kStreams);
        QCOMPARE(m_relay->acceptedConnections(), 1);
    }

private slots:
    void init()
    {
        for (const char *name : kProxyVars)
            qunsetenv(name); // the engine must reach the relay directly
        if (NghttpxFront::executable().isEmpty()) {
            if (qEnvironmentVariableIsSet("SLOPSCOPE_CI"))
                QFAIL("nghttpx not installed (Debian package nghttp2-proxy)");
            QSKIP("nghttpx not installed (Debian package nghttp2-proxy)");
        }
    }
    void cleanup()
    {
        m_scheduler.reset();
        QTRY_COMPARE(StreamHandler::liveReplies(), 0);
        m_relay.reset();
        m_front.reset();
        m_backend.reset();
        m_jobs.clear();
        m_collector = Collector{};
    }

    void allStreamsOfOneConnectionDroppedAtOnce_data()
    {
        QTest::addColumn<bool>("preconnect");
        // h2 negotiated by ALPN, the way a real https provider speaks it.
        QTest::newRow("h2 over TLS") << false;
        // The same with the connection opened before the wave (RunOptions::preconnect): the wave
        // multiplexes onto that one pre-opened connection, so it too loses all at once.
        QTest::newRow("h2 over TLS, pre-opened") << true;
    }
    void allStreamsOfOneConnectionDroppedAtOnce()
    {
        QFETCH(bool, preconnect);
        startRunUntilEveryCellHasHalfAnAnswer(true, preconnect);
        if (QTest::currentTestFailed())
            return;
        QElapsedTimer clock;
        clock.start();
        m_front->kill();
        QTRY_VERIFY_WITH_TIMEOUT(m_collector.finished, 10000);
        // Told by the connection's loss, not by a timeout (8 s here).
        QVERIFY2(clock.elapsed() < 4000, qPrintable(QString::number(clock.elapsed())));

        for (const ChatRequest &j : std::as_const(m_jobs)) {
            const JobResult r = m_collector.results.value(j.id);
            QVERIFY2(r.state == JobState::Truncated, qPrintable(r.error));
            QVERIFY2(r.error.startsWith(u"connection lost after 2 content event(s)"), qPrintable(r.error));
        }
        verifyPartialAnswersKeptWithoutRetry(FailureKind::ConnectionLost);
        if (preconnect) { // asked for four, opened one: h2 carries all four streams on it
            QCOMPARE(m_scheduler->preconnector()->opened(), 1);
            QCOMPARE(m_scheduler->preconnector()->failed(), 0);
        }
    }

    // Issue #4 over h2: the connection pre-opened before the wave (RunOptions::preconnect) is
    // the one the whole wave multiplexes on. It is up before the first job starts, it is the only
    // one the relay ever sees, and the Preconnector opened just it, not one per stream.
    void preopenedH2ConnectionCarriesTheWholeFirstWave()
    {
        m_backend = std::make_unique<FakeProvider>();
        QVERIFY(m_backend->listen());
        FakeResponse answer = okResponse("whole");
        answer.holdUntilOpen = kStreams; // all in flight at once
        m_backend->enqueue(answer);
        m_front = std::make_unique<NghttpxFront>();
        QVERIFY2(m_front->start(m_backend->port(), true), qPrintable(m_front->errorString()));
        m_relay = std::make_unique<TcpRelay>(m_front->port());
        QVERIFY(m_relay->listen());
        ProviderConfig provider =
            providerAt(u"h2"_qs, QStringLiteral("https://127.0.0.1:%1").arg(m_relay->port()), kStreams);
        provider.caCertificates = testCa();
        m_scheduler = std::make_unique<RunScheduler>(schedulerDependencies());
        m_scheduler->setProviders({provider});
        m_jobs = jobs(kStreams, u"h2"_qs);
        m_collector.attach(*m_scheduler, m_scheduler.get(), m_jobs);
        int acceptedAtFirstStart = -1;
        connect(m_scheduler.get(), &RunScheduler::jobStarted, this, [&] {
            if (acceptedAtFirstStart < 0)
                acceptedAtFirstStart = m_relay->acceptedConnections();
        });
        RunOptions options;
        options.preconnect = true;
        options.preconnectWaitMs = 5000; // a loaded machine still finishes the handshake first
        QVERIFY(m_scheduler->start(m_jobs, options));
        QTRY_VERIFY_WITH_TIMEOUT(m_collector.finished, 10000);

        QVERIFY(!m_scheduler->preconnector()->timedOut());
        QCOMPARE(m_scheduler->preconnector()->opened(), 1);
        QCOMPARE(acceptedAtFirstStart, 1);
        QCOMPARE(m_relay->acceptedConnections(), 1);
        QCOMPARE(m_backend->requestCount(), kStreams);
        QCOMPARE(m_backend->maxOpenRequests(), kStreams); // multiplexed: all open at once
        for (const ChatRequest &j : std::as_const(m_jobs)) {
            const JobResult r = m_collector.results.value(j.id);
            QVERIFY2(r.state == JobState::Completed, qPrintable(r.error));
            QCOMPARE(r.result.text, u"whole"_qs);
            QCOMPARE(r.attempts(), 1);
            QVERIFY(r.timeline.attempts[0].http2);
        }
    }

    // h2c with prior knowledge on Qt 6.4: the dropped connection is not reported to its streams
    // (no error, no finished; TLS h2 above gets "Connection closed" at once), so the cells end by
    // the byte-idle timeout as a stall (F-5): Failed, "timed out: no data", partial text kept, no
    // retry. Should a later Qt report the loss, this fails: then h2c joins the test above.
    void h2cDropIsOnlySeenByTheIdleTimeout()
    {
        constexpr int idleMs = 1500;
        startRunUntilEveryCellHasHalfAnAnswer(false, false, idleMs);
        if (QTest::currentTestFailed())
            return;
        QElapsedTimer clock;
        clock.start();
        m_front->kill();
        QTRY_VERIFY_WITH_TIMEOUT(m_collector.finished, 10000);
        QVERIFY2(clock.elapsed() >= idleMs - 300, qPrintable(QString::number(clock.elapsed())));

        for (const ChatRequest &j : std::as_const(m_jobs)) {
            const JobResult r = m_collector.results.value(j.id);
            QVERIFY2(r.state == JobState::Failed, qPrintable(r.error));
            QVERIFY2(r.error.startsWith(u"timed out: no data"), qPrintable(r.error));
        }
        verifyPartialAnswersKeptWithoutRetry(FailureKind::IdleTimeout);
    }
};

QTEST_GUILESS_MAIN(tst_Http2Faults)
#include "tst_http2faults.moc"
