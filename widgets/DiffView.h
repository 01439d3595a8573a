#pragma once

#include "LongTextView.h"
#include "SideBySideDiff.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QPlainTextEdit;
template <typename T> class QFutureWatcher;

namespace Slopscope {

class ResultMatrixModel;

// Two answers to one case side by side (or an answer and the case's reference), with the words
// only one side has highlighted and the two panes scrolling together. Text is plain text with
// QTextCharFormat highlights; model output is never interpreted as markup. Long pairs are diffed
// on a worker thread (a 1 MB answer took ~150 ms); the texts show at once, the marks follow.
class DiffView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DiffView)

public:
    explicit DiffView(ResultMatrixModel *model, QWidget *parent = nullptr);
    ~DiffView() override;

    // Picks a case row of the model and the two sides: a target id, or an empty string for the
    // case's reference answer.
    void compare(int sourceRow, const QString &leftTargetId, const QString &rightTargetId);
    // Shows two arbitrary texts (e.g. a quick-compare exchange).
    // Below kSyncDiffChars (both texts together) the diff runs at once; above, on a worker thread,
    // with "Comparing…" in the summary until diffReady().
    void setTexts(const QString &leftTitle, const QString &left, const QString &rightTitle, const QString &right);

    static constexpr qsizetype kSyncDiffChars = 32 * 1024;

    [[nodiscard]] QPlainTextEdit *leftEdit() const { return m_left; }
    [[nodiscard]] QPlainTextEdit *rightEdit() const { return m_right; }
    [[nodiscard]] QComboBox *caseBox() const { return m_cases; }
    [[nodiscard]] QComboBox *leftBox() const { return m_leftBox; }
    [[nodiscard]] QComboBox *rightBox() const { return m_rightBox; }
    [[nodiscard]] const SideBySideDiff::Result &lastDiff() const { return m_diff; }
    // The highlighted text of each side, one entry per highlight (for tests and screen readers).
    [[nodiscard]] QStringList highlightedLeft() const;
    [[nodiscard]] QStringList highlightedRight() const;
    [[nodiscard]] QString summaryText() const;
    // A diff of the texts shown is still being computed.
    [[nodiscard]] bool isComparing() const { return m_diffGeneration != m_generation; }

signals:
    // The marks of the texts now shown are in place (also after a diff run at once).
    void diffReady();

private:
    void refreshChoices();
    void refreshDiff();
    [[nodiscard]] int currentRow() const; // of the model, from the case box
    [[nodiscard]] QString sideText(const QComboBox *box, int sourceRow, QString *title) const;
    void syncScroll(QPlainTextEdit *from, QPlainTextEdit *to);
    void startDiff();
    void onDiffFinished();
    void applyDiff(const SideBySideDiff::Result &diff);

    ResultMatrixModel *m_model = nullptr; // not owned
    QComboBox *m_cases = nullptr;         // children
    QComboBox *m_leftBox = nullptr;
    QComboBox *m_rightBox = nullptr;
    QLabel *m_leftTitle = nullptr;
    QLabel *m_rightTitle = nullptr;
    QLabel *m_summary = nullptr;
    LongTextView *m_left = nullptr;
    LongTextView *m_right = nullptr;
    SideBySideDiff::Result m_diff;
    // Each setTexts() is a new generation; a worker's result for an older one is dropped. At most
    // one diff runs: the texts that arrive meanwhile are diffed when it ends (only the latest).
    QFutureWatcher<SideBySideDiff::Result> *m_watcher = nullptr; // child
    QString m_shownLeft;
    QString m_shownRight;
    quint64 m_generation = 0;
    quint64 m_diffGeneration = 0;    // whose marks are shown
    quint64 m_runningGeneration = 0; // what the worker diffs
    bool m_syncing = false;
    bool m_refreshScheduled = false;
};

} // namespace Slopscope
