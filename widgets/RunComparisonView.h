#pragma once

#include "core/Result.h"
#include "store/StoreTypes.h"
#include "views/RunComparisonModel.h"

#include <QPointer>
#include <QStringList>
#include <QWidget>

class QLabel;
class QPushButton;
class QTableView;

namespace Slopscope {

class DriftView;
class LeaderboardSortProxy;

// Recorded runs side by side (RunComparisonModel): a row per target, each run's figures against
// the oldest run's, significant quality changes and reported-model changes marked. Show Drift
// opens the selected target's history across all runs. Reads on the thread pool through its own
// read-only connection, so a long history does not freeze the window.
class RunComparisonView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunComparisonView)

public:
    explicit RunComparisonView(QString historyPath, QWidget *parent = nullptr);
    ~RunComparisonView() override;

    // The figures of `runIds`, quick-compare exchanges left out (an error when fewer than two
    // runs remain); any thread (it opens its own connection, read-only, without the
    // full-file check).
    static Result<QList<RunComparisonModel::Run>> read(const QString &historyPath, const QStringList &runIds);
    // Whether `run` belongs in a comparison: suite runs do, quick-compare exchanges do not.
    [[nodiscard]] static bool isComparable(const RunRecord &run);
    // Reads the runs on the pool and shows them; compared() follows.
    void compare(const QStringList &runIds);
    [[nodiscard]] bool isReading() const { return m_reading; }
    // The target of the current row (Show Drift's target); empty when none.
    [[nodiscard]] QString selectedTargetId() const;
    // Opens (or raises) the drift window on `targetId`.
    DriftView *showDrift(const QString &targetId);

    [[nodiscard]] RunComparisonModel *model() const { return m_model; }
    [[nodiscard]] QTableView *view() const { return m_view; }
    [[nodiscard]] QPushButton *driftButton() const { return m_drift; }

signals:
    // The latest comparison asked for is shown (ok), or why it cannot be (not ok).
    void compared(bool ok);

private:
    void apply(const Result<QList<RunComparisonModel::Run>> &runs);
    void updateButtons();

    QString m_historyPath;
    RunComparisonModel *m_model = nullptr;
    LeaderboardSortProxy *m_proxy = nullptr;
    QTableView *m_view = nullptr;
    QLabel *m_message = nullptr;
    QPushButton *m_drift = nullptr;
    QPointer<DriftView> m_driftView;
    quint64 m_generation = 0;
    bool m_reading = false;
};

} // namespace Slopscope
