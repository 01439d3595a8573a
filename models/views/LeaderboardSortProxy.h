#pragma once

#include <QSortFilterProxyModel>

namespace Slopscope {

// Sorts a model by the raw numbers in its sort role (LeaderboardModel::SortRole by default):
// numbers compare as numbers, text as text, and unknown values (an invalid QVariant) always go
// last, in either order, so an unmeasured target never tops a ranking.
class LeaderboardSortProxy final : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LeaderboardSortProxy)

public:
    explicit LeaderboardSortProxy(QObject *parent = nullptr);
    ~LeaderboardSortProxy() override;

protected:
    [[nodiscard]] bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;
};

} // namespace Slopscope
