#include "run/RunSession.h"

#include "engine/EnvSecretSource.h"
#include "engine/RunScheduler.h"
#include "quality/Statistics.h"
#include "run/EmbeddedSimulator.h"

#include <QCoreApplication>
#include <QSet>

#include <algorithm>
#include <cmath>

namespace Slopscope {

namespace {

// Keys from the environment, and a fixed local key for providers answered by the embedded
// simulator (it checks that a key is sent, not which one).
class RunSecrets final : public SecretSource
{
public:
    explicit RunSecrets(QSet<QString> simulatedNames)
        : m_simulated(std::move(simulatedNames))
    {}
    [[nodiscard]] std::optional<QString> secret(const QString &name) const override
    {
        if (auto fromEnv = m_env.secret(name))
            return fromEnv;
        if (m_simulated.contains(name))
            return QStringLiteral("sk-sim-local");
        return std::nullopt;
    }

private:
    EnvSecretSource m_env;
    QSet<QString> m_simulated;
};

// The metrics library's flat timeline, from the engine's per-attempt record: the answering
// (last) attempt's stamps, with the queue time and the attempt count of the whole job.
Timeline toTimeline(const JobResult &job)
{
    Timeline t;
    t.queued = job.timeline.queuedNs;
    t.attempts = job.attempts();
    t.streamed = job.result.streamed;
    if (!job.timeline.attempts.isEmpty()) {
        const AttemptRecord &last = job.timeline.attempts.last();
        t.sent = last.sentNs ? last.sentNs : last.startedNs;
        t.headers = last.headersNs;
        t.firstByte = last.firstByteNs;
        t.bytesReceived = last.bytesReceived;
        for (const DeltaStamp &d : last.deltas)
            t.addChunk(d.atNs, d.kind, static_cast<qint32>(d.chars));
        t.end = last.endNs;
    }
    if (job.timeline.endNs)
        t.end = job.timeline.endNs;
    return t;
}

std::optional<double> percentile(QList<double> values, double q)
{
    if (values.isEmpty())
        return std::nullopt;
    std::sort(values.begin(), values.end());
    const auto rank = static_cast<qsizetype>(std::ceil(q * static_cast<double>(values.size())));
    return values.at(std::clamp<qsizetype>(rank - 1, 0, values.size() - 1));
}

bool counts(const CellResult &cell)
{
    return cell.job.state != JobState::Cancelled;
}

// FNV-1a of the UTF-8 bytes: the same seed for the same target on every machine and Qt version
// (qHash may use a different algorithm per CPU), so intervals are reproducible.
std::uint64_t stableSeed(const QString &text)
{
    std::uint64_t h = 1469598103934665603ULL;
    for (const char byte : text.toUtf8()) {
        h ^= static_cast<unsigned char>(byte);
        h *= 1099511628211ULL;
    }
    return h;
}

QString jobIdOf(const CellResult &cell)
{
    return cell.job.jobId.isEmpty()
               ? QStringLiteral("%1|%2|%3|%4").arg(cell.caseId, cell.variantId).arg(cell.repeat).arg(cell.job.targetId)
               : cell.job.jobId;
}

// Loaded once per process and only when a real provider needs it (it is a 1.6 MB table).
const PriceCatalogue *bundledCatalogue()
{
    static const std::optional<PriceCatalogue> catalogue = []() -> std::optional<PriceCatalogue> {
        auto loaded = PriceCatalogue::loadBundled();
        if (!loaded) {
            qWarning("Slopscope: the bundled price catalogue did not load: %s", qPrintable(loaded.error()));
            return std::nullopt;
        }
        return std::move(loaded).value();
    }();
    return catalogue ? &*catalogue : nullptr;
}

} // namespace

RunSession::RunSession(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<Slopscope::CellResult>();
    qRegisterMetaType<Slopscope::TargetSummary>();
    m_summaryTimer.setSingleShot(true);
    m_summaryTimer.setInterval(kSummaryIntervalMs);
    connect(&m_summaryTimer, &QTimer::timeout, this, &RunSession::flushSummaries);
}

RunSession::~RunSession()
{
    // The scheduler (a child) goes first so no stream outlives the simulator it talks to.
    delete m_scheduler;
    m_scheduler = nullptr;
}

Result<QList<ChatRequest>> RunSession::expandJobs(const RunSpec &spec)
{
    QList<const TargetConfig *> targets;
    if (spec.targetIds.isEmpty()) {
        for (const auto &t : spec.workspace.targets)
            targets.append(&t);
    } else {
        for (const auto &id : spec.targetIds) {
            const TargetConfig *t = spec.workspace.target(id);
            if (!t)
                return Error{tr("The workspace has no target \"%1\".").arg(id)};
            targets.append(t);
        }
    }
    if (targets.isEmpty())
        return Error{tr("No target is selected.")};
    QList<const SuiteCase *> cases;
    for (const auto &c : spec.suite.cases) {
        if (spec.caseIds.isEmpty() || spec.caseIds.contains(c.id))
            cases.append(&c);
    }
    if (cases.isEmpty())
        return Error{tr("The suite has no case to run.")};
    if (spec.repeats < 1)
        return Error{tr("Repeats must be at least 1.")};

    QSet<QString> answered;
    for (const CellResult &done : spec.completed)
        answered.insert(jobIdOf(done));

    QList<ChatRequest> jobs;
    for (const SuiteCase *c : std::as_const(cases)) {
        QList<const CaseVariant *> forms{nullptr};
        if (spec.variants) {
            for (const auto &v : c->variants)
                forms.append(&v);
        }
        for (const CaseVariant *variant : std::as_const(forms)) {
            for (int repeat = 0; repeat < spec.repeats; ++repeat) {
                for (const TargetConfig *t : std::as_const(targets)) {
                    ChatRequest r;
                    r.targetId = t->id;
                    r.providerId = t->providerId;
                    r.model = t->model;
                    r.params = t->params;
                    r.messages = spec.suite.messagesFor(*c, variant);
                    r.caseId = c->id;
                    r.variantId = variant ? variant->id : QString();
                    r.repeat = repeat;
                    r.seed = spec.seed;
                    r.id = QStringLiteral("%1|%2|%3|%4").arg(c->id, r.variantId).arg(repeat).arg(t->id);
                    if (!answered.contains(r.id))
                        jobs.append(std::move(r));
                }
            }
        }
    }
    return jobs;
}

Status RunSession::start(const RunSpec &spec)
{
    if (m_running)
        return Error{tr("A run is already going.")};
    auto jobs = expandJobs(spec);
    if (!jobs)
        return Error{jobs.error()};
    if (jobs.value().isEmpty())
        return Error{tr("Every cell of this run is already answered; there is nothing to resume.")};

    QSet<QString> simulatedKeys;
    bool needsSimulator = false;
    for (const auto &p : spec.workspace.providers) {
        if (p.usesEmbeddedSimulator()) {
            needsSimulator = true;
            if (!p.apiKeyEnv.isEmpty())
                simulatedKeys.insert(p.apiKeyEnv);
        }
    }
    RunScheduler::Dependencies deps = RunScheduler::productionDependencies();
    deps.secrets = std::make_shared<RunSecrets>(simulatedKeys);
    if (needsSimulator) {
        if (!m_simulator)
            m_simulator = std::make_unique<EmbeddedSimulator>();
        auto url = m_simulator->start();
        if (!url)
            return Error{url.error()};
        deps.simulatorBaseUrl = url.value();
    }

    delete m_scheduler;
    m_scheduler = new RunScheduler(std::move(deps), this);
    m_scheduler->setProviders(spec.workspace.providers);
    connect(m_scheduler, &RunScheduler::jobStarted, this, [this](const QString &jobId, int attempt) {
        const ChatRequest &r = m_jobs[jobId];
        Q_EMIT cellStarted(jobId, r.targetId, r.caseId, attempt);
    });
    connect(m_scheduler, &RunScheduler::jobContent, this,
            [this](const QString &jobId, const QList<ContentDelta> &deltas) {
                Q_EMIT cellContent(jobId, m_jobs.value(jobId).targetId, deltas);
            });
    connect(m_scheduler, &RunScheduler::jobFinished, this, &RunSession::onJobFinished);
    connect(m_scheduler, &RunScheduler::providerStatusChanged, this, &RunSession::providerStatusChanged);
    connect(m_scheduler, &RunScheduler::runFinished, this, &RunSession::onRunFinished);

    m_spec = spec;
    m_jobs.clear();
    for (const auto &j : jobs.value())
        m_jobs.insert(j.id, j);
    m_schedules.clear();
    bool needsCatalogue = false;
    for (const TargetConfig &t : spec.workspace.targets) {
        const ProviderConfig *p = spec.workspace.provider(t.providerId);
        needsCatalogue = needsCatalogue || (p && !p->usesEmbeddedSimulator() && !p->simulated);
    }
    const PriceCatalogue *catalogue = needsCatalogue ? bundledCatalogue() : nullptr;
    m_catalogueInfo = catalogue ? catalogue->info() : CatalogueInfo{};
    for (const TargetConfig &t : spec.workspace.targets)
        m_schedules.insert(t.id, priceScheduleFor(spec.workspace, t, catalogue));
    m_results.clear();
    m_cellsByTarget.clear();
    m_dirtyTargets.clear();
    m_done = 0;
    m_prior = 0;
    m_spentUsd = 0;
    m_cancelled = false;
    m_stopReason.clear();
    for (const CellResult &earlier : spec.completed) {
        addCell(earlier);
        ++m_prior;
    }

    RunOptions options;
    options.seed = spec.seed;
    options.oneProviderAtATime = spec.oneProviderAtATime;
    options.globalConcurrency = spec.globalConcurrency;
    m_running = true;
    if (Status started = m_scheduler->start(jobs.value(), options); !started.ok()) {
        m_running = false;
        return started;
    }
    Q_EMIT runStarted(total());
    Q_EMIT progress(m_done, total(), m_spentUsd);
    if (!m_dirtyTargets.isEmpty())
        flushSummaries();
    return {};
}

void RunSession::cancel()
{
    if (!m_running || !m_scheduler)
        return;
    m_cancelled = true;
    if (m_stopReason.isEmpty())
        m_stopReason = tr("cancelled");
    m_scheduler->cancelAll();
}

void RunSession::onJobFinished(const JobResult &job)
{
    const ChatRequest request = m_jobs.value(job.jobId);
    const SuiteCase *suiteCase = m_spec.suite.findCase(request.caseId);

    CellResult cell;
    cell.job = job;
    cell.caseId = request.caseId;
    cell.variantId = request.variantId;
    cell.repeat = request.repeat;
    cell.metrics = computeMetrics(toTimeline(job), job.result.usage);
    cell.cost = CostCalculator::requestCost(job.result.usage, m_schedules.value(request.targetId));
    if (job.state == JobState::Completed && suiteCase) {
        GradeInput input;
        input.answer = job.result.text;
        input.reference = suiteCase->reference;
        if (cell.metrics.e2eNs)
            input.latencyMs = static_cast<double>(*cell.metrics.e2eNs) / 1e6;
        input.costUsd = cell.cost.usd;
        cell.grade = Grader::gradeAll(m_spec.suite.defaults.assertions + suiteCase->assertions, input);
    } else {
        // No complete answer: it fails every check rather than vanishing from the quality figure.
        cell.grade.pass = false;
        cell.grade.score = 0.0;
    }
    addCell(cell);
    Q_EMIT cellFinished(cell);
    if (!m_summaryTimer.isActive())
        m_summaryTimer.start();
    Q_EMIT progress(m_done, total(), m_spentUsd);

    if (m_spec.maxCostUsd && m_spentUsd >= *m_spec.maxCostUsd && !m_cancelled) {
        m_stopReason = tr("spend cap of $%1 reached").arg(*m_spec.maxCostUsd);
        cancel();
    }
}

void RunSession::addCell(const CellResult &cell)
{
    if (cell.cost.usd)
        m_spentUsd += *cell.cost.usd;
    ++m_done;
    m_results.append(cell);
    // Cells share their text and timeline with m_results (implicit sharing), so the per-target
    // index costs little and spares a scan of the whole run on every result.
    m_cellsByTarget[cell.job.targetId].append(cell);
    m_dirtyTargets.insert(cell.job.targetId);
}

void RunSession::flushSummaries()
{
    m_summaryTimer.stop();
    QStringList ids(m_dirtyTargets.cbegin(), m_dirtyTargets.cend());
    ids.sort();
    m_dirtyTargets.clear();
    for (const QString &id : std::as_const(ids)) {
        if (!m_spec.workspace.target(id))
            continue;
        Q_EMIT summaryChanged(summarize(id, m_cellsByTarget.value(id), m_schedules.value(id).at(std::nullopt)));
    }
}

void RunSession::onRunFinished()
{
    flushSummaries(); // the final figures, before anyone hears that the run ended
    m_running = false;
    Q_EMIT runFinished(m_cancelled);
}

PriceSchedule RunSession::priceScheduleFor(const Workspace &workspace, const TargetConfig &target,
                                           const PriceCatalogue *catalogue)
{
    const ProviderConfig *provider = workspace.provider(target.providerId);
    const bool simulated = !provider || provider->usesEmbeddedSimulator() || provider->simulated;
    if (simulated || !catalogue) {
        PriceSchedule own;
        own.base = target.price;
        return own;
    }
    return catalogue->resolve(provider->id, target.model, target.price);
}

QList<TargetSummary> RunSession::summaries() const
{
    QList<TargetSummary> out;
    QStringList ids = m_spec.targetIds;
    if (ids.isEmpty()) {
        for (const auto &t : m_spec.workspace.targets)
            ids.append(t.id);
    }
    for (const auto &id : std::as_const(ids)) {
        out.append(summarize(id, m_cellsByTarget.value(id), m_schedules.value(id).at(std::nullopt)));
    }
    return out;
}

TargetSummary RunSession::summarize(const QString &targetId, const QList<CellResult> &cells, const Price &price)
{
    TargetSummary s;
    s.targetId = targetId;
    // Per case: the mean score over repeats, canonical wording and rewordings apart.
    QHash<QString, QList<double>> canonical;
    QHash<QString, QList<double>> reworded;
    QHash<QString, double> caseCost;
    QSet<QString> unknownCostCases;
    QList<double> ttfts;
    QList<double> latencies;
    QList<double> speeds;
    for (const auto &c : cells) {
        if (!counts(c))
            continue;
        ++s.cells;
        if (c.job.state != JobState::Completed)
            ++s.failed;
        (c.variantId.isEmpty() ? canonical : reworded)[c.caseId].append(c.grade.score);
        if (c.cost.usd) {
            caseCost[c.caseId] += *c.cost.usd;
            s.spentUsd += *c.cost.usd;
        } else {
            unknownCostCases.insert(c.caseId);
            ++s.unknownCost;
        }
        if (c.metrics.ttftNs)
            ttfts.append(static_cast<double>(*c.metrics.ttftNs) / 1e6);
        if (c.metrics.e2eNs)
            latencies.append(static_cast<double>(*c.metrics.e2eNs) / 1e6);
        if (c.metrics.decodeTokensPerSecond)
            speeds.append(*c.metrics.decodeTokensPerSecond);
    }
    auto caseMeans = [](const QHash<QString, QList<double>> &byCase) {
        QList<double> means;
        QStringList keys = byCase.keys();
        keys.sort(); // a stable order keeps the seeded bootstrap reproducible
        for (const auto &k : keys)
            means.append(Stats::weightedMean(byCase.value(k)));
        return means;
    };
    const QList<double> quality = caseMeans(canonical);
    s.cases = quality.size();
    if (!quality.isEmpty()) {
        const Stats::Interval iv = Stats::bootstrapMean(quality, {}, stableSeed(targetId));
        s.quality = iv.estimate;
        s.qualityLow = iv.low;
        s.qualityHigh = iv.high;
    }
    const QList<double> variantQuality = caseMeans(reworded);
    if (!variantQuality.isEmpty())
        s.variantQuality = Stats::weightedMean(variantQuality);
    // Brittleness pairs each case's canonical mean with its reworded mean, so cases run in only
    // one form do not tilt it.
    QList<double> pairedCanonical;
    QList<double> pairedReworded;
    QStringList both = reworded.keys();
    both.sort();
    for (const QString &caseId : std::as_const(both)) {
        if (!canonical.contains(caseId))
            continue;
        pairedCanonical.append(Stats::weightedMean(canonical.value(caseId)));
        pairedReworded.append(Stats::weightedMean(reworded.value(caseId)));
    }
    if (!pairedCanonical.isEmpty()) {
        const Stats::PairedComparison drop =
            Stats::pairedBootstrap(pairedCanonical, pairedReworded, stableSeed(targetId) ^ 0x9e3779b97f4a7c15ULL);
        s.brittleness = drop.difference.estimate;
        s.brittlenessLow = drop.difference.low;
        s.brittlenessHigh = drop.difference.high;
    }
    // Cost per 1,000 cases only when every case's cost is known: a partial sum would flatter.
    if (!caseCost.isEmpty() && unknownCostCases.isEmpty()) {
        double sum = 0;
        for (double v : std::as_const(caseCost))
            sum += v;
        s.costPer1000Cases = sum / static_cast<double>(caseCost.size()) * 1000.0;
    }
    s.blendedPricePerMTok = CostCalculator::blendedPerMTok(price, 3, 1);
    s.medianTtftMs = percentile(ttfts, 0.5);
    s.p95LatencyMs = percentile(latencies, 0.95);
    s.medianDecodeTokensPerSecond = percentile(speeds, 0.5);
    return s;
}

} // namespace Slopscope
