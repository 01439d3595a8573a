#pragma once

#include "routing/RoutingEvaluation.h"
#include "run/RunSpec.h"

#include <QList>
#include <QStringList>

namespace Slopscope {

// What a routing replay lacks (RoutingEvaluation::missing), turned into the smallest run that
// fetches it: the missing answers sent, the missing validator verdicts asked of the validator on
// the recorded answers, nothing else. Recorded into the same run (RunRecorder::resume), so the
// next replay finds them. docs/ROUTING.md.
struct RoutingFetch
{
    QStringList answerJobIds;        // cells to send, canonical wording
    QList<ExtraVerdict> verdicts;    // recorded answers for a validator to judge
    QList<MissingItem> notFetchable; // select-best picks; answers of targets the run did not compare

    [[nodiscard]] bool isEmpty() const { return answerJobIds.isEmpty() && verdicts.isEmpty(); }

    // `missing` may come from several policies: each item is planned once. `lineup`: the targets
    // the run compared (an answer of another target would change what the run is).
    static RoutingFetch plan(const QList<MissingItem> &missing, const QStringList &lineup);
    // The recorded run's spec (with the workspace's providers, RunSnapshot::withProvidersFrom)
    // turned into the fetch: every recorded answer kept, only `fetch`'s answers sent and its
    // verdicts asked.
    static RunSpec spec(RunSpec recorded, const QList<CellResult> &recordedCells, const RoutingFetch &fetch);
};

} // namespace Slopscope
