// RunScheduler: cancel, batching, dispatch order, one provider at a time, the global cap,
// requests/tokens per minute, launch pacing and the providers' own rate-limit headers.
#include "FakeProvider.h"
#include "SchedulerTestKit.h"

#include "engine/NetworkPool.h"
#include "engine/RunScheduler.h"
#include "engine/StreamHandler.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QSet>
#include <QTest>

using namespace Slopscope;
using namespace Slopscope::Test;

class tst_SchedulerLimits : public QObject
{
    Q_OBJECT

    FakeProvider *m_server = nullptr;

private slots:
    void init()
    {
        m_server = new FakeProvider(this);
        QVERIFY(m_server->listen());
    }
    void cleanup()
    {
        delete m_server;
        QTRY_COMPARE(StreamHandler::liveReplies(), 0);
    }

    void enqueueFromAFinishedSlotJoinsTheRunningRun()
    {
        m_server->setScript([](const RecordedRequest &, int) { return okResponse("answer"); });
        RunScheduler s(schedulerDependencies());
        s.setProviders({providerAt(u"p"_qs, m_server->baseUrl(), 2)});
        const auto list = jobs(3, u"p"_qs);
        Collector c;
        c.attach(s, this, list);
        QStringList rejected;
        int added = 0;
        // As a run adds its judge calls: from the slot that reports the answer they grade.
        connect(&s, &RunScheduler::jobFinished, this, [&](const JobResult &r) {
            if (r.jobId.startsWith(u"judge|"))
                return;
            const QString id = u"judge|"_qs + r.jobId;
            c.providerOf.insert(id, u"p"_qs);
            QVERIFY(s.enqueue({job(id, u"p"_qs)}).ok());
            ++added;
            // An id used in this run, or an unknown provider, adds nothing.
            if (!s.enqueue({job(id, u"p"_qs)}).ok())
                rejected.append(u"duplicate"_qs);
            if (!s.enqueue({job(u"x|"_qs + r.jobId, u"nowhere"_qs)}).ok())
                rejected.append(u"provider"_qs);
        });
        QVERIFY(s.start(list));
        QTRY_VERIFY_WITH_TIMEOUT(c.finished, 9000);
        // runFinished waited for the added jobs, and each ran exactly once.
        QCOMPARE(added, 3);
        QCOMPARE(c.results.size(), 6);
        for (const auto &r : std::as_const(c.results)) {
            QCOMPARE(r.state, JobState::Completed);
            QCOMPARE(r.result.text, u"answer"_qs);
        }
        QCOMPARE(rejected.count(u"duplicate"_qs), 3);
        QCOMPARE(rejected.count(u"provider"_qs), 3);
        QCOMPARE(m_server->requestCount(), 6);
        // No run is going: nothing to add to.
        QVERIFY(!s.enqueue({job(u"late"_qs, u"p"_qs)}).ok());
    }

    void enqueueAfterCancelAllIsRefused()
    {
        m_server->setScript([](const RecordedRequest &, int) {
            FakeResponse r = FakeResponse::lines({"D:slow"}, 20);
            r.end = FakeResponse::End::Stall;
            return r;
        });
        RunScheduler s(schedulerDependencies());
        s.setProviders({providerAt(u"p"_qs, m_server->baseUrl(), 2)});
        const auto list = jobs(2, u"p"_qs);
        Collector c;
        c.attach(s, this, list);
        QVERIFY(s.start(list));
        QTRY_COMPARE_WITH_TIMEOUT(c.streamed.size(), 2, 9000);
        s.cancelAll();
        QVERIFY(!s.enqueue({job(u"after"_qs, u"p"_qs)}).ok());
        QTRY_VERIFY_WITH_TIMEOUT(c.finished, 5000);
        QCOMPARE(c.results.size(), 2);
    }

