#include "quality/Chain.h"

namespace Slopscope {

QString toolResultKindName(ToolResultKind kind)
{
    switch (kind) {
    case ToolResultKind::Result:
        return QStringLiteral("result");
    case ToolResultKind::Error:
        return QStringLiteral("error");
    case ToolResultKind::Missing:
        return QStringLiteral("missing");
    case ToolResultKind::Interrupt:
        return QStringLiteral("interrupt");
    }
    return QStringLiteral("result");
}

std::optional<ToolResultKind> toolResultKindFromName(const QString &name)
{
    for (const ToolResultKind kind :
         {ToolResultKind::Result, ToolResultKind::Error, ToolResultKind::Missing, ToolResultKind::Interrupt}) {
        if (toolResultKindName(kind) == name)
            return kind;
    }
    return std::nullopt;
}

namespace Chain {

bool isChain(const SuiteCase &c)
{
    return !c.turns.isEmpty() || !c.toolResults.isEmpty();
}

qsizetype turnCount(const SuiteCase &c)
{
    return 1 + c.turns.size();
}

const QList<ScriptedToolResult> &scriptFor(const SuiteCase &c, qsizetype turnIndex)
{
    if (turnIndex >= 1 && turnIndex <= c.turns.size() && !c.turns.at(turnIndex - 1).toolResults.isEmpty())
        return c.turns.at(turnIndex - 1).toolResults;
    return c.toolResults;
}

ToolAnswer answer(const QList<ScriptedToolResult> &script, const QString &tool, qsizetype nth, qsizetype wildcardNth,
                  bool *usedWildcard)
{
    QList<const ScriptedToolResult *> own;
    QList<const ScriptedToolResult *> wildcard;
    for (const ScriptedToolResult &r : script) {
        if (r.tool == tool)
            own.append(&r);
        else if (r.tool == u"*")
            wildcard.append(&r);
    }
    const bool useWildcard = own.isEmpty();
    if (usedWildcard)
        *usedWildcard = useWildcard && !wildcard.isEmpty();
    const QList<const ScriptedToolResult *> &entries = useWildcard ? wildcard : own;
    if (entries.isEmpty())
        return {ToolResultKind::Error, {}, false};
    // The last entry repeats: a script of one answers every call the same way.
    const qsizetype index = std::min(useWildcard ? wildcardNth : nth, entries.size() - 1);
    return {entries.at(index)->kind, entries.at(index)->content, true};
}

} // namespace Chain

} // namespace Slopscope
