#pragma once

#include <QChartView>
#include <QHash>
#include <QTimer>

#include <optional>

class QScatterSeries;
class QLineSeries;
class QValueAxis;
class QLogValueAxis;
class QGraphicsLineItem;
class QGraphicsSimpleTextItem;

namespace Slopscope {

// Everything the quadrant knows about one target. Missing figures leave the point off the chart.
struct QuadrantPoint
{
    QString targetId;
    QString label;
    QString color;
    std::optional<double> costPer1000Cases; // USD
    std::optional<double> blendedPricePerMTok;
    std::optional<double> medianTtftMs;
    std::optional<double> decodeTokensPerSecond;
    std::optional<double> p95LatencyMs;
    std::optional<double> quality; // 0..1
    std::optional<double> qualityLow;
    std::optional<double> qualityHigh;
    qsizetype n = 0;
};

// A routing policy replayed over the run's cells (models/routing): drawn as a named diamond beside
// the targets. Only cost per 1,000 cases and p95 latency exist for a policy; on the other x figures
// it is left off.
struct QuadrantPolicyPoint
{
    QString name;
    QString summary;
    std::optional<double> costPer1000Cases; // USD
    std::optional<double> p95LatencyMs;
    std::optional<double> quality; // 0..1
    std::optional<double> qualityLow;
    std::optional<double> qualityHigh;
    std::optional<double> escalatedShare;
    qsizetype n = 0;
};

// The price / speed / quality quadrant: x is a chosen cost or speed figure, y the quality with its
// 95% interval, the bubble size the decode speed. Dividers at the medians (or user thresholds)
// split it into labelled quadrants and the Pareto frontier is drawn. Updates are coalesced so a
// live run redraws at most ten times a second.
class QuadrantChart final : public QChartView
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(QuadrantChart)

public:
    enum class XFigure { CostPer1000Cases, BlendedPrice, MedianTtft, DecodeSpeed, P95Latency };
    Q_ENUM(XFigure)

    explicit QuadrantChart(QWidget *parent = nullptr);
    ~QuadrantChart() override;

    void setPoint(const QuadrantPoint &point);
    void removePoint(const QString &targetId);
    // Clears the targets and the policies.
    void clearPoints();
    // Replaces the policy points; the frontier runs over targets and policies together.
    void setPolicyPoints(const QList<QuadrantPolicyPoint> &points);
    void setXFigure(XFigure figure);
    [[nodiscard]] XFigure xFigure() const { return m_xFigure; }
    // The y axis's title: which wordings the plotted quality counts.
    void setQualityTitle(const QString &title);
    // Dividers at fixed values instead of the medians; nullopt returns to the median.
    void setThresholds(std::optional<double> x, std::optional<double> quality);
    // Emphasises one target's bubble (a selection made in another view); empty for none.
    void setSelectedTarget(const QString &targetId);
    [[nodiscard]] QString selectedTarget() const { return m_selectedId; }

    // Renders the chart itself: PNG at twice the size, SVG or PDF, chosen by the file's suffix.
    bool exportTo(const QString &path, QString *error = nullptr);

    // State for tests and for other views.
    [[nodiscard]] QStringList frontierTargetIds() const { return m_frontierIds; }
    [[nodiscard]] QStringList frontierPolicyNames() const { return m_frontierPolicies; }
    [[nodiscard]] QStringList plottedPolicyNames() const;
    [[nodiscard]] std::optional<double> dividerX() const { return m_dividerX; }
    [[nodiscard]] std::optional<double> dividerY() const { return m_dividerY; }
    [[nodiscard]] int redrawCount() const { return m_redraws; }
    [[nodiscard]] QStringList plottedTargetIds() const;
    // The policies' names as drawn (scene coordinates), in plotted order: each beside its diamond,
    // on the first side where it covers no other name or diamond.
    [[nodiscard]] QStringList policyLabelTexts() const;
    [[nodiscard]] QList<QRectF> policyLabelRects() const;
    [[nodiscard]] QString quadrantLabel(bool right, bool top) const;
    // What hovering the target's bubble shows (rich text, the workspace's names escaped); empty
    // for a target the chart does not know.
    [[nodiscard]] QString pointToolTip(const QString &targetId) const;
    void flushPendingRedraw();

Q_SIGNALS:
    void targetClicked(const QString &targetId);

protected:
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    // Chart theme and the colours of our own items, light or dark after the palette.
    void applyPalette();
    void scheduleRedraw();
    void redraw();
    void placeQuadrantLabels();
    void placePolicyLabels();
    [[nodiscard]] std::optional<double> xValue(const QuadrantPoint &point) const;
    [[nodiscard]] std::optional<double> xValue(const QuadrantPolicyPoint &point) const;
    [[nodiscard]] bool xLowerIsBetter() const;
    [[nodiscard]] QString xTitle() const;
    [[nodiscard]] QString tooltip(const QuadrantPoint &point) const;
    [[nodiscard]] QString tooltip(const QuadrantPolicyPoint &point) const;

    QHash<QString, QuadrantPoint> m_points;
    QStringList m_order;
    XFigure m_xFigure = XFigure::CostPer1000Cases;
    QString m_qualityTitle;
    std::optional<double> m_thresholdX;
    std::optional<double> m_thresholdY;
    std::optional<double> m_dividerX;
    std::optional<double> m_dividerY;
    QList<QuadrantPolicyPoint> m_policies;
    QStringList m_frontierIds;
    QStringList m_frontierPolicies;
    QString m_selectedId;
    QTimer m_redrawTimer;
    int m_redraws = 0;
    bool m_dark = false; // the palette is dark: the chart and our items are drawn light on dark
    QList<QGraphicsSimpleTextItem *> m_quadrantLabels; // owned by the chart's scene
    struct PolicyLabel
    {
        QGraphicsSimpleTextItem *item = nullptr; // owned by the chart
        QGraphicsLineItem *leader = nullptr;     // owned by the chart; shown when the name is moved off
        QScatterSeries *diamond = nullptr;       // owned by the chart
        QPointF value;
    };
    QList<PolicyLabel> m_policyLabels; // rebuilt by every redraw
};

} // namespace Slopscope
