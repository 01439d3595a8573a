#include "views/MatrixFilterProxy.h"

#include "views/ResultMatrixModel.h"
#include "views/ViewText.h"

namespace Slopscope {

MatrixFilterProxy::MatrixFilterProxy(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(ResultMatrixModel::ScoreRole);
    setDynamicSortFilter(true);
}

MatrixFilterProxy::~MatrixFilterProxy() = default;

void MatrixFilterProxy::setFailedOnly(bool failedOnly)
{
    if (m_failedOnly == failedOnly)
        return;
    m_failedOnly = failedOnly;
    refilterRows();
}

void MatrixFilterProxy::setTag(const QString &tag)
{
    if (m_tag == tag)
        return;
    m_tag = tag;
    refilterRows();
}

void MatrixFilterProxy::setWording(Wording wording)
{
    if (m_wording == wording)
        return;
    m_wording = wording;
    refilterRows();
}

void MatrixFilterProxy::refilterRows()
{
#if QT_VERSION >= QT_VERSION_CHECK(6, 10, 0)
    beginFilterChange();
    endFilterChange(QSortFilterProxyModel::Direction::Rows);
#else
    invalidateRowsFilter();
#endif
}

bool MatrixFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QAbstractItemModel *model = sourceModel();
    if (!model || model->columnCount(sourceParent) == 0)
        return true;
    const QModelIndex first = model->index(sourceRow, 0, sourceParent);
    const bool variant = !first.data(ResultMatrixModel::VariantIdRole).toString().isEmpty();
    if ((m_wording == Wording::CanonicalOnly && variant) || (m_wording == Wording::VariantsOnly && !variant))
        return false;
    if (m_failedOnly && !first.data(ResultMatrixModel::RowFailedRole).toBool())
        return false;
    if (!m_tag.isEmpty() && !first.data(ResultMatrixModel::RowTagsRole).toStringList().contains(m_tag))
        return false;
    return true;
}

bool MatrixFilterProxy::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    return ViewText::unknownLastLess(left.data(sortRole()), right.data(sortRole()), sortOrder() == Qt::DescendingOrder,
                                     left.row() < right.row());
}

} // namespace Slopscope
