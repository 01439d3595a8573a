#include "run/RunSession.h"

// RunSession's judging: judge jobs for llm-rubric, factuality and select-best, added to the running
// scheduler as the answers they grade arrive, and their verdicts folded into the cells.

#include "engine/RunScheduler.h"
#include "judge/JudgeConversation.h"
#include "judge/JudgePrompt.h"
#include "judge/PairwiseJudgement.h"
#include "quality/Grader.h"
#include "quality/Statistics.h"
#include "run/ChainTranscript.h"
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
    QList<ChatRequest> requests;
    QList<JudgeJob> jobs;
    for (qsizetype i = 0; i < grades.size() && i < awaiting.assertions.size(); ++i) {
        Grade &g = grades[i];
        const JudgeGrade::Kind kind = JudgeGrade::kindOf(g.type);
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
        JudgeAsk ask;
        ask.id = kJudgePrefix + request.id + u'|' + QString::number(i);
        ask.question = awaiting.question;
        ask.answer = awaiting.cell.job.result.text;
        ask.reference = caseReference;
        ask.assertionIndex = static_cast<int>(i);
        addJudgeAsk(g, a, *judge, request, ask, requests, jobs);
    }
    sendJudgeAsks(awaiting, requests, jobs);
    return awaiting.outstanding > 0;
}

void RunSession::addJudgeAsk(Grade &g, const Assertion &a, const TargetConfig &judge, const ChatRequest &cell,
                             const JudgeAsk &ask, QList<ChatRequest> &requests, QList<JudgeJob> &jobs) const
{
    bool negated = false;
    const JudgeGrade::Kind kind = JudgeGrade::kindOf(g.type, &negated);
    const auto messages = judgePrompt(g, kind, a, ask);
    if (!messages)
        return;
    JudgeJob job;
    job.kind = kind;
    job.judgeTargetId = judge.id;
    job.cellIds = {cell.id};
    job.assertionIndex = ask.assertionIndex;
    job.turnIndex = ask.turnIndex;
    job.callIndex = ask.callIndex;
    job.negated = negated;
    job.threshold = a.threshold;
    g.reason = tr("waiting for the judge");
    requests.append(judgeRequest(judge, ask.id, cell, *messages));
    jobs.append(job);
}

void RunSession::sendJudgeAsks(AwaitingCell &awaiting, const QList<ChatRequest> &requests, const QList<JudgeJob> &jobs)
{
    if (requests.isEmpty())
        return;
    if (enqueueJudges(requests, jobs)) {
        awaiting.outstanding += static_cast<int>(requests.size());
        return;
    }
    for (const JudgeJob &job : jobs) {
        if (Grade *g = judgedGrade(awaiting, job))
            JudgeGrade::markUngraded(*g, tr("the run stopped before the judge was asked"));
    }
}

std::optional<QList<ChatMessage>> RunSession::judgePrompt(Grade &g, JudgeGrade::Kind kind, const Assertion &a,
                                                          const JudgeAsk &ask) const
{
    if (kind == JudgeGrade::Kind::LlmRubric) {
        const QString rubric = JudgePrompt::valueText(a.value).trimmed();
        if (rubric.isEmpty()) {
            g = Grade{g.type, false, 0.0, tr("llm-rubric needs a rubric (the assertion's value)"), g.weight, false};
            return std::nullopt;
        }
        return JudgePrompt::llmRubric(m_spec.judgeTemplates, rubric, ask.question, ask.answer, ask.conversation);
    }
    // promptfoo: the assertion's value is the reference; else the case's.
    QString reference = JudgePrompt::valueText(a.value).trimmed();
    if (reference.isEmpty())
        reference = ask.reference;
    if (reference.trimmed().isEmpty()) {
        g = Grade{g.type,   false,
                  0.0,      tr("factuality needs a reference (the assertion's value or the case's reference)"),
                  g.weight, false};
        return std::nullopt;
    }
    return JudgePrompt::factuality(m_spec.judgeTemplates, ask.question, ask.answer, reference, ask.conversation);
}