    void cancelAllKeepsPartialTextAndLeaksNothing()
    {
        m_server->setScript([](const RecordedRequest &, int) {
            QList<QByteArray> lines{"D:partial"};
            for (int i = 0; i < 400; ++i)
                lines.append(":");
            FakeResponse r = FakeResponse::lines(lines, 20);
            r.end = FakeResponse::End::Stall;
            return r;
        });
        RunScheduler s(schedulerDependencies());
        s.setProviders({providerAt(u"p"_qs, m_server->baseUrl(), 64)});
        const auto list = jobs(80, u"p"_qs); // 64 streaming, 16 waiting in our own queue
        Collector c;
        c.attach(s, this, list);
        QVERIFY(s.start(list));
        QTRY_COMPARE_WITH_TIMEOUT(c.streamed.size(), 64, 9000);
        QCOMPARE(m_server->openRequests(), 64);
        s.cancelAll();
        QTRY_VERIFY_WITH_TIMEOUT(c.finished, 5000);
        QCOMPARE(c.results.size(), 80);
        int withPartial = 0;
        for (const auto &r : std::as_const(c.results)) {
            QCOMPARE(r.state, JobState::Cancelled);
            QCOMPARE(r.failure, FailureKind::Cancelled);
            QVERIFY(r.error.isEmpty());
            if (r.attempts() == 1) {
                QCOMPARE(r.result.text, u"partial"_qs);
                ++withPartial;
            } else {
                QCOMPARE(r.attempts(), 0);
            }
        }
        QCOMPARE(withPartial, 64);
        QTRY_COMPARE(StreamHandler::liveReplies(), 0);
        QTRY_COMPARE(m_server->openConnections(), 0);
        QCOMPARE(s.pool()->activeTotal(), 0);
        QVERIFY(!s.isRunning());
    }

    // A held dispatch sends nothing new (first sends or retries); what is in flight finishes; release
    // sends the rest.
    void heldDispatchSendsNothingNewUntilReleased()
    {
        m_server->setScript([](const RecordedRequest &, int) { return FakeResponse::lines({"D:ok", "END"}, 100); });
        RunScheduler s(schedulerDependencies());
        s.setProviders({providerAt(u"p"_qs, m_server->baseUrl(), 2)});
        const auto list = jobs(6, u"p"_qs);
        Collector c;
        c.attach(s, this, list);
        QVERIFY(s.start(list));
        QTRY_COMPARE_WITH_TIMEOUT(m_server->openRequests(), 2, 5000);
        s.setDispatchHeld(true);
        QVERIFY(s.isDispatchHeld());
        QTRY_COMPARE_WITH_TIMEOUT(c.results.size(), 2, 5000); // the two in flight finish
        QTest::qWait(400);
        QCOMPARE(m_server->requestCount(), 2);
        QCOMPARE(s.inFlight(), 0);
        QVERIFY(s.isRunning());
        QVERIFY(!c.finished);
        s.setDispatchHeld(false);
        QTRY_VERIFY_WITH_TIMEOUT(c.finished, 5000);
        QCOMPARE(m_server->requestCount(), 6);
        for (const auto &r : std::as_const(c.results))
            QCOMPARE(r.state, JobState::Completed);
    }

    void cancelOne()
    {
        m_server->setScript([](const RecordedRequest &req, int) {
            if (req.body.contains("stall")) {
                FakeResponse r = FakeResponse::lines({"D:some"});
                r.end = FakeResponse::End::Stall;
                return r;
            }
            return okResponse();
        });
        RunScheduler s(schedulerDependencies());
        s.setProviders({providerAt(u"p"_qs, m_server->baseUrl())});
        ChatRequest stall = job(u"stall"_qs, u"p"_qs, u"a"_qs);
        stall.messages = {{u"user"_qs, u"stall"_qs}};
        const QList<ChatRequest> list{stall, job(u"fine"_qs, u"p"_qs, u"b"_qs)};
        Collector c;
        c.attach(s, this, list);
        QVERIFY(s.start(list));
        QTRY_VERIFY_WITH_TIMEOUT(c.streamed.contains(u"stall"_qs) && c.results.contains(u"fine"_qs), 5000);
        QVERIFY(!c.finished);
        s.cancel(u"stall"_qs);
        QTRY_VERIFY_WITH_TIMEOUT(c.finished, 5000);
        QCOMPARE(c.results.value(u"stall"_qs).state, JobState::Cancelled);
        QCOMPARE(c.results.value(u"stall"_qs).result.text, u"some"_qs);
        QCOMPARE(c.results.value(u"fine"_qs).state, JobState::Completed);
    }

