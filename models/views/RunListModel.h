#pragma once

#include "store/StoreTypes.h"

#include <QAbstractTableModel>
#include <QList>

namespace Slopscope {

// The runs of the history, newest first as HistoryStore::listRuns gives them, for the history
// browser. Display text follows the user's locale; SortRole gives raw values (dates, counts,
// dollars) so a proxy sorts them as what they are.
class RunListModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunListModel)

public:
    enum Column { StartedColumn, SuiteColumn, TargetsColumn, ResultsColumn, CostColumn, StateColumn, ColumnCount };
    // KindRole: the run's kind (RunSpec::kind): empty for a suite run, kQuickCompareKind.
    enum Role { RunIdRole = Qt::UserRole, SortRole, FilterRole, KindRole };

    explicit RunListModel(QObject *parent = nullptr);
    ~RunListModel() override;

    void setRuns(QList<RunRecord> runs);
    [[nodiscard]] const QList<RunRecord> &runs() const { return m_runs; }
    [[nodiscard]] const RunRecord *run(const QString &runId) const;

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role = Qt::DisplayRole) const override;

    [[nodiscard]] static QString stateText(RunState state);
    // The label a run of that kind carries in the list ("Quick compare"); empty for a suite run.
    [[nodiscard]] static QString kindLabel(const QString &kind);

private:
    [[nodiscard]] QVariant display(const RunRecord &run, int column) const;
    [[nodiscard]] QVariant sortValue(const RunRecord &run, int column) const;

    QList<RunRecord> m_runs;
};

} // namespace Slopscope
