#pragma once

#include <QDialog>
#include <QPointer>
#include <QString>
#include <QStringList>

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace Slopscope {

class DriftView;
class RunComparisonView;
class RunListModel;

// The runs of one history file: filter, open, export as a file to share, delete, compare two or
// more side by side, follow one target's drift across runs. Reads through
// its own read-only connection, so a run being recorded meanwhile is not disturbed; opening a run
// is the main window's job (openRequested), from the database alone.
class HistoryBrowser final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HistoryBrowser)

public:
    explicit HistoryBrowser(QString historyPath, QWidget *parent = nullptr);
    ~HistoryBrowser() override;

    // Reads the run list again; false (with the reason shown in the dialog) when it cannot.
    bool reload();
    void setFilterText(const QString &text);
    // Which runs the list shows by kind, as the box beside the filter chooses.
    enum class KindFilter { All, SuiteRuns, QuickCompares };
    void setKindFilter(KindFilter filter);
    [[nodiscard]] QComboBox *kindFilterBox() const { return m_kindFilter; }
    // The current run of the selection (the first selected one); empty when none.
    [[nodiscard]] QString selectedRunId() const;
    // Every selected run, in table order.
    [[nodiscard]] QStringList selectedRunIds() const;
    void selectRun(const QString &runId);
    [[nodiscard]] RunListModel *model() const { return m_model; }
    [[nodiscard]] QSortFilterProxyModel *proxy() const { return m_proxy; }
    [[nodiscard]] QTableView *view() const { return m_view; }

    // Acting on the selected run; each returns false and says why when it cannot.
    bool exportSelected(const QString &file);
    bool deleteSelected();
    // The selected runs a comparison takes: the suite runs, not quick-compare exchanges.
    [[nodiscard]] QStringList comparableRunIds() const;
    // Opens a comparison window on the selected suite runs (two or more); null when fewer are selected.
    RunComparisonView *compareSelected();
    // Opens the drift window on the selected run's first target (any target when none).
    DriftView *showDrift();
    [[nodiscard]] QPushButton *compareButton() const { return m_compare; }
    [[nodiscard]] QPushButton *driftButton() const { return m_drift; }

    // The run list's context menu: Open in Arena, on one suite run of two or more targets.
    [[nodiscard]] QAction *arenaAction() const { return m_arena; }

signals:
    void openRequested(const QString &runId);
    // Open in Arena on the selected run: the main window opens the blind arena over it.
    void arenaRequested(const QString &runId);

private:
    void openSelected();
    void askToExport();
    void askToDelete();
    void updateButtons();

    QString m_historyPath;
    RunListModel *m_model = nullptr;
    QSortFilterProxyModel *m_kindProxy = nullptr; // the kind filter, between the model and m_proxy
    QSortFilterProxyModel *m_proxy = nullptr;
    QLineEdit *m_filter = nullptr;
    QComboBox *m_kindFilter = nullptr;
    QTableView *m_view = nullptr;
    QLabel *m_message = nullptr;
    QPushButton *m_open = nullptr;
    QPushButton *m_export = nullptr;
    QPushButton *m_delete = nullptr;
    QPushButton *m_compare = nullptr;
    QPushButton *m_drift = nullptr;
    QAction *m_arena = nullptr;
    QPointer<DriftView> m_driftView;
};

} // namespace Slopscope
