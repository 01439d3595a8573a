#pragma once

#include "core/Result.h"
#include "routing/RoutingEvaluation.h"
#include "run/RunSpec.h"

#include <QList>
#include <QStringList>

namespace Slopscope {

// What a routing replay lacks (RoutingEvaluation::missing), turned into the smallest run that
// fetches it: the missing answers sent, the missing validator verdicts and best-of-N picks asked of
// the validator or judge on the recorded answers, nothing else. Recorded into the same run (RunRecorder::resume), so
// the next replay finds them. docs/ROUTING.md.
struct RoutingFetch
{
    QStringList answerJobIds;        // cells to send, canonical wording
    QList<ExtraVerdict> verdicts;    // recorded answers for a validator to judge
    QList<ExtraPick> picks;          // recorded answers for a judge to pick the best of
    QList<MissingItem> notFetchable; // answers of targets the run did not compare

    [[nodiscard]] bool isEmpty() const { return answerJobIds.isEmpty() && verdicts.isEmpty() && picks.isEmpty(); }
    // The judge calls it asks for: one per verdict, two per pick (the swapped ask).
    [[nodiscard]] int judgeCalls() const { return static_cast<int>(verdicts.size() + 2 * picks.size()); }

    // `missing` may come from several policies: each item is planned once. `lineup`: the targets
    // the run compared (an answer of another target would change what the run is).
    static RoutingFetch plan(const QList<MissingItem> &missing, const QStringList &lineup);
    // The recorded run's spec (with the workspace's providers, RunSnapshot::withProvidersFrom)
    // turned into the fetch: every recorded answer kept, only `fetch`'s answers sent and its
    // verdicts and picks asked. A validator or judge the run did not compare (the snapshot holds the
    // lineup only) comes from `workspace`, with its provider; an error names one it lacks.
    static Result<RunSpec> spec(RunSpec recorded, const QList<CellResult> &recordedCells, const RoutingFetch &fetch,
                                const Workspace &workspace);
};

} // namespace Slopscope
