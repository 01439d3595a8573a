#include "FakeProvider.h"
#include "TestLineDecoder.h"

#include "engine/NetworkPool.h"
#include "engine/RunScheduler.h"
#include "engine/SecretSource.h"
#include "engine/StreamHandler.h"

#include <QElapsedTimer>
#include <QSet>
#include <QTcpServer>
#include <QTest>

using namespace Slopscope;
using namespace Slopscope::Test;

namespace {

const QString kKeyName = QStringLiteral("SLOPSCOPE_TEST_KEY");
const QString kKey = QStringLiteral("sk-CANARY-0b5e9a");

class MapSecrets final : public SecretSource
{
public:
    [[nodiscard]] std::optional<QString> secret(const QString &name) const override
    {
        if (name == kKeyName)
            return kKey;
        return std::nullopt;
    }
};

RunScheduler::Dependencies dependencies(double random = 0.0)
{
    RunScheduler::Dependencies d;
    d.secrets = std::make_shared<MapSecrets>();
    d.decoderFactory = &TestLineDecoder::make;
    d.clock = steadyClock();
    // Millisecond-scale backoff so retries are fast; the RNG is fixed so waits are exact.
    RetryPolicy::Settings s;
    s.initialDelaySeconds = 0.01;
    s.maxDelaySeconds = 0.08;
    d.retryPolicy = RetryPolicy(
        s, [random] { return random; }, [] { return QDateTime::currentDateTimeUtc(); });
    d.networkThreads = 2;
    return d;
}

ProviderConfig providerAt(const QString &id, const QString &base, int concurrency = 4)
{
    ProviderConfig p;
    p.id = id;
    p.dialect = Dialect::OpenAIChat;
    p.baseUrl = base + u"/v1";
    p.apiKeyEnv = kKeyName;
    p.maxConcurrency = concurrency;
    p.maxRetries = 2;
    p.timeouts.connectMs = 5000;
    p.timeouts.firstByteMs = 8000;
    p.timeouts.firstTokenMs = 8000;
    p.timeouts.idleMs = 8000;
    p.timeouts.contentIdleMs = 8000;
    p.timeouts.totalMs = 9000;
    return p;
}

ChatRequest job(const QString &id, const QString &provider, const QString &caseId = QStringLiteral("c1"),
                int repeat = 0)
{
    ChatRequest r;
    r.id = id;
    r.targetId = provider + u"-target";
    r.providerId = provider;
    r.model = QStringLiteral("m");
    r.messages = {{QStringLiteral("user"), QStringLiteral("Hello")}};
    r.caseId = caseId;
    r.repeat = repeat;
    return r;
}

QList<ChatRequest> jobs(int count, const QString &provider)
{
    QList<ChatRequest> list;
    for (int i = 0; i < count; ++i)
        list.append(job(QStringLiteral("%1-%2").arg(provider).arg(i), provider, QStringLiteral("case%1").arg(i)));
    return list;
}

// Everything a scheduler tells its consumer.
struct Collector
{
    QHash<QString, JobResult> results;
    QHash<QString, QString> streamed;
    QHash<QString, int> batches;
    QStringList started;
    QList<ProviderStatus> statuses;
    QSet<QString> running;
    int maxRunningProviders = 0;
    QHash<QString, QString> providerOf;
    bool finished = false;

