#pragma once

#include "core/Result.h"
#include "core/Workspace.h"
#include "engine/AttemptReport.h"
#include "engine/ChatRequest.h"
#include "engine/DecoderFactory.h"
#include "engine/EnvSecretSource.h"
#include "engine/JobResult.h"
#include "engine/MonotonicClock.h"
#include "engine/NetworkPool.h"
#include "engine/ProviderStatus.h"
#include "engine/RetryBudget.h"
#include "engine/RetryPolicy.h"
#include "engine/RunOptions.h"
#include "engine/SystemReachability.h"

#include <algorithm>
#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QSet>

#include <deque>
#include <memory>
#include <vector>

class QTimer;

namespace Slopscope {

class Preconnector;
class ProxyRules;
class SecretSource;

// Runs a list of jobs (target × case × repeat) over the network pool: per-provider concurrency,
// requests/minute and tokens/minute limits and a global cap; a seeded interleaving of targets (or
// one provider at a time); retries per RetryPolicy with waits on timers; a per-provider pause after
// 429s and when a provider's retries outrun its RetryBudget; cancel one or all. Lives in the consumer's thread;
// everything it emits is already batched (content at most every RunOptions::batchIntervalMs per job).
class RunScheduler final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunScheduler)

public:
    struct Dependencies
    {
        std::shared_ptr<const SecretSource> secrets; // null: no keys at all
        DecoderFactory decoderFactory;
        MonotonicClock clock; // time stamps of the timeline; null: steadyClock()
        RetryPolicy retryPolicy;
        int networkThreads = 0; // 0: one per core (at most 4)
        QString simulatorBaseUrl;
        // Anthropic's rate-limit resets are wall-clock times; null: QDateTime::currentDateTimeUtc.
        RetryPolicy::WallClock wallClock;
        // Whether a provider's host can be reached now: requests wait while it cannot, and an
        // attempt that fails on the network then costs no retry. Null: always reachable.
        std::shared_ptr<NetworkReachability> reachability;
    };
    // Keys from the environment, the stream library's decoders, the steady clock. Inline (see
    // defaultDecoderFactory): the caller links slopscope_stream.
    static Dependencies productionDependencies()
    {
        Dependencies d;
        d.secrets = std::make_shared<EnvSecretSource>();
        d.decoderFactory = defaultDecoderFactory();
        d.clock = steadyClock();
        d.reachability = std::make_shared<SystemReachability>();
        return d;
    }

    explicit RunScheduler(Dependencies dependencies, QObject *parent = nullptr);
    ~RunScheduler() override;

    // Providers the jobs refer to; their maxConcurrency becomes the default limit.
    void setProviders(const QList<ProviderConfig> &providers);
    void setProviderLimits(const QString &providerId, const ProviderLimits &limits);
    // Cleartext HTTP/2 with prior knowledge (h2c, no upgrade) for this provider's http:// URLs: for
    // a local server or proxy known to speak HTTP/2. Off by default; https negotiates it anyway.
    void setHttp2PriorKnowledge(const QString &providerId, bool enabled);

    // Fails (and starts nothing) while a run is going or when a job names an unknown provider or
    // repeats an id.
    Status start(const QList<ChatRequest> &jobs, const RunOptions &options = {});
    // Adds jobs to the run that is going (the judge calls a run makes from its own answers). They
    // queue behind the jobs already waiting, under the same limits, and runFinished() waits for
    // them. Safe to call from a jobFinished() slot: they join at the next dispatch pass. Fails
    // (adding nothing) when no run is going, after cancelAll(), or on an unknown provider or an
    // id already used in this run.
    Status enqueue(const QList<ChatRequest> &jobs);
    void cancel(const QString &jobId);
    void cancelAll();
    // Holds back every new attempt (first sends and retries) while `held`; attempts in flight go
    // on and finish as usual. The caller's brake for a problem outside the network, such as a
    // history that can no longer save (RunSession::holdDispatch).
    void setDispatchHeld(bool held);
    [[nodiscard]] bool isDispatchHeld() const { return m_dispatchHeld; }

    [[nodiscard]] bool isRunning() const { return m_running; }
    [[nodiscard]] int inFlight() const { return m_inFlight; }
    [[nodiscard]] NetworkPool *pool() const { return m_pool; }
    // The connections pre-opened for the last start() (RunOptions::preconnect).
    [[nodiscard]] const Preconnector *preconnector() const { return m_preconnector; }

    // The order jobs are offered for dispatch: jobs keep their (case, variant, repeat) groups in
    // input order, and the targets inside each group are shuffled with `seed`; with
    // oneProviderAtATime, providers (in a seeded order) run one after the other.
    static QList<int> dispatchOrder(const QList<ChatRequest> &jobs, quint64 seed, bool oneProviderAtATime);

