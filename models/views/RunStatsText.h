#pragma once

#include "store/StoreTypes.h"

#include <QCoreApplication>
#include <QString>

#include <optional>

namespace Slopscope {

// How the run comparison and drift views write one target's figures of one run, and how they
// judge a change between two runs. Unknown figures read "—", never 0.
class RunStatsText final
{
    Q_DECLARE_TR_FUNCTIONS(RunStatsText)

public:
    // A quality change between two runs, judged by their 95% intervals.
    enum class Change {
        Unknown,        // a quality is missing on either side
        NotSignificant, // the intervals overlap (or one is missing): within the noise
        Rise,           // the later interval lies wholly above the earlier one
        Drop,           // the later interval lies wholly below the earlier one
    };

    static QString dash() { return QStringLiteral("—"); }
    static QString quality(const TargetRunStats &s); // "87.5% (70.0–100.0)"
    static QString ttft(const std::optional<double> &ms);
    static QString tokensPerSecond(const std::optional<double> &tps);
    static QString costPerCase(const std::optional<double> &usd);
    static QString failed(const TargetRunStats &s); // "1/9"
    // What the provider said it ran; plain text with control characters removed (untrusted).
    static QString models(const TargetRunStats &s);

    static Change qualityChange(const TargetRunStats &before, const TargetRunStats &after);
    // Both runs say which model answered and they say different things. An unknown side is no
    // evidence of a swap.
    static bool modelChanged(const TargetRunStats &before, const TargetRunStats &after);
    // "−62.5 pp" for a quality difference (fractions); "+12%" for a relative one.
    static QString points(double difference);
    static QString relative(double before, double after);
};

} // namespace Slopscope
