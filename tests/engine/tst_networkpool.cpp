#include "FakeProvider.h"
#include "TestLineDecoder.h"

#include "engine/NetworkPool.h"
#include "engine/NetworkWorker.h"

#include <QSet>
#include <QTest>
#include <QThread>

using namespace Slopscope;
using namespace Slopscope::Test;

class tst_NetworkPool : public QObject
{
    Q_OBJECT

private slots:
    void defaultThreadCount()
    {
        NetworkPool pool;
        QCOMPARE(pool.threadCount(), std::clamp(QThread::idealThreadCount(), 1, 4));
        NetworkPool three(3);
        QCOMPARE(three.threadCount(), 3);
    }

    // planWarm: where a first wave would go, remembered so that acquire() puts each stream on a
    // manager with a pre-opened connection to its host, whatever the other hosts' streams do.
    void warmPlanIsWhereTheFirstWaveGoes()
    {
        NetworkPool pool(2);
        const QString a = u"http://a.example:80"_qs;
        const QString b = u"http://b.example:80"_qs;
        const auto total = [](const QList<QPair<NetworkPool::Slot, int>> &plan) {
            int n = 0;
            for (const auto &entry : plan) {
                if (entry.second > NetworkPool::kMaxPerHostPerManager)
                    return -1;
                n += entry.second;
            }
            return n;
        };
        const auto planA = pool.planWarm(a, 14);
        QCOMPARE(total(planA), 14);
        QCOMPARE(planA.size(), 3); // ceil(14 / 6) managers
        QCOMPARE(pool.activeTotal(), 0); // nothing stays acquired
        // A second plan for the same host adds up instead of stacking on full managers.
        const auto planA2 = pool.planWarm(a, 4);
        QCOMPARE(total(planA2), 4);
        for (const auto &entry : planA2)
            QVERIFY(pool.warm(entry.first.worker, entry.first.manager, a) <= NetworkPool::kMaxPerHostPerManager);
        const auto planB = pool.planWarm(b, 7);
        QCOMPARE(total(planB), 7);

        // Interleaved acquisitions for both hosts: every one lands where a warm connection waits.
        QHash<qint64, int> usedA, usedB;
        for (int i = 0; i < 18; ++i) {
            const NetworkPool::Slot sa = pool.acquire(a);
            const qint64 ka = (qint64(sa.worker) << 32) | sa.manager;
            QVERIFY(++usedA[ka] <= pool.warm(sa.worker, sa.manager, a));
            if (i < 7) {
                const NetworkPool::Slot sb = pool.acquire(b);
                const qint64 kb = (qint64(sb.worker) << 32) | sb.manager;
                QVERIFY(++usedB[kb] <= pool.warm(sb.worker, sb.manager, b));
            }
        }
        // Beyond the plan, the usual rule: a manager with room, at most six per host.
        const NetworkPool::Slot extra = pool.acquire(b);
        QVERIFY(pool.active(extra.worker, extra.manager, b) <= NetworkPool::kMaxPerHostPerManager);
        pool.clearWarm();
        QCOMPARE(pool.warm(planA.first().first.worker, planA.first().first.manager, a), 0);
    }

    void sixtyFourStreamsToOneHostNeverShareBeyondSix()
    {
        NetworkPool pool(2);
        const QString host = u"https://api.example.com:443"_qs;
        QList<NetworkPool::Slot> taken;
        for (int i = 0; i < 64; ++i)
            taken.append(pool.acquire(host));
        QCOMPARE(pool.managerCount(), 11); // ceil(64 / 6)
        QCOMPARE(pool.activeTotal(), 64);
        QHash<qint64, int> perManager;
        QSet<int> threads;
        for (const auto &s : std::as_const(taken)) {
            QVERIFY(s.valid());
            ++perManager[(qint64(s.worker) << 32) | s.manager];
            threads.insert(s.worker);
        }
        for (int count : std::as_const(perManager))
            QVERIFY(count <= NetworkPool::kMaxPerHostPerManager);
        QCOMPARE(threads.size(), 2); // spread over both network threads
        for (const auto &s : std::as_const(taken))
            QVERIFY(pool.active(s.worker, s.manager, host) <= NetworkPool::kMaxPerHostPerManager);

        // A freed place is reused before any new manager is made.
        pool.release(taken.takeFirst());
        const NetworkPool::Slot again = pool.acquire(host);
        QCOMPARE(pool.managerCount(), 11);
        QCOMPARE(pool.active(again.worker, again.manager, host), NetworkPool::kMaxPerHostPerManager);
        taken.append(again);
        for (const auto &s : std::as_const(taken))
            pool.release(s);
        QCOMPARE(pool.activeTotal(), 0);
    }

