#include "TargetListWidget.h"

#include <QHeaderView>
#include <QLocale>
#include <QPainter>
#include <QPixmap>
#include <QSet>

namespace Slopscope {

namespace {

QIcon swatch(const QColor &color)
{
    QPixmap pixmap(14, 14);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setBrush(color);
    painter.setPen(color.darker(140));
    painter.drawEllipse(1, 1, 12, 12);
    return QIcon(pixmap);
}

QString priceText(const Price &price)
{
    if (!price.inputPerMTok || !price.outputPerMTok)
        return TargetListWidget::tr("price unknown");
    const QLocale locale;
    return TargetListWidget::tr("$%1 / $%2 per Mtok")
        .arg(locale.toString(*price.inputPerMTok, 'f', 2), locale.toString(*price.outputPerMTok, 'f', 2));
}

} // namespace

TargetListWidget::TargetListWidget(QWidget *parent)
    : QTreeWidget(parent)
{
    setColumnCount(ColumnCount);
    setHeaderLabels({tr("Target"), tr("Provider"), tr("Model"), tr("Price (in / out)")});
    setRootIsDecorated(false);
    setUniformRowHeights(true);
    setAlternatingRowColors(true);
    // Every column sized to its contents; the dock scrolls sideways when narrow, so the target
    // names (the column people read first) are never squeezed away.
    header()->setStretchLastSection(true);
    for (int c = LabelColumn; c < ColumnCount - 1; ++c)
        header()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
}

void TargetListWidget::setWorkspace(const Workspace &workspace)
{
    // A target the user unchecked stays unchecked when the lineup changes around it.
    QSet<QString> unchecked;
    for (int i = 0; i < topLevelItemCount(); ++i) {
        const auto *item = topLevelItem(i);
        if (item->checkState(LabelColumn) != Qt::Checked)
            unchecked.insert(item->data(LabelColumn, Qt::UserRole).toString());
    }
    clear();
    for (const auto &target : workspace.targets) {
        auto *item = new QTreeWidgetItem(this);
        item->setData(LabelColumn, Qt::UserRole, target.id);
        item->setText(LabelColumn, target.label);
        item->setToolTip(LabelColumn, target.id);
        item->setIcon(LabelColumn, swatch(QColor(target.color)));
        item->setCheckState(LabelColumn, unchecked.contains(target.id) ? Qt::Unchecked : Qt::Checked);
        item->setText(ProviderColumn, target.providerId);
        item->setText(ModelColumn, target.model);
        item->setText(PriceColumn, priceText(target.price));
    }
}

QStringList TargetListWidget::checkedTargetIds() const
{
    QStringList ids;
    for (int i = 0; i < topLevelItemCount(); ++i) {
        const auto *item = topLevelItem(i);
        if (item->checkState(LabelColumn) == Qt::Checked)
            ids.append(item->data(LabelColumn, Qt::UserRole).toString());
    }
    return ids;
}

} // namespace Slopscope
