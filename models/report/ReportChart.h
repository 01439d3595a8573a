#pragma once

#include "core/Result.h"
#include "report/ReportData.h"

#include <QByteArray>
#include <QColor>
#include <QList>
#include <QPointF>
#include <QRectF>
#include <QSizeF>
#include <QString>

#include <optional>

class QPainter;

namespace Slopscope {

// The price/quality quadrant of a report: x = cost per 1,000 cases on a log axis, y = quality,
// one labelled point per target with its quality interval, the Pareto frontier marked, the
// medians splitting the plane into quadrants. One layout, drawn two ways: as SVG text (inline in
// the HTML, or a .svg file) and with QPainter (PNG, PDF). Both are deterministic.
class ReportChart final
{
public:
    struct Point
    {
        QString targetId;
        QString label;
        QColor color;
        double cost = 0;            // $ per 1k cases; 0 = free, drawn on the left edge
        double quality = 0;         // 0..1
        QPointF at;                 // in layout units
        std::optional<double> yLow; // the quality interval, in layout units
        std::optional<double> yHigh;
        bool pareto = false;
        QPointF labelAt;
        bool labelLeft = false; // anchored at its end (to the left of the point)
    };
    struct Tick
    {
        double position = 0; // in layout units along its axis
        QString text;
    };
    struct Layout
    {
        QSizeF size{800, 520};
        QRectF plot;
        QString title;
        QString xTitle;
        QString yTitle;
        QList<Tick> xTicks;
        QList<Tick> yTicks;
        QList<Point> points;
        QList<QPointF> frontier;       // the Pareto points, by rising cost
        std::optional<double> medianX; // quadrant split lines, in layout units
        std::optional<double> medianY;
        QString quadrantTopLeft; // cheaper and better
        QString quadrantTopRight;
        QString quadrantBottomLeft;
        QString quadrantBottomRight;
        QString note; // targets not drawn (no quality or unknown cost), or "nothing to draw"
    };

    static Layout layout(const ReportData &data);

    // An <svg> element; `standalone` adds the XML declaration for a .svg file.
    static QString svg(const Layout &layout, bool standalone);
    // Draws the layout scaled into `target` (keeping its aspect ratio).
    static void paint(QPainter &painter, const Layout &layout, const QRectF &target);

    // Raster (PNG at `devicePixelRatio` × the layout size) and vector (one PDF page of the layout's
    // size in points). Both need a QGuiApplication (fonts); they fail without one.
    static Result<QByteArray> png(const Layout &layout, qreal devicePixelRatio = 2.0);
    static Result<QByteArray> pdf(const Layout &layout);
};

} // namespace Slopscope
