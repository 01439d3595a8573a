#include "run/RunSession.h"

// Chain cells (Chain.h): one ChainDriver each decides what to send after every answer; the
// session sends it through the same scheduler and, once the chain is over, grades the turns like
// any cell: llm-rubric and factuality by the judge (shown the conversation so far), code-tests in
// the sandbox, select-best once every target's chain of the case is over; then emits the cell.

#include "engine/RunScheduler.h"
#include "judge/JudgeConversation.h"
#include "run/ChainDriver.h"
#include "run/ChainTranscript.h"
#include "run/JobTimeline.h"
#include "run/RunSessionDetail.h"

namespace Slopscope {

using namespace RunDetail;

void RunSession::prepareChains()
{
    m_chains.clear();
    m_chainSteps.clear();
    m_chainTally.clear();
    for (auto it = m_jobs.cbegin(); it != m_jobs.cend(); ++it) {
        const SuiteCase *suiteCase = m_spec.suite.findCase(it->caseId);
        if (!suiteCase || !Chain::isChain(*suiteCase))
            continue;
        const CaseVariant *variant = it->variantId.isEmpty() ? nullptr : suiteCase->findVariant(it->variantId);
        m_chains.insert(it.key(), std::make_shared<ChainDriver>(m_spec.suite, *suiteCase, variant, it.value()));
    }
}

QString RunSession::chainCellOf(const QString &jobId) const
{
    return m_chainSteps.value(jobId, jobId);
}

void RunSession::onChainAnswer(const QString &cellId, const JobResult &job)
{
    const std::shared_ptr<ChainDriver> driver = m_chains.value(cellId);
    const ChatRequest &request = m_jobs[cellId];
    const RequestMetrics metrics = computeMetrics(jobTimeline(job), job.result.usage);
    const RequestCost cost = CostCalculator::requestCost(job.result.usage, m_schedules.value(request.targetId));
    if (cost.usd)
        m_spentUsd += *cost.usd;

    ChainTally &tally = m_chainTally[cellId];
    if (tally.requests++ == 0) {
        tally.first = job;
        tally.cost = cost;
        tally.e2eNs = metrics.e2eNs;
    } else {
        tally.cost += cost;
        tally.e2eNs =
            tally.e2eNs && metrics.e2eNs ? std::optional<qint64>(*tally.e2eNs + *metrics.e2eNs) : std::nullopt;
    }
    if (job.result.usage && job.result.usage->known()) {
        tally.usage.inputTokens = tally.usage.inputTokens.value_or(0) + *job.result.usage->inputTokens;
        tally.usage.outputTokens = tally.usage.outputTokens.value_or(0) + *job.result.usage->outputTokens;
    } else {
        tally.usageKnown = false;
    }

    if (job.state != JobState::Completed) {
        driver->onFailure(job, metrics, cost);
        finishChain(cellId, job);
        checkSpendCap();
        return;
    }
    const std::optional<ChatRequest> next = driver->onAnswer(job, metrics, cost);
    if (next && !m_cancelled && m_scheduler->enqueue({*next}).ok()) {
        m_chainSteps.insert(next->id, cellId);
        Q_EMIT progress(m_done, total(), m_spentUsd); // the spend moved
        checkSpendCap();
        return;
    }
    JobResult last = job;
    if (next) {
        // Cancelled between two requests: the turns so far are kept, the rest never sent.
        last.state = JobState::Cancelled;
        last.error.clear();
    }
    finishChain(cellId, last);
    checkSpendCap();
}

void RunSession::finishChain(const QString &cellId, const JobResult &last)
{
    const std::shared_ptr<ChainDriver> driver = m_chains.take(cellId);
    const ChainTally tally = m_chainTally.take(cellId);
    for (auto it = m_chainSteps.begin(); it != m_chainSteps.end();) {
        if (it.value() == cellId)
            it = m_chainSteps.erase(it);
        else
            ++it;
    }
    const ChatRequest request = m_jobs.value(cellId);

    CellResult cell;
    cell.job = last;
    cell.job.jobId = cellId;
    cell.caseId = request.caseId;
    cell.variantId = request.variantId;
    cell.repeat = request.repeat;
    cell.turns = driver->turns();
    // The cell's figures: time to first token of its first request; latency, tokens and cost
    // over all of its requests.
    cell.metrics = computeMetrics(jobTimeline(tally.first), tally.first.result.usage);
    cell.metrics.e2eNs = tally.e2eNs;
    if (tally.usageKnown && tally.requests > 0) {
        Usage usage = cell.job.result.usage.value_or(Usage{});
        usage.inputTokens = tally.usage.inputTokens;
        usage.outputTokens = tally.usage.outputTokens;
        usage.totalTokens = *tally.usage.inputTokens + *tally.usage.outputTokens;
        cell.job.result.usage = usage;
        cell.metrics.outputTokens = static_cast<double>(*tally.usage.outputTokens);
    }
    cell.cost = tally.cost;
    cell.grade = driver->grade();
    const bool failed = last.state != JobState::Completed;
    if (failed) {
        // No complete chain: it fails every check rather than vanishing from the quality figure.
        cell.grade.pass = false;
        cell.grade.score = 0.0;
    }
    // The turns answered so far are judged even when the chain stopped early: their verdicts
    // are worth keeping, and a cancelled run asks nobody (the grades say so).
    AwaitingCell awaiting;
    awaiting.cell = cell;
    awaiting.chain = AwaitingCell::ChainGrading{};
    awaiting.chain->expectedTurns = driver->turnCount();
    awaiting.chain->finished = driver->finished();
    awaiting.chain->failed = failed;
    bool waiting = requestChainJudging(awaiting, request, *driver);
    waiting = requestCodeTests(awaiting, request) || waiting;
    // Waiting before the group hears of it: the last chain of a case starts its select-best.
    if (waiting)
        m_awaiting.insert(cellId, awaiting);
    arrivedInGroup(request);
    if (waiting) {
        Q_EMIT progress(m_done, total(), m_spentUsd); // the spend moved
        return;
    }
    settleChain(awaiting);
    finalizeCell(awaiting.cell);
}

bool RunSession::requestChainJudging(AwaitingCell &awaiting, const ChatRequest &request, const ChainDriver &driver)
{
    QList<ChatRequest> requests;
    QList<JudgeJob> jobs;
    int offset = 0; // where the turn's grades start among the cell's
    for (qsizetype t = 0; t < awaiting.cell.turns.size(); ++t) {
        ChainTurnResult &turn = awaiting.cell.turns[t];
        const ChainDriver::TurnChecks checks = driver.checksFor(t);
        if (t == 0)
            awaiting.chain->firstThreshold = checks.threshold;
        awaiting.chain->turnAssertions.append(checks.assertions);
        QList<Grade> &grades = turn.grade.grades;
        for (qsizetype i = 0; i < grades.size() && i < checks.assertions.size(); ++i) {
            Grade &g = grades[i];
            const JudgeGrade::Kind kind = JudgeGrade::kindOf(g.type);
            if (!g.needsJudge || kind == JudgeGrade::Kind::None)
                continue; // code-tests wait for a sandbox (RunSessionCodeTests.cpp), not a judge
            awaiting.chain->judgedTurns.insert(t);
            const Assertion &a = checks.assertions.at(i);
            const TargetConfig *judge = judgeFor(a);
            if (!judge) {
                JudgeGrade::markUngraded(g, tr("no judge"));
                continue;
            }
            if (kind == JudgeGrade::Kind::SelectBest) {
                g.reason = tr("waiting for the other targets' answers");
                ++awaiting.outstanding; // answered in requestChainBestOf
                continue;
            }
            JudgeAsk ask;
            ask.id = kJudgePrefix + request.id + QStringLiteral("|turn%1|%2").arg(t + 1).arg(i);
            ask.question = turn.user;
            ask.answer = turn.answer;
            ask.reference = checks.reference;
            // The turn in context: a follow-up ("and its population?") means nothing on its own.
            ask.conversation = JudgeConversation::render(ChainTranscript::forJudge(awaiting.cell.turns, t));
            ask.assertionIndex = static_cast<int>(i);
            ask.turnIndex = static_cast<int>(t);
            ask.callIndex = offset + static_cast<int>(i);
            addJudgeAsk(g, a, *judge, request, ask, requests, jobs);
        }
        offset += static_cast<int>(grades.size());
    }
    sendJudgeAsks(awaiting, requests, jobs);
    return awaiting.outstanding > 0;
}

void RunSession::requestChainBestOf(const QString &groupKey, const QStringList &waiting)
{
    const QStringList members = m_groupMembers.value(groupKey);
    qsizetype turnCount = 0;
    for (const QString &id : waiting) {
        if (const auto it = m_awaiting.constFind(id); it != m_awaiting.cend())
            turnCount = std::max(turnCount, it->cell.turns.size());
    }
    for (qsizetype t = 0; t < turnCount; ++t) {
        // The turn's select-best checks, as the first chain still waiting that graded it has them
        // (looked up again for each turn: settling one may have finished a cell).
        QList<int> indexes;
        QList<Assertion> assertions;
        QList<Grade> sampleGrades;
        for (const QString &id : waiting) {
            const auto it = m_awaiting.constFind(id);
            if (it != m_awaiting.cend() && it->chain && t < it->cell.turns.size() &&
                t < it->chain->turnAssertions.size()) {
                assertions = it->chain->turnAssertions.at(t);
                sampleGrades = it->cell.turns.at(t).grade.grades;
                break;
            }
        }
        for (qsizetype i = 0; i < assertions.size() && i < sampleGrades.size(); ++i) {
            if (JudgeGrade::kindOf(sampleGrades.at(i).type) == JudgeGrade::Kind::SelectBest &&
                judgeFor(assertions.at(i)))
                indexes.append(static_cast<int>(i));
        }
        for (const int i : std::as_const(indexes)) {
            // The chains whose turn t was answered and graded take part; the rest ended earlier
            // (or failed in that turn) and are named in the grades.
            QStringList cells;
            QStringList leftOut;
            for (const QString &id : members) {
                const auto it = m_awaiting.find(id);
                const Grade *g = it != m_awaiting.end() ? gradeAt(*it, static_cast<int>(t), i) : nullptr;
                if (g && g->needsJudge)
                    cells.append(id);
                else
                    leftOut.append(m_jobs.value(id).targetId);
            }
            const QString note = leftOut.isEmpty() ? QString()
                                                   : tr("not compared: %1, whose chain did not answer turn %2")
                                                         .arg(leftOut.join(QStringLiteral(", ")),
                                                              QString::number(t + 1));
            const auto ungraded = [&](const QString &why) {
                for (const QString &id : std::as_const(cells)) {
                    // Looked up each time: emitting a finished cell may re-enter and finish others.
                    const auto it = m_awaiting.find(id);
                    if (it == m_awaiting.end())
                        continue;
                    if (Grade *g = gradeAt(*it, static_cast<int>(t), i))
                        JudgeGrade::markUngraded(*g, note.isEmpty() ? why : why + QStringLiteral("; ") + note);
                    judgeDone(id);
                }
            };
            if (cells.size() < 2) {
                ungraded(tr("select-best needs at least two answers"));
                continue;
            }
            const Assertion assertion = assertions.at(i);
            const QString key = groupKey + QStringLiteral("|turn%1|%2").arg(t + 1).arg(i);
            const QString error = askBestOf(cells, i, assertion, *judgeFor(assertion), key, m_jobs.value(cells.first()),
                                            static_cast<int>(t), note);
            if (!error.isEmpty())
                ungraded(error);
        }
    }
}

void RunSession::settleChain(AwaitingCell &awaiting)
{
    const AwaitingCell::ChainGrading &chain = *awaiting.chain;
    for (const qsizetype t : chain.judgedTurns) {
        if (t < awaiting.cell.turns.size())
            ChainDriver::settleTurn(awaiting.cell.turns[t], t == 0 ? chain.firstThreshold : std::nullopt);
    }
    awaiting.cell.grade = ChainDriver::combine(awaiting.cell.turns, chain.expectedTurns, chain.finished);
    if (chain.failed) {
        awaiting.cell.grade.pass = false;
        awaiting.cell.grade.score = 0.0;
    }
}

} // namespace Slopscope
