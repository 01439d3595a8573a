#include "run/RunSession.h"

#include "engine/EnvSecretSource.h"
#include "engine/KeyringSecrets.h"
#include "engine/RunScheduler.h"
#include "judge/JudgePrompt.h"
#include "judge/PairwiseJudgement.h"
#include "quality/CodeTestQueue.h"
#include "quality/Statistics.h"
#include "run/ChainDriver.h"
#include "run/EmbeddedSimulator.h"
#include "run/JobTimeline.h"
#include "run/RunSessionDetail.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QSet>
#include <QThread>

#include <algorithm>
#include <cmath>

namespace Slopscope {

using namespace RunDetail;

namespace {

// Keys from the environment, then those the app or CLI loaded from the keychain (or entered for
// this session; KeyringSecrets::makeCurrent), and a fixed local key for providers answered by
// the embedded simulator (it checks that a key is sent, not which one).
class RunSecrets final : public SecretSource
{
public:
    explicit RunSecrets(QSet<QString> simulatedNames)
        : m_simulated(std::move(simulatedNames))
    {}
    [[nodiscard]] std::optional<SecretString> secret(const QString &name) const override
    {
        if (auto fromEnv = m_env.secret(name))
            return fromEnv;
        if (auto stored = KeyringSecrets::currentSecret(name))
            return stored;
        if (m_simulated.contains(name))
            return SecretString(u"sk-sim-local");
        return std::nullopt;
    }
    [[nodiscard]] QString keyRefusal(const QString &name, const QString &host) const override
    {
        if (m_env.secret(name))
            return {};
        return KeyringSecrets::currentKeyRefusal(name, host);
    }

private:
    EnvSecretSource m_env;
    QSet<QString> m_simulated;
};

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
    m_summaryTimer.setInterval(m_summaryPacer.intervalMs());
    connect(&m_summaryTimer, &QTimer::timeout, this, [this] { flushSummaries(Bootstrap::Live); });
}

RunSession::~RunSession()
{
    // The scheduler (a child) goes first so no stream outlives the simulator it talks to.
    delete m_scheduler;
    m_scheduler = nullptr;
    // The sandboxes go before the members their results would be written to.
    delete m_codeTests;
    m_codeTests = nullptr;
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
    const QStringList onlyIds = spec.onlyJobIds.value_or(QStringList());
    const QSet<QString> only(onlyIds.cbegin(), onlyIds.cend());

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
                    r.tools = spec.suite.toolsFor(*c);
                    r.toolChoice = spec.suite.toolChoiceFor(*c);
                    r.parallelToolCalls = spec.suite.parallelToolCallsFor(*c);
                    r.caseId = c->id;
                    r.variantId = variant ? variant->id : QString();
                    r.repeat = repeat;
                    r.seed = spec.seed;
                    r.id = composeJobId(c->id, r.variantId, repeat, t->id);
                    if (!answered.contains(r.id) && (!spec.onlyJobIds || only.contains(r.id)))
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
    if (jobs.value().isEmpty() && spec.extraVerdicts.isEmpty() && spec.extraPicks.isEmpty())
        return Error{tr("Every cell of this run is already answered; there is nothing to resume.")};
    for (const ExtraVerdict &extra : spec.extraVerdicts) {
        const TargetConfig *judge = spec.workspace.target(extra.judgeTargetId);
        if (!judge || !spec.workspace.provider(judge->providerId))
            return Error{tr("The workspace has no usable target \"%1\" to be the validator.").arg(extra.judgeTargetId)};
    }
    for (const ExtraPick &extra : spec.extraPicks) {
        const TargetConfig *judge = spec.workspace.target(extra.judgeTargetId);
        if (!judge || !spec.workspace.provider(judge->providerId))
            return Error{tr("The workspace has no usable target \"%1\" to be the judge.").arg(extra.judgeTargetId)};
    }
    if (!spec.judgeTargetId.isEmpty()) {
        const TargetConfig *judge = spec.workspace.target(spec.judgeTargetId);
        if (!judge)
            return Error{tr("The workspace has no target \"%1\" to be the judge.").arg(spec.judgeTargetId)};
        if (!spec.workspace.provider(judge->providerId))
            return Error{tr("The judge \"%1\" names the unknown provider \"%2\".").arg(judge->id, judge->providerId)};
    }

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
    m_scheduler->setDispatchHeld(m_dispatchHeld);
    // Judge jobs share the scheduler but are not cells: the views never see them stream.
    connect(m_scheduler, &RunScheduler::jobStarted, this, [this](const QString &jobId, int attempt) {
        const QString cellId = chainCellOf(jobId);
        const auto it = m_jobs.constFind(cellId);
        if (it != m_jobs.cend())
            Q_EMIT cellStarted(cellId, it->targetId, it->caseId, attempt);
    });
    connect(m_scheduler, &RunScheduler::jobContent, this,
            [this](const QString &jobId, const QList<ContentDelta> &deltas) {
                const QString cellId = chainCellOf(jobId);
                const auto it = m_jobs.constFind(cellId);
                if (it != m_jobs.cend())
                    Q_EMIT cellContent(cellId, it->targetId, deltas);
            });
    connect(m_scheduler, &RunScheduler::jobFinished, this, &RunSession::onJobFinished);
    connect(m_scheduler, &RunScheduler::providerStatusChanged, this, &RunSession::providerStatusChanged);
    connect(m_scheduler, &RunScheduler::runFinished, this, &RunSession::onRunFinished);
    delete m_codeTests;
    m_codeTests = new CodeTestQueue(spec.codeSandbox, std::clamp(QThread::idealThreadCount() / 2, 1, 4), this);
    connect(m_codeTests, &CodeTestQueue::finished, this, &RunSession::onCodeTestFinished);
    m_codeTestJobs.clear();
    m_finishPending = false;

    m_spec = spec;
    m_jobs.clear();
    m_awaiting.clear();
    m_judgeJobs.clear();
    m_bestOf.clear();
    m_groupMembers.clear();
    m_groupArrived.clear();
    for (const auto &j : jobs.value()) {
        m_jobs.insert(j.id, j);
        m_groupMembers[groupKeyOf(j)].append(j.id);
    }
    prepareChains();
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
    m_liveTargets.clear();
    m_summaryPacer.reset();
    m_summaryTimer.setInterval(m_summaryPacer.intervalMs());
    m_done = 0;
    m_prior = 0;
    m_spentUsd = 0;
    m_judgeSpentUsd = 0;
    m_judgeUnknownCost = 0;
    m_judgeCallsMade = 0;
    m_cancelled = false;
    m_stopReason.clear();
    QSet<QString> priorJudgeCalls; // a select-best call is listed by every cell it judged: count it once
    for (const CellResult &earlier : spec.completed) {
        if (earlier.cost.usd)
            m_spentUsd += *earlier.cost.usd;
        for (const JudgeCall &call : earlier.judgeCalls) {
            if (priorJudgeCalls.contains(call.jobId))
                continue;
            priorJudgeCalls.insert(call.jobId);
            if (call.costUsd) {
                m_spentUsd += *call.costUsd;
                m_judgeSpentUsd += *call.costUsd;
            } else {
                ++m_judgeUnknownCost;
            }
        }
        addCell(earlier);
        ++m_prior;
    }

    RunOptions options;
    options.seed = spec.seed;
    options.oneProviderAtATime = spec.oneProviderAtATime;
    options.globalConcurrency = spec.globalConcurrency;
    options.retryTruncated = spec.retryTruncated;
    options.preconnect = spec.preconnect;
    options.noProxy = spec.workspace.noProxy;
    options.proxyUser = m_proxyUser;
    options.proxyPassword = m_proxyPassword;
    options.plainHttpKeyHosts = m_plainHttpKeyHosts;
    // The extra verdicts' judge calls go with the first jobs: the scheduler takes additions only
    // while a run is going, and a fetch may have nothing else to send.
    const QList<ChatRequest> extraCalls = prepareExtraJudging();
    m_running = true;
    if (Status started = m_scheduler->start(jobs.value() + extraCalls, options); !started.ok()) {
        m_running = false;
        return started;
    }
    Q_EMIT runStarted(total());
    Q_EMIT progress(m_done, total(), m_spentUsd);
    if (!m_dirtyTargets.isEmpty())
        flushSummaries(Bootstrap::Live); // a resumed run's earlier cells; the run's end is exact
    return {};
}

void RunSession::setProxyCredentials(const QString &user, const QString &password)
{
    m_proxyUser = user;
    m_proxyPassword = user.isEmpty() ? QString() : password;
}

void RunSession::cancel()
{
    if (!m_running || !m_scheduler)
        return;
    m_cancelled = true;
    if (m_stopReason.isEmpty())
        m_stopReason = tr("cancelled");
    cancelCodeTests();
    m_scheduler->cancelAll();
}

void RunSession::holdDispatch(const QString &reason)
{
    if (m_dispatchHeld && reason == m_dispatchHeldReason)
        return;
    m_dispatchHeld = true;
    m_dispatchHeldReason = reason;
    if (m_scheduler)
        m_scheduler->setDispatchHeld(true);
    Q_EMIT dispatchHeldChanged(true, reason);
}

void RunSession::releaseDispatch()
{
    if (!m_dispatchHeld)
        return;
    m_dispatchHeld = false;
    m_dispatchHeldReason.clear();
    Q_EMIT dispatchHeldChanged(false, {});
    if (m_scheduler)
        m_scheduler->setDispatchHeld(false); // may send at once: after the signal, so views see the order
}

void RunSession::onJobFinished(const JobResult &job)
{
    if (isJudgeJob(job.jobId)) {
        onJudgeFinished(job);
        return;
    }
    if (const QString chainCell = chainCellOf(job.jobId); m_chains.contains(chainCell)) {
        onChainAnswer(chainCell, job);
        return;
    }
    const ChatRequest request = m_jobs.value(job.jobId);
    const SuiteCase *suiteCase = m_spec.suite.findCase(request.caseId);
    const CaseVariant *variant =
        suiteCase && !request.variantId.isEmpty() ? suiteCase->findVariant(request.variantId) : nullptr;

    CellResult cell;
    cell.job = job;
    cell.caseId = request.caseId;
    cell.variantId = request.variantId;
    cell.repeat = request.repeat;
    cell.metrics = computeMetrics(jobTimeline(job), job.result.usage);
    cell.cost = CostCalculator::requestCost(job.result.usage, m_schedules.value(request.targetId));
    if (cell.cost.usd)
        m_spentUsd += *cell.cost.usd;
    bool waiting = false;
    if (job.state == JobState::Completed && suiteCase) {
        AwaitingCell awaiting;
        awaiting.assertions = m_spec.suite.assertionsFor(*suiteCase, variant);
        awaiting.threshold = suiteCase->threshold;
        awaiting.question = JudgePrompt::questionOf(request.messages);
        GradeInput input;
        input.answer = job.result.text;
        input.reference = Suite::referenceFor(*suiteCase, variant);
        input.latencyMs = e2eMs(cell.metrics);
        input.costUsd = cell.cost.usd;
        input.toolCalls = job.result.toolCalls;
        cell.grade = Grader::gradeAll(awaiting.assertions, input, awaiting.threshold);
        awaiting.cell = cell;
        waiting = requestJudging(awaiting, request, input.reference);
        waiting = requestCodeTests(awaiting, request) || waiting;
        awaiting.cell.grade = JudgeGrade::finalGrade(awaiting.cell.grade.grades, awaiting.threshold);
        if (waiting)
            m_awaiting.insert(job.jobId, awaiting);
        else
            cell = awaiting.cell;
    } else {
        // No complete answer: it fails every check rather than vanishing from the quality figure.
        cell.grade.pass = false;
        cell.grade.score = 0.0;
    }
    arrivedInGroup(request);
    if (!waiting)
        finalizeCell(cell);
    else
        Q_EMIT progress(m_done, total(), m_spentUsd); // the spend moved
    checkSpendCap();
}

void RunSession::finalizeCell(CellResult cell)
{
    addCell(cell);
    Q_EMIT cellFinished(cell);
    if (!m_summaryTimer.isActive())
        m_summaryTimer.start();
    Q_EMIT progress(m_done, total(), m_spentUsd);
}

void RunSession::checkSpendCap()
{
    if (m_spec.maxCostUsd && m_spentUsd >= *m_spec.maxCostUsd && !m_cancelled) {
        m_stopReason = tr("spend cap of $%1 reached").arg(*m_spec.maxCostUsd);
        cancel();
    }
}

void RunSession::addCell(const CellResult &cell)
{
    ++m_done;
    m_results.append(cell);
    // Cells share their text and timeline with m_results (implicit sharing), so the per-target
    // index costs little and spares a scan of the whole run on every result.
    m_cellsByTarget[cell.job.targetId].append(cell);
    m_dirtyTargets.insert(cell.job.targetId);
}

void RunSession::flushSummaries(Bootstrap bootstrap)
{
    m_summaryTimer.stop();
    QElapsedTimer cost;
    cost.start();
    QSet<QString> targets = m_dirtyTargets;
    if (bootstrap == Bootstrap::Full) {
        targets.unite(m_liveTargets);
        m_liveTargets.clear();
    } else {
        m_liveTargets.unite(m_dirtyTargets);
    }
    m_dirtyTargets.clear();
    QStringList ids(targets.cbegin(), targets.cend());
    ids.sort();
    for (const QString &id : std::as_const(ids)) {
        if (!m_spec.workspace.target(id))
            continue;
        Q_EMIT summaryChanged(
            summarize(id, m_cellsByTarget.value(id), m_schedules.value(id).at(std::nullopt), bootstrap));
    }
    if (bootstrap == Bootstrap::Live) {
        // The cost grows with the run; so does the wait before the next flush.
        m_summaryPacer.recordFlushCost(cost.elapsed());
        m_summaryTimer.setInterval(m_summaryPacer.intervalMs());
    }
}

void RunSession::onRunFinished()
{
    if (!m_codeTestJobs.isEmpty()) {
        // The scheduler is done but sandboxes still run: the run ends with the last of them.
        m_finishPending = true;
        return;
    }
    m_finishPending = false;
    // Every judge job has finished by now; a cell still waiting would be a bug, but it is emitted
    // rather than lost.
    const QStringList stranded = m_awaiting.keys();
    for (const QString &id : stranded) {
        const auto it = m_awaiting.find(id);
        if (it == m_awaiting.end())
            continue;
        for (Grade &g : it->cell.grade.grades) {
            if (g.needsJudge && JudgeGrade::kindOf(g.type) != JudgeGrade::Kind::None)
                JudgeGrade::markUngraded(g, tr("the run ended before the judge answered"));
            else if (g.needsJudge)
                JudgeGrade::markUngraded(g, tr("the run ended before the code tests ran"));
        }
        // A chain's grades are its turns' (the driver settled all but the judged and tested ones).
        for (ChainTurnResult &turn : it->cell.turns) {
            for (Grade &g : turn.grade.grades) {
                if (g.needsJudge && JudgeGrade::kindOf(g.type) != JudgeGrade::Kind::None)
                    JudgeGrade::markUngraded(g, tr("the run ended before the judge answered"));
                else if (g.needsJudge)
                    JudgeGrade::markUngraded(g, tr("the run ended before the code tests ran"));
            }
        }
        finalizeAwaiting(id);
    }
    m_judgeJobs.clear();
    m_bestOf.clear();
    flushSummaries(Bootstrap::Full); // the final figures, before anyone hears that the run ended
    m_running = false;
    Q_EMIT runFinished(m_cancelled);
}

bool RunSession::isJudgeJob(const QString &jobId)
{
    return jobId.startsWith(kJudgePrefix);
}

QHash<QString, bool> RunSession::judgeVerdicts(const QList<CellResult> &cells)
{
    QHash<QString, bool> out;
    for (const CellResult &c : cells) {
        if (const auto pass = JudgeGrade::judgePass(c.grade, c.judgeCalls))
            out.insert(jobIdOf(c), *pass);
    }
    return out;
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

QList<ChainTurnResult> RunSession::chainTurnsSoFar(const QString &cellId) const
{
    const std::shared_ptr<ChainDriver> driver = m_chains.value(cellId);
    return driver ? driver->turns() : QList<ChainTurnResult>();
}

} // namespace Slopscope