    void attach(RunScheduler &s, QObject *context, const QList<ChatRequest> &list)
    {
        for (const auto &j : list)
            providerOf.insert(j.id, j.providerId);
        QObject::connect(&s, &RunScheduler::jobStarted, context, [this](const QString &id, int) {
            started.append(id);
            running.insert(id);
            QSet<QString> providers;
            for (const auto &r : std::as_const(running))
                providers.insert(providerOf.value(r));
            maxRunningProviders = std::max(maxRunningProviders, int(providers.size()));
        });
        QObject::connect(&s, &RunScheduler::jobContent, context,
                         [this](const QString &id, const QList<ContentDelta> &d) {
                             for (const auto &delta : d)
                                 streamed[id] += delta.text;
                             ++batches[id];
                         });
        QObject::connect(&s, &RunScheduler::jobFinished, context, [this](const JobResult &r) {
            QVERIFY(!results.contains(r.jobId));
            results.insert(r.jobId, r);
            running.remove(r.jobId);
        });
        QObject::connect(&s, &RunScheduler::providerStatusChanged, context,
                         [this](const ProviderStatus &st) { statuses.append(st); });
        QObject::connect(&s, &RunScheduler::runFinished, context, [this] { finished = true; });
    }
};

FakeResponse ok(const QByteArray &text = "ok")
{
    return FakeResponse::lines({"D:" + text, "END"});
}

} // namespace

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
            FakeResponse r = ok();
            r.holdUntilOpen = 64; // nobody is answered until all 64 are open at once
            r.holdTimeoutMs = 3000;
            return r;
        });
        RunScheduler s(dependencies());
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
        m_server->enqueue(ok("fine"));
        RunScheduler s(dependencies());
        s.setProviders({providerAt(u"p"_qs, m_server->baseUrl())});
        const QList<ChatRequest> list{job(u"j"_qs, u"p"_qs)};
        Collector c;
        c.attach(s, this, list);
        QVERIFY(s.start(list));
        QTRY_VERIFY_WITH_TIMEOUT(c.finished, 5000);
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
        QCOMPARE(c.statuses.last().state, ProviderStatus::State::Active);
        QVERIFY(r.timeline.queuedNs && *r.timeline.queuedNs <= *r.timeline.attempts[0].startedNs);
        QVERIFY(r.timeline.endNs);
    }

    void backoffIsExact()
    {
        m_server->enqueue(FakeResponse::error(503, "busy"));
        m_server->enqueue(FakeResponse::error(502, "bad gateway"));
        m_server->enqueue(ok());
        RunScheduler s(dependencies(0.4)); // jitter factor 1 − 0.25·0.4 = 0.9
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
        m_server->enqueue(ok());
        RunScheduler s(dependencies());
        s.setProviders({providerAt(u"p"_qs, m_server->baseUrl())});
        const QList<ChatRequest> list{job(u"j"_qs, u"p"_qs)};
        Collector c;
        c.attach(s, this, list);
        QVERIFY(s.start(list));
        QTRY_VERIFY_WITH_TIMEOUT(c.finished, 5000);
        QCOMPARE(c.results.value(u"j"_qs).state, JobState::Failed);
        QCOMPARE(c.results.value(u"j"_qs).attempts(), 1);
        QCOMPARE(m_server->requestCount(), 1);
    }

    void retriesRunOut()
    {
        m_server->enqueue(FakeResponse::error(503, R"({"error":{"message":"overloaded"}})"));
        RunScheduler s(dependencies());
        ProviderConfig p = providerAt(u"p"_qs, m_server->baseUrl());
        p.maxRetries = 2;
        s.setProviders({p});
        const QList<ChatRequest> list{job(u"j"_qs, u"p"_qs)};
        Collector c;
        c.attach(s, this, list);
        QVERIFY(s.start(list));
        QTRY_VERIFY_WITH_TIMEOUT(c.finished, 5000);
        const JobResult r = c.results.value(u"j"_qs);
        QCOMPARE(r.state, JobState::Failed);
        QCOMPARE(r.attempts(), 3);
        QCOMPARE(r.error, u"HTTP 503 Error from 127.0.0.1: overloaded (gave up after 3 attempt(s))"_qs);
    }

    void unauthorizedIsNotRetriedAndStopsTheProvider()
    {
        m_server->enqueue(
            FakeResponse::error(401, R"({"error":{"message":"Incorrect API key provided","code":"invalid_api_key"}})"));
        FakeProvider other;
        QVERIFY(other.listen());
        other.enqueue(ok("other"));
        RunScheduler s(dependencies());
        s.setProviders({providerAt(u"p"_qs, m_server->baseUrl(), 1), providerAt(u"q"_qs, other.baseUrl(), 1)});
        QList<ChatRequest> list = jobs(3, u"p"_qs);
        list.append(job(u"q-0"_qs, u"q"_qs, u"case0"_qs));
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
                QCOMPARE(r.error, u"HTTP 401 Error from 127.0.0.1: Incorrect API key provided"_qs);
            } else {
                ++notSent;
                QCOMPARE(r.failure, FailureKind::NotSent);
                QCOMPARE(r.attempts(), 0);
                QVERIFY(r.error.startsWith(u"Not sent: provider p stopped"));
            }
            QVERIFY(!r.error.contains(kKey));
        }
        QCOMPARE(sentFailures, 1);
        QCOMPARE(notSent, 2);
        QCOMPARE(c.results.value(u"q-0"_qs).state, JobState::Completed); // other providers go on
        bool stopped = false;
        for (const auto &st : std::as_const(c.statuses))
            stopped = stopped || (st.providerId == u"p" && st.state == ProviderStatus::State::Stopped);
        QVERIFY(stopped);
    }

    void quotaIsNotRetried()
    {
        m_server->enqueue(FakeResponse::error(
            429, R"({"error":{"message":"You exceeded your current quota","type":"insufficient_quota"}})",
            {{"retry-after", "1"}}));
        m_server->enqueue(ok());
        RunScheduler s(dependencies());
        s.setProviders({providerAt(u"p"_qs, m_server->baseUrl())});
        const QList<ChatRequest> list{job(u"j"_qs, u"p"_qs)};
        Collector c;
        c.attach(s, this, list);
        QVERIFY(s.start(list));
        QTRY_VERIFY_WITH_TIMEOUT(c.finished, 5000);
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
        m_server->enqueue(ok("a second answer must never be spliced in"));
        RunScheduler s(dependencies());
        s.setProviders({providerAt(u"p"_qs, m_server->baseUrl())});
        const QList<ChatRequest> list{job(u"j"_qs, u"p"_qs)};
        Collector c;
        c.attach(s, this, list);
        QVERIFY(s.start(list));
        QTRY_VERIFY_WITH_TIMEOUT(c.finished, 5000);
        const JobResult r = c.results.value(u"j"_qs);
        QCOMPARE(r.state, JobState::Truncated);
        QCOMPARE(r.result.text, u"half an answer"_qs);
        QCOMPARE(c.streamed.value(u"j"_qs), u"half an answer"_qs);
        QCOMPARE(r.attempts(), 1);
        QCOMPARE(m_server->requestCount(), 1);
        QVERIFY(r.error.startsWith(u"connection lost after 2 content event(s)"));
    }

    void inBandOverloadedBeforeContentIsRetried()
    {
        m_server->enqueue(FakeResponse::lines({": ping", "ERR:overloaded_error:Overloaded"}));
        m_server->enqueue(ok("second time lucky"));
        RunScheduler s(dependencies());
        s.setProviders({providerAt(u"p"_qs, m_server->baseUrl())});
        const QList<ChatRequest> list{job(u"j"_qs, u"p"_qs)};
        Collector c;
        c.attach(s, this, list);
        QVERIFY(s.start(list));
        QTRY_VERIFY_WITH_TIMEOUT(c.finished, 5000);
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
        target.enqueue(ok("phished"));
        FakeResponse redirect;
        redirect.status = 307;
        redirect.reason = "Temporary Redirect";
        redirect.headers = {{"Location", target.baseUrl().toUtf8() + "/v1/chat/completions"}};
        redirect.chunked = false;
        m_server->enqueue(redirect);
        RunScheduler s(dependencies());
        s.setProviders({providerAt(u"p"_qs, m_server->baseUrl())});
        const QList<ChatRequest> list{job(u"j"_qs, u"p"_qs)};
        Collector c;
        c.attach(s, this, list);
        QVERIFY(s.start(list));
        QTRY_VERIFY_WITH_TIMEOUT(c.finished, 5000);
        const JobResult r = c.results.value(u"j"_qs);
        QCOMPARE(r.state, JobState::Failed);
        QCOMPARE(r.failure, FailureKind::Redirect);
        QCOMPARE(r.attempts(), 1);
        QVERIFY2(r.error.contains(target.baseUrl()), qPrintable(r.error));
        QCOMPARE(m_server->requests().first().header("authorization"), "Bearer " + kKey.toUtf8());
        QTest::qWait(50);
        QCOMPARE(target.requestCount(), 0); // no request, so no Authorization, reached the other origin
    }

    void plainHttpKeyToRemoteHostIsNeverSent()
    {
        m_server->enqueue(ok());
        RunScheduler s(dependencies());
        // 0.0.0.0 reaches this machine's listeners on Linux, so a leak would show in the fake
        // server's log; the engine must refuse it as a non-loopback host before connecting.
        ProviderConfig p = providerAt(u"p"_qs, QStringLiteral("http://0.0.0.0:%1").arg(m_server->port()));
        s.setProviders({p});
        const QList<ChatRequest> list{job(u"j"_qs, u"p"_qs)};
        Collector c;
        c.attach(s, this, list);
        QVERIFY(s.start(list));
        QTRY_VERIFY_WITH_TIMEOUT(c.finished, 5000);
        const JobResult r = c.results.value(u"j"_qs);
        QCOMPARE(r.state, JobState::Failed);
        QCOMPARE(r.failure, FailureKind::NotSent);
        QCOMPARE(r.attempts(), 0);
        QVERIFY(r.error.contains(u"plain HTTP"));
        QVERIFY(!r.error.contains(kKey));
        QVERIFY(c.started.isEmpty());
        QTest::qWait(50);
        QCOMPARE(m_server->requestCount(), 0);
    }

    void missingKeyIsNamed()
    {
        RunScheduler s(dependencies());
        ProviderConfig p = providerAt(u"p"_qs, m_server->baseUrl());
        p.apiKeyEnv = u"NOT_SET_ANYWHERE_KEY"_qs;
        s.setProviders({p});
        const QList<ChatRequest> list{job(u"j"_qs, u"p"_qs)};
        Collector c;
        c.attach(s, this, list);
        QVERIFY(s.start(list));
        QTRY_VERIFY_WITH_TIMEOUT(c.finished, 5000);
        QCOMPARE(c.results.value(u"j"_qs).failure, FailureKind::NotSent);
        QVERIFY(c.results.value(u"j"_qs).error.contains(u"NOT_SET_ANYWHERE_KEY"));
        QCOMPARE(m_server->requestCount(), 0);
    }

    void connectionRefusedIsRetriedThenNamed()
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 port = probe.serverPort();
        probe.close();
        RunScheduler s(dependencies());
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
        RunScheduler s(dependencies());
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

    void cancelOne()
    {
        m_server->setScript([](const RecordedRequest &req, int) {
            if (req.body.contains("stall")) {
                FakeResponse r = FakeResponse::lines({"D:some"});
                r.end = FakeResponse::End::Stall;
                return r;
            }
            return ok();
        });
        RunScheduler s(dependencies());
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
        RunScheduler s(dependencies());
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
        RunScheduler s(dependencies());
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
        m_server->enqueue(ok());
        RunScheduler s(dependencies());
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

    void tokensPerMinute()
    {
        m_server->enqueue(ok());
        RunScheduler s(dependencies());
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
        RunScheduler s(dependencies());
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
            RunScheduler s(dependencies());
            s.setProviders({providerAt(u"p"_qs, m_server->baseUrl(), 8)});
            QVERIFY(s.start(jobs(8, u"p"_qs)));
            QTRY_COMPARE_WITH_TIMEOUT(m_server->openRequests(), 8, 5000);
        }
        QCOMPARE(StreamHandler::liveReplies(), 0);
        QTRY_COMPARE(m_server->openConnections(), 0);
    }
};

QTEST_GUILESS_MAIN(tst_RunScheduler)
#include "tst_runscheduler.moc"
