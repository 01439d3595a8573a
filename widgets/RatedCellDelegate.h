#pragma once

#include <QPointer>
#include <QStyledItemDelegate>

namespace Slopscope {

class RatingBook;

// Draws the results matrix's cells with a marker for a human rating ("[★4]" before the text) and adds
// "Rated: … — note" to their tooltips, the note escaped (it is the user's text, shown as rich text).
class RatedCellDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RatedCellDelegate)

public:
    RatedCellDelegate(RatingBook *book, QObject *parent = nullptr);
    ~RatedCellDelegate() override;

    // The marker and tooltip line of a matrix index (any model over ResultMatrixModel); empty
    // when the cell is not rated.
    [[nodiscard]] QString marker(const QModelIndex &index) const;
    [[nodiscard]] QString toolTipLine(const QModelIndex &index) const;

    bool helpEvent(QHelpEvent *event, QAbstractItemView *view, const QStyleOptionViewItem &option,
                   const QModelIndex &index) override;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;

private:
    QPointer<RatingBook> m_book;
};

} // namespace Slopscope
