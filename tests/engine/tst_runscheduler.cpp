// RunScheduler: concurrency, retries, errors that stop a provider, what never leaves the machine.
// Limits, ordering, cancel and batching: tst_schedulerlimits.cpp.
#include "FakeProvider.h"
#include "SchedulerTestKit.h"

#include "engine/NetworkPool.h"
#include "engine/RunScheduler.h"
#include "engine/SecretSource.h"
#include "engine/StreamHandler.h"

#include <QTcpServer>
#include <QTest>

#include <algorithm>

using namespace Slopscope;
using namespace Slopscope::Test;

class tst_RunScheduler : public QObject
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

    void sixtyFourConcurrentStreamsReallyInFlight()
    {
        m_server->setScript([](const RecordedRequest &, int) {
            FakeResponse r = okResponse();
            r.holdUntilOpen = 64; // nobody is answered until all 64 are open at once
            r.holdTimeoutMs = 3000;
            return r;
        });
        RunScheduler s(schedulerDependencies());
        s.setProviders({providerAt(u"p"_qs, m_server->baseUrl(), 64)});
        const auto list = jobs(64, u"p"_qs);
        Collector c;
        c.attach(s, this, list);
        QVERIFY(s.start(list));
        QTRY_VERIFY_WITH_TIMEOUT(c.finished, 9000);
        QCOMPARE(m_server->maxOpenRequests(), 64);
        QCOMPARE(c.results.size(), 64);
        for (const auto &r : std::as_const(c.results)) {
            QCOMPARE(r.state, JobState::Completed);
            QCOMPARE(r.attempts(), 1);
        }
        QCOMPARE(s.pool()->managerCount(), 11);
        QCOMPARE(s.pool()->activeTotal(), 0);
    }

    void retryAfterMsThenSuccess()
    {
        m_server->enqueue(FakeResponse::error(429, R"({"error":{"code":"rate_limit_exceeded","message":"slow"}})",
                                              {{"retry-after-ms", "30"}}));
        m_server->enqueue(okResponse("fine"));
        Collector c;
        QVERIFY(runOneJob(providerAt(u"p"_qs, m_server->baseUrl()), c, this));
        const JobResult r = c.results.value(u"j"_qs);
        QCOMPARE(r.state, JobState::Completed);
        QCOMPARE(r.result.text, u"fine"_qs);
        QCOMPARE(r.attempts(), 2);
        QCOMPARE(r.timeline.attempts[0].httpStatus, 429);
        QCOMPARE(r.timeline.attempts[0].failure, FailureKind::HttpStatus);
        QCOMPARE(r.timeline.attempts[0].waitBeforeMs, 0);
        QCOMPARE(r.timeline.attempts[1].waitBeforeMs, 30);
        QCOMPARE(r.timeline.attempts[1].index, 1);
        QCOMPARE(m_server->requestCount(), 2);
        QCOMPARE(c.started, QStringList({u"j"_qs, u"j"_qs}));
        QVERIFY(!c.statuses.isEmpty());
        QCOMPARE(c.statuses.first().state, ProviderStatus::State::RateLimited);
        QCOMPARE(c.statuses.first().message, u"rate-limited, resuming in 30 ms"_qs);
        QCOMPARE(c.statuses.first().reason, u"rate-limited"_qs); // the countdown left to the UI
        QCOMPARE(c.statuses.last().state, ProviderStatus::State::Active);
        QVERIFY(r.timeline.queuedNs && *r.timeline.queuedNs <= *r.timeline.attempts[0].startedNs);
        QVERIFY(r.timeline.endNs);
    }

    void backoffIsExact()
    {
        m_server->enqueue(FakeResponse::error(503, "busy"));
        m_server->enqueue(FakeResponse::error(502, "bad gateway"));
        m_server->enqueue(okResponse());
        RunScheduler s(schedulerDependencies(0.4)); // jitter factor 1 − 0.25·0.4 = 0.9
        s.setProviders({providerAt(u"p"_qs, m_server->baseUrl())});
        const QList<ChatRequest> list{job(u"j"_qs, u"p"_qs)};
        Collector c;
        c.attach(s, this, list);
        QVERIFY(s.start(list));
        QTRY_VERIFY_WITH_TIMEOUT(c.finished, 5000);
        const JobResult r = c.results.value(u"j"_qs);
        QCOMPARE(r.state, JobState::Completed);
        QCOMPARE(r.attempts(), 3);
        QCOMPARE(r.timeline.attempts[1].waitBeforeMs, 9);  // 10 ms · 0.9
        QCOMPARE(r.timeline.attempts[2].waitBeforeMs, 18); // 20 ms · 0.9
        QCOMPARE(r.timeline.attempts[0].httpStatus, 503);
        QCOMPARE(r.timeline.attempts[1].httpStatus, 502);
    }

    void shouldRetryFalseWins()
    {
        m_server->enqueue(FakeResponse::error(500, "no", {{"x-should-retry", "false"}}));
        m_server->enqueue(okResponse());
        Collector c;
        QVERIFY(runOneJob(providerAt(u"p"_qs, m_server->baseUrl()), c, this));
        QCOMPARE(c.results.value(u"j"_qs).state, JobState::Failed);
        QCOMPARE(c.results.value(u"j"_qs).attempts(), 1);
        QCOMPARE(m_server->requestCount(), 1);
    }

    void retriesRunOut()
    {
        m_server->enqueue(FakeResponse::error(503, R"({"error":{"message":"overloaded"}})"));
        ProviderConfig p = providerAt(u"p"_qs, m_server->baseUrl());
        p.maxRetries = 2;
        Collector c;
        QVERIFY(runOneJob(p, c, this));
        const JobResult r = c.results.value(u"j"_qs);
        QCOMPARE(r.state, JobState::Failed);
        QCOMPARE(r.attempts(), 3);
        QCOMPARE(r.error, u"HTTP 503 Error from 127.0.0.1: overloaded (gave up after 3 attempt(s))"_qs);
    }

    // F-1b: an error no retry can fix (bad key, forbidden, quota or spend limit) fails its cell
    // at once and stops its provider only: its other cells are not sent, other providers go on.
    void unfixableErrorStopsOnlyItsProvider_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("message");
        QTest::newRow("401 bad key")
            << 401 << QByteArray(R"({"error":{"message":"Incorrect API key provided","code":"invalid_api_key"}})")
            << u"HTTP 401 Error from 127.0.0.1: Incorrect API key provided"_qs;
        QTest::newRow("403 forbidden")
            << 403
            << QByteArray(R"({"error":{"message":"Project does not have access to model","type":"permission_error"}})")
            << u"HTTP 403 Error from 127.0.0.1: Project does not have access to model"_qs;
        QTest::newRow("429 insufficient_quota")
            << 429
            << QByteArray(R"({"error":{"message":"You exceeded your current quota","type":"insufficient_quota"}})")
            << u"HTTP 429 Error from 127.0.0.1: You exceeded your current quota"_qs;
        QTest::newRow("429 spend limit")
            << 429 << QByteArray(R"({"error":{"message":"Spend limit reached","type":"enforced_spend_limit_reached"}})")
            << u"HTTP 429 Error from 127.0.0.1: Spend limit reached"_qs;
    }
    void unfixableErrorStopsOnlyItsProvider()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(QString, message);
        // Every request would get the same answer: a second one reaching the server is a failure.
        m_server->setScript([status, body](const RecordedRequest &, int) {
            return FakeResponse::error(status, body, {{"retry-after", "1"}});
        });
        FakeProvider other;
        QVERIFY(other.listen());
        other.enqueue(okResponse("other"));
        other.enqueue(okResponse("other again"));
        RunScheduler s(schedulerDependencies());
        s.setProviders({providerAt(u"p"_qs, m_server->baseUrl(), 1), providerAt(u"q"_qs, other.baseUrl(), 1)});
        QList<ChatRequest> list = jobs(3, u"p"_qs);
        list.append(job(u"q-0"_qs, u"q"_qs, u"case0"_qs));
        list.append(job(u"q-1"_qs, u"q"_qs, u"case1"_qs));
        Collector c;
        c.attach(s, this, list);
        QVERIFY(s.start(list));
        QTRY_VERIFY_WITH_TIMEOUT(c.finished, 5000);
        QCOMPARE(m_server->requestCount(), 1);
        int sentFailures = 0;
        int notSent = 0;
        for (int i = 0; i < 3; ++i) {
            const JobResult r = c.results.value(QStringLiteral("p-%1").arg(i));
            QCOMPARE(r.state, JobState::Failed);
            if (r.failure == FailureKind::HttpStatus) {
                ++sentFailures;
                QCOMPARE(r.attempts(), 1);
                QVERIFY2(r.error.startsWith(message), qPrintable(r.error));
            } else {
                ++notSent;
                QCOMPARE(r.failure, FailureKind::NotSent);
                QCOMPARE(r.attempts(), 0);
                QVERIFY2(r.error.startsWith(u"Not sent: provider p stopped"), qPrintable(r.error));
                QVERIFY2(r.error.contains(message), qPrintable(r.error)); // the provider's own words
            }
            QVERIFY(!r.error.contains(kTestKey));
        }
        QCOMPARE(sentFailures, 1);
        QCOMPARE(notSent, 2);
        QCOMPARE(c.results.value(u"q-0"_qs).state, JobState::Completed); // other providers go on
        QCOMPARE(c.results.value(u"q-1"_qs).state, JobState::Completed);
        QCOMPARE(other.requestCount(), 2);
        bool stopped = false;
        for (const auto &st : std::as_const(c.statuses)) {
            if (st.providerId == u"p" && st.state == ProviderStatus::State::Stopped)
                stopped = true;
            QVERIFY2(!(st.providerId == u"q" && st.state == ProviderStatus::State::Stopped), "q must not stop");
        }
        QVERIFY(stopped);
    }

    // "key missing" (issue #7): a provider without its key is stopped at its first job, with the
    // key's message as its status; its other jobs are not sent, other providers go on.
    void missingKeyStopsItsProvider()
    {
        FakeProvider other;
        QVERIFY(other.listen());
        other.enqueue(okResponse("other"));
        RunScheduler s(schedulerDependencies());
        ProviderConfig keyless = providerAt(u"p"_qs, m_server->baseUrl(), 1);
        keyless.apiKeyEnv = QStringLiteral("SLOPSCOPE_TEST_NO_SUCH_KEY");
        s.setProviders({keyless, providerAt(u"q"_qs, other.baseUrl(), 1)});
        QList<ChatRequest> list = jobs(3, u"p"_qs);
        list.append(job(u"q-0"_qs, u"q"_qs, u"case0"_qs));
        Collector c;
        c.attach(s, this, list);
        QVERIFY(s.start(list));
        QTRY_VERIFY_WITH_TIMEOUT(c.finished, 5000);
        QCOMPARE(m_server->requestCount(), 0);
        int keyErrors = 0;
        for (int i = 0; i < 3; ++i) {
            const JobResult r = c.results.value(QStringLiteral("p-%1").arg(i));
            QCOMPARE(r.state, JobState::Failed);
            QCOMPARE(r.failure, FailureKind::NotSent);
            QVERIFY2(r.error.contains(u"No API key for provider p"), qPrintable(r.error));
            if (!r.error.startsWith(u"Not sent: provider p stopped"))
                ++keyErrors;
        }
        QCOMPARE(keyErrors, 1); // the first job's own error; the others say the provider stopped
        QCOMPARE(c.results.value(u"q-0"_qs).state, JobState::Completed);
        const auto stopped = std::find_if(c.statuses.cbegin(), c.statuses.cend(), [](const ProviderStatus &st) {
            return st.providerId == u"p" && st.state == ProviderStatus::State::Stopped;
        });
        QVERIFY(stopped != c.statuses.cend());
        QVERIFY2(stopped->message.startsWith(u"No API key for provider p"), qPrintable(stopped->message));
    }

    // S-1: a server that quotes the key it was sent (in the message and the raw body) does not get
    // it into the cell's error text or the report the scheduler keeps.
    void anEchoedKeyIsScrubbedFromErrors()
    {
        const QByteArray body = "{\"error\":{\"message\":\"Incorrect API key provided: " + kTestKey.toUtf8() +
                                "\",\"code\":\"invalid_api_key\"}}";
        m_server->enqueue(FakeResponse::error(401, body));
        const ProviderConfig p = providerAt(u"p"_qs, m_server->baseUrl(), 1);
        Collector c;
        QVERIFY(runOneJob(p, c, this));
        const JobResult r = c.results.value(u"j"_qs);
        QCOMPARE(r.state, JobState::Failed);
        QCOMPARE(r.error, u"HTTP 401 Error from 127.0.0.1: Incorrect API key provided: ***"_qs);
        for (const AttemptRecord &attempt : r.timeline.attempts)
            QVERIFY(!attempt.error.contains(kTestKey));
        QVERIFY(r.result.error);
        QVERIFY(!r.result.error->message.contains(kTestKey));
    }

    void quotaIsNotRetried()
    {
        m_server->enqueue(FakeResponse::error(
            429, R"({"error":{"message":"You exceeded your current quota","type":"insufficient_quota"}})",
            {{"retry-after", "1"}}));
        m_server->enqueue(okResponse());
        Collector c;
        QVERIFY(runOneJob(providerAt(u"p"_qs, m_server->baseUrl()), c, this));
        const JobResult r = c.results.value(u"j"_qs);
        QCOMPARE(r.state, JobState::Failed);
        QCOMPARE(r.attempts(), 1);
        QVERIFY2(r.error.contains(u"quota or spend limit reached; not retried"), qPrintable(r.error));
    }

    void dropMidStreamIsTruncatedWithoutRetry()
    {
        FakeResponse drop = FakeResponse::lines({"D:half ", "D:an answer"}, 5);
        drop.end = FakeResponse::End::Reset;
        m_server->enqueue(drop);
        m_server->enqueue(okResponse("a second answer must never be spliced in"));
        Collector c;
        QVERIFY(runOneJob(providerAt(u"p"_qs, m_server->baseUrl()), c, this));
        const JobResult r = c.results.value(u"j"_qs);
        QCOMPARE(r.state, JobState::Truncated);
        QCOMPARE(r.result.text, u"half an answer"_qs);
        QCOMPARE(c.streamed.value(u"j"_qs), u"half an answer"_qs);
        QCOMPARE(r.attempts(), 1);
        QCOMPARE(m_server->requestCount(), 1);
        QVERIFY(r.error.startsWith(u"connection lost after 2 content event(s)"));
    }

    // With "retry truncated" on, the broken-off answer is asked again and the whole new answer
    // replaces it; the first attempt stays in the timeline with its failure.
    void dropMidStreamIsAskedAgainWhenTheUserOptedIn()
    {
        FakeResponse drop = FakeResponse::lines({"D:half ", "D:an answer"}, 5);
        drop.end = FakeResponse::End::Reset;
        m_server->enqueue(drop);
        m_server->enqueue(okResponse("a whole answer"));
        Collector c;
        RunOptions options;
        options.retryTruncated = true;
        QVERIFY(runOneJob(providerAt(u"p"_qs, m_server->baseUrl()), c, this, 5000, options));
        const JobResult r = c.results.value(u"j"_qs);
        QCOMPARE(r.state, JobState::Completed);
        QCOMPARE(r.result.text, u"a whole answer"_qs);
        QCOMPARE(r.attempts(), 2);
        QCOMPARE(r.timeline.attempts[0].failure, FailureKind::ConnectionLost);
        QCOMPARE(m_server->requestCount(), 2);
    }

    void inBandOverloadedBeforeContentIsRetried()
    {
        m_server->enqueue(FakeResponse::lines({": ping", "ERR:overloaded_error:Overloaded"}));
        m_server->enqueue(okResponse("second time lucky"));
        Collector c;
        QVERIFY(runOneJob(providerAt(u"p"_qs, m_server->baseUrl()), c, this));
        const JobResult r = c.results.value(u"j"_qs);
        QCOMPARE(r.state, JobState::Completed);
        QCOMPARE(r.attempts(), 2);
        QCOMPARE(r.timeline.attempts[0].failure, FailureKind::InBandError);
        QCOMPARE(r.result.text, u"second time lucky"_qs);
    }

    void redirectIsNotFollowedAndLeaksNoKey()
    {
        FakeProvider target;
        QVERIFY(target.listen());
        target.enqueue(okResponse("phished"));
        FakeResponse redirect;
        redirect.status = 307;
        redirect.reason = "Temporary Redirect";
        redirect.headers = {{"Location", target.baseUrl().toUtf8() + "/v1/chat/completions"}};
        redirect.chunked = false;
        m_server->enqueue(redirect);
        Collector c;
        QVERIFY(runOneJob(providerAt(u"p"_qs, m_server->baseUrl()), c, this));
        const JobResult r = c.results.value(u"j"_qs);
        QCOMPARE(r.state, JobState::Failed);
        QCOMPARE(r.failure, FailureKind::Redirect);
        QCOMPARE(r.attempts(), 1);
        QVERIFY2(r.error.contains(target.baseUrl()), qPrintable(r.error));
        QCOMPARE(m_server->requests().first().header("authorization"), "Bearer " + kTestKey.toUtf8());
        QTest::qWait(50);
        QCOMPARE(target.requestCount(), 0); // no request, so no Authorization, reached the other origin
    }

    // S-14: a secret header's value comes from the secret source at send time; a missing one
    // stops the cell before anything is sent, naming the header and the secret.
    void secretHeadersAreResolvedAtSendTime()
    {
        m_server->enqueue(okResponse());
        ProviderConfig p = providerAt(u"p"_qs, m_server->baseUrl());
        p.secretHeaders.insert(u"X-Gateway-Key"_qs, kTestKeyName);
        Collector c;
        QVERIFY(runOneJob(p, c, this));
        QCOMPARE(c.results.value(u"j"_qs).state, JobState::Completed);
        QCOMPARE(m_server->requests().first().header("x-gateway-key"), kTestKey.toUtf8());

        p.secretHeaders.insert(u"X-Gateway-Key"_qs, u"UNSET_GATEWAY_KEY"_qs);
        Collector missing;
        QVERIFY(runOneJob(p, missing, this));
        const JobResult r = missing.results.value(u"j"_qs);
        QCOMPARE(r.failure, FailureKind::NotSent);
        QVERIFY2(r.error.contains(u"the header X-Gateway-Key needs the secret UNSET_GATEWAY_KEY"), qPrintable(r.error));
        QCOMPARE(m_server->requestCount(), 1);
    }

    void plainHttpKeyToRemoteHostIsNeverSent()
    {
        m_server->enqueue(okResponse());
        // 0.0.0.0 reaches this machine's listeners on Linux, so a leak would show in the fake
        // server's log; the engine must refuse it as a non-loopback host before connecting.
        ProviderConfig p = providerAt(u"p"_qs, QStringLiteral("http://0.0.0.0:%1").arg(m_server->port()));
        Collector c;
        QVERIFY(runOneJob(p, c, this));
        const JobResult r = c.results.value(u"j"_qs);
        QCOMPARE(r.state, JobState::Failed);
        QCOMPARE(r.failure, FailureKind::NotSent);
        QCOMPARE(r.attempts(), 0);
        QVERIFY(r.error.contains(u"plain HTTP"));
        QVERIFY(!r.error.contains(kTestKey));
        QVERIFY(c.started.isEmpty());
        QTest::qWait(50);
        QCOMPARE(m_server->requestCount(), 0);
    }

    void missingKeyIsNamed()
    {
        ProviderConfig p = providerAt(u"p"_qs, m_server->baseUrl());
        p.apiKeyEnv = u"NOT_SET_ANYWHERE_KEY"_qs;
        Collector c;
        QVERIFY(runOneJob(p, c, this));
        QCOMPARE(c.results.value(u"j"_qs).failure, FailureKind::NotSent);
        QVERIFY(c.results.value(u"j"_qs).error.contains(u"NOT_SET_ANYWHERE_KEY"));
        QCOMPARE(m_server->requestCount(), 0);
    }

    // RELIABILITY.md S-11: a stored key the secret source refuses for this host is never sent.
    void keyRefusedForTheHostIsNeverSent()
    {
        class RefusingSecrets final : public SecretSource
        {
        public:
            [[nodiscard]] std::optional<SecretString> secret(const QString &) const override
            {
                return SecretString(kTestKey);
            }
            [[nodiscard]] QString keyRefusal(const QString &name, const QString &host) const override
            {
                asked.append(name + u'@' + host);
                return u"not confirmed for this host"_qs;
            }
            mutable QStringList asked;
        };
        auto secrets = std::make_shared<RefusingSecrets>();
        RunScheduler::Dependencies d = schedulerDependencies();
        d.secrets = secrets;
        RunScheduler s(d);
        s.setProviders({providerAt(u"p"_qs, m_server->baseUrl())});
        const QList<ChatRequest> list{job(u"j"_qs, u"p"_qs)};
        Collector c;
        c.attach(s, this, list);
        QVERIFY(s.start(list));
        QTRY_VERIFY_WITH_TIMEOUT(c.finished, 5000);
        const JobResult r = c.results.value(u"j"_qs);
        QCOMPARE(r.state, JobState::Failed);
        QCOMPARE(r.failure, FailureKind::NotSent);
        QVERIFY2(r.error.contains(u"not confirmed for this host"_qs) && r.error.contains(u"Provider p"_qs),
                 qPrintable(r.error));
        QVERIFY(!r.error.contains(kTestKey));
        QCOMPARE(secrets->asked.value(0), kTestKeyName + u"@127.0.0.1");
        QCOMPARE(m_server->requestCount(), 0);
    }

    // RELIABILITY.md F-1: a provider failing every request may retry only its budget per window;
    // the retries beyond it are not dropped but wait, with the whole provider paused and saying so.
    void retryBudgetPausesTheProvider_data()
    {
        QTest::addColumn<int>("floor");
        QTest::addColumn<int>("deferred");
        QTest::newRow("two per window") << 2 << 2;
        QTest::newRow("budget off") << -1 << 0;
    }
    void retryBudgetPausesTheProvider()
    {
        QFETCH(int, floor);
        QFETCH(int, deferred);
        m_server->setScript([](const RecordedRequest &, int) { return FakeResponse::error(503, "down"); });
        RunScheduler s(schedulerDependencies());
        ProviderConfig p = providerAt(u"p"_qs, m_server->baseUrl(), 4);
        p.maxRetries = 1;
        s.setProviders({p});
        const auto list = jobs(4, u"p"_qs);
        Collector c;
        c.attach(s, this, list);
        RunOptions o;
        o.rateWindowMs = 1000;
        o.retryBudgetFloor = floor;
        o.retryBudgetRatio = 0.0;
        // All four in flight before the first fails: paced, the fourth could leave only after the
        // breaker's pause, when the first retries are out of the window and it needs no deferral.
        o.launchSpacingUs = 0;
        QVERIFY(s.start(list, o));
        QTRY_VERIFY_WITH_TIMEOUT(c.finished, 5000);
        QCOMPARE(m_server->requestCount(), 8); // every cell still gets its one retry
        QList<qint64> waits;
        for (const JobResult &r : std::as_const(c.results)) {
            QCOMPARE(r.state, JobState::Failed);
            QCOMPARE(r.attempts(), 2);
            waits.append(r.timeline.attempts[1].waitBeforeMs);
        }
        std::sort(waits.begin(), waits.end());
        const auto held = std::count_if(waits.begin(), waits.end(), [](qint64 w) { return w > 10; });
        QCOMPARE(held, deferred);
        QCOMPARE(waits.first(), 10); // the backoff, within the budget
        if (deferred > 0)
            QVERIFY2(waits.last() >= 500, qPrintable(QString::number(waits.last()))); // until a retry leaves the window
        const bool paused = std::any_of(c.statuses.begin(), c.statuses.end(), [](const ProviderStatus &st) {
            return st.state == ProviderStatus::State::RateLimited &&
                   st.message.startsWith(u"too many failures: 2 retries in the last 1 s, resuming in "_qs);
        });
        QCOMPARE(paused, deferred > 0);
    }

    void connectionRefusedIsRetriedThenNamed()
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 port = probe.serverPort();
        probe.close();
        RunScheduler s(schedulerDependencies());
        ProviderConfig p = providerAt(u"ollama"_qs, QStringLiteral("http://127.0.0.1:%1").arg(port));
        p.maxRetries = 1;
        s.setProviders({p});
        const QList<ChatRequest> list{job(u"j"_qs, u"ollama"_qs)};
        Collector c;
        c.attach(s, this, list);
        QVERIFY(s.start(list));
        QTRY_VERIFY_WITH_TIMEOUT(c.finished, 5000);
        const JobResult r = c.results.value(u"j"_qs);
        QCOMPARE(r.state, JobState::Failed);
        QCOMPARE(r.failure, FailureKind::ConnectionRefused);
        QCOMPARE(r.attempts(), 2);
        QCOMPARE(
            r.error,
            QStringLiteral("Connection refused by 127.0.0.1:%1 — is the server running? (gave up after 2 attempt(s))")
                .arg(port));
    }
};

QTEST_GUILESS_MAIN(tst_RunScheduler)
#include "tst_runscheduler.moc"
