#pragma once

#include "judge/HumanReview.h"
#include "quality/Statistics.h"
#include "run/CellResult.h"

#include <QList>
#include <QString>

#include <optional>

namespace Slopscope {

// Judge–human agreement of one target's answers: over all its judges (judgeTargetId empty), or
// over the assertions one judge graded when several judged the target.
struct TargetAgreement
{
    QString targetId;
    QString judgeTargetId;      // empty: the cell's verdict over all its judges
    Stats::Agreement agreement; // n = 0: no cell with both a judge verdict and a human rating
};

// Where the reports and the leaderboard compare targets, the judge is only worth what it agrees
// with people; this splits HumanReview::judgeAgreement by target (and by judge).
class JudgeHumanAgreement final
{
public:
    // Per target, in the order targets first appear in `cells`: one row over all judges, then one
    // row per judge (sorted by id) when more than one judge graded that target's cells. A cell
    // rated more than once counts with its last rating.
    static QList<TargetAgreement> perTarget(const QList<CellResult> &cells, const QList<HumanRating> &ratings);
    // Over every cell of the run: the same figure ResultMatrixView shows.
    static Stats::Agreement overall(const QList<CellResult> &cells, const QList<HumanRating> &ratings);
    // One judge's pass/fail of a cell: its own verdicts on the assertions it graded without error
    // (the assertion's grade when the call has no verdict, as for select-best); nullopt when it
    // graded none.
    static std::optional<bool> judgePassBy(const CellResult &cell, const QString &judgeTargetId);
    // The overall row of a target in `rows`, or nullopt.
    static std::optional<Stats::Agreement> forTarget(const QList<TargetAgreement> &rows, const QString &targetId);
};

} // namespace Slopscope
