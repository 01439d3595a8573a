#pragma once

#include "routing/RoutingEvaluation.h"

#include <QAbstractTableModel>

namespace Slopscope {

// The routing dialog's comparison table: one row per policy, then one per single target of the
// run, each replayed over the same cells (RoutingEvaluator). ValueRole carries the raw figure, for
// sorting and for tests; an absent figure is an invalid QVariant and shows as "—".
class RoutingComparisonModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RoutingComparisonModel)

public:
    enum Column {
        PolicyColumn,
        RouteColumn,
        QualityColumn,
        IntervalColumn,
        CostColumn,
        P50Column,
        P95Column,
        EscalatedColumn,
        VerdictsColumn,
        MissingColumn,
        ColumnCount
    };
    enum Role { ValueRole = Qt::UserRole, IsPolicyRole };

    explicit RoutingComparisonModel(QObject *parent = nullptr);

    void setEvaluations(const QList<RoutingEvaluation> &policies, const QList<RoutingEvaluation> &targets);
    [[nodiscard]] const RoutingEvaluation &evaluationAt(int row) const;
    [[nodiscard]] bool isPolicyRow(int row) const { return row < m_policyRows; }
    // The row of a policy (isPolicy) or of a single target, by name; -1 when absent.
    [[nodiscard]] int rowOf(const QString &name, bool isPolicy) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    [[nodiscard]] QVariant value(const RoutingEvaluation &e, int column) const;
    [[nodiscard]] QString text(const RoutingEvaluation &e, int column, bool isPolicy) const;

    QList<RoutingEvaluation> m_rows;
    int m_policyRows = 0;
};

} // namespace Slopscope
