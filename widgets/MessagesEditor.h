#pragma once

#include "RowTableEditor.h"
#include "core/ChatMessage.h"

namespace Slopscope {

// Chat messages as a Role/Content table with Add and Remove under it: a case or a variant
// written as a conversation rather than one prompt.
class MessagesEditor final : public RowTableEditor
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

private:
    int fillNewRow(int row) override;
};

} // namespace Slopscope
