#pragma once

#include "store/StoreTypes.h"

#include <QChartView>
#include <QList>

class QAreaSeries;
class QLineSeries;
class QScatterSeries;

namespace Slopscope {

// One figure of one target across runs, against the run's start date: quality with its 95%
// interval as a band, or TTFT, decode speed or cost per case. A run where the provider reported
// a different model than in the run before gets a red triangle. Runs without the figure are
// left off (an unknown is not 0).
class DriftChart final : public QChartView
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DriftChart)

public:
    enum class Metric { Quality, Ttft, TokensPerSecond, Cost };

    explicit DriftChart(Metric metric, QWidget *parent = nullptr);
    ~DriftChart() override;

    void setMetric(Metric metric);
    [[nodiscard]] Metric metric() const { return m_metric; }
    // Oldest first, as HistoryStore::drift gives them.
    void setPoints(const QList<TargetRunStats> &points);

    // For tests: what is plotted (null before the first setPoints).
    [[nodiscard]] QLineSeries *valueSeries() const { return m_values; }
    [[nodiscard]] QAreaSeries *intervalSeries() const { return m_interval; }
    [[nodiscard]] QScatterSeries *modelChangeSeries() const { return m_changes; }

    [[nodiscard]] static QString metricName(Metric metric);

private:
    void rebuild();

    Metric m_metric;
    QList<TargetRunStats> m_points;
    QLineSeries *m_values = nullptr;
    QAreaSeries *m_interval = nullptr;
    QScatterSeries *m_changes = nullptr;
};

} // namespace Slopscope