    void contentArrivesBatchedAndComplete()
    {
        QList<QByteArray> lines;
        for (int i = 0; i < 200; ++i)
            lines.append("D:" + QByteArray::number(i % 10));
        lines.append("END");
        m_server->enqueue(FakeResponse::lines(lines));
        RunScheduler s(schedulerDependencies());
        s.setProviders({providerAt(u"p"_qs, m_server->baseUrl())});
        const QList<ChatRequest> list{job(u"j"_qs, u"p"_qs)};
        Collector c;
        c.attach(s, this, list);
        RunOptions o;
        o.batchIntervalMs = 30;
        QVERIFY(s.start(list, o));
        QTRY_VERIFY_WITH_TIMEOUT(c.finished, 5000);
        const JobResult r = c.results.value(u"j"_qs);
        QCOMPARE(r.timeline.attempts[0].deltas.size(), 200);
        QCOMPARE(c.streamed.value(u"j"_qs), r.result.text);
        QVERIFY(c.batches.value(u"j"_qs) < 200);
    }

    void dispatchOrderIsSeededAndInterleaved()
    {
        QList<ChatRequest> list;
        const QStringList providers{u"a"_qs, u"b"_qs, u"c"_qs, u"d"_qs};
        for (int c = 0; c < 5; ++c)
            for (int rep = 0; rep < 2; ++rep)
                for (const auto &p : providers)
                    list.append(job(QStringLiteral("%1-%2-%3").arg(p).arg(c).arg(rep), p,
                                    QStringLiteral("case%1").arg(c), rep));
        const QList<int> o1 = RunScheduler::dispatchOrder(list, 42, false);
        QCOMPARE(RunScheduler::dispatchOrder(list, 42, false), o1);
        // A permutation; (case, repeat) groups stay contiguous and in input order.
        QList<int> sorted = o1;
        std::sort(sorted.begin(), sorted.end());
        for (int i = 0; i < sorted.size(); ++i)
            QCOMPARE(sorted[i], i);
        for (int g = 0; g < 10; ++g) {
            QSet<QString> seen;
            for (int k = 0; k < 4; ++k) {
                const ChatRequest &j = list[o1[g * 4 + k]];
                QCOMPARE(j.caseId, QStringLiteral("case%1").arg(g / 2));
                QCOMPARE(j.repeat, g % 2);
                seen.insert(j.providerId);
            }
            QCOMPARE(seen.size(), 4);
        }
        // No provider is always first: over the groups, more than one provider leads.
        QSet<QString> leaders;
        for (int g = 0; g < 10; ++g)
            leaders.insert(list[o1[g * 4]].providerId);
        QVERIFY(leaders.size() > 1);
        bool differs = false;
        for (quint64 seed = 1; seed < 6 && !differs; ++seed)
            differs = RunScheduler::dispatchOrder(list, seed, false) != o1;
        QVERIFY(differs);

        const QList<int> one = RunScheduler::dispatchOrder(list, 42, true);
        QCOMPARE(one.size(), list.size());
        QStringList blocks;
        for (int i : one) {
            if (blocks.isEmpty() || blocks.last() != list[i].providerId)
                blocks.append(list[i].providerId);
        }
        QCOMPARE(blocks.size(), 4); // each provider's jobs back to back
        QCOMPARE(RunScheduler::dispatchOrder(list, 42, true), one);
    }

    void oneProviderAtATime()
    {
        FakeProvider other;
        QVERIFY(other.listen());
        const FakeResponse slow = FakeResponse::lines({"D:a", "D:b", "END"}, 10);
        m_server->enqueue(slow);
        other.enqueue(slow);
        RunScheduler s(schedulerDependencies());
        s.setProviders({providerAt(u"p"_qs, m_server->baseUrl(), 3), providerAt(u"q"_qs, other.baseUrl(), 3)});
        QList<ChatRequest> list = jobs(3, u"p"_qs);
        list.append(jobs(3, u"q"_qs));
        Collector c;
        c.attach(s, this, list);
        RunOptions o;
        o.oneProviderAtATime = true;
        o.seed = 7;
        QVERIFY(s.start(list, o));
        QTRY_VERIFY_WITH_TIMEOUT(c.finished, 5000);
        QCOMPARE(c.results.size(), 6);
        QCOMPARE(c.maxRunningProviders, 1);
        QCOMPARE(m_server->maxOpenRequests(), 3); // within a provider, its own concurrency
        QCOMPARE(other.maxOpenRequests(), 3);
    }

