#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace Slopscope {

// A fenced code block of a Markdown answer (CommonMark's ``` and ~~~ fences). Answers are
// untrusted: the scan is one linear pass and never executes or interprets what it finds.
class CodeBlock final
{
public:
    QString language;   // the info string's first word, lower case, without {.…} decoration
    QString code;       // the block's lines, the fence's indentation removed, '\n' line ends
    bool closed = true; // false: the fence ran to the end of the answer

    // Every fenced block, in order. CRLF and CR line ends are read as LF. A fence may be indented
    // (CommonMark allows 3 spaces; deeper fences, as in list items, are accepted too) and that
    // much indentation is removed from its lines. An unclosed fence runs to the end.
    static QList<CodeBlock> parse(const QString &markdown);
    // The block to run: the first whose language is one of `languages` (lower case), else the
    // first block of any language, else nothing.
    static std::optional<CodeBlock> pick(const QString &markdown, const QStringList &languages);
    // The info-string names of an interpreter's language ("python3" → python, py, python3, …);
    // empty for an interpreter it does not know.
    static QStringList languagesOf(const QString &interpreter);
};

} // namespace Slopscope
