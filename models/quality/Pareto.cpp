#include "quality/Pareto.h"

#include <algorithm>
#include <numeric>

namespace Slopscope {

QList<qsizetype> paretoFrontier(const QList<TradeoffPoint> &points)
{
    QList<qsizetype> order(points.size());
    std::iota(order.begin(), order.end(), 0);
    // Cheapest first; among equal costs the best quality first, then the earlier point.
    std::stable_sort(order.begin(), order.end(), [&](qsizetype a, qsizetype b) {
        if (points[a].cost != points[b].cost)
            return points[a].cost < points[b].cost;
        return points[a].quality > points[b].quality;
    });
    QList<qsizetype> frontier;
    bool any = false;
    double bestQuality = 0.0;
    for (qsizetype i : order) {
        if (!any || points[i].quality > bestQuality) {
            frontier.append(i);
            bestQuality = points[i].quality;
            any = true;
        }
    }
    return frontier;
}

} // namespace Slopscope
