#include "SchedulerTestKit.h"

#include "TestLineDecoder.h"

#include "engine/SecretSource.h"

#include <QDateTime>
#include <QTest>

#include <algorithm>

namespace Slopscope::Test {

namespace {

class MapSecrets final : public SecretSource
{
public:
    [[nodiscard]] std::optional<SecretString> secret(const QString &name) const override
    {
        if (name == kTestKeyName)
            return SecretString(kTestKey);
        return std::nullopt;
    }
};

} // namespace

RunScheduler::Dependencies schedulerDependencies(double random)
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

ProviderConfig providerAt(const QString &id, const QString &base, int concurrency)
{
    ProviderConfig p;
    p.id = id;
    p.dialect = Dialect::OpenAIChat;
    p.baseUrl = base + u"/v1";
    p.apiKeyEnv = kTestKeyName;
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

ChatRequest job(const QString &id, const QString &provider, const QString &caseId, int repeat)
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

FakeResponse okResponse(const QByteArray &text)
{
    return FakeResponse::lines({"D:" + text, "END"});
}

void Collector::attach(RunScheduler &s, QObject *context, const QList<ChatRequest> &list)
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
    QObject::connect(&s, &RunScheduler::jobContent, context, [this](const QString &id, const QList<ContentDelta> &d) {
        for (const auto &delta : d)
            streamed[id] += delta.text;
        ++batches[id];
    });
    QObject::connect(&s, &RunScheduler::jobFinished, context, [this](const JobResult &r) {
        QVERIFY(!results.contains(r.jobId)); // each job finishes exactly once
        results.insert(r.jobId, r);
        running.remove(r.jobId);
    });
    QObject::connect(&s, &RunScheduler::providerStatusChanged, context,
                     [this](const ProviderStatus &st) { statuses.append(st); });
    QObject::connect(&s, &RunScheduler::runFinished, context, [this] { finished = true; });
}

bool runOneJob(const ProviderConfig &provider, Collector &collector, QObject *context, int timeoutMs,
               const RunOptions &options)
{
    RunScheduler scheduler(schedulerDependencies());
    scheduler.setProviders({provider});
    const QList<ChatRequest> list{job(QStringLiteral("j"), QStringLiteral("p"))};
    collector.attach(scheduler, context, list);
    if (!scheduler.start(list, options))
        return false;
    return QTest::qWaitFor([&collector] { return collector.finished; }, timeoutMs);
}

} // namespace Slopscope::Test
