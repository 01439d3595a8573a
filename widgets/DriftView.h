#pragma once

#include "store/StoreTypes.h"

#include <QDate>
#include <QString>
#include <QStringList>
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
// model marked, and the numbers in a table below. Reads on the thread pool through its own
// read-only connection, without the full-file check, so a long history neither freezes the window
// nor disturbs a run being recorded.
class DriftView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DriftView)

public:
    explicit DriftView(QString historyPath, QWidget *parent = nullptr);
    ~DriftView() override;

    // What one read finds: the targets in the history and the runs of one of them.
    struct Read
    {
        QStringList targets; // sorted
        QString target;      // the one asked for if the history has it, else the first
        QList<TargetRunStats> points;
        QString error; // empty when the read went well
        quint64 generation = 0;
    };
    // The read itself; any thread (it opens its own connection).
    static Read read(const QString &historyPath, const QString &target, const QDateTime &from, const QDateTime &to);

    // Reads the targets and the current target's runs again, on the pool; loaded() follows.
    void reload();
    // Shows this target (the first target when the history has no such one); loaded() follows.
    void setTarget(const QString &targetId);
    [[nodiscard]] QString target() const;
    // Only runs started on `from` up to `to` (both included); invalid dates remove the limit.
    void setDateRange(const QDate &from, const QDate &to);
    [[nodiscard]] bool isReading() const { return m_reading; }

    [[nodiscard]] DriftModel *model() const { return m_model; }
    [[nodiscard]] DriftChart *qualityChart() const { return m_quality; }
    [[nodiscard]] DriftChart *metricChart() const { return m_metric; }
    [[nodiscard]] QComboBox *targetBox() const { return m_target; }
    [[nodiscard]] QTableView *table() const { return m_table; }

signals:
    // The latest read is shown (ok) or its failure is (not ok).
    void loaded(bool ok);

private:
    void startRead();
    void apply(const Read &result);

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
    QString m_wanted; // the target the running read was asked for
    quint64 m_generation = 0;
    bool m_reading = false;
};

} // namespace Slopscope