Grade *RunSession::judgedGrade(AwaitingCell &awaiting, const JudgeJob &job)
{
    return gradeAt(awaiting, job.turnIndex, job.assertionIndex);
}

Grade *RunSession::gradeAt(AwaitingCell &awaiting, int turnIndex, int assertionIndex)
{
    QList<Grade> *grades = &awaiting.cell.grade.grades;
    if (turnIndex >= 0) {
        if (turnIndex >= awaiting.cell.turns.size())
            return nullptr;
        grades = &awaiting.cell.turns[turnIndex].grade.grades;
    }
    if (assertionIndex < 0 || assertionIndex >= grades->size())
        return nullptr;
    return &(*grades)[assertionIndex];
}

int RunSession::callIndexOf(const CellResult &cell, int turnIndex, int assertionIndex)
{
    qsizetype offset = 0;
    for (qsizetype t = 0; t < turnIndex && t < cell.turns.size(); ++t)
        offset += cell.turns.at(t).grade.grades.size();
    return static_cast<int>(offset) + assertionIndex;
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
    if (sample.chain) {
        requestChainBestOf(groupKey, waiting);
        return;
    }
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
                              const TargetConfig &judge, const QString &bestOfKey, const ChatRequest &context,
                              int turnIndex, const QString &note)
{
    QString question;
    QString conversation;
    QStringList answers;
    for (const QString &id : cells) {
        const auto it = m_awaiting.constFind(id);
        if (it == m_awaiting.cend() || (turnIndex >= 0 && turnIndex >= it->cell.turns.size()))
            return tr("the answers to compare are gone");
        if (turnIndex < 0) {
            question = it->question;
            answers.append(it->cell.job.result.text);
            continue;
        }
        // A chain turn: the users' side of the conversation is the same for every chain; the
        // replies before this turn differ per answer, so the judge is shown none of them.
        const ChainTurnResult &turn = it->cell.turns.at(turnIndex);
        question = turn.user;
        answers.append(turn.answer);
        if (conversation.isEmpty())
            conversation =
                JudgeConversation::render(ChainTranscript::forJudge(it->cell.turns, turnIndex, /*usersOnly=*/true));
    }
    BestOfJudgement judgement;
    judgement.cellIds = cells;
    judgement.turnIndex = turnIndex;
    judgement.note = note;
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
        const auto messages = JudgePrompt::selectBest(m_spec.judgeTemplates, question, shown,
                                                      JudgePrompt::valueText(assertion.value), conversation);
        if (!messages)
            return messages.error();
        JudgeJob job;
        job.kind = JudgeGrade::Kind::SelectBest;
        job.judgeTargetId = judge.id;
        job.cellIds = cells;
        job.assertionIndex = assertionIndex;
        job.turnIndex = turnIndex;
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
        const auto it = m_awaiting.find(id);
        if (Grade *g = it != m_awaiting.end() ? gradeAt(*it, turnIndex, assertionIndex) : nullptr)
            g->reason = tr("waiting for the judge");
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
                const Grade *g = gradeAt(*it, judgeJob.turnIndex, judgeJob.assertionIndex);
                call.assertionType = g ? g->type : QString();
                call.assertionIndex = judgeJob.turnIndex >= 0
                                          ? callIndexOf(it->cell, judgeJob.turnIndex, judgeJob.assertionIndex)
                                          : judgeJob.assertionIndex;
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
                    Grade *graded =
                        it != m_awaiting.end() ? gradeAt(*it, done.turnIndex, done.assertionIndex) : nullptr;
                    if (!graded)
                        continue;
                    Grade &g = *graded;
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
                    if (!done.note.isEmpty())
                        g.reason += QStringLiteral(" (") + done.note + u')';
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
