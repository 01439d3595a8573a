#include "LeaderboardView.h"

#include "views/LeaderboardModel.h"
#include "views/LeaderboardSortProxy.h"

#include <QHeaderView>

namespace Slopscope {

LeaderboardView::LeaderboardView(LeaderboardModel *model, QWidget *parent)
    : QTableView(parent)
    , m_model(model)
{
    setObjectName(QStringLiteral("leaderboard"));
    setAccessibleName(tr("Leaderboard"));
    m_proxy = new LeaderboardSortProxy(this);
    m_proxy->setSourceModel(model);
    setModel(m_proxy);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setSortingEnabled(true);
    sortByColumn(LeaderboardModel::QualityColumn, Qt::DescendingOrder);
    setAlternatingRowColors(true);
    setWordWrap(false);
    verticalHeader()->setVisible(false);
    horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    horizontalHeader()->setSectionResizeMode(LeaderboardModel::TargetColumn, QHeaderView::Stretch);
    horizontalHeader()->setMinimumSectionSize(70);

    connect(selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current, const QModelIndex &) {
                if (!m_selecting && current.isValid())
                    Q_EMIT targetSelected(current.data(LeaderboardModel::TargetIdRole).toString());
            });
}

LeaderboardView::~LeaderboardView() = default;

QString LeaderboardView::selectedTarget() const
{
    const QModelIndex current = currentIndex();
    return current.isValid() ? current.data(LeaderboardModel::TargetIdRole).toString() : QString();
}

void LeaderboardView::selectTarget(const QString &targetId)
{
    const int row = m_model->rowOfTarget(targetId);
    if (row < 0)
        return;
    const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, LeaderboardModel::TargetColumn));
    m_selecting = true;
    setCurrentIndex(index);
    scrollTo(index);
    m_selecting = false;
}

QStringList LeaderboardView::shownOrder() const
{
    QStringList ids;
    for (int r = 0; r < m_proxy->rowCount(); ++r)
        ids << m_proxy->index(r, 0).data(LeaderboardModel::TargetIdRole).toString();
    return ids;
}

} // namespace Slopscope
