#pragma once

#include "core/ChatMessage.h"

#include <QWidget>

class QTableWidget;

namespace Slopscope {

// Chat messages as a Role/Content table with Add and Remove under it: a case or a variant
// written as a conversation rather than one prompt.
class MessagesEditor final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MessagesEditor)

public:
    MessagesEditor(const QString &accessibleName, QWidget *parent = nullptr);
    ~MessagesEditor() override;

    void setMessages(const QList<ChatMessage> &messages);
    // Only role and content are shown: what else a message carries (tool calls) is kept from
    // `before`, row by row.
    [[nodiscard]] QList<ChatMessage> messages(const QList<ChatMessage> &before = {}) const;
    [[nodiscard]] QTableWidget *table() const { return m_table; }

signals:
    // A row removed or a cell changed (an added row counts once it is filled in).
    void edited();

private:
    QTableWidget *m_table = nullptr;
    bool m_loading = false;
};

} // namespace Slopscope
