// MainWindow's target actions (in the Run menu) and the buttons under the lineup: add a target (from the workspace's
// providers, a preset or a discovered local server) and remove one.
#include "MainWindow.h"

#include "AddTargetDialog.h"
#include "metrics/PriceCatalogue.h"
#include "run/RunSession.h"
#include "StreamPaneGrid.h"
#include "TargetEditCommand.h"
#include "TargetListWidget.h"

#include <QAction>
#include <QDockWidget>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QStatusBar>
#include <QToolButton>
#include <QUndoStack>
#include <QVBoxLayout>

namespace Slopscope {

// Loaded on the first Add Target or Preferences, once per process: a 1.6 MB table nobody needs at start-up.
const PriceCatalogue *MainWindow::dialogCatalogue()
{
    static const std::optional<PriceCatalogue> catalogue = []() -> std::optional<PriceCatalogue> {
        auto loaded = PriceCatalogue::loadBundled();
        if (!loaded)
            return std::nullopt;
        return std::move(loaded).value();
    }();
    return catalogue ? &*catalogue : nullptr;
}

namespace {

// Plain text: the names quoted come from the user or from a local server.
QMessageBox::StandardButton plainMessage(QWidget *parent, QMessageBox::Icon icon, const QString &title,
                                         const QString &text, QMessageBox::StandardButtons buttons)
{
    QMessageBox box(icon, title, text, buttons, parent);
    box.setTextFormat(Qt::PlainText);
    return static_cast<QMessageBox::StandardButton>(box.exec());
}

QToolButton *panelButton(QAction *action, QWidget *parent)
{
    auto *button = new QToolButton(parent);
    button->setDefaultAction(action);
    button->setToolButtonStyle(Qt::ToolButtonTextOnly);
    return button;
}

} // namespace

void MainWindow::createTargetActions(QMenu *menu)
{
    if (!m_targetEdits)
        m_targetEdits = new QUndoStack(this); // File's workspace actions may have made it
    menu->addSeparator();
    QAction *add = menu->addAction(tr("&Add Target…"), this, [this] { showAddTarget(); });
    add->setObjectName(QStringLiteral("addTargetAction"));
    add->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
    QAction *remove = menu->addAction(tr("Re&move Target"), this, [this] {
        const QTreeWidgetItem *item = m_targets->currentItem();
        if (!item) {
            statusBar()->showMessage(tr("Select a target in the lineup first."), 5000);
            return;
        }
        const QString id = item->data(TargetListWidget::LabelColumn, Qt::UserRole).toString();
        const QString label = item->text(TargetListWidget::LabelColumn);
        if (const Status removed = removeTarget(id); !removed.ok())
            plainMessage(this, QMessageBox::Warning, tr("Cannot remove the target"), removed.error(), QMessageBox::Ok);
        else
            statusBar()->showMessage(tr("Removed %1 (Undo brings it back).").arg(label), 8000);
    });
    remove->setObjectName(QStringLiteral("removeTargetAction"));
    // Own actions rather than QUndoStack's: a change during a run is refused with a word, not lost.
    const auto undoRedo = [this, menu](bool undo) {
        QAction *action = menu->addAction(undo ? tr("&Undo") : tr("Re&do"), this,
                                          [this, undo] {
                                              if (m_session->isRunning()) {
                                                  statusBar()->showMessage(
                                                      tr("Stop the run before changing the lineup."), 5000);
                                                  return;
                                              }
                                              undo ? m_targetEdits->undo() : m_targetEdits->redo();
                                          });
        action->setObjectName(undo ? QStringLiteral("undoTargetAction") : QStringLiteral("redoTargetAction"));
        action->setShortcut(undo ? QKeySequence::Undo : QKeySequence::Redo);
        action->setEnabled(false);
        connect(m_targetEdits, undo ? &QUndoStack::canUndoChanged : &QUndoStack::canRedoChanged, action,
                &QAction::setEnabled);
        // Named after what it takes back ("Undo Add GPT-4o"), as QUndoStack's own actions are:
        // the stack holds target, provider and price edits alike.
        connect(m_targetEdits, undo ? &QUndoStack::undoTextChanged : &QUndoStack::redoTextChanged, action,
                [action, undo](const QString &text) {
                    if (text.isEmpty())
                        action->setText(undo ? tr("&Undo") : tr("Re&do"));
                    else
                        action->setText(undo ? tr("&Undo %1").arg(text) : tr("Re&do %1").arg(text));
                });
    };
    undoRedo(true);
    undoRedo(false);

    // The lineup's own buttons and context menu offer the same actions.
    auto *panel = new QWidget(m_targetsDock);
    auto *layout = new QVBoxLayout(panel);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_targets, 1);
    auto *buttons = new QHBoxLayout;
    buttons->setContentsMargins(4, 0, 4, 4);
    buttons->addWidget(panelButton(add, panel));
    buttons->addWidget(panelButton(remove, panel));
    buttons->addStretch(1);
    layout->addLayout(buttons);
    m_targetsDock->setWidget(panel);
    m_targets->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_targets->addAction(add);
    m_targets->addAction(remove);
}

AddTargetDialog *MainWindow::showAddTarget()
{
    if (m_session->isRunning()) {
        statusBar()->showMessage(tr("Stop the run before changing the lineup."), 5000);
        return nullptr;
    }
    if (auto *open = findChild<AddTargetDialog *>()) {
        open->raise();
        open->activateWindow();
        return open;
    }
    auto *dialog = new AddTargetDialog(m_workspace, dialogCatalogue(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        if (const Status added = addTarget(dialog->target(), dialog->newProvider()); !added.ok())
            plainMessage(this, QMessageBox::Warning, tr("Cannot add the target"), added.error(), QMessageBox::Ok);
    });
    dialog->open();
    dialog->startDiscovery();
    return dialog;
}

Status MainWindow::addTarget(const TargetConfig &target, const std::optional<ProviderConfig> &provider)
{
    if (m_session->isRunning())
        return Error{tr("Stop the run before changing the lineup.")};
    Workspace next = m_workspace;
    if (provider) {
        if (const Status added = next.addProvider(*provider); !added.ok())
            return added;
    }
    if (const Status added = next.addTarget(target); !added.ok())
        return added;
    m_targetEdits->push(new TargetEditCommand(tr("Add %1").arg(target.label), m_workspace, next,
                                              [this](const Workspace &w) { applyTargets(w); }));
    statusBar()->showMessage(tr("Added %1.").arg(target.label), 5000);
    return {};
}

Status MainWindow::removeTarget(const QString &id)
{
    if (m_session->isRunning())
        return Error{tr("Stop the run before changing the lineup.")};
    Workspace next = m_workspace;
    if (const Status removed = next.removeTarget(id); !removed.ok())
        return removed;
    m_targetEdits->push(new TargetEditCommand(tr("Remove %1").arg(id), m_workspace, next,
                                              [this](const Workspace &w) { applyTargets(w); }));
    return {};
}

void MainWindow::applyTargets(const Workspace &workspace)
{
    // Not setWorkspace(): the last run's quadrant and results stay on screen.
    m_workspace = workspace;
    m_targets->setWorkspace(workspace);
    m_panes->setTargets(workspace.targets);
    m_workspaceStatus->setText(tr("%n target(s)", nullptr, static_cast<int>(workspace.targets.size())));
    updateRunActions();
}

} // namespace Slopscope
