// RELIABILITY F-15: a machine that goes offline (asleep, off Wi-Fi) holds its requests until the
// network returns, and an attempt the outage broke costs no retry.
#include "FakeProvider.h"
#include "ManualReachability.h"
#include "SchedulerTestKit.h"

#include "engine/RunScheduler.h"
#include "engine/SystemReachability.h"

#include <QTcpServer>
#include <QTest>

#include <algorithm>
#include <memory>

using namespace Slopscope;
using namespace Slopscope::Test;

class tst_Offline : public QObject
{
    Q_OBJECT

    static bool saidOffline(const Collector &c)
    {
        return std::any_of(c.statuses.cbegin(), c.statuses.cend(), [](const ProviderStatus &st) {
            return st.state == ProviderStatus::State::Offline && st.providerId == u"p" &&
                   st.message == u"offline — waiting for the network";
        });
    }

private slots:
    void requestsWaitForTheNetwork()
    {
        FakeProvider server;
        QVERIFY(server.listen());
        server.enqueue(okResponse("back online"));
        auto reachability = std::make_shared<ManualReachability>();
        reachability->setOnline(false);
        RunScheduler::Dependencies deps = schedulerDependencies();
        deps.reachability = reachability;
        RunScheduler s(deps);
        s.setProviders({providerAt(u"p"_qs, server.baseUrl())});
        const QList<ChatRequest> list{job(u"j"_qs, u"p"_qs)};
        Collector c;
        c.attach(s, this, list);
        QVERIFY(s.start(list));
        QTRY_VERIFY(saidOffline(c));
        QTest::qWait(300);
        QCOMPARE(server.requestCount(), 0);
        QVERIFY(c.started.isEmpty());
        QVERIFY(!c.finished);

        reachability->setOnline(true);
        QTRY_VERIFY_WITH_TIMEOUT(c.finished, 5000);
        const JobResult r = c.results.value(u"j"_qs);
        QCOMPARE(r.state, JobState::Completed);
        QCOMPARE(r.attempts(), 1);
        QCOMPARE(c.streamed.value(u"j"_qs), u"back online"_qs);
        QCOMPARE(c.statuses.last().state, ProviderStatus::State::Active);
    }

    // The network drops under an attempt: it fails, but the job waits for the network and then
    // still has its whole retry allowance (one retry here, so two counted attempts).
    void failuresWhileOfflineCostNoRetry()
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 port = probe.serverPort();
        probe.close();
        auto reachability = std::make_shared<ManualReachability>();
        RunScheduler::Dependencies deps = schedulerDependencies();
        deps.reachability = reachability;
        RunScheduler s(deps);
        ProviderConfig p = providerAt(u"p"_qs, QStringLiteral("http://127.0.0.1:%1").arg(port));
        p.maxRetries = 1;
        s.setProviders({p});
        const QList<ChatRequest> list{job(u"j"_qs, u"p"_qs)};
        Collector c;
        c.attach(s, this, list);
        connect(&s, &RunScheduler::jobStarted, this, [&](const QString &, int attempt) {
            if (attempt == 0)
                reachability->setOnline(false); // before the refusal arrives
        });
        QVERIFY(s.start(list));
        QTRY_VERIFY(saidOffline(c));
        QTest::qWait(300);
        QCOMPARE(c.started.size(), 1); // held: no retry while offline
        QVERIFY(!c.finished);

        reachability->setOnline(true);
        QTRY_VERIFY_WITH_TIMEOUT(c.finished, 5000);
        const JobResult r = c.results.value(u"j"_qs);
        QCOMPARE(r.state, JobState::Failed);
        QCOMPARE(r.failure, FailureKind::ConnectionRefused);
        QCOMPARE(r.attempts(), 3); // the free one, then the first try and its one retry
        QVERIFY2(r.error.endsWith(u"(gave up after 2 attempt(s))"), qPrintable(r.error));
    }

    // A failure that is not the network's (an HTTP error) is judged by the retry policy as ever.
    void httpErrorsWhileOfflineAreNotHeld()
    {
        FakeProvider server;
        QVERIFY(server.listen());
        server.enqueue(FakeResponse::error(400, R"({"error":{"message":"bad request"}})"));
        auto reachability = std::make_shared<ManualReachability>();
        RunScheduler::Dependencies deps = schedulerDependencies();
        deps.reachability = reachability;
        RunScheduler s(deps);
        s.setProviders({providerAt(u"p"_qs, server.baseUrl())});
        const QList<ChatRequest> list{job(u"j"_qs, u"p"_qs)};
        Collector c;
        c.attach(s, this, list);
        connect(&s, &RunScheduler::jobStarted, this, [&] { reachability->setOnline(false); });
        QVERIFY(s.start(list));
        QTRY_VERIFY_WITH_TIMEOUT(c.finished, 5000);
        QCOMPARE(c.results.value(u"j"_qs).state, JobState::Failed);
        QCOMPARE(c.results.value(u"j"_qs).attempts(), 1);
    }

    // The system's policy: only "disconnected" holds, and never a loopback host (a local Ollama
    // or the simulator works offline).
    void systemPolicy()
    {
        QVERIFY(SystemReachability::canReach(true, u"api.openai.com"_qs));
        QVERIFY(!SystemReachability::canReach(false, u"api.openai.com"_qs));
        QVERIFY(SystemReachability::canReach(false, u"127.0.0.1"_qs));
        QVERIFY(SystemReachability::canReach(false, u"localhost"_qs));
        QVERIFY(SystemReachability::canReach(false, u"::1"_qs));
        SystemReachability system; // whatever the backend says, loopback stays reachable
        QVERIFY(system.canReach(u"127.0.0.1"_qs));
    }
};

QTEST_GUILESS_MAIN(tst_Offline)
#include "tst_offline.moc"