    void otherHostsReuseManagers()
    {
        NetworkPool pool(1);
        const QString a = u"https://a.example:443"_qs;
        const QString b = u"https://b.example:443"_qs;
        for (int i = 0; i < 6; ++i)
            pool.acquire(a);
        QCOMPARE(pool.managerCount(), 1);
        // Qt's limit is per host: the full manager still has room for another host.
        const NetworkPool::Slot s = pool.acquire(b);
        QCOMPARE(pool.managerCount(), 1);
        QCOMPARE(s.manager, 0);
        pool.acquire(a);
        QCOMPARE(pool.managerCount(), 2);
    }

    void releaseIsIdempotentForUnknownSlots()
    {
        NetworkPool pool(1);
        pool.release({});
        pool.release(NetworkPool::Slot{0, 3, u"x"_qs});
        QCOMPARE(pool.activeTotal(), 0);
    }

    void workersRunInTheirOwnThreads()
    {
        FakeProvider server;
        QVERIFY(server.listen());
        server.enqueue(FakeResponse::lines({"D:ok", "END"}));
        NetworkPool pool(2);
        NetworkWorker *worker = pool.worker(1);
        QVERIFY(worker->thread() != QThread::currentThread());
        std::optional<AttemptReport> report;
        QThread *emittedFrom = nullptr;
        connect(worker, &NetworkWorker::attemptFinished, this, [&](quint64 id, const AttemptReport &r) {
            QCOMPARE(id, quint64(7));
            report = r;
            emittedFrom = QThread::currentThread();
        });
        PreparedRequest request;
        request.url = QUrl(server.baseUrl() + u"/v1/chat/completions");
        request.body = "{}";
        request.headers = {{"content-type", "application/json"}};
        StreamHandler::Options options;
        options.decoderFactory = &TestLineDecoder::make;
        QMetaObject::invokeMethod(worker, [worker, request, options] { worker->startAttempt(7, 2, request, options); });
        QTRY_VERIFY_WITH_TIMEOUT(report.has_value(), 5000);
        QCOMPARE(report->record.failure, FailureKind::None);
        QCOMPARE(report->result.text, u"ok"_qs);
        QCOMPARE(emittedFrom, QThread::currentThread()); // queued back to us
        int managers = 0;
        QMetaObject::invokeMethod(
            worker, [&managers, worker] { managers = worker->managerCount(); }, Qt::BlockingQueuedConnection);
        QCOMPARE(managers, 3); // made lazily up to the index asked for
        QTRY_COMPARE(StreamHandler::liveReplies(), 0);
    }

    void shutdownWithStreamsInFlight()
    {
        FakeProvider server;
        QVERIFY(server.listen());
        FakeResponse stall = FakeResponse::lines({"D:x"});
        stall.end = FakeResponse::End::Stall;
        server.enqueue(stall);
        {
            NetworkPool pool(2);
            for (int i = 0; i < 2; ++i) {
                NetworkWorker *worker = pool.worker(i);
                PreparedRequest request;
                request.url = QUrl(server.baseUrl() + u"/v1/chat/completions");
                request.headers = {{"content-type", "application/json"}};
                StreamHandler::Options options;
                options.decoderFactory = &TestLineDecoder::make;
                QMetaObject::invokeMethod(
                    worker, [worker, request, options, i] { worker->startAttempt(quint64(i), 0, request, options); });
            }
            QTRY_COMPARE_WITH_TIMEOUT(server.openRequests(), 2, 5000);
        } // the pool's destructor drops both streams in their threads and stops the threads
        QCOMPARE(StreamHandler::liveReplies(), 0);
        QTRY_COMPARE(server.openConnections(), 0);
    }
};

QTEST_GUILESS_MAIN(tst_NetworkPool)
#include "tst_networkpool.moc"