signals:
    void jobStarted(const QString &jobId, int attempt);
    void jobContent(const QString &jobId, const QList<Slopscope::ContentDelta> &deltas);
    void jobFinished(const Slopscope::JobResult &result);
    void providerStatusChanged(const Slopscope::ProviderStatus &status);
    void runFinished();

private:
    struct Job
    {
        ChatRequest request;
        int provider = -1;
        int seq = 0; // position in the dispatch order
        JobState state = JobState::Queued;
        RequestTimeline timeline;
        StreamResult lastResult;
        qint64 estimatedTokens = 0;
        quint64 attemptId = 0;
        NetworkPool::Slot slot;
        qint64 readyAtMs = 0;
        qint64 nextWaitMs = 0;
        bool cancelRequested = false;
        int offlineFailures = 0; // attempts that failed while the host was unreachable: no retry spent
    };
    struct Provider
    {
        ProviderConfig config;
        ProviderLimits limits;
        std::deque<int> queue; // jobs never started, in dispatch order
        QList<int> waiting;    // jobs waiting to retry
        int inFlight = 0;
        int rank = 0; // order in one-provider-at-a-time mode
        int unfinished = 0;
        qint64 pausedUntilMs = 0;
        std::deque<std::pair<qint64, qint64>> window; // (dispatch ms, estimated tokens)
        RetryBudget retryBudget;
        ProviderStatus::State reported = ProviderStatus::State::Active;
        bool stopped = false;
        QString host; // where its requests go, for reachability
    };

    [[nodiscard]] Provider makeProvider(const QString &providerId) const;
    [[nodiscard]] qint64 attemptsInWindow(const Provider &p, qint64 nowMs) const;
    void pump();
    void launch(int jobIndex);
    void onContent(quint64 attemptId, const QList<ContentDelta> &deltas);
    void onRateLimitHeaders(quint64 attemptId, const QList<QPair<QByteArray, QByteArray>> &headers);
    // Holds the provider's dispatch until untilMs (never shortens a pause already set).
    // `nowMs`: the time `untilMs` was computed from, so the status says the wait that was set.
    void pauseProvider(int providerIndex, qint64 untilMs, qint64 nowMs, const QString &why);
    void onAttemptFinished(quint64 attemptId, const AttemptReport &report);
    void finishJob(int jobIndex, JobState state, FailureKind failure, const QString &error);
    void stopProvider(int providerIndex, const QString &reason);
    void setStatus(int providerIndex, ProviderStatus::State state, qint64 resumeInMs, const QString &message,
                   const QString &reason = {});
    bool rateBlocked(Provider &p, const Job &job, qint64 nowMs, qint64 *wakeAtMs) const;
    void removeFromQueues(int jobIndex);
    void admitIncoming();
    // Starts pre-opening the first wave's connections and holds dispatch until they are ready;
    // false (nothing held) when there is nothing to pre-open.
    bool preconnectFirstWave(const ProxyRules &rules);
    [[nodiscard]] qint64 nowMs() const { return m_elapsed.elapsed(); }
    // How long until RunOptions::launchSpacingUs allows the next launch; 0: now.
    [[nodiscard]] qint64 launchSpacingLeftNs() const
    {
        if (m_options.launchSpacingUs <= 0 || m_lastLaunchNs < 0)
            return 0;
        const qint64 spacingNs = static_cast<qint64>(m_options.launchSpacingUs) * 1000;
        return std::max<qint64>(0, spacingNs - (m_elapsed.nsecsElapsed() - m_lastLaunchNs));
    }
    [[nodiscard]] bool reachable(const Provider &p) const;

    Dependencies m_deps;
    NetworkPool *m_pool = nullptr;
    Preconnector *m_preconnector = nullptr;
    QTimer *m_pumpTimer = nullptr;
    qint64 m_pumpAtMs = -1;
    qint64 m_lastLaunchNs = -1; // on m_elapsed; -1: nothing launched in this run yet
    QElapsedTimer m_elapsed;
    QHash<QString, ProviderConfig> m_providerConfigs;
    QHash<QString, ProviderLimits> m_limits;
    QSet<QString> m_http2PriorKnowledge;
    std::vector<Provider> m_providers;
    std::vector<Job> m_jobs;
    QList<ChatRequest> m_incoming; // enqueued, not yet in m_jobs (see admitIncoming)
    QHash<QString, int> m_jobIndex;
    QHash<quint64, int> m_attempts; // attempt id → job index
    RunOptions m_options;
    quint64 m_nextAttemptId = 0;
    int m_inFlight = 0;
    int m_unfinished = 0;
    bool m_running = false;
    bool m_cancellingAll = false;
    bool m_inPump = false;
    bool m_holdFirstWave = false; // until the pre-opened connections are ready (or the cap)
    bool m_dispatchHeld = false;
};

} // namespace Slopscope
