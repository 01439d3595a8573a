#include "report/ReportText.h"

#include <algorithm>
#include <cmath>

namespace Slopscope {

namespace {

QString fixed(double value, int decimals)
{
    return QString::number(value, 'f', decimals); // always C-locale digits: reports are deterministic
}

} // namespace

QString ReportText::unknown()
{
    return tr("unknown");
}

QString ReportText::percent(const std::optional<double> &fraction, int decimals)
{
    return fraction ? fixed(*fraction * 100.0, decimals) + u'%' : unknown();
}

QString ReportText::percentInterval(const std::optional<double> &low, const std::optional<double> &high)
{
    if (!low || !high)
        return {};
    return QStringLiteral("[%1–%2]").arg(fixed(*low * 100.0, 1), fixed(*high * 100.0, 1));
}

QString ReportText::points(const std::optional<double> &fraction)
{
    if (!fraction)
        return unknown();
    const double pp = *fraction * 100.0;
    return (pp > 0 ? QStringLiteral("+") : QString()) + fixed(pp, 1) + QStringLiteral(" pp");
}

QString ReportText::pointsInterval(const std::optional<double> &low, const std::optional<double> &high)
{
    if (!low || !high)
        return {};
    return QStringLiteral("[%1, %2]").arg(fixed(*low * 100.0, 1), fixed(*high * 100.0, 1));
}

QString ReportText::usd(const std::optional<double> &value)
{
    if (!value)
        return unknown();
    const double v = std::abs(*value);
    // Enough decimals for three significant digits of small sums, at least cents.
    const int decimals = v > 0 ? std::clamp(2 - static_cast<int>(std::floor(std::log10(v))), 2, 8) : 2;
    QString text = fixed(*value, decimals);
    // Trailing zeros past the cents say nothing: $0.500 is $0.50.
    while (text.size() - text.indexOf(u'.') > 3 && text.endsWith(u'0'))
        text.chop(1);
    return u'$' + text;
}

QString ReportText::ms(const std::optional<double> &value)
{
    return value ? fixed(*value, 0) + QStringLiteral(" ms") : unknown();
}

QString ReportText::tokensPerSecond(const std::optional<double> &value)
{
    return value ? fixed(*value, 1) + QStringLiteral(" tok/s") : unknown();
}

QString ReportText::dateTime(const QDateTime &when)
{
    return when.isValid() ? when.toUTC().toString(Qt::ISODate) : unknown();
}

QString ReportText::title(const ReportData &data)
{
    const QString suite = data.suiteName.isEmpty() ? tr("Untitled suite") : data.suiteName;
    return data.runId.isEmpty() ? tr("%1: run report").arg(suite) : tr("%1: run %2").arg(suite, data.runId);
}

QString ReportText::agreementTitle()
{
    return tr("Judge–human agreement");
}

QStringList ReportText::agreementHeader()
{
    return {tr("Target"), tr("Judge"), tr("n"), tr("Agreement"), tr("κ")};
}

QStringList ReportText::agreementRow(const ReportData &data, const TargetAgreement &row)
{
    const ReportTarget *target = data.target(row.targetId);
    const Stats::Agreement &a = row.agreement;
    const QString none = QStringLiteral("—");
    return {target ? target->label : row.targetId, row.judgeTargetId.isEmpty() ? tr("all judges") : row.judgeTargetId,
            QString::number(a.n), a.n > 0 ? percent(a.percent) : none, a.n > 0 ? fixed(a.kappa, 2) : none};
}

QString ReportText::agreementNote()
{
    return tr("How often the judges' pass/fail matched people's ratings (4 or 5 stars count as a pass), over "
              "the n answers both graded; κ is Cohen's kappa: 1 is perfect agreement, 0 what chance would give.");
}

QString ReportText::leaderboardNote()
{
    return tr("Quality is the canonical wording's mean score over cases with its 95% bootstrap interval. "
              "★ marks targets on the price/quality Pareto frontier. Unknown figures are shown as unknown, "
              "never as 0.");
}

QList<ReportText::Entry> ReportText::metricDefinitions()
{
    return {
        {tr("Quality"), tr("Each case's score (0–1, the weighted mean of its assertions) is averaged over its "
                           "repeats; quality is the mean over cases of the canonical wording. A request that "
                           "failed scores 0. The interval is a 95% percentile bootstrap over cases.")},
        {tr("Brittleness"), tr("Canonical quality minus reworded quality, over the cases run in both forms, "
                               "with a paired 95% bootstrap interval. Positive: the target does worse when the "
                               "same question is asked differently.")},
        {tr("TTFT"), tr("Time to first token: from sending the answering attempt to the first content of any "
                        "kind (reasoning included).")},
        {tr("TTFAT"), tr("Time to first answer token: to the first content that is not reasoning.")},
        {tr("Decode tok/s"), tr("Output tokens after the first chunk divided by the time from the first to the "
                                "last content chunk. Needs two content chunks; estimated from characters "
                                "(4 per token) when the provider reported no usage.")},
        {tr("ITL"), tr("Inter-token latency: (end-to-end − TTFT) ÷ (streamed tokens − 1).")},
        {tr("Latency"), tr("End to end: from sending the answering attempt to the end of the response. "
                           "p50 and p95 are nearest-rank percentiles (the ⌈q·n⌉-th smallest).")},
        {tr("Cost"), tr("From reported token usage, split into disjoint buckets: uncached input, cached input "
                        "(cache reads), cache writes, output, and reasoning when it has its own price. Unknown "
                        "when usage or a needed price is missing; a total is shown only when every cost is "
                        "known.")},
        {tr("Cost per 1k cases"), tr("The mean cost of a case (all its repeats and wordings) × 1,000, over "
                                     "cases whose cost is known; unknown if any case's cost is.")},
        {tr("Error rate"), tr("Share of requests that did not end with a complete answer (errors and truncated "
                              "answers); cancelled requests are left out.")},
        {tr("Pareto frontier"), tr("Targets that no other target beats on both cost per 1k cases and "
                                   "quality.")},
    };
}

QList<ReportText::Entry> ReportText::runConditions(const ReportData &data)
{
    const ReportConditions &c = data.conditions;
    QStringList providers;
    for (const auto &[id, cap] : c.providerConcurrency)
        providers.append(tr("%1: %2").arg(id, QString::number(cap)));
    QList<Entry> out{
        {tr("Run"), data.runId.isEmpty() ? unknown() : data.runId},
        {tr("Suite"), data.suiteName},
        {tr("Started"), dateTime(c.startedAt)},
        {tr("Ended"), dateTime(c.endedAt)},
        {tr("Repeats"), QString::number(c.repeats)},
        {tr("Rewordings"), c.variants ? tr("run") : tr("not run")},
        {tr("Order"), c.oneProviderAtATime ? tr("one provider at a time") : tr("all providers at once, interleaved")},
        {tr("Seed"), QString::number(c.seed)},
        {tr("Concurrency"), providers.isEmpty()
                                ? QString::number(c.concurrency)
                                : tr("%1 overall; per provider %2")
                                      .arg(QString::number(c.concurrency), providers.join(QStringLiteral(", ")))},
        {tr("Spend cap"), c.maxCostUsd ? usd(c.maxCostUsd) : tr("none")},
        {tr("Stopped early"), c.stopReason.isEmpty() ? tr("no") : c.stopReason},
        {tr("App version"), data.appVersion},
    };
    return out;
}

QList<ReportText::Entry> ReportText::priceSources(const ReportData &data)
{
    QList<Entry> out;
    const CatalogueInfo &cat = data.catalogue;
    if (cat.source.isEmpty() && cat.date.isEmpty()) {
        out.append({tr("Price catalogue"), tr("none (workspace prices only)")});
    } else {
        out.append({tr("Price catalogue"),
                    cat.commit.isEmpty() ? cat.source : tr("%1, commit %2").arg(cat.source, cat.commit)});
        out.append({tr("Catalogue date"), cat.date.isEmpty() ? unknown() : cat.date});
    }
    for (const ReportTarget &t : data.targets) {
        QString source;
        if (t.simulated)
            source = tr("simulated; workspace price");
        else if (t.catalogueKey.isEmpty())
            source = tr("workspace price (not in the catalogue)");
        else
            source = tr("catalogue entry %1").arg(t.catalogueKey);
        const QString price =
            tr("input %1, output %2 per million tokens").arg(usd(t.price.inputPerMTok), usd(t.price.outputPerMTok));
        out.append({t.label, source + QStringLiteral("; ") + price});
    }
    return out;
}

QStringList ReportText::overrideLines(const ReportData &data)
{
    QStringList out;
    for (const PriceOverride &o : data.priceOverrides) {
        out.append(tr("%1: %2 = %3 (catalogue: %4)")
                       .arg(o.targetId, o.field, usd(o.workspaceValue),
                            o.catalogueValue ? usd(o.catalogueValue) : tr("no price")));
    }
    return out;
}

} // namespace Slopscope
