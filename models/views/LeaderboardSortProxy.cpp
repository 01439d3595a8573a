#include "views/LeaderboardSortProxy.h"

#include "views/ViewText.h"

namespace Slopscope {

LeaderboardSortProxy::LeaderboardSortProxy(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(Qt::UserRole);
    setDynamicSortFilter(true);
    setSortCaseSensitivity(Qt::CaseInsensitive);
}

LeaderboardSortProxy::~LeaderboardSortProxy() = default;

bool LeaderboardSortProxy::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    return ViewText::unknownLastLess(left.data(sortRole()), right.data(sortRole()), sortOrder() == Qt::DescendingOrder,
                                     left.row() < right.row());
}

} // namespace Slopscope
