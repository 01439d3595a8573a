#pragma once

#include <QDialog>
#include <QString>

class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace Slopscope {

class RunListModel;

// The runs of one history file: filter, open, export as a file to share, delete. Reads through
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
    [[nodiscard]] QString selectedRunId() const;
    void selectRun(const QString &runId);
    [[nodiscard]] RunListModel *model() const { return m_model; }
    [[nodiscard]] QSortFilterProxyModel *proxy() const { return m_proxy; }
    [[nodiscard]] QTableView *view() const { return m_view; }

    // Acting on the selected run; each returns false and says why when it cannot.
    bool exportSelected(const QString &file);
    bool deleteSelected();

signals:
    void openRequested(const QString &runId);

private:
    void openSelected();
    void askToExport();
    void askToDelete();
    void updateButtons();

    QString m_historyPath;
    RunListModel *m_model = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    QLineEdit *m_filter = nullptr;
    QTableView *m_view = nullptr;
    QLabel *m_message = nullptr;
    QPushButton *m_open = nullptr;
    QPushButton *m_export = nullptr;
    QPushButton *m_delete = nullptr;
};

} // namespace Slopscope
