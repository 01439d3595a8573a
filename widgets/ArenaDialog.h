#pragma once

#include "core/Result.h"
#include "judge/HumanReview.h"

#include <QDialog>
#include <QFutureWatcher>
#include <QHash>
#include <QPointer>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QShortcut;
class QTableWidget;
class QTabWidget;

namespace Slopscope {

class ArenaRunModel;
class ArenaSession;
class HistoryWriter;

// The blind arena: a case's prompt on top, two anonymised answers to it side by side ("Answer A",
// "Answer B": no target names, sides drawn by the session's seeded pairs), and a vote between
// them by button or key (← or 1: A, ↓, T or 2: tie, → or 3: B, S: skip, Ctrl+Z: undo). The
// Ranking tab shows the Bradley–Terry ranking of the votes so far, with 95% intervals: the only
// place target names appear. Answers are untrusted model output, shown as plain text only. With a
// history, a picker above the tabs switches to any recorded suite run of two or more targets.
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

    // The history the run picker lists runs from and votes go to (through `writer`, null for a
    // history that is not being written); shows the picker with the current run selected.
    void setHistory(const QString &historyPath, HistoryWriter *writer);
    // Votes on the recorded run `runId` from now on: its answers, its targets' names and the votes
    // an earlier sitting gave it, read from the database alone. Says why it cannot.
    Status openRun(const QString &runId);
    [[nodiscard]] QComboBox *runPicker() const { return m_runPicker; }
    [[nodiscard]] ArenaRunModel *runModel() const { return m_runModel; }

    // The voting side, for tests: nothing in it may name a target.
    [[nodiscard]] QWidget *votingPanel() const { return m_votePage; }
    [[nodiscard]] QTableWidget *rankingTable() const { return m_ranking; }
    [[nodiscard]] QTabWidget *tabs() const { return m_tabs; }
    // The ranking the table shows: computed off the GUI thread, so it may lag the votes a moment.
    [[nodiscard]] const ArenaRanking &shownRanking() const { return m_shownRanking; }
    [[nodiscard]] bool rankingPending() const;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

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

    QWidget *createRunPicker();
    void updateTitle();

    ArenaSession *m_session = nullptr; // child
    QString m_historyPath;
    QPointer<HistoryWriter> m_writer;
    ArenaRunModel *m_runModel = nullptr; // child
    QWidget *m_runRow = nullptr;         // hidden without a history
    QComboBox *m_runPicker = nullptr;
    QLabel *m_runMessage = nullptr;
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
