#include "RatedCellDelegate.h"

#include "RatingBook.h"
#include "views/ResultMatrixModel.h"
#include "views/ViewText.h"

#include <QAbstractItemView>
#include <QHelpEvent>
#include <QToolTip>

namespace Slopscope {

namespace {

std::optional<StoredRating> ratingOf(RatingBook *book, const QModelIndex &index)
{
    if (!book || !index.isValid())
        return std::nullopt;
    const QVariant cell = index.data(ResultMatrixModel::CellRole);
    if (!cell.isValid())
        return std::nullopt;
    return book->latest(jobIdOf(cell.value<CellResult>()));
}

} // namespace

RatedCellDelegate::RatedCellDelegate(RatingBook *book, QObject *parent)
    : QStyledItemDelegate(parent)
    , m_book(book)
{
}

RatedCellDelegate::~RatedCellDelegate() = default;

QString RatedCellDelegate::marker(const QModelIndex &index) const
{
    const auto rating = ratingOf(m_book, index);
    return rating ? RatingBook::markerText(*rating) : QString();
}

QString RatedCellDelegate::toolTipLine(const QModelIndex &index) const
{
    const auto rating = ratingOf(m_book, index);
    if (!rating)
        return {};
    return rating->comment.isEmpty()
               ? tr("Rated: %1").arg(RatingBook::verdictText(*rating))
               : tr("Rated: %1 — %2").arg(RatingBook::verdictText(*rating), ViewText::sanitized(rating->comment));
}

void RatedCellDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    if (const QString mark = marker(index); !mark.isEmpty())
        // First, so an elided answer never hides it.
        option->text = tr("%1 %2", "a matrix cell's human rating, then its text").arg(mark, option->text);
}

bool RatedCellDelegate::helpEvent(QHelpEvent *event, QAbstractItemView *view, const QStyleOptionViewItem &option,
                                  const QModelIndex &index)
{
    const QString line = toolTipLine(index);
    if (!event || event->type() != QEvent::ToolTip || line.isEmpty())
        return QStyledItemDelegate::helpEvent(event, view, option, index);
    // The model's tooltip is rich text already; the line joins it escaped.
    const QString base = index.data(Qt::ToolTipRole).toString();
    QToolTip::showText(event->globalPos(), base + ViewText::html(line), view);
    return true;
}

} // namespace Slopscope
