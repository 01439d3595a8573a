#include "EscapedLineEdit.h"

#include "views/ViewText.h"

namespace Slopscope {

EscapedLineEdit::EscapedLineEdit(QWidget *parent)
    : QLineEdit(parent)
{
    // Escapes keep the text free of bidi controls; the field reads left to right like its escapes.
    setLayoutDirection(Qt::LeftToRight);
    setToolTip(tr("Invisible and direction-changing characters are shown as \\u followed by their code "
                  "(\\u202E); type one that way to enter it, and \\\\ for a backslash before a \"u\"."));
    connect(this, &QLineEdit::textEdited, this, [this] { escapeTyped(); });
}

EscapedLineEdit::~EscapedLineEdit() = default;

void EscapedLineEdit::setRawText(const QString &raw)
{
    setText(ViewText::escapeInvisible(raw));
}

QString EscapedLineEdit::rawText() const
{
    return ViewText::unescapeInvisible(text());
}

void EscapedLineEdit::escapeTyped()
{
    const QString shown = text();
    if (ViewText::visibleName(shown) == shown)
        return; // no raw invisible character: the text stays as typed
    // Rewritten in the canonical escaped form, which means the same characters.
    const QString before = ViewText::escapeInvisible(ViewText::unescapeInvisible(shown.left(cursorPosition())));
    setText(ViewText::escapeInvisible(ViewText::unescapeInvisible(shown)));
    setCursorPosition(int(before.size()));
}

} // namespace Slopscope
