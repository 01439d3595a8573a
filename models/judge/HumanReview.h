#pragma once

#include "core/Result.h"
#include "judge/BradleyTerry.h"
#include "quality/Statistics.h"

#include <QHash>
#include <QList>
#include <QString>

#include <cstdint>

namespace Slopscope {

// A person's grade of one answer: pass/fail, or 1–5 stars, with an optional note.
struct HumanRating
{
    enum class Kind { PassFail, Stars };

    QString cellId; // the cell's job id (CellResult::job.jobId)
    Kind kind = Kind::PassFail;
    bool pass = false; // PassFail
    int stars = 0;     // Stars: 1 to 5
    QString note;
    QString rater; // optional: who rated

    // Stars at or above this count as a pass when compared with a judge's pass/fail.
    static constexpr int kPassAtStars = 4;

    static Result<HumanRating> passFail(const QString &cellId, bool pass, const QString &note = {});
    // Fails unless 1 ≤ stars ≤ 5.
    static Result<HumanRating> fromStars(const QString &cellId, int stars, const QString &note = {});
    [[nodiscard]] bool passes(int passAtStars = kPassAtStars) const;
};

// A blind arena vote: two answers to the same case, shown anonymised as left and right.
struct ArenaVote
{
    enum class Choice { Left, Right, Tie };

    QString leftCellId;
    QString rightCellId;
    Choice choice = Choice::Tie;
    QString note;
};

// Two cells to show side by side in the arena (sides already drawn at random).
struct ArenaPair
{
    QString leftCellId;
    QString rightCellId;
};

// A cell as the arena sees it: which target answered and which question it answered.
struct ArenaCell
{
    QString cellId;
    QString targetId;
    QString questionKey; // the same for answers to the same case and wording, e.g. "case|variant"
};

struct ArenaStanding
{
    QString targetId;
    Stats::Interval strength; // Bradley–Terry strength (the targets' sum to 1) with its bootstrap interval
    qsizetype wins = 0;
    qsizetype losses = 0;
    qsizetype ties = 0;
};

struct ArenaRanking
{
    QList<ArenaStanding> standings; // strongest first
    qsizetype votes = 0;            // votes used
    qsizetype skipped = 0;          // unknown cells, or both sides from the same target
};

class HumanReview final
{
public:
    // Percent agreement and Cohen's kappa between the judge's pass/fail (by cell id) and people's,
    // over the cells both graded. A cell rated more than once counts with its last rating.
    static Stats::Agreement judgeAgreement(const QHash<QString, bool> &judgePass, const QList<HumanRating> &ratings,
                                           int passAtStars = HumanRating::kPassAtStars);
    // Bradley–Terry over targets from arena votes (a tie counts half to each), with seeded
    // bootstrap intervals. `targetOfCell` maps cell ids to target ids.
    static ArenaRanking arenaRanking(const QList<ArenaVote> &votes, const QHash<QString, QString> &targetOfCell,
                                     std::uint64_t seed = 1, int iterations = 1000,
                                     const BradleyTerry::Options &options = {});
    // Up to maxPairs blind pairs: two answers to the same question from different targets, in a
    // seeded random order with random sides, each pair of cells at most once.
    static QList<ArenaPair> arenaPairs(const QList<ArenaCell> &cells, std::uint64_t seed, qsizetype maxPairs);
};

} // namespace Slopscope
