#pragma once

#include "core/Workspace.h"

#include <QMainWindow>
#include <QPointer>

class QLabel;

namespace Slopscope {

class StreamPaneGrid;
class TargetListWidget;

class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    explicit MainWindow(QWidget *parent = nullptr);

    void setWorkspace(const Workspace &workspace);
    [[nodiscard]] const Workspace &workspace() const { return m_workspace; }
    [[nodiscard]] TargetListWidget *targetList() const { return m_targets; }
    [[nodiscard]] StreamPaneGrid *streamPanes() const { return m_panes; }

private:
    void createActions();
    void openWorkspace();
    void showAbout();

    Workspace m_workspace;
    TargetListWidget *m_targets = nullptr; // child of the dock
    StreamPaneGrid *m_panes = nullptr; // child, owned by the window
    QPointer<QLabel> m_workspaceStatus;
};

} // namespace Slopscope
