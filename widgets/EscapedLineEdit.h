#pragma once

#include <QLineEdit>

namespace Slopscope {

// A line edit for names and ids that may hold invisible characters (RELIABILITY.md B-2). A bidi
// override or a zero-width space in the field would reorder or hide what is being edited, so
// they are shown escaped ("\u202E", ViewText::escapeInvisible) and turned back into characters
// by rawText(). One pasted or typed raw is escaped at once; typing "\u202E" enters one.
class EscapedLineEdit final : public QLineEdit
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EscapedLineEdit)

public:
    explicit EscapedLineEdit(QWidget *parent = nullptr);
    ~EscapedLineEdit() override;

    void setRawText(const QString &raw);
    [[nodiscard]] QString rawText() const;

private:
    void escapeTyped();
};

} // namespace Slopscope
