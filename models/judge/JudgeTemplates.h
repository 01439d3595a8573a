#pragma once

#include "core/Result.h"

#include <QByteArray>
#include <QString>

namespace Slopscope {

// One judge prompt: an optional system message and the user message. Placeholders are filled by
// JudgePrompt; each value placeholder becomes the value wrapped in its own tag (see JudgePrompt).
struct JudgeTemplate
{
    QString system;
    QString user;

    friend bool operator==(const JudgeTemplate &, const JudgeTemplate &) = default;
};

// The editable prompts of the model-graded assertions. Placeholders (docs/JUDGES.md):
//   llm-rubric:  {{question}} {{rubric}} {{candidate}}             (rubric and candidate required)
//   factuality:  {{question}} {{reference}} {{candidate}}          (reference and candidate required)
//   select-best: {{question}} {{criteria}} {{answers}} {{labels}}  (answers and labels required)
// Every template may also use {{conversation}}: a chain turn's conversation so far (JudgeConversation),
// empty for other answers; a template without it gets the conversation in front of {{question}}.
// A template may leave out the question; it may not leave out what is judged, or the judge would
// grade blind.
struct JudgeTemplates
{
    JudgeTemplate llmRubric;
    JudgeTemplate factuality;
    JudgeTemplate selectBest;

    static JudgeTemplates defaults();
    // {"llm-rubric": {"system": "...", "user": "..."}, "factuality": {...}, "select-best": {...}}.
    // Keys left out keep their defaults; an unknown key, a non-string value or a user template
    // missing a required placeholder fails the whole file (file:line:column or the field named).
    static Result<JudgeTemplates> fromJson(const QByteArray &bytes, const QString &sourceName);
    static Result<JudgeTemplates> fromFile(const QString &path);

    friend bool operator==(const JudgeTemplates &, const JudgeTemplates &) = default;
};

} // namespace Slopscope
