#pragma once

#include <QList>

namespace Slopscope {

// A point on the price/quality plane: lower cost and higher quality are better.
struct TradeoffPoint
{
    double cost = 0.0;
    double quality = 0.0;
};

// Indices of the points no other point beats on both axes (cheaper or equal and at least as good,
// strictly better on one), ordered by rising cost. Ties keep the first point.
QList<qsizetype> paretoFrontier(const QList<TradeoffPoint> &points);

} // namespace Slopscope
