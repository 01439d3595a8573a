#pragma once

#include "quality/Suite.h"
#include "stream/StreamTypes.h"

#include <QList>
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
    // The answer's native tool calls (StreamResult::toolCalls). When empty, the tool-call checks
    // look for a call written as JSON in the answer text, the way promptfoo sees tool output.
    QList<ToolCall> toolCalls = {}; // initialised, so {answer, ref, ms, usd} stays warning-free
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
// weighted mean of the assertion scores (0 when every weight is 0), and the answer passes when
// every assertion passes, or, when the case has a threshold, when the score reaches it.
struct CaseGrade
{
    bool pass = true;
    double score = 1.0;
    QList<Grade> grades;
    // Some assertions wait for a judge: the verdict so far covers the others only, and an answer
    // with nothing but judged assertions neither passes nor scores until the judge has spoken.
    bool pendingJudge = false;
};

class Grader final
{
public:
    // Grades one deterministic assertion. Model-graded types (llm-rubric, factuality,
    // select-best) and code-tests come back with needsJudge set and no verdict (code-tests fail
    // at once when the answer has no code block: nothing to run). A type Slopscope
    // does not know fails with the reason "unknown grader", so imported checks are never dropped.
    static Grade grade(const Assertion &assertion, const GradeInput &input);
    static CaseGrade gradeAll(const QList<Assertion> &assertions, const GradeInput &input,
                              std::optional<double> threshold = std::nullopt);
    // Combines single grades (e.g. after a judge filled in its verdicts) into a case verdict.
    static CaseGrade combine(QList<Grade> grades, std::optional<double> threshold = std::nullopt);
    static bool isModelGraded(const QString &type);
    // The code a code-tests assertion runs: the answer's fenced block in the interpreter's
    // language, else its first fenced block (CodeBlock::pick); nullopt when there is none.
    static std::optional<QString> codeToTest(const Assertion &assertion, const QString &answer);

    // Helpers exposed for their own tests.
    static int levenshtein(QStringView a, QStringView b);
    static std::optional<double> extractNumber(const QString &text);
    static std::optional<QString> extractJson(const QString &text);
    // Every JSON object or array in the text, in order (at most `limit`).
    static QList<nlohmann::json> extractJsonValues(const QString &text, qsizetype limit = 16);
    // Tool calls written as JSON in an answer: {"name", "arguments"}, OpenAI's {"function": {...}}
    // or {"tool_calls": [...]}, Anthropic's {"type": "tool_use", "name", "input"}, Gemini's
    // {"functionCall": {"name", "args"}}, or a list of those.
    static QList<ToolCall> toolCallsInText(const QString &text);
};

} // namespace Slopscope
