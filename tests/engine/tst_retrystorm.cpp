// RELIABILITY.md F-1, the 429 storm: one provider answers every request with 429 and a short
// Retry-After for a while, then recovers, while another stays healthy. The storm must not become
// a retry storm (the retry budget holds the provider), the healthy provider must not wait for the
// sick one, and once the storm is over every cell completes.
#include "FakeProvider.h"
#include "SchedulerTestKit.h"

#include "engine/RunScheduler.h"
#include "engine/StreamHandler.h"

#include <QElapsedTimer>
#include <QTest>

#include <algorithm>

using namespace Slopscope;
using namespace Slopscope::Test;

class tst_RetryStorm : public QObject
{
    Q_OBJECT

private slots:
    void cleanup() { QTRY_COMPARE(StreamHandler::liveReplies(), 0); }

    void stormIsAbsorbedAndTheHealthyProviderGoesOn()
    {
        constexpr int kCells = 16;
        constexpr int kStormMs = 800;
        constexpr qint64 kWindowMs = 2000;
        constexpr int kFloor = 4;
        FakeProvider sick;
        FakeProvider healthy;
        QVERIFY(sick.listen());
        QVERIFY(healthy.listen());
        QElapsedTimer storm; // starts with the first request the sick provider sees
        sick.setScript([&storm](const RecordedRequest &, int) {
            if (!storm.isValid())
                storm.start();
            if (storm.elapsed() < kStormMs)
                return FakeResponse::error(429, R"({"error":{"code":"rate_limit_exceeded","message":"storm"}})",
                                           {{"retry-after-ms", "60"}});
            return okResponse("after the storm");
        });
        healthy.setScript([](const RecordedRequest &, int) { return okResponse("steady"); });

        RunScheduler s(schedulerDependencies(0.5)); // server delays get +10 %: 66 ms
        ProviderConfig a = providerAt(u"sick"_qs, sick.baseUrl(), 4);
        a.maxRetries = 3;
        s.setProviders({a, providerAt(u"healthy"_qs, healthy.baseUrl(), 4)});
        QList<ChatRequest> list;
        for (int i = 0; i < kCells; ++i) {
            list.append(job(QStringLiteral("s%1").arg(i), u"sick"_qs, QStringLiteral("c%1").arg(i)));
            list.append(job(QStringLiteral("h%1").arg(i), u"healthy"_qs, QStringLiteral("c%1").arg(i)));
        }
        Collector c;
        c.attach(s, this, list);
        QElapsedTimer clock;
        QList<qint64> retriesSentAt;   // the sick provider's attempts after the first
        qint64 healthyDoneAt = 0;      // when the last healthy cell finished
        qint64 firstRecoveryAt = -1;   // when the first sick cell completed
        connect(&s, &RunScheduler::jobStarted, this, [&](const QString &id, int attempt) {
            if (id.startsWith(u's') && attempt > 0)
                retriesSentAt.append(clock.elapsed());
        });
        connect(&s, &RunScheduler::jobFinished, this, [&](const JobResult &r) {
            if (r.providerId == u"healthy")
                healthyDoneAt = std::max(healthyDoneAt, clock.elapsed());
            else if (r.state == JobState::Completed && firstRecoveryAt < 0)
                firstRecoveryAt = clock.elapsed();
        });
        RunOptions o;
        o.rateWindowMs = kWindowMs;
        o.retryBudgetFloor = kFloor;
        o.retryBudgetRatio = 0.1;
        clock.start();
        QVERIFY(s.start(list, o));
        QTRY_VERIFY_WITH_TIMEOUT(c.finished, 20000);

        // Every cell completes once the storm is over; the healthy ones at the first attempt.
        for (const JobResult &r : std::as_const(c.results)) {
            QVERIFY2(r.state == JobState::Completed, qPrintable(r.jobId + u": "_qs + r.error));
            if (r.providerId == u"healthy")
                QCOMPARE(r.attempts(), 1);
            else
                QVERIFY(r.attempts() <= 1 + a.maxRetries);
        }
        QCOMPARE(healthy.requestCount(), kCells);
        QVERIFY(sick.requestCount() <= (1 + a.maxRetries) * kCells);
        // The healthy provider did not wait for the sick one.
        QVERIFY2(healthyDoneAt < firstRecoveryAt,
                 qPrintable(QStringLiteral("%1 ms vs %2 ms").arg(healthyDoneAt).arg(firstRecoveryAt)));
        // No retry storm: in the first window, the budget (plus what was already in flight when it
        // ran out) instead of a wave of four every 66 ms for the whole storm.
        const auto inFirstWindow = std::count_if(retriesSentAt.begin(), retriesSentAt.end(),
                                                 [&](qint64 t) { return t < retriesSentAt.value(0) + kWindowMs; });
        QVERIFY2(inFirstWindow <= kFloor + a.maxConcurrency,
                 qPrintable(QStringLiteral("%1 retries in the first window").arg(inFirstWindow)));
        // And the user is told why the provider waits.
        QVERIFY(std::any_of(c.statuses.begin(), c.statuses.end(), [](const ProviderStatus &st) {
            return st.providerId == u"sick" && st.message.startsWith(u"too many failures: "_qs);
        }));
        QVERIFY(std::none_of(c.statuses.begin(), c.statuses.end(),
                             [](const ProviderStatus &st) { return st.providerId == u"healthy"; }));
    }
};

QTEST_GUILESS_MAIN(tst_RetryStorm)
#include "tst_retrystorm.moc"
