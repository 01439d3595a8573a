#include "MessagesEditor.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace Slopscope {

MessagesEditor::MessagesEditor(const QString &accessibleName, QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_table = new QTableWidget(0, 2, this);
    m_table->setHorizontalHeaderLabels({tr("Role"), tr("Content")});
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->verticalHeader()->setVisible(false);
    m_table->setAccessibleName(accessibleName);
    m_table->setMinimumHeight(90);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    layout->addWidget(m_table);
    setFocusProxy(m_table);

    auto *row = new QHBoxLayout;
    auto *add = new QPushButton(tr("Add message"), this);
    auto *remove = new QPushButton(tr("Remove message"), this);
    connect(add, &QPushButton::clicked, this, [this] {
        m_loading = true;
        const int r = m_table->rowCount();
        m_table->insertRow(r);
        m_table->setItem(r, 0, new QTableWidgetItem(QStringLiteral("user")));
        m_table->setItem(r, 1, new QTableWidgetItem(QString()));
        m_loading = false;
        m_table->setCurrentCell(r, 1);
        m_table->setFocus();
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        if (m_table->currentRow() < 0)
            return;
        m_table->removeRow(m_table->currentRow());
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

MessagesEditor::~MessagesEditor() = default;

void MessagesEditor::setMessages(const QList<ChatMessage> &messages)
{
    m_loading = true;
    m_table->setRowCount(0);
    for (const ChatMessage &m : messages) {
        const int r = m_table->rowCount();
        m_table->insertRow(r);
        m_table->setItem(r, 0, new QTableWidgetItem(m.role));
        m_table->setItem(r, 1, new QTableWidgetItem(m.content));
    }
    m_loading = false;
}

QList<ChatMessage> MessagesEditor::messages(const QList<ChatMessage> &before) const
{
    QList<ChatMessage> out;
    for (int r = 0; r < m_table->rowCount(); ++r) {
        ChatMessage m = r < before.size() ? before.at(r) : ChatMessage{};
        const QTableWidgetItem *role = m_table->item(r, 0);
        const QTableWidgetItem *content = m_table->item(r, 1);
        m.role = role ? role->text().trimmed() : QString();
        m.content = content ? content->text() : QString();
        out.append(std::move(m));
    }
    return out;
}

} // namespace Slopscope
