#pragma once

#include "core/Result.h"
#include "run/CellResult.h"

#include <QList>
#include <QString>

namespace Slopscope {

// A pass/fail condition a headless run is held to (`--fail-under quality=0.8`), so a nightly CI
// job goes red when a target's quality drops. A gate names a figure of TargetSummary and the
// lowest acceptable value; it may be limited to one target ("fast:quality=0.8").
struct RunGate
{
    QString targetId; // empty: every target
    QString figure;   // "quality" or "quality_ci_low"
    double minimum = 0.0;

    // Parses "quality=0.8", "quality_ci_low=0.7" or "TARGET:quality=0.8"; 0.8 and 80% both mean 80%.
    static Result<RunGate> parse(const QString &text);
    // Every gate of a repeated option; the first bad one fails them all.
    static Result<QList<RunGate>> parseAll(const QStringList &texts);

    // One line per target that misses the gate, empty when all pass. A target with no figure (no
    // graded case) misses: a gate that could not be checked is not a pass.
    [[nodiscard]] QStringList failures(const QList<TargetSummary> &summaries) const;
};

// Which cases a shard `index` (1-based) of `count` runs: a stable hash of the case id, so every
// machine of a CI matrix agrees, and adding a case does not move the others between shards.
bool inShard(const QString &caseId, int index, int count);
Result<std::pair<int, int>> parseShard(const QString &text); // "2/4" → {2, 4}

} // namespace Slopscope