    void globalCapAndRequestsPerMinute()
    {
        m_server->enqueue(okResponse());
        RunScheduler s(schedulerDependencies());
        s.setProviders({providerAt(u"p"_qs, m_server->baseUrl(), 8)});
        s.setProviderLimits(u"p"_qs, ProviderLimits{8, 2, 0});
        const auto list = jobs(3, u"p"_qs);
        Collector c;
        c.attach(s, this, list);
        RunOptions o;
        o.rateWindowMs = 300;
        o.globalConcurrency = 1;
        QElapsedTimer elapsed;
        elapsed.start();
        QVector<qint64> startedAt;
        connect(&s, &RunScheduler::jobStarted, this, [&] { startedAt.append(elapsed.elapsed()); });
        QVERIFY(s.start(list, o));
        QTRY_VERIFY_WITH_TIMEOUT(c.finished, 5000);
        QCOMPARE(startedAt.size(), 3);
        QCOMPARE(m_server->maxOpenRequests(), 1);
        // The third request waited for the first to leave the 300 ms window.
        QVERIFY2(startedAt[2] - startedAt[0] >= 300, qPrintable(QString::number(startedAt[2] - startedAt[0])));
    }

    // Requests leave at most one per RunOptions::launchSpacingUs, so a wave does not have every
    // network thread busy at once (issue #4's timing); 0 sends the whole wave at once.
    void launchesArePaced_data()
    {
        QTest::addColumn<int>("spacingUs");
        QTest::newRow("200 ms apart") << 200'000;
        QTest::newRow("not paced") << 0;
    }
    void launchesArePaced()
    {
        QFETCH(int, spacingUs);
        m_server->setScript([](const RecordedRequest &, int) { return okResponse(); });
        RunScheduler s(schedulerDependencies());
        s.setProviders({providerAt(u"p"_qs, m_server->baseUrl(), 8)});
        const auto list = jobs(4, u"p"_qs);
        Collector c;
        c.attach(s, this, list);
        RunOptions o;
        o.preconnect = false; // so start() dispatches at once
        o.launchSpacingUs = spacingUs;
        QElapsedTimer elapsed;
        elapsed.start();
        QList<qint64> startedMs;
        connect(&s, &RunScheduler::jobStarted, this, [&] { startedMs.append(elapsed.elapsed()); });
        QVERIFY(s.start(list, o));
        if (spacingUs == 0) {
            QCOMPARE(startedMs.size(), 4); // all in the same pump
            QTRY_VERIFY_WITH_TIMEOUT(c.finished, 5000);
            return;
        }
        QCOMPARE(startedMs.size(), 1);
        QTest::qWait(50);
        if (elapsed.elapsed() < 190) // a loaded machine may have slept past the spacing
            QCOMPARE(startedMs.size(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(c.finished, 10'000);
        QCOMPARE(startedMs.size(), 4);
        QCOMPARE(m_server->requestCount(), 4);
        // The stamps come just after each launch, so a gap may look shorter by the time one
        // launch takes; 200 ms less 50 ms leaves room for that on a loaded machine.
        for (int i = 1; i < startedMs.size(); ++i)
            QVERIFY2(startedMs[i] - startedMs[i - 1] >= 150,
                     qPrintable(QString::number(startedMs[i] - startedMs[i - 1])));
        for (const auto &r : std::as_const(c.results))
            QCOMPARE(r.state, JobState::Completed);
    }

    void tokensPerMinute()
    {
        m_server->enqueue(okResponse());
        RunScheduler s(schedulerDependencies());
        s.setProviders({providerAt(u"p"_qs, m_server->baseUrl(), 8)});
        // Each job is estimated at 2 + 100 tokens: two do not fit one window.
        s.setProviderLimits(u"p"_qs, ProviderLimits{8, 0, 150});
        QList<ChatRequest> list = jobs(2, u"p"_qs);
        for (auto &j : list)
            j.params.maxTokens = 100;
        Collector c;
        c.attach(s, this, list);
        RunOptions o;
        o.rateWindowMs = 200;
        QElapsedTimer elapsed;
        elapsed.start();
        QVector<qint64> startedAt;
        connect(&s, &RunScheduler::jobStarted, this, [&] { startedAt.append(elapsed.elapsed()); });
        QVERIFY(s.start(list, o));
        QTRY_VERIFY_WITH_TIMEOUT(c.finished, 5000);
        QCOMPARE(startedAt.size(), 2);
        QVERIFY(startedAt[1] - startedAt[0] >= 200);
    }

    void startValidates()
    {
        RunScheduler s(schedulerDependencies());
        s.setProviders({providerAt(u"p"_qs, m_server->baseUrl())});
        QVERIFY(!s.start({job(u"j"_qs, u"nope"_qs)}));
        QVERIFY(!s.start({job(u"j"_qs, u"p"_qs), job(u"j"_qs, u"p"_qs)}));
        Collector c;
        c.attach(s, this, {});
        QVERIFY(s.start({}));
        QTRY_VERIFY(c.finished);

        FakeResponse stall = FakeResponse::lines({"D:x"});
        stall.end = FakeResponse::End::Stall;
        m_server->enqueue(stall);
        QVERIFY(s.start({job(u"j"_qs, u"p"_qs)}));
        QVERIFY(!s.start({job(u"k"_qs, u"p"_qs)}));
        s.cancelAll();
        QTRY_VERIFY(!s.isRunning());
    }

    void destroyedMidRun()
    {
        FakeResponse stall = FakeResponse::lines({"D:x"});
        stall.end = FakeResponse::End::Stall;
        m_server->enqueue(stall);
        {
            RunScheduler s(schedulerDependencies());
            s.setProviders({providerAt(u"p"_qs, m_server->baseUrl(), 8)});
            QVERIFY(s.start(jobs(8, u"p"_qs)));
            QTRY_COMPARE_WITH_TIMEOUT(m_server->openRequests(), 8, 5000);
        }
        QCOMPARE(StreamHandler::liveReplies(), 0);
        QTRY_COMPARE(m_server->openConnections(), 0);
    }

    // The provider's own budget: remaining 0 holds the provider until the reset it names, even
    // though our own limits would allow the next request at once.
    void openAIRateLimitHeadersPauseUntilReset()
    {
        FakeResponse used = okResponse();
        used.headers.append(qMakePair(QByteArray("x-ratelimit-limit-requests"), QByteArray("3")));
        used.headers.append(qMakePair(QByteArray("x-ratelimit-remaining-requests"), QByteArray("0")));
        used.headers.append(qMakePair(QByteArray("x-ratelimit-reset-requests"), QByteArray("300ms")));
        used.headers.append(qMakePair(QByteArray("x-ratelimit-remaining-tokens"), QByteArray("9000")));
        used.headers.append(
            qMakePair(QByteArray("x-ratelimit-reset-tokens"), QByteArray("6m0s"))); // not used up: no wait
        m_server->enqueue(used);
        FakeResponse fresh = okResponse();
        fresh.headers.append(qMakePair(QByteArray("x-ratelimit-remaining-requests"), QByteArray("2")));
        fresh.headers.append(qMakePair(QByteArray("x-ratelimit-reset-requests"), QByteArray("1s")));
        m_server->enqueue(fresh);
        RunScheduler s(schedulerDependencies());
        s.setProviders({providerAt(u"p"_qs, m_server->baseUrl(), 1)});
        const auto list = jobs(3, u"p"_qs);
        Collector c;
        c.attach(s, this, list);
        QElapsedTimer elapsed;
        elapsed.start();
        QVector<qint64> startedAt;
        connect(&s, &RunScheduler::jobStarted, this, [&] { startedAt.append(elapsed.elapsed()); });
        QVERIFY(s.start(list));
        QTRY_VERIFY_WITH_TIMEOUT(c.finished, 5000);
        QCOMPARE(c.results.size(), 3);
        for (const auto &r : std::as_const(c.results))
            QCOMPARE(r.state, JobState::Completed);
        QCOMPARE(startedAt.size(), 3);
        // The second request waited out the reset after the first one's headers arrived.
        QVERIFY2(startedAt[1] - startedAt[0] >= 300, qPrintable(QString::number(startedAt[1] - startedAt[0])));
        QVERIFY(!c.statuses.isEmpty());
        QCOMPARE(c.statuses.first().state, ProviderStatus::State::RateLimited);
        QCOMPARE(c.statuses.first().resumeInMs, 300);
        QCOMPARE(c.statuses.first().message, u"rate limit used up (provider headers), resuming in 300 ms"_qs);
        QCOMPARE(c.statuses.first().reason, u"rate limit used up (provider headers)"_qs);
        QCOMPARE(c.statuses.last().state, ProviderStatus::State::Active);
    }

    void anthropicRateLimitHeadersPauseUntilReset()
    {
        // Anthropic names the reset as a wall-clock time; the scheduler's wall clock is injected.
        const QDateTime now = QDateTime::currentDateTimeUtc();
        FakeResponse used = okResponse();
        used.headers.append(qMakePair(QByteArray("anthropic-ratelimit-requests-limit"), QByteArray("50")));
        used.headers.append(qMakePair(QByteArray("anthropic-ratelimit-requests-remaining"), QByteArray("7")));
        used.headers.append(
            qMakePair(QByteArray("anthropic-ratelimit-requests-reset"), QByteArray("2099-01-01T00:00:00Z")));
        used.headers.append(qMakePair(QByteArray("anthropic-ratelimit-output-tokens-remaining"), QByteArray("0")));
        used.headers.append(
            {"anthropic-ratelimit-output-tokens-reset", now.addMSecs(400).toString(Qt::ISODateWithMs).toLatin1()});
        m_server->enqueue(used);
        m_server->enqueue(okResponse());
        RunScheduler::Dependencies d = schedulerDependencies();
        d.wallClock = [now] { return now; };
        RunScheduler s(d);
        ProviderConfig p = providerAt(u"a"_qs, m_server->baseUrl(), 1);
        p.dialect = Dialect::Anthropic;
        s.setProviders({p});
        const auto list = jobs(2, u"a"_qs);
        Collector c;
        c.attach(s, this, list);
        QElapsedTimer elapsed;
        elapsed.start();
        QVector<qint64> startedAt;
        connect(&s, &RunScheduler::jobStarted, this, [&] { startedAt.append(elapsed.elapsed()); });
        QVERIFY(s.start(list));
        QTRY_VERIFY_WITH_TIMEOUT(c.finished, 5000);
        QCOMPARE(startedAt.size(), 2);
        QVERIFY2(startedAt[1] - startedAt[0] >= 400, qPrintable(QString::number(startedAt[1] - startedAt[0])));
        QVERIFY(!c.statuses.isEmpty());
        QCOMPARE(c.statuses.first().state, ProviderStatus::State::RateLimited);
        QCOMPARE(c.statuses.first().resumeInMs, 400);
        QCOMPARE(c.statuses.first().message, u"rate limit used up (provider headers), resuming in 400 ms"_qs);
    }

    void unusableRateLimitHeadersAreIgnored()
    {
        FakeResponse odd = okResponse();
        odd.headers.append(qMakePair(QByteArray("x-ratelimit-remaining-requests"), QByteArray("0")));
        odd.headers.append(
            qMakePair(QByteArray("x-ratelimit-reset-requests"), QByteArray("soon"))); // no usable reset: no pause
        odd.headers.append(qMakePair(QByteArray("x-ratelimit-remaining-tokens"), QByteArray("-3")));
        odd.headers.append(qMakePair(QByteArray("x-ratelimit-reset-tokens"), QByteArray("1h")));
        odd.headers.append(qMakePair(QByteArray("anthropic-ratelimit-requests-remaining"), QByteArray("none")));
        odd.headers.append(qMakePair(QByteArray("anthropic-ratelimit-requests-reset"), QByteArray("yesterday")));
        m_server->enqueue(odd);
        RunScheduler s(schedulerDependencies());
        s.setProviders({providerAt(u"p"_qs, m_server->baseUrl(), 1)});
        const auto list = jobs(3, u"p"_qs);
        Collector c;
        c.attach(s, this, list);
        QVERIFY(s.start(list));
        QTRY_VERIFY_WITH_TIMEOUT(c.finished, 5000);
        QCOMPARE(c.results.size(), 3);
        for (const auto &r : std::as_const(c.results))
            QCOMPARE(r.state, JobState::Completed);
        QVERIFY(c.statuses.isEmpty()); // never paused
        QCOMPARE(m_server->requestCount(), 3);
    }
};

QTEST_GUILESS_MAIN(tst_SchedulerLimits)
#include "tst_schedulerlimits.moc"
