#include "judge/JudgeGrade.h"

#include <QCoreApplication>

namespace Slopscope {

namespace {

// Through Q_DECLARE_TR_FUNCTIONS, lupdate files these strings under the context the code
// looks them up in (a translate() wrapper called tr() misled it into the namespace's).
struct JudgeGradeTr
{
    Q_DECLARE_TR_FUNCTIONS(JudgeGrade)
};

constexpr auto kNotPrefix = QLatin1StringView("not-");

} // namespace

JudgeGrade::Kind JudgeGrade::kindOf(const QString &type, bool *negated)
{
    QString base = type;
    const bool negate = base.startsWith(kNotPrefix);
    if (negate)
        base = base.mid(kNotPrefix.size());
    if (negated)
        *negated = negate;
    if (base == u"llm-rubric")
        return Kind::LlmRubric;
    if (base == u"factuality")
        return Kind::Factuality;
    if (base == u"select-best")
        return Kind::SelectBest;
    return Kind::None;
}

void JudgeGrade::applyVerdict(Grade &grade, const Result<JudgeVerdict> &verdict, bool negated)
{
    if (!verdict) {
        applyError(grade, verdict.error());
        return;
    }
    const JudgeVerdict &v = verdict.value();
    grade.needsJudge = false;
    grade.pass = negated ? !v.pass : v.pass;
    grade.score = negated ? 1.0 - v.score : v.score;
    const QString said = v.reason.isEmpty() ? JudgeGradeTr::tr("(no reason given)") : v.reason;
    grade.reason = negated ? JudgeGradeTr::tr("not: judge: %1").arg(said) : JudgeGradeTr::tr("judge: %1").arg(said);
}

void JudgeGrade::applyError(Grade &grade, const QString &message)
{
    grade.needsJudge = false;
    grade.pass = false;
    grade.score = 0.0;
    grade.reason = JudgeGradeTr::tr("judge error: %1").arg(message);
}

void JudgeGrade::applyPick(Grade &grade, bool chosen, qsizetype answers, const QString &reason)
{
    grade.needsJudge = false;
    grade.pass = chosen;
    grade.score = chosen ? 1.0 : 0.0;
    const QString said = reason.isEmpty() ? JudgeGradeTr::tr("(no reason given)") : reason;
    grade.reason = chosen
                       ? JudgeGradeTr::tr("chosen as the best of %1 answers, in both orders: %2").arg(answers).arg(said)
                       : JudgeGradeTr::tr("not chosen; the judge picked another of %1 answers in both orders: %2")
                             .arg(answers)
                             .arg(said);
}

void JudgeGrade::applyInconsistent(Grade &grade, qsizetype answers, const QString &reason)
{
    grade.needsJudge = false;
    grade.pass = false;
    grade.score = answers > 0 ? 1.0 / static_cast<double>(answers) : 0.0;
    grade.reason =
        JudgeGradeTr::tr("tie/inconsistent: the judge picked differently when the positions were swapped (%1)")
            .arg(reason);
}

void JudgeGrade::markUngraded(Grade &grade, const QString &why)
{
    grade.needsJudge = true;
    grade.pass = false;
    grade.score = 0.0;
    grade.reason = JudgeGradeTr::tr("not graded (%1)").arg(why);
}

CaseGrade JudgeGrade::finalGrade(QList<Grade> grades, std::optional<double> threshold)
{
    CaseGrade out = Grader::combine(std::move(grades), threshold);
    if (out.pendingJudge)
        out.pass = false;
    return out;
}

bool JudgeGrade::hasScore(const CaseGrade &grade)
{
    if (grade.grades.isEmpty())
        return true;
    for (const Grade &g : grade.grades) {
        if (!g.needsJudge)
            return true;
    }
    return false;
}

std::optional<bool> JudgeGrade::judgePass(const CaseGrade &grade, const QList<JudgeCall> &calls)
{
    std::optional<bool> out;
    for (qsizetype i = 0; i < grade.grades.size(); ++i) {
        const Grade &g = grade.grades.at(i);
        if (g.needsJudge || kindOf(g.type) == Kind::None)
            continue;
        bool answered = false;
        bool failed = false;
        for (const JudgeCall &call : calls) {
            if (call.assertionIndex != i)
                continue;
            answered = true;
            failed = failed || !call.error.isEmpty();
        }
        if (!answered || failed)
            continue;
        out = out.value_or(true) && g.pass;
    }
    return out;
}

} // namespace Slopscope
