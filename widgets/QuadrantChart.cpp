#include "QuadrantChart.h"

#include "AppTheme.h"
#include "quality/Pareto.h"

#include <QChart>
#include <QCursor>
#include <QEvent>
#include <QFont>
#include <QGraphicsLineItem>
#include <QGraphicsRectItem>
#include <QGraphicsSimpleTextItem>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLocale>
#include <QLogValueAxis>
#include <QPainter>
#include <QScatterSeries>
#include <QToolTip>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace Slopscope {

namespace {

constexpr int kRedrawIntervalMs = 100; // at most ten redraws a second
constexpr double kSmallestLogValue = 1e-6;
// Policies are not targets: one colour, whatever the lineup's colours are; dark on a light
// chart, light on a dark one.
constexpr QRgb kPolicyColor = 0xff1f2937;
constexpr QRgb kPolicyColorOnDark = 0xffe5e7eb;

// Hover text as rich text with everything escaped: a plain string starting with a tag-like
// name ("<b>model") would otherwise be taken for HTML by QToolTip.
QString richToolTip(const QString &plain)
{
    return QStringLiteral("<p style=\"white-space:pre\">") +
           plain.toHtmlEscaped().replace(u'\n', QStringLiteral("<br>")) + QStringLiteral("</p>");
}

double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    const qsizetype n = values.size();
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
}

} // namespace

QuadrantChart::QuadrantChart(QWidget *parent)
    : QChartView(new QChart, parent)
{
    setRenderHint(QPainter::Antialiasing);
    chart()->setAnimationOptions(QChart::NoAnimation);
    // The target list carries the colours; a legend of a dozen swatches would only crowd the plot.
    chart()->legend()->setVisible(false);
    chart()->setTitle(tr("Price · speed · quality"));
    m_qualityTitle = tr("Quality (%)");
    m_redrawTimer.setSingleShot(true);
    m_redrawTimer.setInterval(kRedrawIntervalMs);
    connect(&m_redrawTimer, &QTimer::timeout, this, &QuadrantChart::redraw);
    connect(chart(), &QChart::plotAreaChanged, this, &QuadrantChart::placeQuadrantLabels);
    for (int i = 0; i < 4; ++i) {
        // A pale plate under each corner label keeps it readable where whiskers and bubbles
        // cross it; the label is a child of its plate, so both move and hide together.
        auto *plate = new QGraphicsRectItem(chart());
        plate->setPen(Qt::NoPen);
        plate->setZValue(10);
        m_quadrantLabels.append(new QGraphicsSimpleTextItem(plate));
    }
    applyPalette();
}

void QuadrantChart::changeEvent(QEvent *event)
{
    QChartView::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && AppTheme::isDark(palette()) != m_dark)
        applyPalette();
}

