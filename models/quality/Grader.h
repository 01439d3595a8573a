#pragma once

#include "quality/Suite.h"

#include <QString>

#include <optional>

namespace Slopscope {

// What an assertion looks at: the answer and the figures measured for it.
struct GradeInput
{
    QString answer;
    QString reference;
    std::optional<double> latencyMs;
    std::optional<double> costUsd;
};

struct Grade
{
    QString type;
    bool pass = false;
    double score = 0.0; // 0..1
    QString reason;
    double weight = 1.0;
    bool needsJudge = false; // model-graded types are graded elsewhere; see Grader::isModelGraded
};

// The combined verdict of all assertions on one answer, promptfoo style: the score is the
// weighted mean of the assertion scores, and the answer passes when every assertion passes.
struct CaseGrade
{
    bool pass = true;
    double score = 1.0;
    QList<Grade> grades;
    bool pendingJudge = false;
};

class Grader final
{
public:
    // Grades one deterministic assertion. Model-graded types (llm-rubric, factuality,
    // select-best) and code-tests come back with needsJudge set and no verdict.
    static Grade grade(const Assertion &assertion, const GradeInput &input);
    static CaseGrade gradeAll(const QList<Assertion> &assertions, const GradeInput &input);
    static bool isModelGraded(const QString &type);

    // Helpers exposed for their own tests.
    static int levenshtein(QStringView a, QStringView b);
    static std::optional<double> extractNumber(const QString &text);
    static std::optional<QString> extractJson(const QString &text);
};

} // namespace Slopscope
