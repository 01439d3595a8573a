#pragma once

#include "core/Result.h"
#include "judge/HumanReview.h"
#include "metrics/PriceSchedule.h"
#include "run/CellResult.h"
#include "run/RunSpec.h"
#include "store/StoreTypes.h"

#include <QHash>
#include <QList>
#include <QString>

namespace Slopscope {

// A run of the history as the views and reports need it, read from the database alone: no
// workspace, no network. The CLI's `report` and `resume` and the app's history browser load runs
// through this.
struct RecordedRun
{
    RunRecord record; // with its snapshots
    RunSpec spec;     // rebuilt from the snapshots (RunSnapshot::toSpec)
    QList<CellResult> cells;
    // Matrix: `cells` lack their detail (HistoryStore::cellDetail reads one); reports, exports and
    // replays need a Full load.
    CellLoad cellLoad = CellLoad::Full;
    // What each target paid, as the run recorded it (RunSnapshot::schedules); a target missing
    // here paid its workspace price (spec's target.price).
    QHash<QString, PriceSchedule> schedules;
    QList<StoredRating> ratings; // people's ratings of its cells, oldest first
    // Why `ratings` could not be read, when they could not: the run still loads without them.
    QString ratingsProblem;

    // `completedOnly`: just the cells a resume keeps. Opens the file read-only; the app, whose
    // writer checked the file at start, opens it without another quick_check.
    static Result<RecordedRun> load(const QString &dbPath, const QString &runId, bool completedOnly = false,
                                    const StoreOpenOptions &options = {}, CellLoad cellLoad = CellLoad::Full);

    // The targets the run compared, in the snapshot's order.
    [[nodiscard]] QList<TargetConfig> lineup() const;
    // Each target's standing over its recorded cells, computed as the live run computed it.
    [[nodiscard]] QList<TargetSummary> summaries() const;
    // The ratings as HumanReview reads them, oldest first (the latest of a cell wins).
    [[nodiscard]] QList<HumanRating> humanRatings() const;
    // A stored rating as HumanReview reads it: kind "stars" or pass/fail (1 passes).
    static HumanRating toHumanRating(const StoredRating &rating);
};

} // namespace Slopscope
