#pragma once

#include <QTableView>

namespace Slopscope {

class LeaderboardModel;
class LeaderboardSortProxy;

// The leaderboard: one row per target, sortable by any figure (unknown figures sort last),
// best quality first by default. Selecting a row names its target to the other views.
class LeaderboardView final : public QTableView
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LeaderboardView)

public:
    explicit LeaderboardView(LeaderboardModel *model, QWidget *parent = nullptr);
    ~LeaderboardView() override;

    [[nodiscard]] LeaderboardSortProxy *proxy() const { return m_proxy; }
    [[nodiscard]] QString selectedTarget() const;
    // Selects a target's row without emitting targetSelected (the caller knows already).
    void selectTarget(const QString &targetId);
    // Target ids from top to bottom, as shown.
    [[nodiscard]] QStringList shownOrder() const;

Q_SIGNALS:
    void targetSelected(const QString &targetId);

private:
    LeaderboardModel *m_model = nullptr;     // not owned
    LeaderboardSortProxy *m_proxy = nullptr; // child
    bool m_selecting = false;
};

} // namespace Slopscope
