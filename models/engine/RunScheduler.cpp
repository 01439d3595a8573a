#include "engine/RunScheduler.h"

#include "engine/EngineText.h"
#include "engine/NetworkWorker.h"
#include "engine/Preconnector.h"
#include "engine/ProxyRules.h"
#include "engine/RateLimitHeaders.h"
#include "engine/RequestBuilder.h"
#include "engine/SecretSource.h"
#include "engine/TraceLog.h"

#include <QProcessEnvironment>
#include <QSet>
#include <QTimer>

#include <algorithm>
#include <cmath>

namespace Slopscope {

namespace {

// Failures that a machine going offline causes: while it is offline they cost no retry.
bool isNetworkFailure(FailureKind kind)
{
    using K = FailureKind;
    return kind == K::ConnectionLost || kind == K::RemoteClosed || kind == K::HostNotFound ||
           kind == K::ConnectionRefused || kind == K::Proxy || kind == K::Network || kind == K::ConnectTimeout ||
           kind == K::FirstByteTimeout || kind == K::IdleTimeout;
}

class NoSecrets final : public SecretSource
{
public:
    [[nodiscard]] std::optional<SecretString> secret(const QString &) const override { return std::nullopt; }
};

} // namespace

RunScheduler::RunScheduler(Dependencies dependencies, QObject *parent)
    : QObject(parent)
    , m_deps(std::move(dependencies))
{
    qRegisterMetaType<Slopscope::AttemptReport>();
    qRegisterMetaType<Slopscope::JobResult>();
    qRegisterMetaType<Slopscope::ProviderStatus>();
    qRegisterMetaType<QList<Slopscope::ContentDelta>>();
    qRegisterMetaType<QList<QPair<QByteArray, QByteArray>>>();
    if (!m_deps.clock)
        m_deps.clock = steadyClock();
    if (!m_deps.secrets)
        m_deps.secrets = std::make_shared<NoSecrets>();
    if (!m_deps.wallClock)
        m_deps.wallClock = [] { return QDateTime::currentDateTimeUtc(); };
    m_elapsed.start();
    m_pool = new NetworkPool(m_deps.networkThreads, this);
    for (int i = 0; i < m_pool->threadCount(); ++i) {
        NetworkWorker *worker = m_pool->worker(i);
        connect(worker, &NetworkWorker::content, this, &RunScheduler::onContent);
        connect(worker, &NetworkWorker::rateLimitHeaders, this, &RunScheduler::onRateLimitHeaders);
        connect(worker, &NetworkWorker::attemptFinished, this, &RunScheduler::onAttemptFinished);
    }
    if (m_deps.reachability)
        connect(m_deps.reachability.get(), &NetworkReachability::changed, this, &RunScheduler::pump);
    m_preconnector = new Preconnector(m_pool, this);
    connect(m_preconnector, &Preconnector::ready, this, [this] {
        m_holdFirstWave = false;
        pump();
    });
    m_pumpTimer = new QTimer(this);
    m_pumpTimer->setSingleShot(true);
    m_pumpTimer->setTimerType(Qt::PreciseTimer);
    connect(m_pumpTimer, &QTimer::timeout, this, [this] {
        m_pumpAtMs = -1;
        pump();
    });
}

RunScheduler::~RunScheduler()
{
    // The pool (a child) stops its threads; silence the workers first so nothing arrives half-way.
    for (int i = 0; i < m_pool->threadCount(); ++i) {
        disconnect(m_pool->worker(i), nullptr, this, nullptr);
        disconnect(m_pool->worker(i), nullptr, m_preconnector, nullptr);
    }
}

void RunScheduler::setProviders(const QList<ProviderConfig> &providers)
{
    m_providerConfigs.clear();
    for (const auto &p : providers)
        m_providerConfigs.insert(p.id, p);
}

void RunScheduler::setProviderLimits(const QString &providerId, const ProviderLimits &limits)
{
    m_limits.insert(providerId, limits);
}

void RunScheduler::setHttp2PriorKnowledge(const QString &providerId, bool enabled)
{
    if (enabled)
        m_http2PriorKnowledge.insert(providerId);
    else
        m_http2PriorKnowledge.remove(providerId);
}

Status RunScheduler::start(const QList<ChatRequest> &jobs, const RunOptions &options)
{
    if (m_running)
        return Error{tr("A run is already going")};
    QSet<QString> ids;
    for (const auto &j : jobs) {
        if (!m_providerConfigs.contains(j.providerId))
            return Error{tr("Job %1 names the unknown provider \"%2\"").arg(j.id, j.providerId)};
        if (j.id.isEmpty() || ids.contains(j.id))
            return Error{tr("Job ids must be unique and not empty (\"%1\")").arg(j.id)};
        ids.insert(j.id);
    }
    // Read at each start, so that a proxy set or fixed since the last run counts.
    auto proxyRules = ProxyRules::fromEnvironment(QProcessEnvironment::systemEnvironment());
    if (!proxyRules)
        return Error{proxyRules.error()};
    if (auto added = proxyRules.value().addProviders(m_providerConfigs.values()); !added)
        return Error{added.error()};
    proxyRules.value().addBypass(options.noProxy);
    proxyRules.value().setCredentials(options.proxyUser, options.proxyPassword);
    const auto rules = std::make_shared<const ProxyRules>(std::move(proxyRules).value());
    m_pool->setProxyRules(rules);
    m_options = options;
    m_options.globalConcurrency = std::max(1, m_options.globalConcurrency);
    m_jobs.clear();
    m_jobIndex.clear();
    m_attempts.clear();
    m_providers.clear();
    m_incoming.clear();
    m_cancellingAll = false;
    m_holdFirstWave = false;
    m_lastLaunchNs = -1;

    const QList<int> order = dispatchOrder(jobs, options.seed, options.oneProviderAtATime);
    QHash<QString, int> providerIndex;
    const qint64 queuedNs = m_deps.clock();
    m_jobs.resize(static_cast<std::size_t>(jobs.size()));
    for (int seq = 0; seq < order.size(); ++seq) {
        const int i = order[seq];
        const ChatRequest &r = jobs[i];
        auto pit = providerIndex.find(r.providerId);
        if (pit == providerIndex.end()) {
            pit = providerIndex.insert(r.providerId, static_cast<int>(m_providers.size()));
            m_providers.push_back(makeProvider(r.providerId));
        }
        Job &job = m_jobs[static_cast<std::size_t>(i)];
        job.request = r;
        job.provider = pit.value();
        job.seq = seq;
        job.estimatedTokens = RequestBuilder::estimateTokens(r);
        job.timeline.queuedNs = queuedNs;
        Provider &p = m_providers[static_cast<std::size_t>(job.provider)];
        p.queue.push_back(i);
        ++p.unfinished;
        m_jobIndex.insert(r.id, i);
    }
    m_unfinished = static_cast<int>(jobs.size());
    m_running = true;
    if (m_unfinished == 0) {
        m_running = false;
        QTimer::singleShot(0, this, &RunScheduler::runFinished);
        return {};
    }
    m_pool->clearWarm(); // an earlier run's plan: its connections may have closed since
    if (!m_options.preconnect || !preconnectFirstWave(*rules))
        pump();
    return {};
}

RunScheduler::Provider RunScheduler::makeProvider(const QString &providerId) const
{
    Provider p;
    p.config = m_providerConfigs.value(providerId);
    p.limits = m_limits.value(providerId, ProviderLimits{p.config.maxConcurrency, 0, 0});
    p.limits.maxConcurrency = std::max(1, p.limits.maxConcurrency);
    p.rank = static_cast<int>(m_providers.size());
    p.retryBudget = RetryBudget(m_options.retryBudgetFloor, m_options.retryBudgetRatio, m_options.rateWindowMs);
    if (const auto base = RequestBuilder::baseUrl(p.config, m_deps.simulatorBaseUrl)) {
        p.host = base.value().host();
        // The user's consent for this host (S-7) stands in for the workspace's flag; only for
        // this run's copy, so nothing of it reaches the workspace file or the history.
        if (m_options.plainHttpKeyHosts.contains(p.host.toLower(), Qt::CaseInsensitive))
            p.config.allowInsecureKey = true;
    }
    return p;
}

bool RunScheduler::reachable(const Provider &p) const
{
    return !m_deps.reachability || p.host.isEmpty() || m_deps.reachability->canReach(p.host);
}

qint64 RunScheduler::attemptsInWindow(const Provider &p, qint64 now) const
{
    const qint64 window = std::max<qint64>(1, m_options.rateWindowMs);
    return std::count_if(p.window.begin(), p.window.end(),
                         [&](const auto &entry) { return entry.first + window > now; });
}

Status RunScheduler::enqueue(const QList<ChatRequest> &jobs)
{
    if (!m_running || m_cancellingAll)
        return Error{tr("No run is going to add jobs to")};
    QSet<QString> ids;
    for (const ChatRequest &queued : std::as_const(m_incoming))
        ids.insert(queued.id);
    for (const auto &j : jobs) {
        if (!m_providerConfigs.contains(j.providerId))
            return Error{tr("Job %1 names the unknown provider \"%2\"").arg(j.id, j.providerId)};
        if (j.id.isEmpty() || ids.contains(j.id) || m_jobIndex.contains(j.id))
            return Error{tr("Job ids must be unique and not empty (\"%1\")").arg(j.id)};
        ids.insert(j.id);
    }
    // Counted at once so the run cannot end before they ran; placed in m_jobs only at the next pump,
    // because a caller up the stack (a jobFinished slot) may hold references into m_jobs/m_providers.
    m_incoming.append(jobs);
    m_unfinished += static_cast<int>(jobs.size());
    QTimer::singleShot(0, this, &RunScheduler::pump);
    return {};
}

void RunScheduler::admitIncoming()
{
    if (m_incoming.isEmpty())
        return;
    const QList<ChatRequest> incoming = std::exchange(m_incoming, {});
    const qint64 queuedNs = m_deps.clock();
    for (const ChatRequest &r : incoming) {
        int providerIndex = -1;
        for (int i = 0; i < static_cast<int>(m_providers.size()); ++i) {
            if (m_providers[static_cast<std::size_t>(i)].config.id == r.providerId) {
                providerIndex = i;
                break;
            }
        }
        if (providerIndex < 0) {
            providerIndex = static_cast<int>(m_providers.size());
            m_providers.push_back(makeProvider(r.providerId));
        }
        const int index = static_cast<int>(m_jobs.size());
        Job job;
        job.request = r;
        job.provider = providerIndex;
        job.seq = index; // after every job of the original order
        job.estimatedTokens = RequestBuilder::estimateTokens(r);
        job.timeline.queuedNs = queuedNs;
        m_jobs.push_back(std::move(job));
        Provider &p = m_providers[static_cast<std::size_t>(providerIndex)];
        p.queue.push_back(index);
        ++p.unfinished;
        m_jobIndex.insert(r.id, index);
    }
}

bool RunScheduler::rateBlocked(Provider &p, const Job &job, qint64 now, qint64 *wakeAtMs) const
{
    const qint64 window = std::max<qint64>(1, m_options.rateWindowMs);
    while (!p.window.empty() && p.window.front().first + window <= now)
        p.window.pop_front();
    if (p.window.empty())
        return false;
    const qint64 freeAt = p.window.front().first + window;
    if (p.limits.requestsPerMinute > 0 && static_cast<qint64>(p.window.size()) >= p.limits.requestsPerMinute) {
        *wakeAtMs = freeAt;
        return true;
    }
    if (p.limits.tokensPerMinute > 0) {
        qint64 used = 0;
        for (const auto &entry : p.window)
            used += entry.second;
        // A job bigger than the whole budget still runs, alone in its window.
        if (used + job.estimatedTokens > p.limits.tokensPerMinute) {
            *wakeAtMs = freeAt;
            return true;
        }
    }
    return false;
}

void RunScheduler::pump()
{
    if (!m_running || m_inPump || m_cancellingAll || m_holdFirstWave)
        return;
    admitIncoming();
    m_inPump = true;
    const qint64 now = nowMs();
    qint64 wakeAt = -1;
    const auto wake = [&wakeAt](qint64 at) { wakeAt = wakeAt < 0 ? at : std::min(wakeAt, at); };

    int current = -1; // one provider at a time: the first (by rank) with work left
    if (m_options.oneProviderAtATime) {
        for (int i = 0; i < static_cast<int>(m_providers.size()); ++i) {
            if (m_providers[static_cast<std::size_t>(i)].unfinished > 0) {
                current = i;
                break;
            }
        }
    }
    for (int i = 0; i < static_cast<int>(m_providers.size()); ++i) {
        Provider &p = m_providers[static_cast<std::size_t>(i)];
        if (p.stopped)
            continue;
        const bool canReach = reachable(p);
        if (!canReach && p.reported != ProviderStatus::State::Offline && p.unfinished > 0)
            setStatus(i, ProviderStatus::State::Offline, 0, tr("offline — waiting for the network"));
        else if (canReach && p.reported == ProviderStatus::State::Offline)
            setStatus(i, ProviderStatus::State::Active, 0, {});
        if (p.reported != ProviderStatus::State::RateLimited)
            continue;
        if (p.pausedUntilMs <= now)
            setStatus(i, ProviderStatus::State::Active, 0, {});
        else
            wake(p.pausedUntilMs); // so the status returns to Active on time, queue or not
    }

    while (m_running && !m_dispatchHeld && m_inFlight < m_options.globalConcurrency) {
        int best = -1;
        for (int pi = 0; pi < static_cast<int>(m_providers.size()); ++pi) {
            if (current >= 0 && pi != current)
                continue;
            Provider &p = m_providers[static_cast<std::size_t>(pi)];
            if (p.stopped || (p.queue.empty() && p.waiting.isEmpty()) || !reachable(p))
                continue;
            if (p.pausedUntilMs > now) {
                wake(p.pausedUntilMs);
                continue;
            }
            if (p.inFlight >= p.limits.maxConcurrency)
                continue;
            int candidate = -1;
            for (int j : std::as_const(p.waiting)) {
                const Job &w = m_jobs[static_cast<std::size_t>(j)];
                if (w.readyAtMs > now)
                    wake(w.readyAtMs);
                else if (candidate < 0 || w.seq < m_jobs[static_cast<std::size_t>(candidate)].seq)
                    candidate = j;
            }
            if (candidate < 0 && !p.queue.empty())
                candidate = p.queue.front();
            if (candidate < 0)
                continue;
            qint64 freeAt = 0;
            if (rateBlocked(p, m_jobs[static_cast<std::size_t>(candidate)], now, &freeAt)) {
                wake(freeAt);
                continue;
            }
            if (best < 0 ||
                m_jobs[static_cast<std::size_t>(candidate)].seq < m_jobs[static_cast<std::size_t>(best)].seq)
                best = candidate;
        }
        if (best < 0)
            break;
        if (const qint64 waitNs = launchSpacingLeftNs(); waitNs > 0) {
            wake(now + std::max<qint64>(1, (waitNs + 999'999) / 1'000'000));
            break;
        }
        m_lastLaunchNs = m_elapsed.nsecsElapsed();
        launch(best);
    }
    m_inPump = false;
    if (wakeAt >= 0 && m_running && (m_pumpAtMs < 0 || wakeAt < m_pumpAtMs)) {
        m_pumpAtMs = wakeAt;
        m_pumpTimer->start(static_cast<int>(std::clamp<qint64>(wakeAt - now, 0, INT_MAX)));
    }
}

void RunScheduler::removeFromQueues(int jobIndex)
{
    Job &job = m_jobs[static_cast<std::size_t>(jobIndex)];
    Provider &p = m_providers[static_cast<std::size_t>(job.provider)];
    p.waiting.removeOne(jobIndex);
    const auto it = std::find(p.queue.begin(), p.queue.end(), jobIndex);
    if (it != p.queue.end())
        p.queue.erase(it);
}

void RunScheduler::launch(int jobIndex)
{
    Job &job = m_jobs[static_cast<std::size_t>(jobIndex)];
    Provider &p = m_providers[static_cast<std::size_t>(job.provider)];
    removeFromQueues(jobIndex);

    // A missing key or secret header is missing for every job of the provider: stop it, so its
    // status says so ("key missing") and the keychain is not asked again for each job.
    const int providerIndex = job.provider;
    auto key = RequestBuilder::resolveKey(p.config, *m_deps.secrets);
    if (!key) {
        finishJob(jobIndex, JobState::Failed, FailureKind::NotSent, key.error());
        stopProvider(providerIndex, key.error());
        return;
    }
    auto secretHeaders = RequestBuilder::resolveSecretHeaders(p.config, *m_deps.secrets);
    if (!secretHeaders) {
        finishJob(jobIndex, JobState::Failed, FailureKind::NotSent, secretHeaders.error());
        stopProvider(providerIndex, secretHeaders.error());
        return;
    }
    auto prepared =
        RequestBuilder::build(job.request, p.config, key.value(), m_deps.simulatorBaseUrl, secretHeaders.value());
    if (!prepared) {
        finishJob(jobIndex, JobState::Failed, FailureKind::NotSent, prepared.error());
        return;
    }
    prepared.value().http2PriorKnowledge = m_http2PriorKnowledge.contains(p.config.id);
    const NetworkPool::Slot slot = m_pool->acquire(prepared.value().hostKey());
    const quint64 attemptId = ++m_nextAttemptId;
    m_attempts.insert(attemptId, jobIndex);
    job.attemptId = attemptId;
    job.slot = slot;
    job.state = JobState::Running;
    ++p.inFlight;
    ++m_inFlight;
    p.window.emplace_back(nowMs(), job.estimatedTokens);

    StreamHandler::Options options;
    options.timeouts = p.config.timeouts;
    options.decoderFactory = m_deps.decoderFactory;
    options.clock = m_deps.clock;
    options.batchIntervalMs = m_options.batchIntervalMs;
    options.maxResponseBytes = m_options.maxResponseBytes;
    options.attemptIndex = static_cast<int>(job.timeline.attempts.size());
    options.waitBeforeMs = job.nextWaitMs;
    qCDebug(lcRun).noquote() << "launch" << job.request.id << "on" << p.config.id << "attempt"
                             << options.attemptIndex + 1 << "in flight" << p.inFlight << "of"
                             << p.limits.maxConcurrency;
    NetworkWorker *worker = m_pool->worker(slot.worker);
    QMetaObject::invokeMethod(
        worker,
        [worker, attemptId, manager = slot.manager, request = std::move(prepared).value(), options] {
            worker->startAttempt(attemptId, manager, request, options);
        },
        Qt::QueuedConnection);
    emit jobStarted(job.request.id, options.attemptIndex);
}

void RunScheduler::onContent(quint64 attemptId, const QList<ContentDelta> &deltas)
{
    const int index = m_attempts.value(attemptId, -1);
    if (index >= 0)
        emit jobContent(m_jobs[static_cast<std::size_t>(index)].request.id, deltas);
}

void RunScheduler::onRateLimitHeaders(quint64 attemptId, const QList<QPair<QByteArray, QByteArray>> &headers)
{
    const int index = m_attempts.value(attemptId, -1);
    if (index < 0)
        return;
    const RateLimitHeaders limits = RateLimitHeaders::parse(headers, m_deps.wallClock());
    const std::optional<qint64> pause = limits.pauseMs();
    if (!pause || *pause <= 0)
        return;
    const qint64 now = nowMs();
    pauseProvider(m_jobs[static_cast<std::size_t>(index)].provider, now + *pause, now,
                  tr("rate limit used up (provider headers)"));
    pump(); // arms the wake-up at the end of the pause
}

void RunScheduler::pauseProvider(int providerIndex, qint64 untilMs, qint64 nowMs, const QString &why)
{
    Provider &p = m_providers[static_cast<std::size_t>(providerIndex)];
    if (untilMs <= p.pausedUntilMs || p.stopped)
        return;
    p.pausedUntilMs = untilMs;
    // Not the clock read again: on a slow machine a millisecond passes in between, and the status
    // would say 29 ms for a 30 ms wait.
    const qint64 delayMs = std::max<qint64>(0, untilMs - nowMs);
    const QString resuming = tr("resuming in %1").arg(EngineText::formatDuration(delayMs));
    qCDebug(lcRun).noquote() << "pause" << p.config.id << "for" << delayMs << "ms:" << why;
    setStatus(providerIndex, ProviderStatus::State::RateLimited, delayMs,
              why.isEmpty() ? tr("rate-limited, %1").arg(resuming) : tr("%1, %2").arg(why, resuming),
              why.isEmpty() ? tr("rate-limited") : why);
}

void RunScheduler::onAttemptFinished(quint64 attemptId, const AttemptReport &report)
{
    const auto it = m_attempts.find(attemptId);
    if (it == m_attempts.end())
        return;
    const int index = it.value();
    m_attempts.erase(it);
    Job &job = m_jobs[static_cast<std::size_t>(index)];
    Provider &p = m_providers[static_cast<std::size_t>(job.provider)];
    m_pool->release(job.slot);
    job.slot = {};
    job.attemptId = 0;
    --p.inFlight;
    --m_inFlight;
    job.timeline.attempts.append(report.record);
    job.lastResult = report.result;

    const FailureKind failure = report.record.failure;
    if (failure == FailureKind::None) {
        finishJob(index, JobState::Completed, failure, {});
    } else if (failure == FailureKind::Cancelled) {
        finishJob(index, JobState::Cancelled, failure, {});
    } else if (isNetworkFailure(failure) && !report.record.contentDelivered() && !reachable(p) &&
               !job.cancelRequested && !m_cancellingAll && !p.stopped) {
        // The machine went offline under this attempt: wait for the network, spending no retry.
        ++job.offlineFailures;
        job.state = JobState::Waiting;
        job.readyAtMs = nowMs();
        job.nextWaitMs = 0;
        p.waiting.append(index);
    } else {
        RetryInput in;
        in.failure = failure;
        in.httpStatus = report.record.httpStatus;
        in.retryAfterMs = report.retryAfterMs;
        in.retryAfter = report.retryAfter;
        in.shouldRetry = report.shouldRetry;
        in.providerError = report.result.error;
        in.errorBody = report.errorBody;
        in.contentDelivered = report.record.contentDelivered();
        in.retryTruncated = m_options.retryTruncated;
        in.retriesTaken = static_cast<int>(job.timeline.attempts.size()) - 1 - job.offlineFailures;
        in.maxRetries = p.config.maxRetries;
        const RetryDecision d = m_deps.retryPolicy.decide(in);
        if (d.retry && !job.cancelRequested && !m_cancellingAll && !p.stopped) {
            const qint64 now = nowMs();
            const qint64 readyAt = now + static_cast<qint64>(std::llround(d.delaySeconds * 1000.0));
            const int recentRetries = p.retryBudget.booked(now);
            const qint64 released = p.retryBudget.book(now, attemptsInWindow(p, now));
            job.state = JobState::Waiting;
            job.readyAtMs = std::max(readyAt, released);
            job.nextWaitMs = job.readyAtMs - now;
            p.waiting.append(index);
            qCDebug(lcRun).noquote() << "retry" << job.request.id << "in" << job.nextWaitMs << "ms after HTTP"
                                     << report.record.httpStatus;
            if (released > now) {
                // The circuit breaker: a provider failing this often is not sent anything new either.
                pauseProvider(job.provider, job.readyAtMs, now,
                              tr("too many failures: %n retries in the last %1", nullptr, recentRetries)
                                  .arg(EngineText::formatDuration(m_options.rateWindowMs)));
            } else if (report.record.httpStatus == 429) {
                // Every other job of this provider would hit the same limit: hold them all.
                pauseProvider(job.provider, job.readyAtMs, now, {});
            }
        } else {
            QString message = report.record.error;
            if (!d.note.isEmpty())
                message += u" — " + d.note;
            else if (m_deps.retryPolicy.isRetryable(in) && in.retriesTaken >= in.maxRetries && in.maxRetries > 0)
                message += u' ' + tr("(gave up after %n attempt(s))", nullptr, in.retriesTaken + 1);
            JobState state = JobState::Failed;
            if (failure == FailureKind::Truncated || failure == FailureKind::ConnectionLost)
                state = JobState::Truncated;
            else if (failure == FailureKind::Incomplete)
                state = JobState::Incomplete;
            const int status = report.record.httpStatus;
            const bool hopeless = failure == FailureKind::HttpStatus &&
                                  (status == 401 || status == 403 || (status == 429 && RetryPolicy::isQuotaError(in)));
            const int provider = job.provider;
            finishJob(index, state, failure, message);
            if (hopeless)
                stopProvider(provider, message);
        }
    }
    pump();
}

void RunScheduler::finishJob(int jobIndex, JobState state, FailureKind failure, const QString &error)
{
    Job &job = m_jobs[static_cast<std::size_t>(jobIndex)];
    job.state = state;
    job.timeline.endNs = m_deps.clock();
    Provider &p = m_providers[static_cast<std::size_t>(job.provider)];
    --p.unfinished;
    --m_unfinished;
    JobResult r;
    r.jobId = job.request.id;
    r.targetId = job.request.targetId;
    r.providerId = job.request.providerId;
    r.state = state;
    r.result = std::move(job.lastResult);
    job.lastResult = {};
    r.failure = failure;
    r.error = error;
    r.timeline = std::move(job.timeline);
    job.timeline = {};
    qCDebug(lcRun).noquote() << "finish" << r.jobId
                             << (state == JobState::Completed   ? QStringLiteral("completed")
                                 : state == JobState::Cancelled ? QStringLiteral("cancelled")
                                                                : QString(u"failed: " + r.error));
    emit jobFinished(r);
    if (m_unfinished == 0 && m_running) {
        m_running = false;
        m_pumpTimer->stop();
        m_pumpAtMs = -1;
        emit runFinished();
    }
}

void RunScheduler::setDispatchHeld(bool held)
{
    if (held == m_dispatchHeld)
        return;
    m_dispatchHeld = held;
    if (!held)
        pump(); // nothing woke up for the jobs that waited meanwhile
}

void RunScheduler::stopProvider(int providerIndex, const QString &reason)
{
    Provider &p = m_providers[static_cast<std::size_t>(providerIndex)];
    if (p.stopped)
        return;
    p.stopped = true;
    // Copied: finishing a job below may reach admitIncoming() (a slot that cancels the run), which
    // can grow m_providers under `p`.
    const QString providerId = p.config.id;
    QList<int> pending(p.waiting);
    for (int j : p.queue)
        pending.append(j);
    p.waiting.clear();
    p.queue.clear();
    qCDebug(lcRun).noquote() << "stop" << providerId << "with" << pending.size() << "job(s) unsent:" << reason;
    setStatus(providerIndex, ProviderStatus::State::Stopped, 0, reason);
    for (int j : std::as_const(pending))
        finishJob(j, JobState::Failed, FailureKind::NotSent,
                  tr("Not sent: provider %1 stopped after an error no retry can fix: %2").arg(providerId, reason));
}

void RunScheduler::setStatus(int providerIndex, ProviderStatus::State state, qint64 resumeInMs, const QString &message,
                             const QString &reason)
{
    Provider &p = m_providers[static_cast<std::size_t>(providerIndex)];
    p.reported = state;
    ProviderStatus s;
    s.providerId = p.config.id;
    s.state = state;
    s.resumeInMs = resumeInMs;
    s.message = message;
    s.reason = reason;
    emit providerStatusChanged(s);
}

void RunScheduler::cancel(const QString &jobId)
{
    const int index = m_jobIndex.value(jobId, -1);
    if (index < 0 || !m_running)
        return;
    Job &job = m_jobs[static_cast<std::size_t>(index)];
    switch (job.state) {
    case JobState::Queued:
    case JobState::Waiting:
        removeFromQueues(index);
        finishJob(index, JobState::Cancelled, FailureKind::Cancelled, {});
        pump();
        break;
    case JobState::Running: {
        job.cancelRequested = true;
        NetworkWorker *worker = m_pool->worker(job.slot.worker);
        const quint64 attemptId = job.attemptId;
        QMetaObject::invokeMethod(
            worker, [worker, attemptId] { worker->cancelAttempt(attemptId); }, Qt::QueuedConnection);
        break;
    }
    default:
        break;
    }
}

void RunScheduler::cancelAll()
{
    if (!m_running)
        return;
    m_cancellingAll = true;
    m_pumpTimer->stop();
    m_pumpAtMs = -1;
    admitIncoming(); // enqueued jobs are cancelled like the queued ones
    for (int i = 0; i < m_pool->threadCount(); ++i) {
        NetworkWorker *worker = m_pool->worker(i);
        QMetaObject::invokeMethod(worker, &NetworkWorker::cancelAll, Qt::QueuedConnection);
    }
    QList<int> pending;
    for (Provider &p : m_providers) {
        for (int j : p.queue)
            pending.append(j);
        pending.append(p.waiting);
        p.queue.clear();
        p.waiting.clear();
    }
    std::sort(pending.begin(), pending.end(), [this](int a, int b) {
        return m_jobs[static_cast<std::size_t>(a)].seq < m_jobs[static_cast<std::size_t>(b)].seq;
    });
    for (int j : std::as_const(pending)) {
        if (!m_running)
            break;
        finishJob(j, JobState::Cancelled, FailureKind::Cancelled, {});
    }
}

} // namespace Slopscope
