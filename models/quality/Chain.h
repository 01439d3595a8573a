#pragma once

#include "quality/Suite.h"

#include <QList>
#include <QString>

#include <optional>

namespace Slopscope {

// The script's answer to one tool call, chosen by Chain::answer.
struct ToolAnswer
{
    ToolResultKind kind = ToolResultKind::Result;
    QString content;
    bool scripted = true; // false: no entry names the tool (nor "*"); the call fails as unknown
};

namespace Chain {

// A case runs as a chain when it has further turns or scripts tool results.
bool isChain(const SuiteCase &c);
// The number of user turns: the first plus the further ones.
qsizetype turnCount(const SuiteCase &c);
// The tool results scripted for turn `turnIndex` (0: the first): the turn's own, else the case's.
const QList<ScriptedToolResult> &scriptFor(const SuiteCase &c, qsizetype turnIndex);
// The script's answer to the `nth` call (0-based, counted per tool within the turn) of `tool`;
// `wildcardNth` is the count of earlier calls of the turn that fell to "*".
ToolAnswer answer(const QList<ScriptedToolResult> &script, const QString &tool, qsizetype nth, qsizetype wildcardNth,
                  bool *usedWildcard = nullptr);

} // namespace Chain

} // namespace Slopscope
