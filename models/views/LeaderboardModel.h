#pragma once

#include "core/Workspace.h"
#include "run/CellResult.h"
#include "run/JudgeHumanAgreement.h"

#include <QAbstractTableModel>
#include <QHash>

namespace Slopscope {

// One row per target with the figures the leaderboard ranks by. Fed live by RunSession's
// summaryChanged (quality, brittleness, cost, medians) and cellFinished (TTFT p95, which the
// summary does not carry). Display text is formatted; Qt::UserRole (SortRole) gives the raw
// number, or an invalid QVariant when the figure is unknown, for LeaderboardSortProxy.
class LeaderboardModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LeaderboardModel)

public:
    enum Column {
        TargetColumn,
        QualityColumn,
        BrittlenessColumn,
        CostColumn,
        TtftP50Column,
        TtftP95Column,
        DecodeColumn,
        ErrorRateColumn,
        AgreementColumn,
        CasesColumn,
        ColumnCount
    };
    enum Role {
        SortRole = Qt::UserRole,
        TargetIdRole,
    };

    explicit LeaderboardModel(QObject *parent = nullptr);
    ~LeaderboardModel() override;

    // The lineup, for labels and colours; rows are kept in this order. Clears all figures.
    void setTargets(const QList<TargetConfig> &targets);
    void clearResults();
    void updateSummary(const TargetSummary &summary);
    void addCell(const CellResult &cell);
    // Judge–human agreement per target (JudgeHumanAgreement::perTarget), replacing the previous
    // figures; a target missing from `rows` shows "—".
    void setAgreement(const QList<TargetAgreement> &rows);

    [[nodiscard]] int rowOfTarget(const QString &targetId) const;
    [[nodiscard]] QString targetIdAt(int row) const;
    [[nodiscard]] std::optional<double> ttftP95Ms(const QString &targetId) const;

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role = Qt::DisplayRole) const override;

private:
    struct Row
    {
        QString targetId;
        QString label;
        QString color;
        std::optional<TargetSummary> summary;
        QList<double> ttftMs; // completed cells with a first token
        qsizetype cellsSeen = 0;
        qsizetype failedSeen = 0;
        QList<TargetAgreement> agreement; // the overall row first, then one per judge
    };

    int ensureRow(const QString &targetId);
    [[nodiscard]] QVariant sortValue(const Row &row, int column) const;
    [[nodiscard]] QString displayText(const Row &row, int column) const;
    [[nodiscard]] QString toolTip(const Row &row, int column) const;
    [[nodiscard]] QString agreementToolTip(const Row &row) const;
    [[nodiscard]] std::optional<double> errorRate(const Row &row) const;
    [[nodiscard]] qsizetype cellCount(const Row &row) const;
    [[nodiscard]] static std::optional<Stats::Agreement> agreementOf(const Row &row);

    QList<Row> m_rows;
};

} // namespace Slopscope
