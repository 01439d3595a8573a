#pragma once

#include "core/Result.h"
#include "engine/ChatRequest.h"
#include "engine/ProviderStatus.h"
#include "metrics/PriceCatalogue.h"
#include "run/CellResult.h"
#include "run/RunSpec.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <memory>

namespace Slopscope {

class EmbeddedSimulator;
class RunScheduler;

// One run from the user's point of view: expands a suite × targets × variants × repeats into
// jobs, starts the embedded simulator when a provider needs it, drives the engine, and turns each
// finished job into a graded, measured and priced CellResult plus per-target summaries.
// Lives in the GUI (or CLI) thread; the network work happens on the engine's worker threads.
class RunSession final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunSession)

public:
    explicit RunSession(QObject *parent = nullptr);
    ~RunSession() override;

    // Fails without starting anything when the spec is unusable (unknown target, no cases, a run
    // already going, the simulator cannot start).
    Status start(const RunSpec &spec);
    void cancel();

    [[nodiscard]] bool isRunning() const { return m_running; }
    [[nodiscard]] int total() const { return static_cast<int>(m_jobs.size()) + m_prior; }
    [[nodiscard]] int done() const { return m_done; }
    [[nodiscard]] double spentUsd() const { return m_spentUsd; }
    [[nodiscard]] const QList<CellResult> &results() const { return m_results; }
    [[nodiscard]] QList<TargetSummary> summaries() const;
    [[nodiscard]] QString stopReason() const { return m_stopReason; }
    [[nodiscard]] const RunSpec &spec() const { return m_spec; }
    // What each target pays, fixed at start (the workspace price over the catalogue's).
    [[nodiscard]] PriceSchedule priceSchedule(const QString &targetId) const { return m_schedules.value(targetId); }
    // The price catalogue the run used; its date belongs with the run's figures.
    [[nodiscard]] CatalogueInfo catalogueInfo() const { return m_catalogueInfo; }

    // Pure parts, public for tests.
    static Result<QList<ChatRequest>> expandJobs(const RunSpec &spec);
    static TargetSummary summarize(const QString &targetId, const QList<CellResult> &cells, const Price &price);
    // A target's prices: its workspace price, field by field over the catalogue's entry for its
    // provider and model. Targets answered by the simulator use only the workspace price (the
    // simulator's models are not the catalogue's). `catalogue` may be null.
    static PriceSchedule priceScheduleFor(const Workspace &workspace, const TargetConfig &target,
                                          const PriceCatalogue *catalogue);

Q_SIGNALS:
    void runStarted(int total);
    void cellStarted(const QString &jobId, const QString &targetId, const QString &caseId, int attempt);
    void cellContent(const QString &jobId, const QString &targetId, const QList<Slopscope::ContentDelta> &deltas);
    void cellFinished(const Slopscope::CellResult &cell);
    void summaryChanged(const Slopscope::TargetSummary &summary);
    void providerStatusChanged(const Slopscope::ProviderStatus &status);
    void progress(int done, int total, double spentUsd);
    void runFinished(bool cancelled);

private:
    void onJobFinished(const JobResult &job);
    void onRunFinished();
    void addCell(const CellResult &cell);
    // Summaries are recomputed (with their bootstrap) for the targets that changed, at most every
    // kSummaryIntervalMs, so a fast run does not spend the GUI thread on statistics.
    void flushSummaries();
    static constexpr int kSummaryIntervalMs = 250;

    RunSpec m_spec;
    std::unique_ptr<EmbeddedSimulator> m_simulator;
    RunScheduler *m_scheduler = nullptr; // child; replaced per run
    QHash<QString, ChatRequest> m_jobs;
    QList<CellResult> m_results;
    QHash<QString, QList<CellResult>> m_cellsByTarget;
    QHash<QString, PriceSchedule> m_schedules;
    CatalogueInfo m_catalogueInfo;
    QSet<QString> m_dirtyTargets;
    QTimer m_summaryTimer;
    int m_prior = 0; // cells answered by an earlier session of a resumed run
    int m_done = 0;
    double m_spentUsd = 0;
    bool m_running = false;
    bool m_cancelled = false;
    QString m_stopReason;
};

} // namespace Slopscope

Q_DECLARE_METATYPE(Slopscope::CellResult)
Q_DECLARE_METATYPE(Slopscope::TargetSummary)
