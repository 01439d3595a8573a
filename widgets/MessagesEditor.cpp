#include "MessagesEditor.h"

#include <QHeaderView>
#include <QTableWidget>

namespace Slopscope {

MessagesEditor::MessagesEditor(const QString &accessibleName, QWidget *parent)
    : RowTableEditor(accessibleName, {{tr("Role"), tr("Content")}, tr("Add message"), tr("Remove message")},
                     Adding::CountsOnceFilledIn, parent)
{
    table()->horizontalHeader()->setStretchLastSection(true);
    table()->setMinimumHeight(90);
}

int MessagesEditor::fillNewRow(int row)
{
    table()->setItem(row, 0, new QTableWidgetItem(QStringLiteral("user")));
    table()->setItem(row, 1, new QTableWidgetItem(QString()));
    return 1;
}

MessagesEditor::~MessagesEditor() = default;

void MessagesEditor::setMessages(const QList<ChatMessage> &messages)
{
    const auto guard = loading();
    table()->setRowCount(0);
    for (const ChatMessage &m : messages) {
        const int r = table()->rowCount();
        table()->insertRow(r);
        table()->setItem(r, 0, new QTableWidgetItem(m.role));
        table()->setItem(r, 1, new QTableWidgetItem(m.content));
    }
}

QList<ChatMessage> MessagesEditor::messages(const QList<ChatMessage> &before) const
{
    QList<ChatMessage> out;
    for (int r = 0; r < table()->rowCount(); ++r) {
        ChatMessage m = r < before.size() ? before.at(r) : ChatMessage{};
        const QTableWidgetItem *role = table()->item(r, 0);
        const QTableWidgetItem *content = table()->item(r, 1);
        m.role = role ? role->text().trimmed() : QString();
        m.content = content ? content->text() : QString();
        out.append(std::move(m));
    }
    return out;
}

} // namespace Slopscope
