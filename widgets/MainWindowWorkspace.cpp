// MainWindow: File ▸ Save Workspace / Save Workspace As, and edits of the workspace made in
// Settings ▸ Providers, undone like lineup changes.
#include "MainWindow.h"

#include "core/WorkspaceWriter.h"
#include "ProvidersSettingsPage.h"
#include "run/RunSession.h"
#include "TargetEditCommand.h"

#include <QAction>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QStatusBar>
#include <QUndoStack>

namespace Slopscope {

void MainWindow::createWorkspaceActions(QMenu *file)
{
    if (!m_targetEdits)
        m_targetEdits = new QUndoStack(this);
    // Back at the saved state after undoing, the workspace is no longer modified.
    connect(m_targetEdits, &QUndoStack::cleanChanged, this, &MainWindow::updateTitle);
    // Ctrl+S and Ctrl+Shift+S save the suite, the document edited most; Alt sets the workspace's apart.
    QAction *save = file->addAction(tr("Save Wor&kspace"), this, [this] { saveWorkspace(); });
    save->setObjectName(QStringLiteral("saveWorkspaceAction"));
    save->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_S));
    QAction *saveAs = file->addAction(tr("Save Workspace As…"), this, [this] { saveWorkspaceAs(); });
    saveAs->setObjectName(QStringLiteral("saveWorkspaceAsAction"));
    saveAs->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::SHIFT | Qt::Key_S));
}

Status MainWindow::editWorkspace(const Workspace &next, const QString &text)
{
    // The run holds the lineup it started with; changing providers under it would mix settings.
    if (m_session->isRunning())
        return Error{tr("Stop the run before changing providers or targets.")};
    m_targetEdits->push(
        new TargetEditCommand(text, m_workspace, next, [this](const Workspace &w) { applyTargets(w); }));
    statusBar()->showMessage(tr("%1 (Undo takes it back).").arg(text), 8000);
    return {};
}

void MainWindow::lockWorkspaceEdits(bool running)
{
    if (m_settings)
        m_settings->providersPage()->setLocked(
            running ? tr("A run is going: providers and targets can be edited when it ends.") : QString());
}

bool MainWindow::isWorkspaceModified() const
{
    return m_targetEdits && !m_targetEdits->isClean();
}

Status MainWindow::saveWorkspaceTo(const QString &path)
{
    if (const Status saved = Slopscope::saveWorkspace(m_workspace, path); !saved.ok())
        return saved;
    m_workspacePath = path;
    m_targetEdits->setClean();
    updateTitle();
    statusBar()->showMessage(tr("Saved the workspace to %1.").arg(QDir::toNativeSeparators(path)), 8000);
    return {};
}

bool MainWindow::saveWorkspace()
{
    // The bundled demo lives in the resources: it has no file to write back to.
    if (m_workspacePath.isEmpty() || m_workspacePath.startsWith(u':'))
        return saveWorkspaceAs();
    const Status saved = saveWorkspaceTo(m_workspacePath);
    if (!saved.ok())
        QMessageBox::warning(this, tr("Cannot save the workspace"), saved.error());
    return saved.ok();
}

bool MainWindow::saveWorkspaceAs()
{
    const QString suggested =
        !m_workspacePath.isEmpty() && !m_workspacePath.startsWith(u':')
            ? m_workspacePath
            : (m_workspace.name.isEmpty() ? tr("workspace") : m_workspace.name) + QStringLiteral(".json");
    const QString path = m_saveFileNamePrompt
                             ? m_saveFileNamePrompt(suggested)
                             : QFileDialog::getSaveFileName(this, tr("Save Workspace As"), suggested,
                                                            tr("Slopscope workspaces (*.json);;All files (*)"));
    if (path.isEmpty())
        return false;
    const Status saved = saveWorkspaceTo(path);
    if (!saved.ok())
        QMessageBox::warning(this, tr("Cannot save the workspace"), saved.error());
    return saved.ok();
}

bool MainWindow::maybeSaveWorkspace()
{
    if (!isWorkspaceModified())
        return true;
    UnsavedChoice choice = UnsavedChoice::Cancel;
    if (m_unsavedPrompt) {
        choice = m_unsavedPrompt();
    } else {
        QMessageBox box(QMessageBox::Question, tr("Unsaved workspace"), QString(),
                        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, this);
        box.setTextFormat(Qt::PlainText); // the name comes from a workspace file
        box.setText(tr("The workspace \"%1\" has changes that are not saved. Save them?").arg(m_workspace.name));
        box.setDefaultButton(QMessageBox::Save);
        const int button = box.exec();
        choice = button == QMessageBox::Save      ? UnsavedChoice::Save
                 : button == QMessageBox::Discard ? UnsavedChoice::Discard
                                                  : UnsavedChoice::Cancel;
    }
    switch (choice) {
    case UnsavedChoice::Save:
        return saveWorkspace();
    case UnsavedChoice::Discard:
        return true;
    case UnsavedChoice::Cancel:
        break;
    }
    return false;
}

} // namespace Slopscope
