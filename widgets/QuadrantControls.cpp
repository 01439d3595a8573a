#include "QuadrantControls.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QMetaEnum>
#include <QSettings>
#include <QSignalBlocker>

#include <algorithm>

namespace Slopscope {

namespace {

// The keys the bar keeps its choices under: one place, so a rename cannot miss a reader.
const QString kXFigureKey = QStringLiteral("quadrant/xFigure");
const QString kQualityKey = QStringLiteral("quadrant/quality");
const QString kFixedKey = QStringLiteral("quadrant/fixedDividers");
const QString kXThresholdKeyPrefix = QStringLiteral("quadrant/thresholdX/");
const QString kQualityThresholdKey = QStringLiteral("quadrant/thresholdQuality"); // percent

using XFigure = QuadrantChart::XFigure;

QString figureName(XFigure figure)
{
    return QString::fromLatin1(QMetaEnum::fromType<XFigure>().valueToKey(static_cast<int>(figure)));
}

QString scopeName(QualityScope scope)
{
    switch (scope) {
    case QualityScope::Canonical:
        break;
    case QualityScope::Variants:
        return QStringLiteral("variants");
    case QualityScope::All:
        return QStringLiteral("all");
    case QualityScope::WithinBudget:
        return QStringLiteral("within-budget");
    }
    return QStringLiteral("canonical");
}

// The x threshold's unit and a starting value where none was chosen yet: roughly the middle of
// what the demo lineup spans.
struct XUnit
{
    QString prefix;
    QString suffix;
    int decimals = 0;
    double start = 0;
    double minimum = 0; // above 0 on the log axes, where 0 has no place
};

XUnit unitOf(XFigure figure)
{
    switch (figure) {
    case XFigure::CostPer1000Cases:
        return {QStringLiteral("$"), QString(), 4, 1.0, 0.0001};
    case XFigure::BlendedPrice:
        return {QStringLiteral("$"), QuadrantControls::tr(" /Mtok"), 3, 1.0, 0.001};
    case XFigure::MedianTtft:
        return {QString(), QuadrantControls::tr(" ms"), 0, 500.0};
    case XFigure::DecodeSpeed:
        return {QString(), QuadrantControls::tr(" tok/s"), 0, 100.0};
    case XFigure::P95Latency:
        return {QString(), QuadrantControls::tr(" ms"), 0, 5000.0};
    }
    return {};
}

} // namespace

QuadrantControls::QuadrantControls(QSettings *settings, QWidget *parent)
    : QWidget(parent)
    , m_settings(settings)
{
    setObjectName(QStringLiteral("quadrantControls"));
    if (!m_settings) {
        m_ownSettings = std::make_unique<QSettings>();
        m_settings = m_ownSettings.get();
    }

    m_xBox = new QComboBox(this);
    m_xBox->setObjectName(QStringLiteral("quadrantXFigure"));
    m_xBox->addItem(tr("Cost per 1,000 cases"), static_cast<int>(XFigure::CostPer1000Cases));
    m_xBox->addItem(tr("Blended $/Mtok"), static_cast<int>(XFigure::BlendedPrice));
    m_xBox->addItem(tr("Median TTFT"), static_cast<int>(XFigure::MedianTtft));
    m_xBox->addItem(tr("Decode tokens/s"), static_cast<int>(XFigure::DecodeSpeed));
    m_xBox->addItem(tr("p95 latency"), static_cast<int>(XFigure::P95Latency));
    m_xBox->setAccessibleName(tr("Quadrant x axis"));
    m_xBox->setToolTip(tr("The figure along the horizontal axis: a price or a speed."));

    m_qualityBox = new QComboBox(this);
    m_qualityBox->setObjectName(QStringLiteral("quadrantQuality"));
    m_qualityBox->addItem(tr("Canonical only"), static_cast<int>(QualityScope::Canonical));
    m_qualityBox->addItem(tr("Variants only"), static_cast<int>(QualityScope::Variants));
    m_qualityBox->addItem(tr("Canonical and variants"), static_cast<int>(QualityScope::All));
    m_qualityBox->addItem(tr("Within time budget"), static_cast<int>(QualityScope::WithinBudget));
    m_qualityBox->setAccessibleName(tr("Quadrant quality"));
    m_qualityBox->setToolTip(tr("Which answers the quality counts: the suite's own wording, only the rewordings "
                                "(run with Variants checked), or both; or the suite's own wording with an answer "
                                "later than its case's time budget (the suite's time_budget_ms) counted as a "
                                "failure."));

    m_fixed = new QCheckBox(tr("Fixed d&ividers"), this);
    m_fixed->setObjectName(QStringLiteral("quadrantFixedDividers"));
    m_fixed->setToolTip(tr("Split the quadrant at your own thresholds instead of the lineup's medians."));

    m_xThreshold = new QDoubleSpinBox(this);
    m_xThreshold->setObjectName(QStringLiteral("quadrantXThreshold"));
    m_xThreshold->setRange(0.0, 1e7);
    m_xThreshold->setKeyboardTracking(false); // one redraw per entered value, not per keystroke
    m_xThreshold->setAccessibleName(tr("Vertical divider position"));
    m_xThreshold->setToolTip(tr("Where the vertical divider sits, in the x axis's unit."));

    m_qualityThreshold = new QDoubleSpinBox(this);
    m_qualityThreshold->setObjectName(QStringLiteral("quadrantQualityThreshold"));
    m_qualityThreshold->setRange(0.0, 100.0);
    m_qualityThreshold->setDecimals(1);
    m_qualityThreshold->setSuffix(tr(" %"));
    m_qualityThreshold->setKeyboardTracking(false);
    m_qualityThreshold->setAccessibleName(tr("Horizontal divider position"));
    m_qualityThreshold->setToolTip(tr("The quality at which the horizontal divider sits."));

    auto *xLabel = new QLabel(tr("&X axis:"), this);
    xLabel->setBuddy(m_xBox);
    auto *qualityLabel = new QLabel(tr("&Quality:"), this);
    qualityLabel->setBuddy(m_qualityBox);
    auto *xAtLabel = new QLabel(tr("x &at"), this);
    xAtLabel->setBuddy(m_xThreshold);
    auto *qualityAtLabel = new QLabel(tr("q&uality at"), this);
    qualityAtLabel->setBuddy(m_qualityThreshold);

    auto *grid = new QGridLayout(this);
    grid->setContentsMargins(6, 4, 6, 0);
    grid->setHorizontalSpacing(6);
    grid->setVerticalSpacing(4);
    grid->addWidget(xLabel, 0, 0);
    grid->addWidget(m_xBox, 0, 1);
    grid->addWidget(qualityLabel, 0, 2);
    grid->addWidget(m_qualityBox, 0, 3);
    auto *dividers = new QHBoxLayout;
    dividers->setSpacing(6);
    dividers->addWidget(m_fixed);
    dividers->addSpacing(6);
    dividers->addWidget(xAtLabel);
    dividers->addWidget(m_xThreshold);
    dividers->addSpacing(6);
    dividers->addWidget(qualityAtLabel);
    dividers->addWidget(m_qualityThreshold);
    dividers->addStretch(1);
    grid->addLayout(dividers, 1, 0, 1, 4);
    grid->setColumnStretch(1, 1);
    grid->setColumnStretch(3, 1);
    setTabOrder(m_xBox, m_qualityBox);
    setTabOrder(m_qualityBox, m_fixed);
    setTabOrder(m_fixed, m_xThreshold);
    setTabOrder(m_xThreshold, m_qualityThreshold);

    restore();

    connect(m_xBox, &QComboBox::currentIndexChanged, this, &QuadrantControls::onXFigureChanged);
    connect(m_qualityBox, &QComboBox::currentIndexChanged, this, [this] {
        m_settings->setValue(kQualityKey, scopeName(qualityScope()));
        Q_EMIT qualityScopeChanged(qualityScope());
    });
    connect(m_fixed, &QCheckBox::toggled, this, &QuadrantControls::onFixedToggled);
    connect(m_xThreshold, &QDoubleSpinBox::valueChanged, this, &QuadrantControls::onThresholdEdited);
    connect(m_qualityThreshold, &QDoubleSpinBox::valueChanged, this, &QuadrantControls::onThresholdEdited);
}

QuadrantControls::~QuadrantControls() = default;

void QuadrantControls::restore()
{
    const QSignalBlocker blockX(m_xBox);
    const QSignalBlocker blockQuality(m_qualityBox);
    const QSignalBlocker blockFixed(m_fixed);
    bool known = false;
    const int figure = QMetaEnum::fromType<XFigure>().keyToValue(
        m_settings->value(kXFigureKey).toString().toLatin1().constData(), &known);
    const int xIndex = known ? m_xBox->findData(figure) : -1;
    m_xBox->setCurrentIndex(std::max(xIndex, 0));
    const QString scope = m_settings->value(kQualityKey).toString();
    for (const QualityScope s :
         {QualityScope::Canonical, QualityScope::Variants, QualityScope::All, QualityScope::WithinBudget}) {
        if (scopeName(s) == scope)
            m_qualityBox->setCurrentIndex(m_qualityBox->findData(static_cast<int>(s)));
    }
    m_fixed->setChecked(m_settings->value(kFixedKey, false).toBool());
    configureXThreshold();
    const QSignalBlocker blockQualityThreshold(m_qualityThreshold);
    m_qualityThreshold->setValue(m_settings->value(kQualityThresholdKey, 70.0).toDouble());
    m_qualityThreshold->setEnabled(m_fixed->isChecked());
}

void QuadrantControls::attach(QuadrantChart *chart)
{
    m_chart = chart;
    chart->setXFigure(xFigure());
    chart->setThresholds(xThreshold(), qualityThreshold());
    connect(this, &QuadrantControls::xFigureChanged, chart, &QuadrantChart::setXFigure);
    connect(this, &QuadrantControls::thresholdsChanged, chart, &QuadrantChart::setThresholds);
}

QuadrantChart::XFigure QuadrantControls::xFigure() const
{
    return static_cast<XFigure>(m_xBox->currentData().toInt());
}

void QuadrantControls::setXFigure(QuadrantChart::XFigure figure)
{
    m_xBox->setCurrentIndex(m_xBox->findData(static_cast<int>(figure)));
}

QualityScope QuadrantControls::qualityScope() const
{
    return static_cast<QualityScope>(m_qualityBox->currentData().toInt());
}

void QuadrantControls::setQualityScope(QualityScope scope)
{
    m_qualityBox->setCurrentIndex(m_qualityBox->findData(static_cast<int>(scope)));
}

std::optional<double> QuadrantControls::xThreshold() const
{
    if (!m_fixed->isChecked())
        return std::nullopt;
    return m_xThreshold->value();
}

std::optional<double> QuadrantControls::qualityThreshold() const
{
    if (!m_fixed->isChecked())
        return std::nullopt;
    return m_qualityThreshold->value() / 100.0;
}

void QuadrantControls::setFixedDividers(bool fixed)
{
    m_fixed->setChecked(fixed);
}

QString QuadrantControls::qualityTitle(QualityScope scope)
{
    switch (scope) {
    case QualityScope::Canonical:
        break;
    case QualityScope::Variants:
        return tr("Quality, variants only (%)");
    case QualityScope::All:
        return tr("Quality, canonical and variants (%)");
    case QualityScope::WithinBudget:
        return tr("Quality within budget (%)");
    }
    return tr("Quality, canonical only (%)");
}

QString QuadrantControls::xThresholdKey() const
{
    return kXThresholdKeyPrefix + figureName(xFigure());
}

void QuadrantControls::configureXThreshold()
{
    const QSignalBlocker block(m_xThreshold);
    const XUnit unit = unitOf(xFigure());
    m_xThreshold->setPrefix(unit.prefix);
    m_xThreshold->setSuffix(unit.suffix);
    m_xThreshold->setDecimals(unit.decimals);
    m_xThreshold->setMinimum(unit.minimum);
    m_xThreshold->setSingleStep(unit.decimals > 0 ? 0.1 : 10.0);
    m_xThreshold->setValue(m_settings->value(xThresholdKey(), unit.start).toDouble());
    m_xThreshold->setEnabled(m_fixed->isChecked());
}

void QuadrantControls::onXFigureChanged()
{
    m_settings->setValue(kXFigureKey, figureName(xFigure()));
    configureXThreshold(); // each figure keeps its own threshold: $ and ms do not mix
    Q_EMIT xFigureChanged(xFigure());
    emitThresholds();
}

void QuadrantControls::onFixedToggled(bool fixed)
{
    m_settings->setValue(kFixedKey, fixed);
    m_xThreshold->setEnabled(fixed);
    m_qualityThreshold->setEnabled(fixed);
    // Fixing the dividers first time starts them where the medians are, so nothing jumps.
    if (fixed && m_chart) {
        if (!m_settings->contains(xThresholdKey()) && m_chart->dividerX()) {
            const QSignalBlocker block(m_xThreshold);
            m_xThreshold->setValue(*m_chart->dividerX());
        }
        if (!m_settings->contains(kQualityThresholdKey) && m_chart->dividerY()) {
            const QSignalBlocker block(m_qualityThreshold);
            m_qualityThreshold->setValue(*m_chart->dividerY());
        }
    }
    if (fixed) {
        m_settings->setValue(xThresholdKey(), m_xThreshold->value());
        m_settings->setValue(kQualityThresholdKey, m_qualityThreshold->value());
    }
    emitThresholds();
}

void QuadrantControls::onThresholdEdited()
{
    m_settings->setValue(xThresholdKey(), m_xThreshold->value());
    m_settings->setValue(kQualityThresholdKey, m_qualityThreshold->value());
    emitThresholds();
}

void QuadrantControls::emitThresholds()
{
    Q_EMIT thresholdsChanged(xThreshold(), qualityThreshold());
}

} // namespace Slopscope
