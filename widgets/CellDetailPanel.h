#pragma once

#include "LongTextView.h"
#include "run/CellResult.h"

#include <QWidget>

class QLabel;

namespace Slopscope {

class ChunkSparkline;
class RatingBar;

// The selected matrix cell in full: the answer as plain text, every grade with its reason, the
// chunk-arrival sparkline, the measured figures and the user's own rating (RatingBar). Model output is shown as plain text only.
class CellDetailPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CellDetailPanel)

public:
    explicit CellDetailPanel(QWidget *parent = nullptr);
    ~CellDetailPanel() override;

    // `runs` are a cell's repeats; the last one is shown in full, the others summarised.
    void showCell(const QString &targetLabel, const QString &caseTitle, const QList<CellResult> &runs);
    void clear();

    [[nodiscard]] QString titleText() const;
    [[nodiscard]] QString answerText() const;
    [[nodiscard]] QString gradesText() const;
    [[nodiscard]] QString metricsText() const;
    [[nodiscard]] ChunkSparkline *sparkline() const { return m_sparkline; }
    [[nodiscard]] RatingBar *ratingBar() const { return m_rating; }
    [[nodiscard]] LongTextView *answerView() const { return m_answer; }

private:
    QLabel *m_title = nullptr; // children
    RatingBar *m_rating = nullptr;
    LongTextView *m_answer = nullptr;
    LongTextView *m_grades = nullptr;
    ChunkSparkline *m_sparkline = nullptr;
    QLabel *m_metrics = nullptr;
};

} // namespace Slopscope
