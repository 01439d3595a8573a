#pragma once

#include <QList>
#include <QString>

namespace Slopscope {

// What came before a chain turn's graded answer, as its judge is shown it: the earlier turns (the
// user's messages, tool calls and results summarised as text, the model's answers) and the graded
// turn's own tool rounds. All of it is untrusted data, wrapped and neutralised like the answer
// itself (JudgePrompt::wrap); the most recent turns are kept within a size cap and the block says
// how many earlier turns were left out.
class JudgeConversation final
{
public:
    struct Entry
    {
        QString role; // "user", "assistant", "tool_call", "tool_result"
        QString text;
        bool failed = false; // a tool result that was a failure, missing or interrupted
    };
    using Turn = QList<Entry>;

    // The <conversation> block, or an empty string when there is nothing before the question but
    // the question itself (`turns` ends with the graded turn, its answer left out).
    static QString render(const QList<Turn> &turns, qsizetype maxChars = kMaxChars);

    // About 6,000 tokens: room for a few turns without drowning the judge's own instructions.
    static constexpr qsizetype kMaxChars = 24'000;
    // One message's text beyond this is cut (a long tool result, a long earlier answer).
    static constexpr qsizetype kMaxEntryChars = 4'000;
};

} // namespace Slopscope
