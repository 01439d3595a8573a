#include "DriftChart.h"

#include "views/RunStatsText.h"

#include <QAreaSeries>
#include <QChart>
#include <QDateTimeAxis>
#include <QLineSeries>
#include <QScatterSeries>
#include <QValueAxis>

#include <QLegend>
#include <QLegendMarker>
#include <QPen>

#include <algorithm>
#include <cmath>
#include <limits>

namespace Slopscope {

namespace {

std::optional<double> figure(const TargetRunStats &s, DriftChart::Metric metric)
{
    switch (metric) {
    case DriftChart::Metric::Quality:
        return s.quality ? std::optional<double>(*s.quality * 100.0) : std::nullopt;
    case DriftChart::Metric::Ttft:
        return s.medianTtftMs;
    case DriftChart::Metric::TokensPerSecond:
        return s.medianDecodeTokensPerSecond;
    case DriftChart::Metric::Cost:
        return s.costPerCaseUsd;
    }
    return std::nullopt;
}

QString unit(DriftChart::Metric metric)
{
    switch (metric) {
    case DriftChart::Metric::Quality:
        return DriftChart::tr("%");
    case DriftChart::Metric::Ttft:
        return DriftChart::tr("ms");
    case DriftChart::Metric::TokensPerSecond:
        return DriftChart::tr("tok/s");
    case DriftChart::Metric::Cost:
        return DriftChart::tr("$");
    }
    return {};
}

} // namespace

DriftChart::DriftChart(Metric metric, QWidget *parent)
    : QChartView(parent)
    , m_metric(metric)
{
    setRenderHint(QPainter::Antialiasing);
    chart()->legend()->setAlignment(Qt::AlignBottom);
    setMinimumSize(320, 240);
    rebuild();
}

DriftChart::~DriftChart() = default;

QString DriftChart::metricName(Metric metric)
{
    switch (metric) {
    case Metric::Quality:
        return tr("Quality (%)");
    case Metric::Ttft:
        return tr("Median TTFT (ms)");
    case Metric::TokensPerSecond:
        return tr("Decode (tok/s)");
    case Metric::Cost:
        return tr("Cost per case ($)");
    }
    return {};
}

void DriftChart::setMetric(Metric metric)
{
    if (m_metric == metric)
        return;
    m_metric = metric;
    rebuild();
}

void DriftChart::setPoints(const QList<TargetRunStats> &points)
{
    m_points = points;
    rebuild();
}

void DriftChart::rebuild()
{
    QChart *c = chart();
    // Series and axes are rebuilt whole: a drift has tens of runs, not thousands.
    c->removeAllSeries();
    const QList<QAbstractAxis *> axes = c->axes();
    for (QAbstractAxis *axis : axes) {
        c->removeAxis(axis);
        delete axis;
    }
    m_values = nullptr;
    m_interval = nullptr;
    m_changes = nullptr;
    c->setTitle(metricName(m_metric));

    auto *x = new QDateTimeAxis;
    x->setFormat(QStringLiteral("dd MMM yy"));
    x->setTitleText(tr("Run started"));
    auto *y = new QValueAxis;
    y->setTitleText(unit(m_metric)); // the chart's title names the figure; a long axis title gets cut
    c->addAxis(x, Qt::AlignBottom);
    c->addAxis(y, Qt::AlignLeft);

    m_values = new QLineSeries;
    m_values->setName(metricName(m_metric));
    m_values->setPointsVisible(true);
    auto *lower = new QLineSeries;
    auto *upper = new QLineSeries;
    m_changes = new QScatterSeries;
    m_changes->setName(tr("Reported model changed"));
    m_changes->setMarkerShape(QScatterSeries::MarkerShapeTriangle);
    m_changes->setMarkerSize(14);
    m_changes->setColor(QColor(0xd5, 0x5e, 0x00)); // vermillion: apart from the blue line for colour-blind eyes

    double low = std::numeric_limits<double>::max();
    double high = std::numeric_limits<double>::lowest();
    qint64 first = 0;
    qint64 last = 0;
    QList<std::pair<double, std::optional<double>>> changes;
    for (qsizetype i = 0; i < m_points.size(); ++i) {
        const TargetRunStats &s = m_points.at(i);
        const auto when = static_cast<double>(s.runStartedAt.toMSecsSinceEpoch());
        first = i == 0 ? s.runStartedAt.toMSecsSinceEpoch() : std::min(first, s.runStartedAt.toMSecsSinceEpoch());
        last = std::max(last, s.runStartedAt.toMSecsSinceEpoch());
        const std::optional<double> v = figure(s, m_metric);
        if (v) {
            m_values->append(when, *v);
            low = std::min(low, *v);
            high = std::max(high, *v);
        }
        if (m_metric == Metric::Quality && s.qualityLow && s.qualityHigh) {
            lower->append(when, *s.qualityLow * 100.0);
            upper->append(when, *s.qualityHigh * 100.0);
        }
        if (i > 0 && RunStatsText::modelChanged(m_points.at(i - 1), s))
            changes.append({when, v});
    }

    if (m_metric == Metric::Quality && upper->count() > 0) {
        m_interval = new QAreaSeries(upper, lower);
        // QAreaSeries does not own its boundary lines: they go with it, when the chart deletes it.
        upper->setParent(m_interval);
        lower->setParent(m_interval);
        m_interval->setName(tr("95% interval"));
        QColor fill(0x00, 0x72, 0xb2);
        fill.setAlpha(50);
        m_interval->setBrush(fill);
        m_interval->setPen(QPen(fill.darker(), 1, Qt::DotLine));
        c->addSeries(m_interval);
        m_interval->attachAxis(x);
        m_interval->attachAxis(y);
    } else {
        delete upper;
        delete lower;
    }
    m_values->setColor(QColor(0x00, 0x72, 0xb2));
    c->addSeries(m_values);
    m_values->attachAxis(x);
    m_values->attachAxis(y);

    // One run still needs a span to draw on: a day either side.
    constexpr qint64 day = 24 * 3600 * 1000;
    if (m_points.isEmpty()) {
        const QDateTime now = QDateTime::currentDateTime();
        x->setRange(now.addDays(-7), now);
    } else {
        const qint64 pad = std::max<qint64>((last - first) / 20, first == last ? day : 0);
        x->setRange(QDateTime::fromMSecsSinceEpoch(first - pad), QDateTime::fromMSecsSinceEpoch(last + pad));
        // Runs close together are told apart by their time.
        if (last - first < 2 * 3600 * 1000)
            x->setFormat(QStringLiteral("HH:mm:ss"));
        else if (last - first < 2 * day)
            x->setFormat(QStringLiteral("dd MMM HH:mm"));
    }
    x->setTickCount(static_cast<int>(std::clamp<qsizetype>(m_points.size(), 2, 6)));
    if (m_metric == Metric::Quality) {
        y->setRange(0, 100);
    } else if (high >= low) {
        const double margin = high > low ? (high - low) * 0.1 : std::max(std::abs(high) * 0.1, 1e-6);
        y->setRange(std::max(0.0, low - margin), high + margin);
        y->applyNiceNumbers();
    } else {
        y->setRange(0, 1);
    }
    y->setLabelFormat(m_metric == Metric::Cost ? QStringLiteral("%.4f") : QStringLiteral("%.0f"));

    // A swap in a run without the figure still shows, on the axis floor rather than at a made-up 0.
    for (const auto &[when, v] : std::as_const(changes))
        m_changes->append(when, v ? *v : y->min());
    c->addSeries(m_changes);
    m_changes->attachAxis(x);
    m_changes->attachAxis(y);
    const QList<QLegendMarker *> markers = c->legend()->markers(m_changes);
    for (QLegendMarker *marker : markers)
        marker->setVisible(m_changes->count() > 0);
}

} // namespace Slopscope
