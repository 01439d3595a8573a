#pragma once

#include <QDate>
#include <QString>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QDateEdit;
class QLabel;
class QTableView;

namespace Slopscope {

class DriftChart;
class DriftModel;

// One target across the recorded runs: quality with its 95% interval and a second figure (TTFT,
// decode speed or cost per case) against the run date, runs where the provider reported another
// model marked, and the numbers in a table below. Reads through its own read-only connection,
// without the full-file check, so it opens at once and disturbs no run being recorded.
class DriftView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DriftView)

public:
    explicit DriftView(QString historyPath, QWidget *parent = nullptr);
    ~DriftView() override;

    // Reads the targets found in the history and the current target's runs again; false (with
    // the reason shown) when the history cannot be read.
    bool reload();
    // Picks a target of the list (no change when the history has no such target).
    void setTarget(const QString &targetId);
    [[nodiscard]] QString target() const;
    // Only runs started on `from` up to `to` (both included); invalid dates remove the limit.
    void setDateRange(const QDate &from, const QDate &to);

    [[nodiscard]] DriftModel *model() const { return m_model; }
    [[nodiscard]] DriftChart *qualityChart() const { return m_quality; }
    [[nodiscard]] DriftChart *metricChart() const { return m_metric; }
    [[nodiscard]] QComboBox *targetBox() const { return m_target; }
    [[nodiscard]] QTableView *table() const { return m_table; }

private:
    bool loadDrift();

    QString m_historyPath;
    DriftModel *m_model = nullptr;
    QComboBox *m_target = nullptr;
    QComboBox *m_metricBox = nullptr;
    QCheckBox *m_limitDates = nullptr;
    QDateEdit *m_from = nullptr;
    QDateEdit *m_to = nullptr;
    DriftChart *m_quality = nullptr;
    DriftChart *m_metric = nullptr;
    QTableView *m_table = nullptr;
    QLabel *m_message = nullptr;
};

} // namespace Slopscope
