#pragma once

#include "store/StoreTypes.h"
#include "views/RunStatsText.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QList>

namespace Slopscope {

// Two or more recorded runs side by side: a row per target (matched by target id), a group of
// columns per run, oldest run first. Each run's figures are compared with the oldest run's (the
// baseline); a quality change is significant when the 95% intervals do not overlap. A change of
// the model the provider reported, from one run to the next, is flagged: the strongest sign of a
// silent model swap.
class RunComparisonModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunComparisonModel)

public:
    // One run's figures, as HistoryStore::targetStats reads them.
    struct Run
    {
        QString id;
        QDateTime startedAt;
        QString suiteName;
        QList<TargetRunStats> targets;
    };
    // The columns of each run's group; column = 1 + run * MetricCount + metric.
    // The reported model beside quality: a swap and the drop it causes read together.
    enum Metric { QualityMetric, ModelMetric, TtftMetric, TokensPerSecondMetric, CostMetric, FailedMetric, MetricCount };
    enum { TargetColumn = 0 };
    enum Role {
        ValueRole = Qt::UserRole, // the raw figure (double, failed count, models text); invalid if unknown
        DeltaRole,                // against the baseline, in the figure's unit; invalid if none
        ChangeRole,               // quality columns: int(RunStatsText::Change) against the baseline
        ModelChangedRole,         // model columns: changed since the previous run; target column: ever
        TargetIdRole,
        RunIdRole,
        SortRole,
    };

    explicit RunComparisonModel(QObject *parent = nullptr);
    ~RunComparisonModel() override;

    // Sorts the runs oldest first.
    void setRuns(QList<Run> runs);
    [[nodiscard]] const QList<Run> &runs() const { return m_runs; }
    [[nodiscard]] const QStringList &targetIds() const { return m_targetIds; }
    [[nodiscard]] static int column(int run, Metric metric) { return 1 + run * MetricCount + metric; }
    // The target's figures in run `run`, or null when the run did not have it.
    [[nodiscard]] const TargetRunStats *stats(int row, int run) const;

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role = Qt::DisplayRole) const override;

private:
    [[nodiscard]] QVariant value(const TargetRunStats &s, Metric metric) const;
    [[nodiscard]] QVariant delta(int row, int run, Metric metric) const;
    [[nodiscard]] QString display(int row, int run, Metric metric) const;
    [[nodiscard]] QString toolTip(int row, int run, Metric metric) const;
    [[nodiscard]] RunStatsText::Change change(int row, int run) const;
    // The last run before `run` that has the target, or null.
    [[nodiscard]] const TargetRunStats *previous(int row, int run) const;
    [[nodiscard]] bool modelChanged(int row, int run) const;
    [[nodiscard]] bool modelEverChanged(int row) const;
    [[nodiscard]] QString runLabel(int run) const;

    QList<Run> m_runs;
    QStringList m_targetIds;
    QList<QList<qsizetype>> m_cell; // [row][run]: the index in m_runs[run].targets, or -1
};

} // namespace Slopscope
