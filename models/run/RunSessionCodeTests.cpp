#include "run/RunSession.h"

// RunSession's code tests: code-tests assertions run in a sandbox as their cells complete, and
// the outcomes fill the grades the way judge verdicts do.

#include "judge/JudgeGrade.h"
#include "judge/JudgePrompt.h"
#include "quality/CodeTestQueue.h"

namespace Slopscope {

namespace {

bool isCodeTests(const QString &type, bool *negated)
{
    *negated = type.startsWith(u"not-");
    return (*negated ? type.mid(4) : type) == u"code-tests";
}

void applyOutcome(Grade &g, const CodeTestOutcome &outcome, bool negated)
{
    using Status = CodeTestOutcome::Status;
    g.needsJudge = false;
    if (outcome.status == Status::Error) {
        // The code never ran (no sandbox, no interpreter): a failure whichever way it is negated.
        g.pass = false;
        g.score = 0.0;
        g.reason = outcome.reason;
        return;
    }
    const bool pass = outcome.status == Status::Passed;
    g.pass = negated ? !pass : pass;
    g.score = negated ? 1.0 - outcome.score : outcome.score;
    g.reason = negated ? RunSession::tr("not: %1").arg(outcome.reason) : outcome.reason;
}

} // namespace

bool RunSession::requestCodeTests(AwaitingCell &awaiting, const ChatRequest &request)
{
    if (!awaiting.chain) {
        queueCodeTests(awaiting, request, -1, awaiting.assertions, awaiting.cell.job.result.text);
        return awaiting.outstanding > 0;
    }
    // A chain: each answered turn's code tests run on that turn's answer.
    for (qsizetype t = 0; t < awaiting.cell.turns.size(); ++t) {
        const QString answer = awaiting.cell.turns.at(t).answer;
        queueCodeTests(awaiting, request, static_cast<int>(t), awaiting.chain->turnAssertions.value(t), answer);
    }
    return awaiting.outstanding > 0;
}

void RunSession::queueCodeTests(AwaitingCell &awaiting, const ChatRequest &request, int turnIndex,
                                const QList<Assertion> &assertions, const QString &answer)
{
    for (qsizetype i = 0; i < assertions.size(); ++i) {
        Grade *graded = gradeAt(awaiting, turnIndex, static_cast<int>(i));
        bool negated = false;
        if (!graded || !graded->needsJudge || !isCodeTests(graded->type, &negated))
            continue;
        Grade &g = *graded;
        if (awaiting.chain)
            awaiting.chain->judgedTurns.insert(turnIndex);
        const Assertion &a = assertions.at(i);
        // The grader let only answers with code through; asked again, it gives the same block.
        const auto code = Grader::codeToTest(a, answer);
        if (!code) {
            g = Grade{g.type, negated, negated ? 1.0 : 0.0, tr("no code block in the answer"), g.weight, false};
            continue;
        }
        if (m_cancelled || !m_codeTests) {
            JudgeGrade::markUngraded(g, tr("the run stopped before the code tests ran"));
            continue;
        }
        CodeTestRequest run;
        run.code = *code;
        run.tests = JudgePrompt::valueText(a.value);
        if (!a.interpreter.isEmpty())
            run.interpreter = a.interpreter;
        const QString id = turnIndex < 0 ? QStringLiteral("%1|%2").arg(request.id).arg(i)
                                         : QStringLiteral("%1|turn%2|%3").arg(request.id).arg(turnIndex + 1).arg(i);
        m_codeTestJobs.insert(id, CodeTestJob{request.id, turnIndex, static_cast<int>(i), negated});
        g.reason = tr("waiting for the code tests");
        ++awaiting.outstanding;
        m_codeTests->enqueue(id, run); // finishes later, never inside enqueue
    }
}

void RunSession::onCodeTestFinished(const QString &id, const CodeTestOutcome &outcome)
{
    const auto found = m_codeTestJobs.constFind(id);
    if (found == m_codeTestJobs.cend())
        return;
    const CodeTestJob job = found.value();
    m_codeTestJobs.erase(found);
    const auto it = m_awaiting.find(job.cellId);
    if (Grade *graded = it != m_awaiting.end() ? gradeAt(*it, job.turnIndex, job.assertionIndex) : nullptr) {
        Grade &g = *graded;
        if (outcome.status == CodeTestOutcome::Status::Cancelled)
            JudgeGrade::markUngraded(g, tr("the run was cancelled before the code tests finished"));
        else
            applyOutcome(g, outcome, job.negated);
        judgeDone(job.cellId); // may emit the cell, and a listener may cancel the run
    }
    if (m_finishPending && m_codeTestJobs.isEmpty())
        onRunFinished();
}

void RunSession::cancelCodeTests()
{
    if (!m_codeTests)
        return;
    const QStringList ids = m_codeTests->cancelAll();
    for (const QString &id : ids) {
        const CodeTestJob job = m_codeTestJobs.take(id);
        // Looked up each time: a finished cell's listener may re-enter and settle others.
        const auto it = m_awaiting.find(job.cellId);
        Grade *g = it != m_awaiting.end() ? gradeAt(*it, job.turnIndex, job.assertionIndex) : nullptr;
        if (!g)
            continue;
        JudgeGrade::markUngraded(*g, tr("the run was cancelled before the code tests finished"));
        judgeDone(job.cellId);
    }
    if (m_finishPending && m_codeTestJobs.isEmpty())
        onRunFinished();
}

} // namespace Slopscope
