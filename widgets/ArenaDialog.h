#pragma once

#include "judge/HumanReview.h"

#include <QDialog>
#include <QFutureWatcher>
#include <QHash>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QShortcut;
class QTableWidget;
class QTabWidget;

namespace Slopscope {

class ArenaSession;

// The blind arena: a case's prompt on top, two anonymised answers to it side by side ("Answer A",
// "Answer B": no target names, sides drawn by the session's seeded pairs), and a vote between
// them by button or key (← or 1: A, ↓, T or 2: tie, → or 3: B, S: skip, Ctrl+Z: undo). The
// Ranking tab shows the Bradley–Terry ranking of the votes so far, with 95% intervals: the only
// place target names appear. Answers are untrusted model output, shown as plain text only.
class ArenaDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ArenaDialog)

public:
    explicit ArenaDialog(QWidget *parent = nullptr);
    ~ArenaDialog() override;

    // The session the dialog shows (a child): give it a run with ArenaSession::setRun.
    [[nodiscard]] ArenaSession *session() const { return m_session; }
    // How the ranking names targets (their labels); a target without one shows its id.
    void setTargetNames(const QHash<QString, QString> &names);

    // The voting side, for tests: nothing in it may name a target.
    [[nodiscard]] QWidget *votingPanel() const { return m_votePage; }
    [[nodiscard]] QTableWidget *rankingTable() const { return m_ranking; }
    [[nodiscard]] QTabWidget *tabs() const { return m_tabs; }
    // The ranking the table shows: computed off the GUI thread, so it may lag the votes a moment.
    [[nodiscard]] const ArenaRanking &shownRanking() const { return m_shownRanking; }
    [[nodiscard]] bool rankingPending() const;

private:
    QWidget *createVotePage();
    QWidget *createRankingPage();
    QShortcut *addShortcut(const QKeySequence &key, void (ArenaDialog::*slot)());
    void voteLeft();
    void voteTie();
    void voteRight();
    void afterVote();
    void skip();
    void undo();
    void refresh();
    // Recomputes the ranking in the background when the Ranking tab is shown and the votes changed.
    void updateRanking();
    void showRanking(const ArenaRanking &ranking);

    ArenaSession *m_session = nullptr; // child
    QHash<QString, QString> m_names;
    QTabWidget *m_tabs = nullptr;
    QWidget *m_votePage = nullptr;
    QLabel *m_progress = nullptr;
    QPlainTextEdit *m_prompt = nullptr;
    QPlainTextEdit *m_left = nullptr;
    QPlainTextEdit *m_right = nullptr;
    QLineEdit *m_note = nullptr;
    QPushButton *m_leftButton = nullptr;
    QPushButton *m_tieButton = nullptr;
    QPushButton *m_rightButton = nullptr;
    QPushButton *m_skipButton = nullptr;
    QPushButton *m_undoButton = nullptr;
    QLabel *m_rankingSummary = nullptr;
    QTableWidget *m_ranking = nullptr;
    QList<QShortcut *> m_voteKeys;                            // only while the voting tab is shown
    QFutureWatcher<ArenaRanking> *m_rankingWatcher = nullptr; // child
    ArenaRanking m_shownRanking;
    bool m_rankingDirty = true; // votes changed since the ranking on show was computed
    // From starting a ranking until its result is shown. Not the watcher's isRunning(): that turns
    // false on the worker thread, before the result reaches this thread's event loop.
    bool m_rankingRunning = false;
};

} // namespace Slopscope
