#include "run/RunSession.h"

// RunSession's judging: judge jobs for llm-rubric, factuality and select-best, added to the running
// scheduler as the answers they grade arrive, and their verdicts folded into the cells.

#include "engine/RunScheduler.h"
#include "judge/JudgePrompt.h"
#include "judge/PairwiseJudgement.h"
#include "quality/Grader.h"
#include "quality/Statistics.h"
#include "run/JobTimeline.h"
#include "run/RunSessionDetail.h"

#include <QCoreApplication>
#include <QSet>

#include <algorithm>

namespace Slopscope {

using namespace RunDetail;

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

bool RunSession::requestJudging(AwaitingCell &awaiting, const ChatRequest &request, const QString &caseReference,
                                const TargetConfig *validator)
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
            continue; // code-tests wait for a sandbox (RunSessionCodeTests.cpp), not a judge
        const Assertion &a = awaiting.assertions.at(i);
        if (validator && kind == JudgeGrade::Kind::SelectBest)
            continue;
        const TargetConfig *judge = validator ? validator : judgeFor(a);
        if (!judge) {
            JudgeGrade::markUngraded(g, tr("no judge"));
            continue;
        }
        if (kind == JudgeGrade::Kind::SelectBest) {
            g.reason = tr("waiting for the other targets' answers");
            ++awaiting.outstanding; // answered in requestBestOf
            continue;
        }
        const auto messages = judgePrompt(g, kind, a, awaiting.question, answer, caseReference);
        if (!messages)
            continue;
        JudgeJob job;
        job.kind = kind;
        job.judgeTargetId = judge->id;
        job.cellIds = {request.id};
        job.assertionIndex = static_cast<int>(i);
        job.negated = negated;
        job.threshold = a.threshold;
        g.reason = tr("waiting for the judge");
        requests.append(
            judgeRequest(*judge, kJudgePrefix + request.id + u'|' + QString::number(i), request, *messages));
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

std::optional<QList<ChatMessage>> RunSession::judgePrompt(Grade &g, JudgeGrade::Kind kind, const Assertion &a,
                                                          const QString &question, const QString &answer,
                                                          const QString &caseReference) const
{
    if (kind == JudgeGrade::Kind::LlmRubric) {
        const QString rubric = JudgePrompt::valueText(a.value).trimmed();
        if (rubric.isEmpty()) {
            g = Grade{g.type, false, 0.0, tr("llm-rubric needs a rubric (the assertion's value)"), g.weight, false};
            return std::nullopt;
        }
        return JudgePrompt::llmRubric(m_spec.judgeTemplates, rubric, question, answer);
    }
    // promptfoo: the assertion's value is the reference; else the case's.
    QString reference = JudgePrompt::valueText(a.value).trimmed();
    if (reference.isEmpty())
        reference = caseReference;
    if (reference.trimmed().isEmpty()) {
        g = Grade{g.type,   false,
                  0.0,      tr("factuality needs a reference (the assertion's value or the case's reference)"),
                  g.weight, false};
        return std::nullopt;
    }
    return JudgePrompt::factuality(m_spec.judgeTemplates, question, answer, reference);
}

Grade *RunSession::judgedGrade(AwaitingCell &awaiting, const JudgeJob &job)
{
    QList<Grade> *grades = &awaiting.cell.grade.grades;
    if (job.turnIndex >= 0) {
        if (job.turnIndex >= awaiting.cell.turns.size())
            return nullptr;
        grades = &awaiting.cell.turns[job.turnIndex].grade.grades;
    }
    if (job.assertionIndex < 0 || job.assertionIndex >= grades->size())
        return nullptr;
    return &(*grades)[job.assertionIndex];
}

bool RunSession::enqueueJudges(const QList<ChatRequest> &requests, const QList<JudgeJob> &jobs)
{
    if (m_collectedJudges) {
        m_collectedJudges->append(requests);
    } else {
        if (!m_scheduler || m_cancelled)
            return false;
        if (const Status queued = m_scheduler->enqueue(requests); !queued.ok())
            return false;
    }
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
        const Assertion assertion = m_awaiting[cells.first()].assertions.at(i);
        const QString error = askBestOf(cells, i, assertion, *judgeFor(assertion), groupKey + u'|' + QString::number(i),
                                        m_jobs.value(cells.first()));
        if (!error.isEmpty())
            ungraded(error);
    }
}

