#pragma once

#include "core/Result.h"

#include <QPointer>
#include <QStringList>
#include <QWidget>

class QLabel;
class QPushButton;
class QTableView;

namespace Slopscope {

class DriftView;
class RunComparisonModel;

// Recorded runs side by side (RunComparisonModel): a row per target, each run's figures against
// the oldest run's, significant quality changes and reported-model changes marked. Show Drift
// opens the selected target's history across all runs.
class RunComparisonView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunComparisonView)

public:
    explicit RunComparisonView(QString historyPath, QWidget *parent = nullptr);
    ~RunComparisonView() override;

    // Reads the runs' figures (read-only, no full-file check); the reason when it cannot.
    Status compare(const QStringList &runIds);
    // The target of the current row (Show Drift's target); empty when none.
    [[nodiscard]] QString selectedTargetId() const;
    // Opens (or raises) the drift window on `targetId`.
    DriftView *showDrift(const QString &targetId);

    [[nodiscard]] RunComparisonModel *model() const { return m_model; }
    [[nodiscard]] QTableView *view() const { return m_view; }
    [[nodiscard]] QPushButton *driftButton() const { return m_drift; }

private:
    void updateButtons();

    QString m_historyPath;
    RunComparisonModel *m_model = nullptr;
    QTableView *m_view = nullptr;
    QLabel *m_message = nullptr;
    QPushButton *m_drift = nullptr;
    QPointer<DriftView> m_driftView;
};

} // namespace Slopscope
