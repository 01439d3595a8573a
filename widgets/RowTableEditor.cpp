#include "RowTableEditor.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace Slopscope {

RowTableEditor::RowTableEditor(const QString &accessibleName, const Texts &texts, Adding adding, QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_table = new QTableWidget(0, int(texts.headers.size()), this);
    m_table->setHorizontalHeaderLabels(texts.headers);
    m_table->verticalHeader()->setVisible(false);
    m_table->setAccessibleName(accessibleName);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    layout->addWidget(m_table);
    setFocusProxy(m_table);

    auto *row = new QHBoxLayout;
    auto *add = new QPushButton(texts.add, this);
    auto *remove = new QPushButton(texts.remove, this);
    connect(add, &QPushButton::clicked, this, [this, adding] {
        const int r = m_table->rowCount();
        int firstColumn = 0;
        {
            const auto guard = loading();
            m_table->insertRow(r);
            firstColumn = fillNewRow(r);
        }
        if (adding == Adding::IsAnEdit)
            emit edited();
        m_table->setCurrentCell(r, firstColumn);
        m_table->setFocus();
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        const int r = m_table->currentRow();
        if (r < 0)
            return;
        m_table->removeRow(r);
        emit edited();
    });
    connect(m_table, &QTableWidget::itemChanged, this, [this] {
        if (!m_loading)
            emit edited();
    });
    row->addWidget(add);
    row->addWidget(remove);
    row->addStretch(1);
    layout->addLayout(row);
}

RowTableEditor::~RowTableEditor() = default;

void RowTableEditor::cellWidgetEdited()
{
    if (!m_loading)
        emit edited();
}

} // namespace Slopscope
