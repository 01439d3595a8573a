#pragma once

#include "store/StoreTypes.h"

#include <QAbstractListModel>
#include <QList>

namespace Slopscope {

// The recorded runs the blind arena can vote on, for its run picker: newest first, one row per
// run reading "suite · date · targets". Quick-compare exchanges (chats, not suite runs) and runs
// of fewer than two targets (no pair to show) are left out.
class ArenaRunModel final : public QAbstractListModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ArenaRunModel)

public:
    enum Role { RunIdRole = Qt::UserRole, StartedRole, TargetIdsRole };

    explicit ArenaRunModel(QObject *parent = nullptr);
    ~ArenaRunModel() override;

    // Keeps the runs the arena can use, in the order given (HistoryStore::listRuns: newest first).
    void setRuns(const QList<RunRecord> &runs);
    [[nodiscard]] static bool isArenaRun(const RunRecord &run);
    // The row of `runId`, or -1.
    [[nodiscard]] int rowOf(const QString &runId) const;
    [[nodiscard]] const QList<RunRecord> &runs() const { return m_runs; }

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

private:
    QList<RunRecord> m_runs;
};

} // namespace Slopscope
