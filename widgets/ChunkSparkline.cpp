#include "ChunkSparkline.h"

#include <QLocale>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>

namespace Slopscope {

ChunkSparkline::ChunkSparkline(QWidget *parent)
    : QWidget(parent)
{
    setAccessibleName(tr("Chunk arrivals"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

ChunkSparkline::~ChunkSparkline() = default;

void ChunkSparkline::clear()
{
    m_points.clear();
    m_sizes.clear();
    m_spanNs = 0;
    setAccessibleDescription(QString());
    update();
}

void ChunkSparkline::setTimeline(const RequestTimeline &timeline)
{
    m_points.clear();
    m_sizes.clear();
    m_spanNs = 0;
    // The attempt that delivered content: the last one with deltas (earlier ones may have failed).
    const AttemptRecord *attempt = nullptr;
    for (const AttemptRecord &a : timeline.attempts) {
        if (a.contentDelivered())
            attempt = &a;
    }
    if (attempt) {
        QList<DeltaStamp> deltas;
        for (const DeltaStamp &d : attempt->deltas) {
            if (d.chars > 0)
                deltas.append(d);
        }
        if (!deltas.isEmpty()) {
            const qint64 start = attempt->sentNs.value_or(attempt->startedNs.value_or(deltas.constFirst().atNs));
            const qint64 end = std::max(deltas.constLast().atNs, attempt->endNs.value_or(deltas.constLast().atNs));
            m_spanNs = std::max<qint64>(end - start, 1);
            double total = 0;
            double largest = 1;
            for (const DeltaStamp &d : deltas) {
                total += static_cast<double>(d.chars);
                largest = std::max(largest, static_cast<double>(d.chars));
            }
            double sum = 0;
            for (const DeltaStamp &d : deltas) {
                sum += static_cast<double>(d.chars);
                const double x =
                    std::clamp(static_cast<double>(d.atNs - start) / static_cast<double>(m_spanNs), 0.0, 1.0);
                m_points.append(QPointF(x, sum / total));
                m_sizes.append(static_cast<double>(d.chars) / largest);
            }
        }
    }
    setAccessibleDescription(m_points.isEmpty()
                                 ? tr("No chunks arrived")
                                 : tr("%n chunk(s) over %1 ms", nullptr, static_cast<int>(m_points.size()))
                                       .arg(QLocale().toString(static_cast<double>(m_spanNs) / 1e6, 'f', 0)));
    update();
}

QSize ChunkSparkline::sizeHint() const
{
    return {260, 56};
}

QSize ChunkSparkline::minimumSizeHint() const
{
    return {80, 40};
}

void ChunkSparkline::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QRectF area = QRectF(rect()).adjusted(2, 4, -2, -4);
    p.fillRect(rect(), palette().base());
    p.setPen(palette().color(QPalette::Mid));
    p.drawLine(area.bottomLeft(), area.bottomRight());
    if (m_points.isEmpty()) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(area, Qt::AlignCenter, tr("no chunks"));
        return;
    }
    const auto at = [&area](const QPointF &n) {
        return QPointF(area.left() + n.x() * area.width(), area.bottom() - n.y() * area.height());
    };
    // Ticks: one per chunk, up to a third of the height for the largest.
    QColor tick = palette().color(QPalette::Highlight);
    tick.setAlpha(140);
    p.setPen(QPen(tick, 1.0));
    for (qsizetype i = 0; i < m_points.size(); ++i) {
        const double x = area.left() + m_points.at(i).x() * area.width();
        p.drawLine(QPointF(x, area.bottom()), QPointF(x, area.bottom() - (0.1 + 0.23 * m_sizes.at(i)) * area.height()));
    }
    // Cumulative text: flat until the first chunk, then a step per chunk.
    QPainterPath path(at({0.0, 0.0}));
    double y = 0.0;
    for (const QPointF &pt : m_points) {
        path.lineTo(at({pt.x(), y}));
        path.lineTo(at(pt));
        y = pt.y();
    }
    path.lineTo(at({1.0, y}));
    p.setPen(QPen(palette().color(QPalette::Text), 1.5));
    p.drawPath(path);
}

} // namespace Slopscope
