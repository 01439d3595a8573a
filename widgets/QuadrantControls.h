#pragma once

#include "QuadrantChart.h"
#include "run/ScopedQuality.h"

#include <QPointer>
#include <QWidget>

#include <memory>
#include <optional>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QSettings;

namespace Slopscope {

// The bar above the quadrant: which figure runs along x, which wordings the quality counts, and
// whether the dividers sit at the medians or at the user's thresholds. The choices are kept in
// QSettings under "quadrant/"; a test passes its own QSettings.
class QuadrantControls final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(QuadrantControls)

public:
    // `settings` is not owned and must outlive the bar; nullptr uses the application's settings.
    explicit QuadrantControls(QSettings *settings = nullptr, QWidget *parent = nullptr);
    ~QuadrantControls() override;

    // Applies the bar's choices to `chart` now and on every change (x figure and dividers; the
    // quality scope is the caller's, see qualityScopeChanged).
    void attach(QuadrantChart *chart);

    [[nodiscard]] QuadrantChart::XFigure xFigure() const;
    void setXFigure(QuadrantChart::XFigure figure);
    [[nodiscard]] QualityScope qualityScope() const;
    void setQualityScope(QualityScope scope);
    // Fixed dividers: the x threshold in the x figure's unit, the quality one as a fraction
    // (0..1). nullopt while the dividers follow the medians.
    [[nodiscard]] std::optional<double> xThreshold() const;
    [[nodiscard]] std::optional<double> qualityThreshold() const;
    void setFixedDividers(bool fixed);

    // The quality axis title for a scope.
    [[nodiscard]] static QString qualityTitle(QualityScope scope);

    [[nodiscard]] QComboBox *xFigureBox() const { return m_xBox; }
    [[nodiscard]] QComboBox *qualityBox() const { return m_qualityBox; }
    [[nodiscard]] QCheckBox *fixedDividersBox() const { return m_fixed; }
    [[nodiscard]] QDoubleSpinBox *xThresholdBox() const { return m_xThreshold; }
    [[nodiscard]] QDoubleSpinBox *qualityThresholdBox() const { return m_qualityThreshold; }

Q_SIGNALS:
    void xFigureChanged(Slopscope::QuadrantChart::XFigure figure);
    void qualityScopeChanged(Slopscope::QualityScope scope);
    void thresholdsChanged(std::optional<double> x, std::optional<double> quality);

private:
    void restore();
    void onXFigureChanged();
    void onFixedToggled(bool fixed);
    void onThresholdEdited();
    // Unit, decimals and the stored value of the x threshold follow the x figure.
    void configureXThreshold();
    void emitThresholds();
    [[nodiscard]] QString xThresholdKey() const;

    std::unique_ptr<QSettings> m_ownSettings;
    QSettings *m_settings = nullptr;
    QPointer<QuadrantChart> m_chart;
    QComboBox *m_xBox = nullptr; // children
    QComboBox *m_qualityBox = nullptr;
    QCheckBox *m_fixed = nullptr;
    QDoubleSpinBox *m_xThreshold = nullptr;
    QDoubleSpinBox *m_qualityThreshold = nullptr;
};

} // namespace Slopscope
