#pragma once

#include "core/Result.h"
#include "judge/BestPick.h"

#include <QList>
#include <QString>

namespace Slopscope {

// The outcome of asking a judge twice for the best answer, the second time with the positions
// swapped (reversed: for two answers, A and B trade places). Judges favour a position; a verdict
// that flips with the order says nothing about the answers, so only a consistent pick counts.
struct PairwiseOutcome
{
    bool consistent = false;
    int winner = -1;     // index of the chosen answer (in the caller's list) when consistent
    int firstPick = -1;  // the answer picked by the first ask
    int secondPick = -1; // the answer picked by the swapped ask
    QString firstReason;
    QString secondReason;
};

class PairwiseJudgement final
{
public:
    // The order answers are shown in the first ask, position → answer index: a seeded shuffle, so
    // no target sits in position A by construction and reruns show the same order.
    static QList<int> firstOrder(qsizetype answers, quint64 seed);
    // The order of the second ask: the first one reversed.
    static QList<int> swapped(const QList<int> &order);
    // Maps both picks back to answers. An error in either ask is an error of the judgement (its
    // message says which ask), never half a verdict.
    static Result<PairwiseOutcome> combine(const QList<int> &firstOrder, const Result<BestPick> &first,
                                           const QList<int> &secondOrder, const Result<BestPick> &second);
};

} // namespace Slopscope
