#pragma once

#include "engine/RequestTimeline.h"

#include <QList>
#include <QPointF>
#include <QWidget>

namespace Slopscope {

// A sparkline of one answer's chunk arrivals: a tick per chunk along the time axis (taller for
// bigger chunks) and the cumulative text received as a line, so bursts, stalls and a slow first
// token are visible at a glance. Drawn from the answering attempt of a RequestTimeline.
class ChunkSparkline final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChunkSparkline)

public:
    explicit ChunkSparkline(QWidget *parent = nullptr);
    ~ChunkSparkline() override;

    void setTimeline(const RequestTimeline &timeline);
    void clear();

    // For tests and the accessible description: arrivals drawn, and the span they cover.
    [[nodiscard]] int arrivalCount() const { return static_cast<int>(m_points.size()); }
    [[nodiscard]] qint64 spanNs() const { return m_spanNs; }
    // Normalised points: x = time since the request was sent (0..1), y = share of text so far.
    [[nodiscard]] const QList<QPointF> &points() const { return m_points; }

    [[nodiscard]] QSize sizeHint() const override;
    [[nodiscard]] QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QList<QPointF> m_points;
    QList<double> m_sizes; // each chunk's share of the largest chunk, 0..1
    qint64 m_spanNs = 0;
};

} // namespace Slopscope
