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
