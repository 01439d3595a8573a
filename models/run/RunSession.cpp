#include "run/RunSession.h"

#include "engine/EnvSecretSource.h"
#include "engine/RunScheduler.h"
#include "judge/JudgePrompt.h"
#include "judge/PairwiseJudgement.h"
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

constexpr auto kJudgePrefix = QLatin1StringView("judge|");

QString groupKeyOf(const ChatRequest &r)
{
    return QStringLiteral("%1|%2|%3").arg(r.caseId, r.variantId).arg(r.repeat);
}

std::optional<double> e2eMs(const RequestMetrics &m)
{
    if (!m.e2eNs)
        return std::nullopt;
    return static_cast<double>(*m.e2eNs) / 1e6;
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
    // Judge jobs share the scheduler but are not cells: the views never see them stream.
    connect(m_scheduler, &RunScheduler::jobStarted, this, [this](const QString &jobId, int attempt) {
        const auto it = m_jobs.constFind(jobId);
        if (it != m_jobs.cend())
            Q_EMIT cellStarted(jobId, it->targetId, it->caseId, attempt);
    });
    connect(m_scheduler, &RunScheduler::jobContent, this,
            [this](const QString &jobId, const QList<ContentDelta> &deltas) {
                const auto it = m_jobs.constFind(jobId);
                if (it != m_jobs.cend())
                    Q_EMIT cellContent(jobId, it->targetId, deltas);
            });
    connect(m_scheduler, &RunScheduler::jobFinished, this, &RunSession::onJobFinished);
    connect(m_scheduler, &RunScheduler::providerStatusChanged, this, &RunSession::providerStatusChanged);
    connect(m_scheduler, &RunScheduler::runFinished, this, &RunSession::onRunFinished);

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
    if (isJudgeJob(job.jobId)) {
        onJudgeFinished(job);
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
    cell.metrics = computeMetrics(toTimeline(job), job.result.usage);
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

const TargetConfig *RunSession::judgeFor(const Assertion &assertion) const
{
    // An assertion's own judge must be a target whose provider the workspace has (the scheduler
    // knows no other); promptfoo provider ids that are not targets fall back to the run's judge.
    if (!assertion.provider.isEmpty()) {
        const TargetConfig *own = m_spec.workspace.target(assertion.provider);
        if (own && m_spec.workspace.provider(own->providerId))
            return own;
    }
    return m_spec.judgeTargetId.isEmpty() ? nullptr : m_spec.workspace.target(m_spec.judgeTargetId);
}

ChatRequest RunSession::judgeRequest(const TargetConfig &judge, const QString &id, const ChatRequest &cell,
                                     const QList<ChatMessage> &messages) const
{
    ChatRequest r;
    r.id = id;
    r.targetId = judge.id;
    r.providerId = judge.providerId;
    r.model = judge.model;
    r.params = judge.params;
    r.messages = messages;
    r.caseId = cell.caseId;
    r.variantId = cell.variantId;
    r.repeat = cell.repeat;
    r.seed = m_spec.seed;
    return r;
}

bool RunSession::requestJudging(AwaitingCell &awaiting, const ChatRequest &request, const QString &caseReference)
{
    QList<Grade> &grades = awaiting.cell.grade.grades;
    const QString answer = awaiting.cell.job.result.text;
    QList<ChatRequest> requests;
    QList<JudgeJob> jobs;
    for (qsizetype i = 0; i < grades.size() && i < awaiting.assertions.size(); ++i) {
        Grade &g = grades[i];
        bool negated = false;
        const JudgeGrade::Kind kind = JudgeGrade::kindOf(g.type, &negated);
        if (!g.needsJudge || kind == JudgeGrade::Kind::None)
            continue; // code-tests wait for a sandbox, not a judge
        const Assertion &a = awaiting.assertions.at(i);
        const TargetConfig *judge = judgeFor(a);
        if (!judge) {
            JudgeGrade::markUngraded(g, tr("no judge"));
            continue;
        }
        if (kind == JudgeGrade::Kind::SelectBest) {
            g.reason = tr("waiting for the other targets' answers");
            ++awaiting.outstanding; // answered in requestBestOf
            continue;
        }
        QList<ChatMessage> messages;
        if (kind == JudgeGrade::Kind::LlmRubric) {
            const QString rubric = JudgePrompt::valueText(a.value).trimmed();
            if (rubric.isEmpty()) {
                g = Grade{g.type, false, 0.0, tr("llm-rubric needs a rubric (the assertion's value)"), g.weight, false};
                continue;
            }
            messages = JudgePrompt::llmRubric(m_spec.judgeTemplates, rubric, awaiting.question, answer);
        } else {
            // promptfoo: the assertion's value is the reference; else the case's.
            QString reference = JudgePrompt::valueText(a.value).trimmed();
            if (reference.isEmpty())
                reference = caseReference;
            if (reference.trimmed().isEmpty()) {
                g = Grade{g.type,   false,
                          0.0,      tr("factuality needs a reference (the assertion's value or the case's reference)"),
                          g.weight, false};
                continue;
            }
            messages = JudgePrompt::factuality(m_spec.judgeTemplates, awaiting.question, answer, reference);
        }
        JudgeJob job;
        job.kind = kind;
        job.judgeTargetId = judge->id;
        job.cellIds = {request.id};
        job.assertionIndex = static_cast<int>(i);
        job.negated = negated;
        job.threshold = a.threshold;
        g.reason = tr("waiting for the judge");
        requests.append(judgeRequest(*judge, kJudgePrefix + request.id + u'|' + QString::number(i), request, messages));
        jobs.append(job);
    }
    if (!requests.isEmpty()) {
        if (enqueueJudges(requests, jobs)) {
            awaiting.outstanding += static_cast<int>(requests.size());
        } else {
            for (const JudgeJob &job : std::as_const(jobs))
                JudgeGrade::markUngraded(grades[job.assertionIndex], tr("the run stopped before the judge was asked"));
        }
    }
    return awaiting.outstanding > 0;
}

bool RunSession::enqueueJudges(const QList<ChatRequest> &requests, const QList<JudgeJob> &jobs)
{
    if (!m_scheduler || m_cancelled)
        return false;
    if (const Status queued = m_scheduler->enqueue(requests); !queued.ok())
        return false;
    for (qsizetype k = 0; k < requests.size(); ++k)
        m_judgeJobs.insert(requests.at(k).id, jobs.at(k));
    m_judgeCallsMade += static_cast<int>(requests.size());
    return true;
}

void RunSession::arrivedInGroup(const ChatRequest &request)
{
    const QString key = groupKeyOf(request);
    QSet<QString> &arrived = m_groupArrived[key];
    arrived.insert(request.id);
    if (arrived.size() >= m_groupMembers.value(key).size())
        requestBestOf(key);
}

void RunSession::requestBestOf(const QString &groupKey)
{
    // Every answer to this case, wording and repeat is in. The cells still waiting for select-best
    // (in the group's stable order) are compared, one judgement per select-best assertion.
    QStringList waiting;
    for (const QString &id : m_groupMembers.value(groupKey)) {
        if (m_awaiting.contains(id))
            waiting.append(id);
    }
    if (waiting.isEmpty())
        return;
    const AwaitingCell &sample = m_awaiting[waiting.first()];
    QList<int> indexes;
    for (qsizetype i = 0; i < sample.assertions.size() && i < sample.cell.grade.grades.size(); ++i) {
        const Grade &g = sample.cell.grade.grades.at(i);
        if (g.needsJudge && JudgeGrade::kindOf(g.type) == JudgeGrade::Kind::SelectBest &&
            judgeFor(sample.assertions.at(i)))
            indexes.append(static_cast<int>(i));
    }
    for (const int i : std::as_const(indexes)) {
        QStringList cells;
        for (const QString &id : std::as_const(waiting)) {
            const auto it = m_awaiting.constFind(id);
            if (it != m_awaiting.cend() && i < it->cell.grade.grades.size() && it->cell.grade.grades.at(i).needsJudge)
                cells.append(id);
        }
        const auto ungraded = [&](const QString &why) {
            for (const QString &id : std::as_const(cells)) {
                // Looked up each time: emitting a finished cell may re-enter (a cancel) and finish others.
                const auto it = m_awaiting.find(id);
                if (it == m_awaiting.end())
                    continue;
                JudgeGrade::markUngraded(it->cell.grade.grades[i], why);
                judgeDone(id);
            }
        };
        if (cells.size() < 2) {
            ungraded(tr("select-best needs at least two answers"));
            continue;
        }
        const AwaitingCell &first = m_awaiting[cells.first()];
        const Assertion assertion = first.assertions.at(i);
        const QString question = first.question;
        const TargetConfig *judge = judgeFor(assertion);
        QStringList answers;
        for (const QString &id : std::as_const(cells))
            answers.append(m_awaiting[id].cell.job.result.text);
        BestOfJudgement judgement;
        judgement.cellIds = cells;
        judgement.assertionIndex = i;
        judgement.firstOrder =
            PairwiseJudgement::firstOrder(cells.size(), m_spec.seed ^ stableSeed(groupKey + u'|' + QString::number(i)));
        judgement.secondOrder = PairwiseJudgement::swapped(judgement.firstOrder);
        QList<ChatRequest> requests;
        QList<JudgeJob> jobs;
        QString error;
        for (const bool swapped : {false, true}) {
            const QList<int> &order = swapped ? judgement.secondOrder : judgement.firstOrder;
            QStringList shown;
            for (const int k : order)
                shown.append(answers.at(k));
            const auto messages = JudgePrompt::selectBest(m_spec.judgeTemplates, question, shown,
                                                          JudgePrompt::valueText(assertion.value));
            if (!messages) {
                error = messages.error();
                break;
            }
            JudgeJob job;
            job.kind = JudgeGrade::Kind::SelectBest;
            job.judgeTargetId = judge->id;
            job.cellIds = cells;
            job.assertionIndex = i;
            job.bestOfKey = groupKey + u'|' + QString::number(i);
            job.swapped = swapped;
            job.order = order;
            const QString id = kJudgePrefix + QStringLiteral("best|") + job.bestOfKey + (swapped ? u"|2" : u"|1");
            requests.append(judgeRequest(*judge, id, m_jobs.value(cells.first()), messages.value()));
            jobs.append(job);
        }
        if (!error.isEmpty()) {
            ungraded(error);
            continue;
        }
        if (!enqueueJudges(requests, jobs)) {
            ungraded(tr("the run stopped before the judge was asked"));
            continue;
        }
        for (const QString &id : std::as_const(cells)) {
            if (const auto it = m_awaiting.find(id); it != m_awaiting.end())
                it->cell.grade.grades[i].reason = tr("waiting for the judge");
        }
        m_bestOf.insert(jobs.first().bestOfKey, judgement);
    }
}

void RunSession::onJudgeFinished(const JobResult &job)
{
    const auto found = m_judgeJobs.constFind(job.jobId);
    if (found == m_judgeJobs.cend())
        return;
    const JudgeJob judgeJob = found.value();
    m_judgeJobs.erase(found);

    const RequestMetrics metrics = computeMetrics(toTimeline(job), job.result.usage);
    const RequestCost cost = CostCalculator::requestCost(job.result.usage, m_schedules.value(judgeJob.judgeTargetId));
    JudgeCall call;
    call.jobId = job.jobId;
    call.judgeTargetId = judgeJob.judgeTargetId;
    call.assertionIndex = judgeJob.assertionIndex;
    call.swapped = judgeJob.swapped;
    call.answersJudged = judgeJob.kind == JudgeGrade::Kind::SelectBest ? static_cast<int>(judgeJob.cellIds.size()) : 1;
    call.answer = job.result.text.left(JudgeCall::kMaxStoredAnswer);
    // Never sent (cancelled in the queue, no key): nothing was spent, which is known.
    call.costUsd = job.attempts() > 0 ? cost.usd : std::optional<double>(0.0);
    call.latencyMs = e2eMs(metrics);
    if (call.costUsd) {
        m_judgeSpentUsd += *call.costUsd;
        m_spentUsd += *call.costUsd;
    } else {
        ++m_judgeUnknownCost;
    }
    const bool cancelled = job.state == JobState::Cancelled;
    QString failure;
    if (cancelled)
        failure = tr("the judge call was cancelled");
    else if (job.state != JobState::Completed)
        failure = tr("the judge request failed: %1").arg(job.error.isEmpty() ? tr("no complete answer") : job.error);

    if (judgeJob.kind != JudgeGrade::Kind::SelectBest) {
        const QString cellId = judgeJob.cellIds.value(0);
        const auto it = m_awaiting.find(cellId);
        if (it != m_awaiting.end() && judgeJob.assertionIndex < it->cell.grade.grades.size()) {
            Grade &g = it->cell.grade.grades[judgeJob.assertionIndex];
            call.assertionType = g.type;
            if (cancelled) {
                call.error = failure;
                JudgeGrade::markUngraded(g, failure);
            } else {
                const Result<JudgeVerdict> verdict = failure.isEmpty()
                                                         ? JudgeVerdict::parse(job.result.text, judgeJob.threshold)
                                                         : Result<JudgeVerdict>(Error{failure});
                if (verdict)
                    call.verdict = verdict.value();
                else
                    call.error = verdict.error();
                JudgeGrade::applyVerdict(g, verdict, judgeJob.negated);
            }
            it->cell.judgeCalls.append(call);
            judgeDone(cellId);
        }
    } else {
        const auto b = m_bestOf.find(judgeJob.bestOfKey);
        if (b != m_bestOf.end()) {
            Result<BestPick> pick = failure.isEmpty() ? BestPick::parse(job.result.text, judgeJob.cellIds.size())
                                                      : Result<BestPick>(Error{failure});
            if (pick) {
                call.pick = pick.value();
                call.pickedJobId = judgeJob.cellIds.value(judgeJob.order.value(pick.value().index, -1));
            } else {
                call.error = pick.error();
            }
            (judgeJob.swapped ? b->second : b->first) = pick;
            b->cancelled = b->cancelled || cancelled;
            for (const QString &cellId : judgeJob.cellIds) {
                const auto it = m_awaiting.find(cellId);
                if (it == m_awaiting.end())
                    continue;
                call.assertionType = it->cell.grade.grades.value(judgeJob.assertionIndex).type;
                it->cell.judgeCalls.append(call);
            }
            if (b->first && b->second) {
                const BestOfJudgement done = m_bestOf.take(judgeJob.bestOfKey);
                const auto outcome =
                    PairwiseJudgement::combine(done.firstOrder, *done.first, done.secondOrder, *done.second);
                const bool stopped = done.cancelled;
                const auto targetOf = [this, &done](int k) { return m_jobs.value(done.cellIds.value(k)).targetId; };
                const auto n = done.cellIds.size();
                for (qsizetype k = 0; k < n; ++k) {
                    const auto it = m_awaiting.find(done.cellIds.at(k));
                    if (it == m_awaiting.end() || done.assertionIndex >= it->cell.grade.grades.size())
                        continue;
                    Grade &g = it->cell.grade.grades[done.assertionIndex];
                    if (stopped) {
                        JudgeGrade::markUngraded(g, tr("the judge call was cancelled"));
                    } else if (!outcome) {
                        JudgeGrade::applyError(g, outcome.error());
                    } else if (outcome.value().consistent) {
                        const QString reason = k == outcome.value().winner ? outcome.value().firstReason
                                                                           : tr("%1 was picked: %2")
                                                                                 .arg(targetOf(outcome.value().winner),
                                                                                      outcome.value().firstReason);
                        JudgeGrade::applyPick(g, k == outcome.value().winner, n, reason);
                    } else {
                        JudgeGrade::applyInconsistent(
                            g, n,
                            tr("first ask picked %1, swapped ask picked %2")
                                .arg(targetOf(outcome.value().firstPick), targetOf(outcome.value().secondPick)));
                    }
                }
                for (const QString &cellId : done.cellIds) {
                    if (m_awaiting.contains(cellId))
                        judgeDone(cellId);
                }
            }
        }
    }
    Q_EMIT progress(m_done, total(), m_spentUsd);
    checkSpendCap();
}

void RunSession::judgeDone(const QString &cellId)
{
    const auto it = m_awaiting.find(cellId);
    if (it == m_awaiting.end())
        return;
    if (--it->outstanding <= 0)
        finalizeAwaiting(cellId);
}

void RunSession::finalizeAwaiting(const QString &cellId)
{
    AwaitingCell awaiting = m_awaiting.take(cellId);
    awaiting.cell.grade = JudgeGrade::finalGrade(awaiting.cell.grade.grades, awaiting.threshold);
    finalizeCell(awaiting.cell);
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
    // Every judge job has finished by now; a cell still waiting would be a bug, but it is emitted
    // rather than lost.
    const QStringList stranded = m_awaiting.keys();
    for (const QString &id : stranded) {
        const auto it = m_awaiting.find(id);
        if (it == m_awaiting.end())
            continue;
        for (qsizetype i = 0; i < it->cell.grade.grades.size(); ++i) {
            Grade &g = it->cell.grade.grades[i];
            if (g.needsJudge && JudgeGrade::kindOf(g.type) != JudgeGrade::Kind::None)
                JudgeGrade::markUngraded(g, tr("the run ended before the judge answered"));
        }
        finalizeAwaiting(id);
    }
    m_judgeJobs.clear();
    m_bestOf.clear();
    flushSummaries(); // the final figures, before anyone hears that the run ended
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
        if (c.grade.pendingJudge)
            ++s.ungraded;
        // A cell none of whose assertions could be graded has no score: averaging in a 0 would
        // blame the target for the missing judge.
        if (JudgeGrade::hasScore(c.grade))
            (c.variantId.isEmpty() ? canonical : reworded)[c.caseId].append(c.grade.score);
        for (const JudgeCall &call : c.judgeCalls) {
            if (call.costUsd)
                s.judgeSpentUsd += *call.costUsd / std::max(1, call.answersJudged);
            else
                ++s.judgeUnknownCost;
        }
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
