#include "views/RunStatsText.h"

#include "views/ViewText.h"

#include <QLocale>

#include <algorithm>
#include <cmath>

namespace Slopscope {

namespace {

QString percent(double fraction)
{
    return QLocale().toString(fraction * 100.0, 'f', 1);
}

// A signed number with a real minus sign, so "+3" and "−3" line up and read alike; what rounds to
// zero is "±0", not "−0".
QString signedNumber(double v, int decimals)
{
    const double scale = std::pow(10.0, decimals);
    const double rounded = std::round(v * scale) / scale;
    const QString magnitude = QLocale().toString(std::abs(rounded), 'f', decimals);
    if (rounded == 0.0)
        return QStringLiteral("\u00b1") + magnitude;
    return (rounded < 0 ? QStringLiteral("\u2212") : QStringLiteral("+")) + magnitude;
}

} // namespace

QString RunStatsText::quality(const TargetRunStats &s)
{
    if (!s.quality)
        return dash();
    if (s.qualityLow && s.qualityHigh)
        return tr("%1% (%2–%3)").arg(percent(*s.quality), percent(*s.qualityLow), percent(*s.qualityHigh));
    return tr("%1%").arg(percent(*s.quality));
}

QString RunStatsText::ttft(const std::optional<double> &ms)
{
    return ms ? tr("%1 ms").arg(QLocale().toString(*ms, 'f', 0)) : dash();
}

QString RunStatsText::tokensPerSecond(const std::optional<double> &tps)
{
    return tps ? tr("%1 tok/s").arg(QLocale().toString(*tps, 'f', 1)) : dash();
}

QString RunStatsText::costPerCase(const std::optional<double> &usd)
{
    if (!usd)
        return dash();
    // Two significant digits for fractions of a cent, so a cheap model does not read "$0.0000".
    int decimals = *usd < 1.0 ? 4 : 2;
    if (*usd > 0.0 && *usd < 0.001)
        decimals = std::min(8, static_cast<int>(std::ceil(-std::log10(*usd))) + 1);
    return tr("$%1").arg(QLocale().toString(*usd, 'f', decimals));
}

QString RunStatsText::failed(const TargetRunStats &s)
{
    const QLocale locale;
    return tr("%1/%2").arg(locale.toString(s.failed), locale.toString(s.cells));
}

QString RunStatsText::models(const TargetRunStats &s)
{
    if (s.modelsReported.isEmpty())
        return dash();
    QStringList clean;
    for (const QString &m : s.modelsReported)
        clean.append(ViewText::firstLine(m, 60));
    return clean.join(QStringLiteral(", "));
}

RunStatsText::Change RunStatsText::qualityChange(const TargetRunStats &before, const TargetRunStats &after)
{
    if (!before.quality || !after.quality)
        return Change::Unknown;
    // Without both intervals nothing shows the difference is more than noise.
    if (!before.qualityLow || !before.qualityHigh || !after.qualityLow || !after.qualityHigh)
        return Change::NotSignificant;
    if (*after.qualityHigh < *before.qualityLow)
        return Change::Drop;
    if (*after.qualityLow > *before.qualityHigh)
        return Change::Rise;
    return Change::NotSignificant;
}

bool RunStatsText::modelChanged(const TargetRunStats &before, const TargetRunStats &after)
{
    return !before.modelsReported.isEmpty() && !after.modelsReported.isEmpty() &&
           before.modelsReported != after.modelsReported;
}

QString RunStatsText::points(double difference)
{
    return tr("%1 pp").arg(signedNumber(difference * 100.0, 1));
}

QString RunStatsText::relative(double before, double after)
{
    if (before == 0.0)
        return {};
    return tr("%1%").arg(signedNumber((after - before) / before * 100.0, 0));
}

} // namespace Slopscope
