#pragma once

#include "core/Workspace.h"
#include "quality/Suite.h"
#include "run/CellResult.h"

#include <QAbstractTableModel>
#include <QHash>

namespace Slopscope {

// The results matrix: one row per case (and per variant when rewordings were run), one column
// per target, each cell holding every repeat answered for it. Rows appear as results arrive, in
// the suite's order; adding a result touches only its own cell (dataChanged) or inserts only
// its own row or column.
class ResultMatrixModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ResultMatrixModel)

public:
    enum Role {
        CellRole = Qt::UserRole, // CellResult: the latest repeat
        CellsRole,               // QList<CellResult>: every repeat, by repeat index
        ScoreRole,               // double: mean score over the repeats; invalid when empty
        PassedRole,              // int: repeats that completed and passed
        RunsRole,                // int: repeats answered
        AnswerRole,              // QString: the latest answer in full (plain, untrusted)
        CaseIdRole,
        VariantIdRole,
        TargetIdRole,
        RowFailedRole, // bool, any column: some answer in this row did not pass
        RowTagsRole,   // QStringList, any column: the case's tags from the suite
    };

    explicit ResultMatrixModel(QObject *parent = nullptr);
    ~ResultMatrixModel() override;

    // The suite gives row order, tags, prompts and references. Clears the results.
    void setSuite(const Suite &suite);
    // The lineup gives the columns (labels, colours). Clears the results.
    void setTargets(const QList<TargetConfig> &targets);
    void clearResults();
    void addCell(const CellResult &cell);

    [[nodiscard]] const Suite &suite() const { return m_suite; }
    [[nodiscard]] QStringList tags() const; // every tag of the suite's cases, sorted
    [[nodiscard]] int rowOf(const QString &caseId, const QString &variantId = {}) const;
    [[nodiscard]] int columnOf(const QString &targetId) const;
    [[nodiscard]] QString caseIdAt(int row) const;
    [[nodiscard]] QString variantIdAt(int row) const;
    [[nodiscard]] QString targetIdAt(int column) const;
    [[nodiscard]] QString targetLabelAt(int column) const;
    // The reference answer of a row's case (or variant); empty when it has none.
    [[nodiscard]] QString referenceAt(int row) const;
    [[nodiscard]] QList<CellResult> cellsAt(int row, int column) const;

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role = Qt::DisplayRole) const override;

private:
    struct Column
    {
        QString targetId;
        QString label;
        QString color;
    };
    struct Row
    {
        QString caseId;
        QString variantId;
        qint64 rank = 0;                         // position in the suite; unknown cases after, in arrival order
        QHash<QString, QList<CellResult>> cells; // by target id, each sorted by repeat
    };

    [[nodiscard]] qint64 rankOf(const QString &caseId, const QString &variantId) const;
    [[nodiscard]] bool rowFailed(const Row &row) const;
    [[nodiscard]] QString cellText(const QList<CellResult> &runs) const;
    [[nodiscard]] QString cellToolTip(const Row &row, const Column &column, const QList<CellResult> &runs) const;
    [[nodiscard]] QString rowToolTip(const Row &row) const;

    Suite m_suite;
    QList<Column> m_columns;
    QList<Row> m_rows;
    qint64 m_arrivals = 0;
};

} // namespace Slopscope