void QuadrantChart::applyPalette()
{
    m_dark = AppTheme::isDark(palette());
    // setTheme resets fonts and colours the chart chose itself; ours are set again by redraw().
    chart()->setTheme(m_dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    chart()->legend()->setVisible(false);
    for (QGraphicsSimpleTextItem *label : std::as_const(m_quadrantLabels)) {
        auto *plate = static_cast<QGraphicsRectItem *>(label->parentItem());
        plate->setBrush(m_dark ? QColor(0x1f, 0x29, 0x37, 215) : QColor(255, 255, 255, 215));
        label->setBrush(m_dark ? QColor(0xd1, 0xd5, 0xdb) : QColor(0x4b, 0x55, 0x63));
    }
    redraw();
}

QuadrantChart::~QuadrantChart() = default;

void QuadrantChart::setPoint(const QuadrantPoint &point)
{
    if (!m_points.contains(point.targetId))
        m_order.append(point.targetId);
    m_points.insert(point.targetId, point);
    scheduleRedraw();
}

void QuadrantChart::removePoint(const QString &targetId)
{
    m_points.remove(targetId);
    m_order.removeAll(targetId);
    scheduleRedraw();
}

void QuadrantChart::clearPoints()
{
    m_points.clear();
    m_order.clear();
    m_policies.clear();
    scheduleRedraw();
}

void QuadrantChart::setPolicyPoints(const QList<QuadrantPolicyPoint> &points)
{
    m_policies = points;
    scheduleRedraw();
}

void QuadrantChart::setXFigure(XFigure figure)
{
    m_xFigure = figure;
    scheduleRedraw();
}

void QuadrantChart::setQualityTitle(const QString &title)
{
    m_qualityTitle = title;
    scheduleRedraw();
}

QString QuadrantChart::pointToolTip(const QString &targetId) const
{
    const auto it = m_points.constFind(targetId);
    return it == m_points.cend() ? QString() : tooltip(*it);
}

void QuadrantChart::setThresholds(std::optional<double> x, std::optional<double> quality)
{
    m_thresholdX = x;
    m_thresholdY = quality;
    scheduleRedraw();
}

void QuadrantChart::scheduleRedraw()
{
    if (!m_redrawTimer.isActive())
        m_redrawTimer.start();
}

void QuadrantChart::flushPendingRedraw()
{
    if (m_redrawTimer.isActive()) {
        m_redrawTimer.stop();
        redraw();
    }
}

std::optional<double> QuadrantChart::xValue(const QuadrantPoint &p) const
{
    switch (m_xFigure) {
    case XFigure::CostPer1000Cases:
        return p.costPer1000Cases;
    case XFigure::BlendedPrice:
        return p.blendedPricePerMTok;
    case XFigure::MedianTtft:
        return p.medianTtftMs;
    case XFigure::DecodeSpeed:
        return p.decodeTokensPerSecond;
    case XFigure::P95Latency:
        return p.p95LatencyMs;
    }
    return std::nullopt;
}

std::optional<double> QuadrantChart::xValue(const QuadrantPolicyPoint &p) const
{
    switch (m_xFigure) {
    case XFigure::CostPer1000Cases:
        return p.costPer1000Cases;
    case XFigure::P95Latency:
        return p.p95LatencyMs;
    case XFigure::BlendedPrice:
    case XFigure::MedianTtft:
    case XFigure::DecodeSpeed:
        break; // a route has no single price per token, first token or decode speed
    }
    return std::nullopt;
}

bool QuadrantChart::xLowerIsBetter() const
{
    return m_xFigure != XFigure::DecodeSpeed;
}

QString QuadrantChart::xTitle() const
{
    switch (m_xFigure) {
    case XFigure::CostPer1000Cases:
        return tr("Cost per 1,000 cases (USD, log scale)");
    case XFigure::BlendedPrice:
        return tr("Blended price per million tokens (USD, log scale)");
    case XFigure::MedianTtft:
        return tr("Median time to first token (ms)");
    case XFigure::DecodeSpeed:
        return tr("Decode speed (tokens/s)");
    case XFigure::P95Latency:
        return tr("95th percentile latency (ms)");
    }
    return {};
}

QString QuadrantChart::quadrantLabel(bool right, bool top) const
{
    const bool good = top;
    bool better = right ? !xLowerIsBetter() : xLowerIsBetter();
    const bool money = m_xFigure == XFigure::CostPer1000Cases || m_xFigure == XFigure::BlendedPrice;
    if (good)
        return money ? (better ? tr("cheap & good") : tr("expensive & good"))
                     : (better ? tr("fast & good") : tr("slow & good"));
    return money ? (better ? tr("cheap & weak") : tr("expensive & weak"))
                 : (better ? tr("fast & weak") : tr("slow & weak"));
}

QString QuadrantChart::tooltip(const QuadrantPoint &p) const
{
    const QLocale locale;
    const QString none = tr("unknown");
    auto num = [&](const std::optional<double> &v, int decimals) {
        return v ? locale.toString(*v, 'f', decimals) : none;
    };
    QString quality = none;
    if (p.quality) {
        quality = locale.toString(*p.quality * 100.0, 'f', 1) + u'%';
        if (p.qualityLow && p.qualityHigh)
            quality += tr(" (95% interval %1–%2%)")
                           .arg(locale.toString(*p.qualityLow * 100.0, 'f', 1),
                                locale.toString(*p.qualityHigh * 100.0, 'f', 1));
    }
    return richToolTip(
        tr("%1\nquality %2, n = %3\ncost per 1,000 cases $%4\nblended $%5 / Mtok\nTTFT p50 %6 ms · p95 latency %7 "
           "ms\n"
           "decode %8 tokens/s")
            .arg(p.label, quality)
            .arg(p.n)
            .arg(num(p.costPer1000Cases, 4), num(p.blendedPricePerMTok, 3), num(p.medianTtftMs, 0),
                 num(p.p95LatencyMs, 0), num(p.decodeTokensPerSecond, 0)));
}

QString QuadrantChart::tooltip(const QuadrantPolicyPoint &p) const
{
    const QLocale locale;
    const QString none = tr("unknown");
    auto num = [&](const std::optional<double> &v, int decimals, double scale = 1.0) {
        return v ? locale.toString(*v * scale, 'f', decimals) : none;
    };
    return richToolTip(
        tr("Policy %1\n%2\nquality %3% (95% interval %4–%5%), n = %6\ncost per 1,000 cases $%7\np95 latency %8 "
           "ms\nescalated %9%")
            .arg(p.name, p.summary, num(p.quality, 1, 100.0), num(p.qualityLow, 1, 100.0), num(p.qualityHigh, 1, 100.0))
            .arg(p.n)
            .arg(num(p.costPer1000Cases, 4), num(p.p95LatencyMs, 0), num(p.escalatedShare, 0, 100.0)));
}

QStringList QuadrantChart::plottedPolicyNames() const
{
    QStringList names;
    for (const QuadrantPolicyPoint &p : m_policies) {
        if (xValue(p) && p.quality)
            names.append(p.name);
    }
    return names;
}

QStringList QuadrantChart::plottedTargetIds() const
{
    QStringList ids;
    for (const auto &id : m_order) {
        const QuadrantPoint &p = m_points[id];
        if (xValue(p) && p.quality)
            ids.append(id);
    }
    return ids;
}

void QuadrantChart::setSelectedTarget(const QString &targetId)
{
    if (m_selectedId == targetId)
        return;
    m_selectedId = targetId;
    scheduleRedraw();
}

void QuadrantChart::redraw()
{
    ++m_redraws;
    QChart *c = chart();
    // The names belong to the diamonds about to go.
    for (const PolicyLabel &label : std::as_const(m_policyLabels)) {
        delete label.item;
        delete label.leader;
    }
    m_policyLabels.clear();
    c->removeAllSeries();
    for (QAbstractAxis *axis : c->axes()) {
        c->removeAxis(axis); // gives ownership back: removeAllSeries deletes series, not axes
        delete axis;
    }

    const bool logX = m_xFigure == XFigure::CostPer1000Cases || m_xFigure == XFigure::BlendedPrice;
    QAbstractAxis *axisX = nullptr;
    if (logX) {
        auto *log = new QLogValueAxis;
        log->setBase(10);
        log->setLabelFormat(QStringLiteral("%g"));
        axisX = log;
    } else {
        auto *lin = new QValueAxis;
        lin->setLabelFormat(QStringLiteral("%.0f"));
        axisX = lin;
    }
    axisX->setTitleText(xTitle());
    auto *axisY = new QValueAxis;
    axisY->setRange(0, 100);
    axisY->setTitleText(m_qualityTitle);
    axisY->setLabelFormat(QStringLiteral("%.0f"));
    c->addAxis(axisX, Qt::AlignBottom);
    c->addAxis(axisY, Qt::AlignLeft);

    const QStringList ids = plottedTargetIds();
    QList<double> xs;
    QList<double> ys;
    QList<TradeoffPoint> tradeoffs;
    double speedMax = 1.0;
    for (const auto &id : ids) {
        const QuadrantPoint &p = m_points[id];
        speedMax = std::max(speedMax, p.decodeTokensPerSecond.value_or(0.0));
    }
    // On a log axis a free model (cost 0) has no place: it sits at the left edge, below the
    // cheapest paid one, and its tooltip says what it costs.
    double smallestPositive = 0.0;
    for (const auto &id : ids) {
        const double v = *xValue(m_points[id]);
        if (v > 0 && (smallestPositive == 0.0 || v < smallestPositive))
            smallestPositive = v;
    }
    const double freeX = smallestPositive > 0 ? smallestPositive / 4.0 : 0.01;
    const auto addWhisker = [&](double x, double low, double high, const QPen &pen) {
        auto *whisker = new QLineSeries;
        whisker->append(x, low * 100.0);
        whisker->append(x, high * 100.0);
        whisker->setPen(pen);
        c->addSeries(whisker);
        whisker->attachAxis(axisX);
        whisker->attachAxis(axisY);
        for (QLegendMarker *marker : c->legend()->markers(whisker))
            marker->setVisible(false);
    };
    for (const auto &id : ids) {
        const QuadrantPoint &p = m_points[id];
        double x = *xValue(p);
        if (logX && x <= 0)
            x = std::max(freeX, kSmallestLogValue);
        const double y = *p.quality * 100.0;
        xs.append(x);
        ys.append(y);
        tradeoffs.append({xLowerIsBetter() ? x : -x, y});

        if (p.qualityLow && p.qualityHigh) {
            QPen pen(QColor(p.color));
            pen.setWidthF(2.0);
            addWhisker(x, *p.qualityLow, *p.qualityHigh, pen);
        }
        auto *dot = new QScatterSeries;
        dot->setName(p.label);
        dot->setColor(QColor(p.color));
        // On a dark chart a dark target colour would vanish without a light rim.
        dot->setBorderColor(m_dark ? QColor(0xe5, 0xe7, 0xeb) : QColor(p.color).darker(150));
        // Bubble area grows with decode speed; sqrt keeps a 3,000 tok/s host from hiding the rest.
        const double speed = p.decodeTokensPerSecond.value_or(0.0);
        dot->setMarkerSize(10.0 + 22.0 * std::sqrt(speed / speedMax) + (id == m_selectedId ? 6.0 : 0.0));
        if (id == m_selectedId) {
            QPen ring(palette().color(QPalette::WindowText));
            ring.setWidthF(3.0);
            dot->setPen(ring);
        }
        dot->append(x, y);
        c->addSeries(dot);
        dot->attachAxis(axisX);
        dot->attachAxis(axisY);
        const QString tip = tooltip(p);
        connect(dot, &QScatterSeries::hovered, this, [tip](const QPointF &, bool state) {
            if (state)
                QToolTip::showText(QCursor::pos(), tip);
            else
                QToolTip::hideText();
        });
        connect(dot, &QScatterSeries::clicked, this, [this, id](const QPointF &) { Q_EMIT targetClicked(id); });
    }

    // Policies join the frontier and the axis range, not the medians: those describe the lineup.
    QList<double> allXs = xs;
    QList<double> allYs = ys;
    QStringList policyNames;
    const QColor policyColor(m_dark ? kPolicyColorOnDark : kPolicyColor);
    for (const QuadrantPolicyPoint &p : std::as_const(m_policies)) {
        const std::optional<double> figure = xValue(p);
        if (!figure || !p.quality)
            continue;
        const double x = logX && *figure <= 0 ? std::max(freeX, kSmallestLogValue) : *figure;
        const double y = *p.quality * 100.0;
        allXs.append(x);
        allYs.append(y);
        policyNames.append(p.name);
        tradeoffs.append({xLowerIsBetter() ? x : -x, y});
        if (p.qualityLow && p.qualityHigh) {
            QPen pen{policyColor};
            pen.setWidthF(1.5);
            pen.setStyle(Qt::DashLine);
            addWhisker(x, *p.qualityLow, *p.qualityHigh, pen);
        }
        auto *diamond = new QScatterSeries;
        diamond->setName(p.name);
        diamond->setMarkerShape(QScatterSeries::MarkerShapeRotatedRectangle);
        diamond->setMarkerSize(17.0);
        diamond->setColor(policyColor);
        diamond->setBorderColor(m_dark ? QColor(0x11, 0x18, 0x27) : QColor(Qt::white));
        diamond->append(x, y);
        c->addSeries(diamond);
        diamond->attachAxis(axisX);
        diamond->attachAxis(axisY);
        // The name is placed by placePolicyLabels, not as a point label: Qt Charts always centres
        // those above the point, so policies with close figures wrote over each other.
        auto *name = new QGraphicsSimpleTextItem(p.name, c);
        name->setBrush(policyColor);
        QFont nameFont = name->font();
        nameFont.setBold(true);
        name->setFont(nameFont);
        name->setZValue(11);
        auto *leader = new QGraphicsLineItem(c);
        leader->setPen(QPen(policyColor, 1.0));
        leader->setZValue(11);
        m_policyLabels.append({name, leader, diamond, QPointF(x, y)});
        const QString tip = tooltip(p);
        connect(diamond, &QScatterSeries::hovered, this, [tip](const QPointF &, bool state) {
            if (state)
                QToolTip::showText(QCursor::pos(), tip);
            else
                QToolTip::hideText();
        });
    }

    // Axis range with some air around the points.
    double xMin = logX ? 0.001 : 0.0;
    double xMax = logX ? 10.0 : 100.0;
    if (!allXs.isEmpty()) {
        const auto [lo, hi] = std::minmax_element(allXs.begin(), allXs.end());
        if (logX) {
            // Half a step of air on each side so edge bubbles are not clipped.
            xMin = *lo / 2.0;
            xMax = *hi * 2.0;
        } else {
            xMin = 0.0;
            xMax = *hi > 0 ? *hi * 1.15 : 1.0;
        }
    }
    axisX->setRange(xMin, xMax);

    m_frontierIds.clear();
    m_frontierPolicies.clear();
    m_dividerX.reset();
    m_dividerY.reset();
    if (!ids.isEmpty()) {
        m_dividerX = m_thresholdX ? *m_thresholdX : median(xs);
        m_dividerY = m_thresholdY ? *m_thresholdY * 100.0 : median(ys);
        auto addLine = [&](QPointF a, QPointF b, const QPen &pen) {
            auto *line = new QLineSeries;
            line->append(a);
            line->append(b);
            line->setPen(pen);
            c->addSeries(line);
            line->attachAxis(axisX);
            line->attachAxis(axisY);
            for (QLegendMarker *marker : c->legend()->markers(line))
                marker->setVisible(false);
            return line;
        };
        QPen divider(QColor(0x9c, 0xa3, 0xaf));
        divider.setStyle(Qt::DashLine);
        addLine({*m_dividerX, 0}, {*m_dividerX, 100}, divider);
        addLine({xMin, *m_dividerY}, {xMax, *m_dividerY}, divider);
    }
    if (!tradeoffs.isEmpty()) {
        const QList<qsizetype> frontier = paretoFrontier(tradeoffs);
        if (frontier.size() >= 2) {
            auto *line = new QLineSeries;
            line->setName(tr("Pareto frontier"));
            QPen pen(m_dark ? QColor(0xd1, 0xd5, 0xdb) : QColor(0x37, 0x41, 0x51));
            pen.setWidthF(1.5);
            pen.setStyle(Qt::DotLine);
            line->setPen(pen);
            for (qsizetype i : frontier)
                line->append(allXs[i], allYs[i]);
            c->addSeries(line);
            line->attachAxis(axisX);
            line->attachAxis(axisY);
        }
        for (qsizetype i : frontier) {
            if (i < ids.size())
                m_frontierIds.append(ids[i]);
            else
                m_frontierPolicies.append(policyNames[i - ids.size()]);
        }
    }
    placeQuadrantLabels();
}

void QuadrantChart::placeQuadrantLabels()
{
    const QRectF area = chart()->plotArea();
    const bool show = m_dividerX.has_value();
    const qreal pad = 6;
    struct Corner
    {
        bool right;
        bool top;
    };
    const Corner corners[] = {{false, true}, {true, true}, {false, false}, {true, false}};
    for (int i = 0; i < 4; ++i) {
        QGraphicsSimpleTextItem *label = m_quadrantLabels[i];
        auto *plate = static_cast<QGraphicsRectItem *>(label->parentItem());
        plate->setVisible(show);
        label->setText(quadrantLabel(corners[i].right, corners[i].top));
        const QRectF box = label->boundingRect();
        const qreal margin = 3;
        plate->setRect(QRectF(0, 0, box.width() + 2 * margin, box.height() + 2 * margin));
        label->setPos(margin, margin);
        const qreal x = corners[i].right ? area.right() - plate->rect().width() - pad : area.left() + pad;
        // The top labels sit just above the plot: good models crowd the top edge, and a label
        // there would hide them. The bottom corners are rarely crowded.
        const qreal y =
            corners[i].top ? area.top() - plate->rect().height() - 2 : area.bottom() - plate->rect().height() - pad;
        plate->setPos(x, y);
    }
    placePolicyLabels();
}

void QuadrantChart::placePolicyLabels()
{
    constexpr qreal kGap = 11;        // from the diamond's centre: its half-size plus air
    constexpr qreal kDiamondHalf = 9; // what a name must not cover of another policy's diamond
    QList<QRectF> taken;
    for (const QGraphicsSimpleTextItem *corner : std::as_const(m_quadrantLabels)) {
        if (corner->parentItem() && corner->parentItem()->isVisible())
            taken.append(corner->parentItem()->sceneBoundingRect());
    }
    QList<QPointF> anchors;
    for (const PolicyLabel &label : std::as_const(m_policyLabels)) {
        const QPointF a = chart()->mapToPosition(label.value, label.diamond);
        anchors.append(a);
        taken.append(QRectF(a.x() - kDiamondHalf, a.y() - kDiamondHalf, 2 * kDiamondHalf, 2 * kDiamondHalf));
    }
    // The targets' bubbles are avoided too when a side allows it; a name may cross a bubble
    // before it crosses another name.
    QList<QRectF> bubbles;
    const QList<QAbstractSeries *> series = chart()->series();
    for (QAbstractSeries *s : series) {
        auto *dots = qobject_cast<QScatterSeries *>(s);
        if (!dots || dots->markerShape() != QScatterSeries::MarkerShapeCircle)
            continue;
        const qreal r = dots->markerSize() / 2;
        const QList<QPointF> points = dots->points();
        for (const QPointF &p : points) {
            const QPointF c = chart()->mapToPosition(p, dots);
            bubbles.append(QRectF(c.x() - r, c.y() - r, 2 * r, 2 * r));
        }
    }
    const auto clear = [](const QList<QRectF> &rects, const QRectF &r) {
        return std::none_of(rects.cbegin(), rects.cend(), [&r](const QRectF &t) { return t.intersects(r); });
    };
    for (qsizetype i = 0; i < m_policyLabels.size(); ++i) {
        QGraphicsSimpleTextItem *item = m_policyLabels.at(i).item;
        const QSizeF size = item->boundingRect().size();
        const QPointF a = anchors.at(i);
        const qreal w = size.width();
        const qreal h = size.height();
        // Right, left, above, below; then further down and up on the right, a line at a time.
        QList<QPointF> candidates{{a.x() + kGap, a.y() - h / 2},
                                  {a.x() - kGap - w, a.y() - h / 2},
                                  {a.x() - w / 2, a.y() - kGap - h},
                                  {a.x() - w / 2, a.y() + kGap}};
        for (int k = 1; k <= 8; ++k) {
            candidates.append({a.x() + kGap, a.y() - h / 2 + k * h});
            candidates.append({a.x() + kGap, a.y() - h / 2 - k * h});
        }
        qsizetype chosen = 0;
        bool placed = false;
        for (const bool avoidBubbles : {true, false}) {
            for (qsizetype c = 0; c < candidates.size() && !placed; ++c) {
                const QRectF r(candidates.at(c), size);
                if (clear(taken, r) && (!avoidBubbles || clear(bubbles, r))) {
                    chosen = c;
                    placed = true;
                }
            }
        }
        const QRectF box(candidates.at(chosen), size);
        item->setPos(box.topLeft());
        taken.append(box);
        // A name moved off the diamond's sides is tied to it by a thin line to its nearer end.
        QGraphicsLineItem *leader = m_policyLabels.at(i).leader;
        const bool moved = chosen >= 4;
        leader->setVisible(moved);
        if (moved) {
            const QPointF end(box.left(), box.center().y());
            const QLineF line(a, end);
            leader->setLine(QLineF(line.pointAt(kGap / std::max(line.length(), kGap)), end));
        }
    }
}

QStringList QuadrantChart::policyLabelTexts() const
{
    QStringList texts;
    for (const PolicyLabel &label : m_policyLabels)
        texts.append(label.item->text());
    return texts;
}

QList<QRectF> QuadrantChart::policyLabelRects() const
{
    QList<QRectF> rects;
    for (const PolicyLabel &label : m_policyLabels)
        rects.append(label.item->sceneBoundingRect());
    return rects;
}

void QuadrantChart::resizeEvent(QResizeEvent *event)
{
    QChartView::resizeEvent(event);
    placeQuadrantLabels();
}

} // namespace Slopscope
