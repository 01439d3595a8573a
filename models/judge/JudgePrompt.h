#pragma once

#include "core/ChatMessage.h"
#include "core/Result.h"
#include "judge/JudgeTemplates.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>

namespace Slopscope {

// Builds the chat messages sent to a judge. Every value placeholder of a template becomes the value
// wrapped in its tag, e.g. {{candidate}} → "<candidate>\n…\n</candidate>" (the form the simulator's
// judge reads), and {{answers}} → one <answer label="A">…</answer> block per answer. Answers are
// untrusted model output: tag-like text inside a value that could close or open one of these tags
// is neutralised ("<" becomes "&lt;"), so an answer cannot forge a reference or a second candidate.
class JudgePrompt final
{
public:
    // `conversation`: what came before the question in a chain (JudgeConversation::render), or
    // empty. It fills {{conversation}}; a template without that placeholder gets it in front of
    // the question instead, so an edited template never judges a chain turn out of context.
    static QList<ChatMessage> llmRubric(const JudgeTemplates &templates, const QString &rubric, const QString &question,
                                        const QString &candidate, const QString &conversation = {});
    static QList<ChatMessage> factuality(const JudgeTemplates &templates, const QString &question,
                                         const QString &candidate, const QString &reference,
                                         const QString &conversation = {});
    // `answers` in the order they are shown, labelled A, B, C…; at most kMaxAnswers.
    static Result<QList<ChatMessage>> selectBest(const JudgeTemplates &templates, const QString &question,
                                                 const QStringList &answers, const QString &criteria,
                                                 const QString &conversation = {});

    static constexpr qsizetype kMaxAnswers = 26;
    // "A" for 0 … "Z" for 25; empty outside that range.
    static QString label(qsizetype index);
    // The value wrapped in its tag, with tag-like text inside neutralised (see the class comment).
    static QString wrap(const QString &tag, const QString &value, const QString &attributes = {});
    static QString neutralise(const QString &value);
    // What the judge is told the question was: the last user message of the case's request.
    static QString questionOf(const QList<ChatMessage> &messages);
    // An assertion's value as text for the judge: a string as is, anything else as compact JSON.
    static QString valueText(const nlohmann::json &value);
};

} // namespace Slopscope
