#include "DisagreementModel.h"

namespace Slopscope {

DisagreementModel::DisagreementModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

DisagreementModel::~DisagreementModel() = default;

void DisagreementModel::setResult(const Disagreement::Result &result, const QHash<QString, QString> &labels)
{
    beginResetModel();
    m_facts = result.disputed();
    m_labels = labels;
    endResetModel();
}

int DisagreementModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_facts.size());
}

int DisagreementModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString DisagreementModel::labels(const QStringList &targetIds) const
{
    QStringList out;
    for (const QString &id : targetIds)
        out << m_labels.value(id, id);
    // Commas, not the locale's "and": these are lists of names to scan in a table.
    return out.join(QStringLiteral(", "));
}

QString DisagreementModel::describe(const Disagreement::Fact &fact) const
{
    return tr("%1 “%2” is stated by %3; %4 state something else.")
        .arg(Disagreement::kindName(fact.kind), fact.display, labels(fact.targets), labels(fact.others));
}

QVariant DisagreementModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Disagreement::Fact &fact = m_facts.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case KindColumn:
            return Disagreement::kindName(fact.kind);
        case ValueColumn:
            return fact.display;
        case StatedByColumn:
            return labels(fact.targets);
        case OthersColumn:
            return labels(fact.others);
        default:
            return {};
        }
    case Qt::ToolTipRole:
    case Qt::AccessibleTextRole:
        return describe(fact);
    default:
        return {};
    }
}

QVariant DisagreementModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case KindColumn:
        return tr("Kind");
    case ValueColumn:
        return tr("Value");
    case StatedByColumn:
        return tr("Stated by");
    case OthersColumn:
        return tr("Others say otherwise");
    default:
        return {};
    }
}

} // namespace Slopscope