QString RunSession::askBestOf(const QStringList &cells, int assertionIndex, const Assertion &assertion,
                              const TargetConfig &judge, const QString &bestOfKey, const ChatRequest &context)
{
    QString question;
    QStringList answers;
    for (const QString &id : cells) {
        const auto it = m_awaiting.constFind(id);
        if (it == m_awaiting.cend())
            return tr("the answers to compare are gone");
        question = it->question;
        answers.append(it->cell.job.result.text);
    }
    BestOfJudgement judgement;
    judgement.cellIds = cells;
    judgement.assertionIndex = assertionIndex;
    judgement.firstOrder = PairwiseJudgement::firstOrder(cells.size(), m_spec.seed ^ Stats::stableSeed(bestOfKey));
    judgement.secondOrder = PairwiseJudgement::swapped(judgement.firstOrder);
    QList<ChatRequest> requests;
    QList<JudgeJob> jobs;
    for (const bool swapped : {false, true}) {
        const QList<int> &order = swapped ? judgement.secondOrder : judgement.firstOrder;
        QStringList shown;
        for (const int k : order)
            shown.append(answers.at(k));
        const auto messages =
            JudgePrompt::selectBest(m_spec.judgeTemplates, question, shown, JudgePrompt::valueText(assertion.value));
        if (!messages)
            return messages.error();
        JudgeJob job;
        job.kind = JudgeGrade::Kind::SelectBest;
        job.judgeTargetId = judge.id;
        job.cellIds = cells;
        job.assertionIndex = assertionIndex;
        job.bestOfKey = bestOfKey;
        job.swapped = swapped;
        job.order = order;
        const QString id = kJudgePrefix + QStringLiteral("best|") + bestOfKey + (swapped ? u"|2" : u"|1");
        requests.append(judgeRequest(judge, id, context, messages.value()));
        jobs.append(job);
    }
    if (!enqueueJudges(requests, jobs))
        return tr("the run stopped before the judge was asked");
    for (const QString &id : cells) {
        if (const auto it = m_awaiting.find(id); it != m_awaiting.end())
            it->cell.grade.grades[assertionIndex].reason = tr("waiting for the judge");
    }
    m_bestOf.insert(bestOfKey, judgement);
    return {};
}

const CellResult *RunSession::awaitedCell(const QString &cellId) const
{
    const auto it = m_awaiting.constFind(cellId);
    return it == m_awaiting.cend() ? nullptr : &it->cell;
}

