#include "judge/JudgeConversation.h"

#include "judge/JudgePrompt.h"

namespace Slopscope {

namespace {

// Sent to a model: not translated.
QString entryText(const JudgeConversation::Entry &e)
{
    QString text = e.text.trimmed();
    if (text.size() > JudgeConversation::kMaxEntryChars) {
        const qsizetype cut = text.size() - JudgeConversation::kMaxEntryChars;
        text =
            text.left(JudgeConversation::kMaxEntryChars) + QStringLiteral("\n[… %1 more characters left out]").arg(cut);
    }
    QString attributes = QStringLiteral("role=\"%1\"").arg(e.role);
    if (e.failed)
        attributes += QStringLiteral(" status=\"failed\"");
    return JudgePrompt::wrap(QStringLiteral("message"), text, attributes);
}

QString turnText(const JudgeConversation::Turn &turn)
{
    QStringList parts;
    for (const JudgeConversation::Entry &e : turn)
        parts.append(entryText(e));
    return parts.join(u'\n');
}

} // namespace

QString JudgeConversation::render(const QList<Turn> &turns, qsizetype maxChars)
{
    // Only the question so far: the question tag already carries it.
    if (turns.isEmpty() || (turns.size() == 1 && turns.first().size() <= 1))
        return {};
    // The most recent turns first, while they fit; the graded turn always goes in.
    QStringList kept;
    qsizetype size = 0;
    for (qsizetype i = turns.size() - 1; i >= 0; --i) {
        const QString text = turnText(turns.at(i));
        if (!kept.isEmpty() && size + text.size() > maxChars)
            break;
        kept.prepend(text);
        size += text.size() + 1;
    }
    const qsizetype elided = turns.size() - kept.size();
    QString body;
    if (elided > 0)
        body = QStringLiteral("[%1 earlier turn(s) of the conversation left out]\n").arg(elided);
    body += kept.join(u'\n');
    // Not JudgePrompt::wrap: the messages inside are wrapped (and neutralised) one by one.
    return QStringLiteral("<conversation>\n%1\n</conversation>").arg(body);
}

} // namespace Slopscope
