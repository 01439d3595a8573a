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
    QList<Grade> &grades = awaiting.cell.grade.grades;
    const QString answer = awaiting.cell.job.result.text;
    for (qsizetype i = 0; i < grades.size() && i < awaiting.assertions.size(); ++i) {
        Grade &g = grades[i];
        bool negated = false;
        if (!g.needsJudge || !isCodeTests(g.type, &negated))
            continue;
        const Assertion &a = awaiting.assertions.at(i);
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
        const QString id = request.id + u'|' + QString::number(i);
        m_codeTestJobs.insert(id, CodeTestJob{request.id, static_cast<int>(i), negated});
        g.reason = tr("waiting for the code tests");
        ++awaiting.outstanding;
        m_codeTests->enqueue(id, run); // finishes later, never inside enqueue
    }
    return awaiting.outstanding > 0;
}

void RunSession::onCodeTestFinished(const QString &id, const CodeTestOutcome &outcome)
{
    const auto found = m_codeTestJobs.constFind(id);
    if (found == m_codeTestJobs.cend())
        return;
    const CodeTestJob job = found.value();
    m_codeTestJobs.erase(found);
    const auto it = m_awaiting.find(job.cellId);
    if (it != m_awaiting.end() && job.assertionIndex < it->cell.grade.grades.size()) {
        Grade &g = it->cell.grade.grades[job.assertionIndex];
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
        if (it == m_awaiting.end() || job.assertionIndex < 0 || job.assertionIndex >= it->cell.grade.grades.size())
            continue;
        JudgeGrade::markUngraded(it->cell.grade.grades[job.assertionIndex],
                                 tr("the run was cancelled before the code tests finished"));
        judgeDone(job.cellId);
    }
    if (m_finishPending && m_codeTestJobs.isEmpty())
        onRunFinished();
}

} // namespace Slopscope
