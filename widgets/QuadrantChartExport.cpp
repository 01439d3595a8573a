// QuadrantChart's export: the chart itself as PNG, SVG or PDF.
#include "QuadrantChart.h"

#include <QChart>
#include <QFileInfo>
#include <QGraphicsScene>
#include <QImage>
#include <QPageLayout>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSvgGenerator>

#include <algorithm>

namespace Slopscope {

bool QuadrantChart::exportTo(const QString &path, QString *error)
{
    flushPendingRedraw();
    const QString suffix = QFileInfo(path).suffix().toLower();
    const QSize logical = size().isEmpty() ? QSize(900, 600) : size();
    // Lay the chart out at the export size even when the view has never been shown.
    const QRectF sceneRect(QPointF(0, 0), logical);
    if (chart()->size() != QSizeF(logical)) {
        chart()->resize(logical);
        scene()->setSceneRect(sceneRect);
    }
    auto paint = [&](QPainter &painter, const QRectF &target) {
        painter.setRenderHint(QPainter::Antialiasing);
        scene()->render(&painter, target, sceneRect);
    };
    bool ok = false;
    if (suffix == u"png") {
        QImage image(logical * 2, QImage::Format_ARGB32_Premultiplied);
        image.setDevicePixelRatio(2.0);
        image.fill(Qt::white);
        {
            QPainter painter(&image);
            paint(painter, sceneRect);
        }
        ok = image.save(path, "PNG");
    } else if (suffix == u"svg") {
        QSvgGenerator svg;
        svg.setFileName(path);
        svg.setSize(logical);
        svg.setViewBox(QRect(QPoint(0, 0), logical));
        svg.setTitle(tr("Slopscope quadrant"));
        QPainter painter;
        ok = painter.begin(&svg);
        if (ok) {
            paint(painter, sceneRect);
            ok = painter.end();
        }
    } else if (suffix == u"pdf") {
        QPdfWriter pdf(path);
        pdf.setPageSize(QPageSize(QPageSize::A4));
        pdf.setPageOrientation(QPageLayout::Landscape);
        pdf.setTitle(tr("Slopscope quadrant"));
        QPainter painter;
        ok = painter.begin(&pdf);
        if (ok) {
            const QRect page = painter.viewport();
            const qreal scale =
                std::min(page.width() / qreal(logical.width()), page.height() / qreal(logical.height()));
            paint(painter, QRectF(0, 0, logical.width() * scale, logical.height() * scale));
            ok = painter.end();
        }
    } else {
        if (error)
            *error = tr("Unknown chart format \"%1\": use .png, .svg or .pdf").arg(suffix);
        return false;
    }
    if (!ok && error)
        *error = tr("Cannot write %1").arg(path);
    return ok;
}

} // namespace Slopscope
