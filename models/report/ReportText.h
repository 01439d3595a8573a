#pragma once

#include "report/ReportData.h"

#include <QCoreApplication>
#include <QList>
#include <QString>

#include <optional>

namespace Slopscope {

// The wording and number formats every report shares, so the HTML, Markdown and PDF say the
// same thing. Returned text is plain (unescaped): each writer escapes it for its format.
class ReportText final
{
    Q_DECLARE_TR_FUNCTIONS(ReportText)

public:
    struct Entry
    {
        QString term;
        QString text;
    };

    static QString unknown(); // what an empty figure shows

    // Locale-independent figures: "83.3%", "[79.1–87.5]", "$0.0123", "412 ms", "95 tok/s".
    static QString percent(const std::optional<double> &fraction, int decimals = 1);
    static QString percentInterval(const std::optional<double> &low, const std::optional<double> &high);
    // Signed percentage points (brittleness): "+4.2 pp".
    static QString points(const std::optional<double> &fraction);
    static QString pointsInterval(const std::optional<double> &low, const std::optional<double> &high);
    static QString usd(const std::optional<double> &value);
    static QString ms(const std::optional<double> &value);
    static QString tokensPerSecond(const std::optional<double> &value);
    static QString dateTime(const QDateTime &when); // ISO 8601 UTC, or unknown()

    static QString title(const ReportData &data);
    static QString leaderboardNote();
    // The "Judge–human agreement" table: its title, column heads (target, judge, n, agreement, κ),
    // one row's plain cells ("—" where n = 0) and the note under it.
    static QString agreementTitle();
    static QStringList agreementHeader();
    static QStringList agreementRow(const ReportData &data, const TargetAgreement &row);
    static QString agreementNote();
    // Definitions of every figure the report shows (TTFT, TTFAT, decode tok/s, ITL, latency,
    // cost buckets, quality and its interval, brittleness, error rate, the Pareto frontier).
    static QList<Entry> metricDefinitions();
    // How the run was made: concurrency, order, repeats, variants, seed, dates, spend cap, stop.
    static QList<Entry> runConditions(const ReportData &data);
    // Where the prices came from: the catalogue and its date, and each target's source.
    static QList<Entry> priceSources(const ReportData &data);
    // One line per price the workspace laid over the catalogue.
    static QStringList overrideLines(const ReportData &data);
};

} // namespace Slopscope
