#pragma once

#include "core/Result.h"
#include "run/CellResult.h"
#include "run/JudgeHumanAgreement.h"

#include <QWidget>

#include <functional>
#include <optional>

class QCheckBox;
class QComboBox;
class QModelIndex;
class QTableView;

namespace Slopscope {

class CellDetailPanel;
class MatrixFilterProxy;
class RatedCellDelegate;
class RatingBook;
class ResultMatrixModel;

// The results matrix (cases × targets, coloured by score) with a filter bar (failed only, tag,
// canonical / variants) and, beside it, the selected cell in full with the user's rating of it.
// Keys 1–5, P and F rate the selected cell while the matrix or the panel has the focus.
class ResultMatrixView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ResultMatrixView)

public:
    explicit ResultMatrixView(ResultMatrixModel *model, QWidget *parent = nullptr);
    ~ResultMatrixView() override;

    [[nodiscard]] QTableView *table() const { return m_table; }
    [[nodiscard]] MatrixFilterProxy *proxy() const { return m_proxy; }
    [[nodiscard]] CellDetailPanel *detail() const { return m_detail; }
    [[nodiscard]] QCheckBox *failedOnlyBox() const { return m_failedOnly; }
    [[nodiscard]] QComboBox *tagBox() const { return m_tags; }
    [[nodiscard]] QComboBox *wordingBox() const { return m_wording; }
    // The ratings the panel gives and the cells show; MainWindow tells it the run and the writer.
    [[nodiscard]] RatingBook *ratings() const { return m_ratings; }
    [[nodiscard]] RatedCellDelegate *cellDelegate() const { return m_delegate; }
    // Judge–human agreement per target over the answers on screen (the repeat each cell shows).
    [[nodiscard]] QList<TargetAgreement> agreementByTarget() const;

    // Selects the cell of a source-model row and column (if the filter shows it).
    bool selectCell(int sourceRow, int sourceColumn);

    // Where the panel gets the full cell when the model holds a light one (a run of the history
    // loaded with CellLoad::Matrix): called with the shown answer on each selection. Empty: the
    // model's cells are complete.
    using DetailSource = std::function<Result<CellResult>(const CellResult &light)>;
    void setDetailSource(DetailSource source);

Q_SIGNALS:
    // The user picked a cell: its source row and column in the ResultMatrixModel.
    void cellSelected(int sourceRow, int sourceColumn);
    // The detail source could not give the selected cell in full; the panel shows what the
    // matrix has.
    void detailUnreadable(const QString &message);

private:
    void refreshTags();
    void showCurrent();
    void onCurrentChanged(const QModelIndex &current);
    // The job id of the selected cell's shown answer (its last repeat); empty without one.
    [[nodiscard]] QString currentJobId() const;
    void showRating();
    // Judge–human agreement over the run on screen, under the rating row.
    void showAgreement();
    [[nodiscard]] QList<CellResult> shownCells() const;
    // Both agreement figures over the cells on screen, worked out once per change of the ratings
    // or the cells: a rating, a cell selection and every target's summary all read them.
    struct Agreement
    {
        Stats::Agreement overall;
        QList<TargetAgreement> byTarget;
    };
    [[nodiscard]] const Agreement &agreement() const;
    void forgetAgreement() { m_agreement.reset(); }
    void rateCurrent(const QString &kind, int rating, const QString &note);

    ResultMatrixModel *m_model = nullptr; // not owned
    MatrixFilterProxy *m_proxy = nullptr; // children
    QTableView *m_table = nullptr;
    CellDetailPanel *m_detail = nullptr;
    QCheckBox *m_failedOnly = nullptr;
    QComboBox *m_tags = nullptr;
    QComboBox *m_wording = nullptr;
    RatingBook *m_ratings = nullptr;
    RatedCellDelegate *m_delegate = nullptr;
    mutable std::optional<Agreement> m_agreement; // empty: to be worked out again
    DetailSource m_detailSource;
};

} // namespace Slopscope
