#pragma once

#include "core/Result.h"
#include "judge/JudgeCall.h"
#include "judge/JudgeVerdict.h"
#include "quality/Grader.h"

#include <QString>

#include <optional>

namespace Slopscope {

// How judge results become grades. A grade the judge could not give is a failure with the reason
// "judge error: …"; a grade nobody could give (no judge, run cancelled) stays needsJudge with the
// reason "not graded (…)": left out of the score, and the case cannot pass while it is there.
class JudgeGrade final
{
public:
    enum class Kind { None, LlmRubric, Factuality, SelectBest };

    // The judged kind of an assertion type; "not-" negates (promptfoo's not-llm-rubric). code-tests
    // and the deterministic types are Kind::None.
    static Kind kindOf(const QString &type, bool *negated = nullptr);

    static void applyVerdict(Grade &grade, const Result<JudgeVerdict> &verdict, bool negated);
    static void applyError(Grade &grade, const QString &message);
    // select-best: the chosen answer passes with score 1, the others fail with 0.
    static void applyPick(Grade &grade, bool chosen, qsizetype answers, const QString &reason);
    // select-best whose two asks disagreed: nobody wins; each answer scores 1/answers (what a
    // random pick would give) and fails.
    static void applyInconsistent(Grade &grade, qsizetype answers, const QString &reason);
    static void markUngraded(Grade &grade, const QString &why);

    // The case verdict once the judge is done: Grader::combine (weights and threshold), then a case
    // with an assertion still not graded does not pass.
    static CaseGrade finalGrade(QList<Grade> grades, std::optional<double> threshold);
    // Whether the case has a score to average: false when it has assertions and none was graded.
    static bool hasScore(const CaseGrade &grade);
    // The cell's verdict from its judge-graded assertions alone (for judge–human agreement): they
    // all pass. Assertions whose judge call failed are not a judge's opinion and are left out;
    // nullopt when no assertion was graded by a judge.
    static std::optional<bool> judgePass(const CaseGrade &grade, const QList<JudgeCall> &calls);
};

} // namespace Slopscope