void RunSession::onJudgeFinished(const JobResult &job)
{
    const auto found = m_judgeJobs.constFind(job.jobId);
    if (found == m_judgeJobs.cend())
        return;
    const JudgeJob judgeJob = found.value();
    m_judgeJobs.erase(found);

    const RequestMetrics metrics = computeMetrics(jobTimeline(job), job.result.usage);
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
        if (Grade *judged = it != m_awaiting.end() ? judgedGrade(*it, judgeJob) : nullptr) {
            Grade &g = *judged;
            call.assertionType = g.type;
            if (judgeJob.callIndex >= 0)
                call.assertionIndex = judgeJob.callIndex;
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
                // An extra pick waits under its own key: the call names the answer's cell.
                const QString picked = judgeJob.cellIds.value(judgeJob.order.value(pick.value().index, -1));
                const CellResult *cell = awaitedCell(picked);
                call.pickedJobId = cell ? jobIdOf(*cell) : picked;
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
                const auto targetOf = [this, &done](int k) {
                    const CellResult *cell = awaitedCell(done.cellIds.value(k));
                    return cell ? cell->job.targetId : QString();
                };
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

QList<ChatRequest> RunSession::prepareExtraJudging()
{
    m_extraSkipped.clear();
    QList<ChatRequest> calls;
    if (m_spec.extraVerdicts.isEmpty() && m_spec.extraPicks.isEmpty())
        return calls;
    QHash<QString, const CellResult *> recorded;
    for (const CellResult &c : m_spec.completed)
        recorded.insert(jobIdOf(c), &c);
    m_collectedJudges = &calls;
    prepareExtraVerdicts(recorded);
    prepareExtraPicks(recorded);
    m_collectedJudges = nullptr;
    return calls;
}

void RunSession::prepareExtraVerdicts(const QHash<QString, const CellResult *> &recorded)
{
    for (const ExtraVerdict &extra : std::as_const(m_spec.extraVerdicts)) {
        const CellResult *cell = recorded.value(extra.jobId);
        const SuiteCase *suiteCase = cell ? m_spec.suite.findCase(cell->caseId) : nullptr;
        if (!cell || !suiteCase || cell->job.state != JobState::Completed) {
            m_extraSkipped.append(tr("%1: no complete answer is recorded to judge").arg(extra.jobId));
            continue;
        }
        const CaseVariant *variant = cell->variantId.isEmpty() ? nullptr : suiteCase->findVariant(cell->variantId);
        const QString reference = Suite::referenceFor(*suiteCase, variant);
        // The validator answers the checks a judge answers; a case with none is checked against
        // its reference, as a validator in production checks a draft against what it knows.
        QList<Assertion> checks;
        for (const Assertion &a : m_spec.suite.assertionsFor(*suiteCase, variant)) {
            bool negated = false;
            const auto kind = JudgeGrade::kindOf(a.type, &negated);
            if (!negated && (kind == JudgeGrade::Kind::LlmRubric || kind == JudgeGrade::Kind::Factuality))
                checks.append(a);
        }
        if (checks.isEmpty() && !reference.trimmed().isEmpty())
            checks.append(Assertion{QStringLiteral("factuality"), {}, std::nullopt, 1.0, {}, {}});
        if (checks.isEmpty()) {
            m_extraSkipped.append(
                tr("%1: the case has no rubric and no reference to judge the answer against").arg(extra.jobId));
            continue;
        }
        ChatRequest request;
        request.id = QStringLiteral("extra|%1|%2").arg(extra.judgeTargetId, extra.jobId);
        request.targetId = cell->job.targetId;
        request.caseId = cell->caseId;
        request.variantId = cell->variantId;
        request.repeat = cell->repeat;
        request.messages = m_spec.suite.messagesFor(*suiteCase, variant);
        if (m_awaiting.contains(request.id))
            continue; // asked twice: once is enough

        AwaitingCell awaiting;
        awaiting.cell = *cell;
        awaiting.keptGrade = cell->grade;
        awaiting.priorCalls = cell->judgeCalls.size();
        awaiting.assertions = checks;
        awaiting.threshold = suiteCase->threshold;
        awaiting.question = JudgePrompt::questionOf(request.messages);
        GradeInput input;
        input.answer = cell->job.result.text;
        input.reference = reference;
        awaiting.cell.grade = Grader::gradeAll(checks, input, awaiting.threshold);
        if (requestJudging(awaiting, request, reference, m_spec.workspace.target(extra.judgeTargetId)))
            m_awaiting.insert(request.id, awaiting);
        else
            m_extraSkipped.append(tr("%1: nothing the validator could be asked").arg(extra.jobId));
    }
}

void RunSession::prepareExtraPicks(const QHash<QString, const CellResult *> &recorded)
{
    const Assertion selectBest{QStringLiteral("select-best"), {}, std::nullopt, 1.0, {}, {}};
    for (const ExtraPick &extra : std::as_const(m_spec.extraPicks)) {
        const QString label = extra.jobIds.join(QStringLiteral(", "));
        QList<const CellResult *> candidates;
        for (const QString &id : extra.jobIds) {
            const CellResult *c = recorded.value(id);
            // One judgement compares answers to the same question: one case, wording and repeat.
            if (c && c->job.state == JobState::Completed &&
                (candidates.isEmpty() ||
                 (c->caseId == candidates.first()->caseId && c->variantId == candidates.first()->variantId &&
                  c->repeat == candidates.first()->repeat)))
                candidates.append(c);
        }
        const SuiteCase *suiteCase = candidates.isEmpty() ? nullptr : m_spec.suite.findCase(candidates.first()->caseId);
        if (candidates.size() < 2 || candidates.size() != extra.jobIds.size() || !suiteCase) {
            m_extraSkipped.append(tr("%1: no complete answers to one case are recorded to compare").arg(label));
            continue;
        }
        const QString bestOfKey = QStringLiteral("pick|%1|%2").arg(extra.judgeTargetId, extra.jobIds.join(u','));
        if (m_bestOf.contains(bestOfKey))
            continue; // asked twice: once is enough
        const CellResult &first = *candidates.first();
        const CaseVariant *variant = first.variantId.isEmpty() ? nullptr : suiteCase->findVariant(first.variantId);
        ChatRequest context;
        context.caseId = first.caseId;
        context.variantId = first.variantId;
        context.repeat = first.repeat;
        context.messages = m_spec.suite.messagesFor(*suiteCase, variant);
        QStringList cells;
        for (const CellResult *c : std::as_const(candidates)) {
            AwaitingCell awaiting;
            awaiting.cell = *c;
            awaiting.keptGrade = c->grade;
            awaiting.priorCalls = c->judgeCalls.size();
            awaiting.assertions = {selectBest};
            awaiting.question = JudgePrompt::questionOf(context.messages);
            awaiting.outstanding = 1;
            GradeInput input;
            input.answer = c->job.result.text;
            awaiting.cell.grade = Grader::gradeAll(awaiting.assertions, input, std::nullopt);
            // Waits under its own key: the same answer may also wait for a validator's verdict.
            const QString id = bestOfKey + u'|' + jobIdOf(*c);
            m_awaiting.insert(id, awaiting);
            cells.append(id);
        }
        const TargetConfig *judge = m_spec.workspace.target(extra.judgeTargetId); // checked by start()
        if (const QString error = askBestOf(cells, 0, selectBest, *judge, bestOfKey, context); !error.isEmpty()) {
            for (const QString &id : std::as_const(cells))
                m_awaiting.remove(id);
            m_extraSkipped.append(label + QStringLiteral(": ") + error);
        }
    }
}

void RunSession::finalizeExtraVerdict(const AwaitingCell &awaiting)
{
    const QString id = jobIdOf(awaiting.cell);
    const QList<JudgeCall> added = awaiting.cell.judgeCalls.mid(awaiting.priorCalls);
    // Two validators may judge the same cell: each adds its calls to the cell as it now stands.
    CellResult merged = awaiting.cell;
    const auto same = [&id](const CellResult &c) { return jobIdOf(c) == id; };
    const auto it = std::find_if(m_results.begin(), m_results.end(), same);
    if (it != m_results.end()) {
        merged = *it;
        merged.judgeCalls.append(added);
        *it = merged;
    } else {
        merged.grade = *awaiting.keptGrade;
    }
    QList<CellResult> &own = m_cellsByTarget[merged.job.targetId];
    if (const auto o = std::find_if(own.begin(), own.end(), same); o != own.end())
        *o = merged;
    Q_EMIT cellFinished(merged);
}

void RunSession::finalizeAwaiting(const QString &cellId)
{
    AwaitingCell awaiting = m_awaiting.take(cellId);
    if (awaiting.keptGrade) {
        finalizeExtraVerdict(awaiting);
        return;
    }
    if (awaiting.chain)
        settleChain(awaiting);
    else
        awaiting.cell.grade = JudgeGrade::finalGrade(awaiting.cell.grade.grades, awaiting.threshold);
    finalizeCell(awaiting.cell);
}

} // namespace Slopscope
