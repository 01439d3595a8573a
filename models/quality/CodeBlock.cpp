#include "quality/CodeBlock.h"

#include <QFileInfo>

namespace Slopscope {

namespace {

struct Fence
{
    QChar marker;
    qsizetype length = 0;
    qsizetype indent = 0;
};

qsizetype leadingSpaces(QStringView line)
{
    qsizetype n = 0;
    while (n < line.size() && line.at(n) == u' ')
        ++n;
    return n;
}

qsizetype runOf(QStringView line, qsizetype from, QChar c)
{
    qsizetype n = 0;
    while (from + n < line.size() && line.at(from + n) == c)
        ++n;
    return n;
}

// An opening fence: indentation, 3+ backticks or tildes, an info string (for backtick fences,
// without backticks: "```x``` inline" is no fence).
std::optional<Fence> openingFence(QStringView line, QString *info)
{
    const qsizetype indent = leadingSpaces(line);
    if (indent >= line.size())
        return std::nullopt;
    const QChar c = line.at(indent);
    if (c != u'`' && c != u'~')
        return std::nullopt;
    const qsizetype length = runOf(line, indent, c);
    if (length < 3)
        return std::nullopt;
    const QStringView rest = line.mid(indent + length);
    if (c == u'`' && rest.contains(u'`'))
        return std::nullopt;
    *info = rest.trimmed().toString();
    return Fence{c, length, indent};
}

// A closing fence: the same marker, at least as long, nothing but spaces after it. CommonMark
// allows 3 spaces of indentation, counted from the block's own indentation here.
bool closes(QStringView line, const Fence &open)
{
    const qsizetype indent = leadingSpaces(line);
    if (indent > open.indent + 3 || indent >= line.size() || line.at(indent) != open.marker)
        return false;
    const qsizetype length = runOf(line, indent, open.marker);
    return length >= open.length && line.mid(indent + length).trimmed().isEmpty();
}

// "python", "{.python}", "python title=x.py", "python3,linenos" → "python" / "python3".
QString languageOf(const QString &info)
{
    QString word = info.section(u' ', 0, 0, QString::SectionSkipEmpty);
    word = word.section(u',', 0, 0);
    while (!word.isEmpty() && (word.front() == u'{' || word.front() == u'.'))
        word.remove(0, 1);
    while (!word.isEmpty() && word.back() == u'}')
        word.chop(1);
    return word.toLower();
}

} // namespace

QList<CodeBlock> CodeBlock::parse(const QString &markdown)
{
    QString text = markdown;
    text.replace(QStringLiteral("\r\n"), QStringLiteral("\n"));
    text.replace(u'\r', u'\n');
    const QList<QStringView> lines = QStringView(text).split(u'\n');
    QList<CodeBlock> out;
    std::optional<Fence> open;
    CodeBlock current;
    QStringList body;
    for (const QStringView line : lines) {
        if (!open) {
            QString info;
            if (auto fence = openingFence(line, &info)) {
                open = fence;
                current = CodeBlock{languageOf(info), {}, true};
                body.clear();
            }
            continue;
        }
        if (closes(line, *open)) {
            current.code = body.join(u'\n');
            out.append(current);
            open.reset();
            continue;
        }
        // Lines lose up to the fence's indentation, as CommonMark has it.
        const qsizetype strip = std::min(leadingSpaces(line), open->indent);
        body.append(line.mid(strip).toString());
    }
    if (open) {
        // A trailing empty line is the answer's last newline, not a line of code.
        if (!body.isEmpty() && body.last().isEmpty())
            body.removeLast();
        current.code = body.join(u'\n');
        current.closed = false;
        out.append(current);
    }
    return out;
}

std::optional<CodeBlock> CodeBlock::pick(const QString &markdown, const QStringList &languages)
{
    const QList<CodeBlock> blocks = parse(markdown);
    if (blocks.isEmpty())
        return std::nullopt;
    for (const CodeBlock &b : blocks) {
        if (!b.language.isEmpty() && languages.contains(b.language))
            return b;
    }
    return blocks.first();
}

QStringList CodeBlock::languagesOf(const QString &interpreter)
{
    // The interpreter may be a path ("/usr/bin/python3.11"): its name without the version decides.
    QString name = QFileInfo(interpreter).fileName().toLower();
    while (!name.isEmpty() && (name.back().isDigit() || name.back() == u'.'))
        name.chop(1);
    if (name == u"python" || name == u"pypy")
        return {QStringLiteral("python"), QStringLiteral("py"), QStringLiteral("python3"), QStringLiteral("py3")};
    if (name == u"node" || name == u"nodejs")
        return {QStringLiteral("javascript"), QStringLiteral("js"), QStringLiteral("node"), QStringLiteral("mjs")};
    if (name == u"ruby")
        return {QStringLiteral("ruby"), QStringLiteral("rb")};
    if (name == u"perl")
        return {QStringLiteral("perl"), QStringLiteral("pl")};
    if (name == u"bash" || name == u"sh")
        return {QStringLiteral("bash"), QStringLiteral("sh"), QStringLiteral("shell")};
    return {};
}

} // namespace Slopscope
