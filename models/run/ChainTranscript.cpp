#include "run/ChainTranscript.h"

#include <QCoreApplication>

namespace Slopscope {

namespace {

struct ChainTranscriptTr
{
    Q_DECLARE_TR_FUNCTIONS(ChainTranscript)
};

} // namespace

QString ChainTranscript::resultLabel(const ChainToolResult &result)
{
    if (!result.scripted)
        return ChainTranscriptTr::tr("Tool result (unknown tool)");
    switch (result.kind) {
    case ToolResultKind::Result:
        return ChainTranscriptTr::tr("Tool result");
    case ToolResultKind::Error:
        return ChainTranscriptTr::tr("Tool result (failure)");
    case ToolResultKind::Missing:
        return ChainTranscriptTr::tr("Tool result (missing information)");
    case ToolResultKind::Interrupt:
        return ChainTranscriptTr::tr("Tool result (interrupted)");
    }
    return ChainTranscriptTr::tr("Tool result");
}

QList<ChainTranscript::Line> ChainTranscript::lines(const QList<ChainTurnResult> &turns)
{
    QList<Line> out;
    for (qsizetype i = 0; i < turns.size(); ++i) {
        const ChainTurnResult &t = turns.at(i);
        const QString verdict = t.grade.pass ? ChainTranscriptTr::tr("passed") : ChainTranscriptTr::tr("failed");
        out.append({Kind::Turn, ChainTranscriptTr::tr("Turn %1").arg(i + 1),
                    ChainTranscriptTr::tr("%1 · score %2%").arg(verdict).arg(qRound(t.grade.score * 100)),
                    !t.grade.pass});
        out.append({Kind::User, ChainTranscriptTr::tr("User"), t.user, false});
        for (qsizetype c = 0; c < t.toolCalls.size(); ++c) {
            const ChatToolCall &call = t.toolCalls.at(c);
            out.append({Kind::ToolCall, ChainTranscriptTr::tr("Tool call"),
                        QStringLiteral("%1(%2)").arg(call.name, call.arguments), false});
            if (c >= t.toolResults.size())
                continue; // the cap cut the turn before this call was answered
            const ChainToolResult &r = t.toolResults.at(c);
            const bool bad = !r.scripted || r.kind != ToolResultKind::Result;
            if (r.kind == ToolResultKind::Interrupt) {
                out.append({Kind::ToolResult, resultLabel(r), ChainTranscriptTr::tr("(the call was cancelled)"), true});
                out.append({Kind::User, ChainTranscriptTr::tr("User (interjects)"), r.content, false});
            } else {
                out.append({Kind::ToolResult, resultLabel(r), r.content, bad});
            }
        }
        if (t.toolRoundCapHit)
            out.append({Kind::Note, ChainTranscriptTr::tr("Stopped"),
                        ChainTranscriptTr::tr("the model kept calling tools past the round cap"), true});
        out.append({Kind::Assistant, ChainTranscriptTr::tr("Assistant"), t.answer, false});
        // The turn's own verdict, not the cell's: which of its assertions failed, and why.
        for (const Grade &g : t.grade.grades) {
            if (g.needsJudge)
                out.append({Kind::Check, ChainTranscriptTr::tr("Waiting for judge"), g.type, false});
            else if (!g.pass)
                out.append({Kind::Check, ChainTranscriptTr::tr("Failed check"),
                            g.reason.isEmpty() ? g.type : ChainTranscriptTr::tr("%1: %2").arg(g.type, g.reason), true});
        }
    }
    return out;
}

QString ChainTranscript::plainText(const QList<ChainTurnResult> &turns)
{
    QString out;
    for (const Line &line : lines(turns)) {
        if (line.kind == Kind::Turn && !out.isEmpty())
            out += u'\n';
        out += line.label + QStringLiteral(": ") + line.text + u'\n';
    }
    return out;
}

QList<JudgeConversation::Turn> ChainTranscript::forJudge(const QList<ChainTurnResult> &turns, qsizetype turnIndex,
                                                         bool usersOnly)
{
    // Model-facing: roles and notes are not translated.
    QList<JudgeConversation::Turn> out;
    for (qsizetype i = 0; i <= turnIndex && i < turns.size(); ++i) {
        const ChainTurnResult &t = turns.at(i);
        const bool graded = i == turnIndex;
        JudgeConversation::Turn turn;
        turn.append({QStringLiteral("user"), t.user, false});
        for (qsizetype c = 0; c < t.toolCalls.size() && !usersOnly; ++c) {
            const ChatToolCall &call = t.toolCalls.at(c);
            turn.append({QStringLiteral("tool_call"), QStringLiteral("%1(%2)").arg(call.name, call.arguments), false});
            if (c >= t.toolResults.size())
                continue;
            const ChainToolResult &r = t.toolResults.at(c);
            const bool failed = !r.scripted || r.kind != ToolResultKind::Result;
            if (r.kind == ToolResultKind::Interrupt) {
                turn.append({QStringLiteral("tool_result"), QStringLiteral("(the call was interrupted)"), true});
                turn.append({QStringLiteral("user"), r.content, false});
            } else {
                turn.append({QStringLiteral("tool_result"), r.content, failed});
            }
        }
        if (!graded && !usersOnly)
            turn.append({QStringLiteral("assistant"), t.answer, false});
        out.append(turn);
    }
    return out;
}

} // namespace Slopscope
