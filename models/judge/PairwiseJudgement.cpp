#include "judge/PairwiseJudgement.h"

#include "quality/Statistics.h"

#include <QCoreApplication>

#include <algorithm>
#include <numeric>

namespace Slopscope {

QList<int> PairwiseJudgement::firstOrder(qsizetype answers, quint64 seed)
{
    QList<int> order(answers);
    std::iota(order.begin(), order.end(), 0);
    Stats::SeededRandom rng(seed);
    for (qsizetype i = order.size() - 1; i > 0; --i) {
        const auto j = static_cast<qsizetype>(rng.below(static_cast<std::uint64_t>(i + 1)));
        std::swap(order[i], order[j]);
    }
    return order;
}

QList<int> PairwiseJudgement::swapped(const QList<int> &order)
{
    QList<int> out(order);
    std::reverse(out.begin(), out.end());
    return out;
}

Result<PairwiseOutcome> PairwiseJudgement::combine(const QList<int> &firstOrder, const Result<BestPick> &first,
                                                   const QList<int> &secondOrder, const Result<BestPick> &second)
{
    if (!first)
        return Error{QCoreApplication::translate("PairwiseJudgement", "first ask: %1").arg(first.error())};
    if (!second)
        return Error{QCoreApplication::translate("PairwiseJudgement", "swapped ask: %1").arg(second.error())};
    const int a = first.value().index;
    const int b = second.value().index;
    if (a < 0 || a >= firstOrder.size() || b < 0 || b >= secondOrder.size())
        return Error{QCoreApplication::translate("PairwiseJudgement", "a pick is outside the answers shown")};
    PairwiseOutcome out;
    out.firstPick = firstOrder.at(a);
    out.secondPick = secondOrder.at(b);
    out.firstReason = first.value().reason;
    out.secondReason = second.value().reason;
    out.consistent = out.firstPick == out.secondPick;
    out.winner = out.consistent ? out.firstPick : -1;
    return out;
}

} // namespace Slopscope
