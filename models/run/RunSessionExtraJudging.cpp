#include "run/RunSession.h"

// RunSession's extra verdicts and picks (RunSpec::extraVerdicts, extraPicks): recorded answers
// sent to a validator or compared by a judge in a later session, their calls added to the cells
// already in the history.

#include "judge/JudgePrompt.h"
#include "quality/Grader.h"

#include <algorithm>

namespace Slopscope {

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

} // namespace Slopscope
