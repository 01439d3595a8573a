#include "MainWindow.h"

#include "core/Version.h"
#include "StreamPaneGrid.h"
#include "TargetListWidget.h"

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QFileDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>

namespace Slopscope {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setWindowIcon(QIcon(QStringLiteral(":/slopscope/icons/slopscope.svg")));
    setObjectName(QStringLiteral("MainWindow"));

    m_panes = new StreamPaneGrid(this);
    m_panes->setObjectName(QStringLiteral("streamPanes"));
    setCentralWidget(m_panes);

    auto *targetsDock = new QDockWidget(tr("Targets"), this);
    targetsDock->setObjectName(QStringLiteral("targetsDock"));
    m_targets = new TargetListWidget(targetsDock);
    targetsDock->setWidget(m_targets);
    addDockWidget(Qt::LeftDockWidgetArea, targetsDock);
    resizeDocks({targetsDock}, {420}, Qt::Horizontal);

    m_workspaceStatus = new QLabel(this);
    statusBar()->addPermanentWidget(m_workspaceStatus);

    createActions();
    resize(1280, 800);
    setWorkspace(Workspace{});
}

void MainWindow::createActions()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *open = file->addAction(tr("&Open Workspace…"), this, &MainWindow::openWorkspace);
    open->setShortcut(QKeySequence::Open);
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), qApp, &QApplication::closeAllWindows);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Slopscope"), this, &MainWindow::showAbout);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
}

void MainWindow::setWorkspace(const Workspace &workspace)
{
    m_workspace = workspace;
    m_targets->setWorkspace(workspace);
    const QString name = workspace.name.isEmpty() ? tr("no workspace") : workspace.name;
    setWindowTitle(tr("%1 — Slopscope %2").arg(name, QString::fromLatin1(kVersion)));
    m_workspaceStatus->setText(tr("%n target(s)", nullptr, static_cast<int>(workspace.targets.size())));
    m_panes->setTargets(workspace.targets);
}

void MainWindow::openWorkspace()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Workspace"), QString(),
                                                      tr("Slopscope workspaces (*.json);;All files (*)"));
    if (path.isEmpty())
        return;
    auto loaded = Workspace::fromFile(path);
    if (!loaded) {
        QMessageBox::warning(this, tr("Cannot open workspace"), loaded.error());
        return;
    }
    setWorkspace(loaded.value());
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About Slopscope"),
                       tr("<h3>Slopscope %1</h3><p>Price, speed and quality of LLM providers, measured on your "
                          "own prompts.</p><p>MIT licence. Third-party notices ship with the application.</p>")
                           .arg(QString::fromLatin1(kVersion)));
}

} // namespace Slopscope
