#pragma once

#include "judge/JudgeConversation.h"
#include "run/ChainTurnResult.h"

#include <QList>
#include <QString>

namespace Slopscope {

// A chain cell's turns as the lines a person reads (user, tool call, tool result, assistant, the
// turn's verdict and, after its answer, the turn's failing assertions with their reasons), for the
// cell detail pane and the reports. The text is plain and untrusted (model output, tool arguments):
// each view escapes it for its format.
class ChainTranscript final
{
public:
    enum class Kind {
        Turn,       // "Turn 2 · failed · score 50%"
        User,       // the turn's user message, or an interjection after an interrupt
        ToolCall,   // name and arguments
        ToolResult, // what the script returned
        Assistant,  // the answer graded
        Note,       // the tool-round cap cut the turn short
        Check,      // an assertion of the turn that failed or was left ungraded, with its reason
    };
    struct Line
    {
        Kind kind = Kind::User;
        QString label; // translated: "User", "Tool result (failure)", ...
        QString text;
        bool bad = false; // a failed turn, or a tool result that was a failure, missing or interrupted
    };

    static QList<Line> lines(const QList<ChainTurnResult> &turns);
    // Every line as "label: text", one turn after another: for plain-text views and copying.
    static QString plainText(const QList<ChainTurnResult> &turns);
    // What turn `turnIndex`'s judge is shown before the question (JudgeConversation): the earlier
    // turns whole and the turn's own user message and tool rounds, its answer left out. With
    // `usersOnly`, only what the users said (select-best: each answer's earlier replies differ).
    static QList<JudgeConversation::Turn> forJudge(const QList<ChainTurnResult> &turns, qsizetype turnIndex,
                                                   bool usersOnly = false);
    // The label of a scripted result: "Tool result", "Tool result (failure)", ...
    static QString resultLabel(const ChainToolResult &result);
};

} // namespace Slopscope
