#include "judge/JudgePrompt.h"

#include "core/Json.h"
#include "quality/Suite.h"

#include <QCoreApplication>
#include <QHash>
#include <QRegularExpression>

namespace Slopscope {

namespace {

QList<ChatMessage> messages(const JudgeTemplate &t, QHash<QString, QString> vars, const QString &conversation)
{
    static const QRegularExpression placeholder(QStringLiteral("\\{\\{\\s*conversation\\s*\\}\\}"));
    const QString block = conversation.isEmpty() ? QString() : conversation + QStringLiteral("\n\n");
    if (placeholder.match(t.user).hasMatch() || block.isEmpty())
        vars.insert(QStringLiteral("conversation"), block);
    else
        vars[QStringLiteral("question")].prepend(block);
    QList<ChatMessage> out;
    // renderTemplate inserts values literally and never expands them again, so an answer holding
    // "{{reference}}" stays text.
    if (!t.system.trimmed().isEmpty())
        out.append(ChatMessage{QStringLiteral("system"), renderTemplate(t.system, vars)});
    out.append(ChatMessage{QStringLiteral("user"), renderTemplate(t.user, vars)});
    return out;
}

} // namespace

QString JudgePrompt::label(qsizetype index)
{
    if (index < 0 || index >= kMaxAnswers)
        return {};
    return QString(QChar(u'A' + static_cast<char16_t>(index)));
}

QString JudgePrompt::neutralise(const QString &value)
{
    // Only the tags the judge prompts use; other markup (HTML in an answer) is left alone.
    static const QRegularExpression tagLike(
        QStringLiteral("<(?=\\s*/?\\s*(?:question|rubric|candidate|candidate_answer|reference|reference_answer|"
                       "answer|answers|criteria|conversation|message)\\b)"),
        QRegularExpression::CaseInsensitiveOption);
    QString out = value;
    out.replace(tagLike, QStringLiteral("&lt;"));
    return out;
}

QString JudgePrompt::wrap(const QString &tag, const QString &value, const QString &attributes)
{
    QString open = u'<' + tag;
    if (!attributes.isEmpty())
        open += u' ' + attributes;
    open += u'>';
    return open + u'\n' + neutralise(value.trimmed()) + u'\n' + QStringLiteral("</") + tag + u'>';
}

QString JudgePrompt::questionOf(const QList<ChatMessage> &messages)
{
    for (qsizetype i = messages.size() - 1; i >= 0; --i) {
        if (messages.at(i).role == u"user")
            return messages.at(i).content;
    }
    return {};
}

QString JudgePrompt::valueText(const nlohmann::json &value)
{
    if (value.is_string())
        return Json::toQString(value.get<std::string>());
    if (value.is_null())
        return {};
    return Json::toQString(value.dump());
}

QList<ChatMessage> JudgePrompt::llmRubric(const JudgeTemplates &templates, const QString &rubric,
                                          const QString &question, const QString &candidate,
                                          const QString &conversation)
{
    const QHash<QString, QString> vars{
        {QStringLiteral("question"), wrap(QStringLiteral("question"), question)},
        {QStringLiteral("rubric"), wrap(QStringLiteral("rubric"), rubric)},
        {QStringLiteral("candidate"), wrap(QStringLiteral("candidate"), candidate)},
    };
    return messages(templates.llmRubric, vars, conversation);
}

QList<ChatMessage> JudgePrompt::factuality(const JudgeTemplates &templates, const QString &question,
                                           const QString &candidate, const QString &reference,
                                           const QString &conversation)
{
    const QHash<QString, QString> vars{
        {QStringLiteral("question"), wrap(QStringLiteral("question"), question)},
        {QStringLiteral("reference"), wrap(QStringLiteral("reference"), reference)},
        {QStringLiteral("candidate"), wrap(QStringLiteral("candidate"), candidate)},
    };
    return messages(templates.factuality, vars, conversation);
}

Result<QList<ChatMessage>> JudgePrompt::selectBest(const JudgeTemplates &templates, const QString &question,
                                                   const QStringList &answers, const QString &criteria,
                                                   const QString &conversation)
{
    if (answers.size() < 2)
        return Error{QCoreApplication::translate("JudgePrompt", "select-best needs at least two answers")};
    if (answers.size() > kMaxAnswers)
        return Error{QCoreApplication::translate("JudgePrompt", "select-best compares at most %1 answers, not %2")
                         .arg(kMaxAnswers)
                         .arg(answers.size())};
    QStringList blocks;
    QStringList labels;
    for (qsizetype i = 0; i < answers.size(); ++i) {
        labels.append(label(i));
        blocks.append(wrap(QStringLiteral("answer"), answers.at(i), QStringLiteral("label=\"%1\"").arg(label(i))));
    }
    const QString wanted =
        criteria.trimmed().isEmpty()
            ? QStringLiteral(
                  "The most correct answer; then the most complete and clear.") // sent to a model: not translated
            : criteria;
    const QHash<QString, QString> vars{
        {QStringLiteral("question"), wrap(QStringLiteral("question"), question)},
        {QStringLiteral("criteria"), wrap(QStringLiteral("criteria"), wanted)},
        {QStringLiteral("answers"), blocks.join(QStringLiteral("\n\n"))},
        {QStringLiteral("labels"), labels.join(QStringLiteral(", "))},
    };
    return messages(templates.selectBest, vars, conversation);
}

} // namespace Slopscope
