#pragma once

#include "judge/HumanReview.h"
#include "metrics/PriceCatalogue.h"
#include "metrics/PriceSchedule.h"
#include "report/ReportStatistics.h"
#include "run/CellResult.h"
#include "run/JudgeHumanAgreement.h"
#include "run/RunSpec.h"
#include "run/ScopedQuality.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace Slopscope {

struct RecordedRun;

class RunSession;

// One case of the suite as the reports show it.
struct ReportCase
{
    struct Variant
    {
        QString id;
        QString kind;
        QString prompt;
    };
    QString id;
    QString prompt; // the messages as sent (system prompt included), as plain text
    QString reference;
    QStringList tags;
    QList<Variant> variants;
};

// One target with its prices and figures.
struct ReportTarget
{
    QString id;
    QString label; // the target id when the workspace gives no label
    QString providerId;
    QString model;
    QString color;        // "#rrggbb" or empty
    Price price;          // the price for short prompts that the run applied
    QString catalogueKey; // the catalogue entry its price came from; empty: the workspace's price alone
    bool simulated = false;
    TargetSummary summary;
    ReportTargetStats stats;
    // Quality within each case's time budget (scopedQuality, WithinBudget); only when the suite
    // sets a budget.
    std::optional<ScopedQuality> withinBudget;
};

// A price field the workspace set on a target, over the catalogue's value for it.
struct PriceOverride
{
    QString targetId;
    QString field; // the workspace's name: input_per_mtok, output_per_mtok, ...
    double workspaceValue = 0;
    std::optional<double> catalogueValue; // empty: the catalogue has no price for that field
};

// How the run was made: what a reader needs to judge, or repeat, the figures.
struct ReportConditions
{
    int repeats = 1;
    bool variants = false;
    quint64 seed = 1;
    int concurrency = 0; // the global cap on requests in flight
    bool oneProviderAtATime = false;
    std::optional<double> maxCostUsd;
    QList<QPair<QString, int>> providerConcurrency; // provider id → its own cap, for the providers used
    QDateTime startedAt;                            // invalid when unknown
    QDateTime endedAt;
    QString stopReason; // empty when the run ended on its own
};

// What the RunSpec does not hold, from the session or the history database.
struct ReportRunInfo
{
    QString runId;
    QDateTime startedAt;
    QDateTime endedAt;
    QString stopReason;
    CatalogueInfo catalogue; // RunSession::catalogueInfo(); empty when no catalogue was used
    // What each target paid (RunSession::priceSchedule). A target not listed paid its workspace price.
    QHash<QString, PriceSchedule> schedules;
    QString appVersion; // empty: this build's version
    QList<HumanRating> ratings; // people's ratings of the run's cells, for judge–human agreement
};

// Everything a report shows, gathered once; the writers only format it.
struct ReportData
{
    QString runId;
    QString suiteName;
    QString suiteDescription;
    QString appVersion;
    ReportConditions conditions;
    CatalogueInfo catalogue;
    QList<PriceOverride> priceOverrides;
    QList<ReportTarget> targets; // in the order of the summaries given
    QList<CellResult> cells;     // in arrival order
    QStringList pareto;          // target ids on the price/quality frontier, by rising cost
    QList<ReportCase> cases;     // the suite's order
    // Judge–human agreement per target (and per judge when several), from the ratings given;
    // empty when nobody rated an answer.
    QList<TargetAgreement> agreement;

    // `summaries` decide which targets the report shows (RunSession::summaries()).
    static ReportData fromRun(const RunSpec &spec, const QList<CellResult> &cells,
                              const QList<TargetSummary> &summaries, const ReportRunInfo &info = {});

    // A session's run as it stands (finished or not): its spec, results, summaries, catalogue
    // and each target's price schedule. `info` gives what the session does not know (run id,
    // dates); its catalogue and schedules are filled from the session.
    static ReportData fromSession(const RunSession &session, ReportRunInfo info = {});

    // A run of the history, from the database alone: its snapshots, cells and recorded dates.
    static ReportData fromRecordedRun(const RecordedRun &run);

    // Sets `agreement` from people's ratings of `cells` (the GUI's ratings, session-only ones included).
    void setHumanRatings(const QList<HumanRating> &ratings);

    [[nodiscard]] const ReportTarget *target(const QString &id) const;
    [[nodiscard]] const ReportCase *findCase(const QString &id) const;
    [[nodiscard]] bool onPareto(const QString &targetId) const { return pareto.contains(targetId); }
    // The cell the per-case details show: the canonical wording's lowest repeat; nullptr if none.
    [[nodiscard]] const CellResult *primaryCell(const QString &caseId, const QString &targetId) const;
    // Builds the lookup primaryCell uses (fromRun calls it; without it primaryCell scans the cells).
    void indexCells();

    QHash<QString, qsizetype> primaryIndex; // "case\x1ftarget" → index into cells
};

} // namespace Slopscope
