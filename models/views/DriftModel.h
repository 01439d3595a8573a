#pragma once

#include "store/StoreTypes.h"

#include <QAbstractTableModel>
#include <QList>

namespace Slopscope {

// One target across recorded runs, oldest first (HistoryStore::drift): the table under the
// drift chart, and the points the chart plots. A run whose reported model differs from the run
// before is flagged.
class DriftModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DriftModel)

public:
    enum Column {
        StartedColumn,
        SuiteColumn,
        QualityColumn,
        TtftColumn,
        TokensPerSecondColumn,
        CostColumn,
        FailedColumn,
        ModelColumn,
        ColumnCount
    };
    enum Role { ValueRole = Qt::UserRole, ModelChangedRole, RunIdRole };

    explicit DriftModel(QObject *parent = nullptr);
    ~DriftModel() override;

    // Sorts by run start, oldest first.
    void setPoints(QList<TargetRunStats> points);
    [[nodiscard]] const QList<TargetRunStats> &points() const { return m_points; }
    // The reported model differs from the previous run's (both known).
    [[nodiscard]] bool modelChangedAt(int row) const;

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role = Qt::DisplayRole) const override;

private:
    [[nodiscard]] QVariant value(const TargetRunStats &s, int column) const;
    [[nodiscard]] QString display(int row, int column) const;

    QList<TargetRunStats> m_points;
};

} // namespace Slopscope
