// MainWindow's side of the blind arena: which run it votes on, and where its votes go.
#include "MainWindow.h"

#include "ArenaDialog.h"
#include "ArenaSession.h"
#include "run/RunSession.h"
#include "store/HistoryStore.h"
#include "store/HistoryWriter.h"
#include "store/RecordedRun.h"
#include "store/RunRecorder.h"

#include <QAction>
#include <QMenu>
#include <QStatusBar>

namespace Slopscope {

void MainWindow::createArenaAction(QMenu *menu)
{
    QAction *arena = menu->addAction(tr("Blind &Arena…"), this, [this] { showArena(); });
    arena->setObjectName(QStringLiteral("arenaAction"));
    arena->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A));
    arena->setToolTip(tr("Compare two anonymous answers at a time and rank the targets by your votes "
                         "(Ctrl+Shift+A)"));
}

ArenaDialog *MainWindow::showArena()
{
    QString runId;
    QList<CellResult> cells;
    Suite suite;
    if (m_shownRun) {
        if (const Status complete = completeShownRun(); !complete.ok()) {
            statusBar()->showMessage(complete.error(), 8000);
            return nullptr;
        }
        runId = m_shownRun->record.id;
        cells = m_shownRun->cells;
        suite = m_shownRun->spec.suite;
    } else if (!m_session->isRunning() && !m_session->results().isEmpty()) {
        runId = m_recorder ? m_recorder->runId() : QString();
        cells = m_session->results();
        suite = m_session->spec().suite;
    } else {
        statusBar()->showMessage(m_session->isRunning()
                                     ? tr("The arena opens once the run has ended.")
                                     : tr("No finished run to vote on: run a suite, or open one from File ▸ History."),
                                 8000);
        return nullptr;
    }
    if (m_arena && m_arena->session()->runId() == runId && !runId.isEmpty()) {
        m_arena->raise();
        m_arena->activateWindow();
        return m_arena;
    }
    if (m_arena)
        m_arena->close();
    QList<StoredArenaVote> earlier;
    if (!runId.isEmpty() && !m_historyPath.isEmpty()) {
        // One small read, as RatingBook's, on opening: the votes of an earlier sitting.
        HistoryStore store;
        if (store.open(m_historyPath, HistoryStore::Mode::ReadOnly, StoreOpenOptions{.quickCheck = false})) {
            if (auto stored = store.arenaVotes(runId))
                earlier = stored.value();
        }
    }
    auto *dialog = new ArenaDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    QHash<QString, QString> names;
    for (const TargetConfig &t : std::as_const(m_lineup))
        names.insert(t.id, t.label.isEmpty() ? t.id : t.label);
    dialog->setTargetNames(names);
    dialog->session()->setWriter(runId.isEmpty() ? nullptr : m_historyWriter.get());
    dialog->session()->setRun(runId, cells, suite, earlier);
    if (!dialog->session()->persistent())
        dialog->setWindowTitle(tr("Blind Arena (votes kept until closed: this run is not recorded)"));
    if (!m_historyPath.isEmpty())
        dialog->setHistory(m_historyPath, m_historyWriter.get()); // the picker, on this run
    m_arena = dialog;
    dialog->show();
    return dialog;
}

ArenaDialog *MainWindow::showArenaOnRun(const QString &runId)
{
    if (m_historyPath.isEmpty())
        return nullptr;
    if (m_arena && m_arena->session()->runId() == runId) {
        m_arena->raise();
        m_arena->activateWindow();
        return m_arena;
    }
    auto *dialog = new ArenaDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setHistory(m_historyPath, m_historyWriter.get());
    if (const Status opened = dialog->openRun(runId); !opened.ok()) {
        // The arena on show, if any, stays.
        statusBar()->showMessage(tr("Cannot open the run in the arena: %1").arg(opened.error()), 8000);
        dialog->deleteLater();
        return nullptr;
    }
    if (m_arena)
        m_arena->close();
    m_arena = dialog;
    dialog->show();
    return dialog;
}

} // namespace Slopscope
