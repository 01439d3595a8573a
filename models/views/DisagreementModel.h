#pragma once

#include "quality/Disagreement.h"

#include <QAbstractTableModel>
#include <QHash>

namespace Slopscope {

// The disputed facts of one case, one row each: what kind, which value, who states it, who
// states something else. Target ids are shown by their labels.
class DisagreementModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DisagreementModel)

public:
    enum Column { KindColumn, ValueColumn, StatedByColumn, OthersColumn, ColumnCount };

    explicit DisagreementModel(QObject *parent = nullptr);
    ~DisagreementModel() override;

    // `labels` maps target ids to what the user sees; an id without a label is shown as is.
    void setResult(const Disagreement::Result &result, const QHash<QString, QString> &labels);
    [[nodiscard]] const Disagreement::Fact &factAt(int row) const { return m_facts.at(row); }

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role = Qt::DisplayRole) const override;

    // "Stated by A, C; B and D state something else." (tooltips and screen readers)
    [[nodiscard]] QString describe(const Disagreement::Fact &fact) const;

private:
    [[nodiscard]] QString labels(const QStringList &targetIds) const;

    QList<Disagreement::Fact> m_facts;
    QHash<QString, QString> m_labels;
};

} // namespace Slopscope
