#pragma once

#include "LongTextView.h"
#include "quality/Disagreement.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QScrollArea;
class QHBoxLayout;
class QTableView;
template <typename T> class QFutureWatcher;

namespace Slopscope {

class DisagreementModel;
class ResultMatrixModel;

// Every target's answer to one case side by side, with the numbers, dates and names they disagree
// on highlighted and those they agree on lightly underlined; a table above lists the disputed
// facts and scrolls every column to the one picked. Answers are plain text with QTextCharFormat
// marks; model output is never interpreted as markup. Long answers are compared on a worker
// thread (S-9); the texts show at once, the marks and the table follow.
class NWayDiffView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NWayDiffView)

public:
    // Beyond this many targets the columns keep their width and the strip scrolls sideways.
    static constexpr int kMaxVisibleColumns = 12;
    // Answers longer than this in all are compared on a worker thread.
    static constexpr qsizetype kSyncCompareChars = 64 * 1024;

    explicit NWayDiffView(ResultMatrixModel *model, QWidget *parent = nullptr);
    ~NWayDiffView() override;

    // Picks a case row of the model.
    void showCase(int sourceRow);
    // Scrolls every column that states the fact of the table's `row` to it, and selects it there.
    void revealFact(int row);

    [[nodiscard]] QComboBox *caseBox() const { return m_cases; }
    [[nodiscard]] QTableView *factTable() const { return m_table; }
    [[nodiscard]] DisagreementModel *factModel() const { return m_factModel; }
    [[nodiscard]] QScrollArea *columnArea() const { return m_scroll; }
    // One per target, in the model's column order.
    [[nodiscard]] QList<QPlainTextEdit *> columns() const;
    [[nodiscard]] const Disagreement::Result &lastResult() const { return m_result; }
    // The text under each disputed (highlighted) and agreed (underlined) mark of a column.
    [[nodiscard]] QStringList highlightedIn(int column) const;
    [[nodiscard]] QStringList underlinedIn(int column) const;
    [[nodiscard]] QString summaryText() const;
    // The facts of the answers now shown are still being compared.
    [[nodiscard]] bool isComparing() const { return m_resultGeneration != m_generation; }

signals:
    // The table and the marks match the answers now shown.
    void factsReady();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    struct Column
    {
        QString targetId;
        QWidget *box = nullptr; // holds the title and the text
        QLabel *title = nullptr;
        LongTextView *edit = nullptr;
    };

    void scheduleRefresh();
    void refreshChoices();
    void refreshFacts();
    bool deferWhileHidden();
    void rebuildColumns();
    void sizeColumns();
    void markColumn(const Column &column);
    void startCompare();
    void onCompareFinished();
    void applyResult(const Disagreement::Result &result);
    [[nodiscard]] int currentRow() const; // of the model, from the case box

    ResultMatrixModel *m_model = nullptr;     // not owned
    DisagreementModel *m_factModel = nullptr; // child
    QComboBox *m_cases = nullptr;
    QLabel *m_summary = nullptr;
    QTableView *m_table = nullptr;
    QScrollArea *m_scroll = nullptr;
    QWidget *m_strip = nullptr;
    QHBoxLayout *m_stripLayout = nullptr;
    QList<Column> m_columns;
    Disagreement::Result m_result;
    // As DiffView: a result for answers no longer shown is dropped, one comparison runs at a time.
    QFutureWatcher<Disagreement::Result> *m_watcher = nullptr; // child
    QList<Disagreement::Answer> m_answers;                     // as shown
    QHash<QString, QString> m_labels;
    int m_row = -1;
    quint64 m_generation = 0;
    quint64 m_resultGeneration = 0;
    quint64 m_runningGeneration = 0;
    bool m_refreshScheduled = false;
    bool m_stale = false; // facts not compared while hidden; done when shown
};

} // namespace Slopscope
