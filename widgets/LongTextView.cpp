#include "LongTextView.h"

#include <QMimeData>
#include <QStringView>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>

#include <algorithm>

namespace Slopscope {

LongTextView::LongTextView(QWidget *parent)
    : QPlainTextEdit(parent)
{
    setReadOnly(true);
    // Nothing to undo in a read-only view, and the undo stack would hold every append.
    setUndoRedoEnabled(false);
}

void LongTextView::setText(const QString &text)
{
    clear();
    m_textChars = 0;
    m_hardBreaks.clear();
    appendText(text);
}

void LongTextView::appendText(const QString &text)
{
    if (text.isEmpty())
        return;
    QTextDocument *doc = document();
    if (doc->isEmpty()) { // clear() from outside resets what we know
        m_textChars = 0;
        m_hardBreaks.clear();
    }
    QTextCursor cursor(doc);
    cursor.movePosition(QTextCursor::End);
    // One edit block: the document is laid out once for the whole append, not once per piece.
    cursor.beginEditBlock();
    qsizetype blockChars = cursor.block().length() - 1;
    const auto newBlock = [&](BlockStart start) {
        cursor.insertBlock();
        cursor.block().setUserState(start);
        blockChars = 0;
    };
    const QStringView all(text);
    qsizetype lineStart = 0;
    while (lineStart <= all.size()) {
        const qsizetype newline = all.indexOf(u'\n', lineStart);
        const QStringView line = all.mid(lineStart, (newline < 0 ? all.size() : newline) - lineStart);
        qsizetype pos = 0;
        while (pos < line.size()) {
            const qsizetype rest = line.size() - pos;
            if (blockChars + rest <= kSoftBlockChars) {
                cursor.insertText(line.mid(pos).toString());
                blockChars += rest;
                break;
            }
            // Past the soft limit, the first space ends the block (it becomes the break); within
            // the hard limit's reach only, so the search is bounded too.
            const qsizetype softAt = pos + std::max<qsizetype>(0, kSoftBlockChars - blockChars);
            const qsizetype hardAt = pos + std::max<qsizetype>(0, kHardBlockChars - blockChars);
            const qsizetype space = softAt < line.size()
                                        ? line.mid(softAt, std::min(hardAt, line.size()) - softAt).indexOf(u' ')
                                        : -1;
            if (space >= 0) {
                cursor.insertText(line.mid(pos, softAt + space - pos).toString());
                newBlock(BrokeAtSpace);
                pos = softAt + space + 1;
                continue;
            }
            if (hardAt >= line.size()) {
                cursor.insertText(line.mid(pos).toString());
                blockChars += rest;
                break;
            }
            // Never split a surrogate pair: cut before it, or, when an append ended between its
            // halves at the limit, after it.
            qsizetype cut = hardAt;
            if (cut > pos && line.at(cut - 1).isHighSurrogate() && line.at(cut).isLowSurrogate())
                --cut;
            if (cut == pos && line.at(pos).isLowSurrogate())
                ++cut;
            cursor.insertText(line.mid(pos, cut - pos).toString());
            m_hardBreaks.append(m_textChars + lineStart + cut);
            newBlock(BrokeHard);
            pos = cut;
        }
        if (newline < 0)
            break;
        newBlock(TextBreak);
        lineStart = newline + 1;
    }
    cursor.endEditBlock();
    m_textChars += text.size();
}

QString LongTextView::text() const
{
    return textBetween(0, document()->characterCount() - 1);
}

int LongTextView::displayPosition(qsizetype textPos) const
{
    const auto before = std::upper_bound(m_hardBreaks.cbegin(), m_hardBreaks.cend(), textPos) - m_hardBreaks.cbegin();
    return static_cast<int>(textPos + before);
}

QString LongTextView::textBetween(int from, int to) const
{
    QString out;
    if (to <= from)
        return out;
    const QTextDocument *doc = document();
    // A block's separator is the character before it: in [from, to) when from < position <= to.
    for (QTextBlock block = doc->findBlock(from); block.isValid() && block.position() <= to; block = block.next()) {
        if (block.position() > from) {
            // The text's newline, the space the display broke at, or nothing (a hard break).
            switch (block.userState()) {
            case BrokeAtSpace:
                out += u' ';
                break;
            case BrokeHard:
                break;
            default:
                out += u'\n';
                break;
            }
        }
        const int start = std::max(from, block.position()) - block.position();
        const int end = std::min(to, block.position() + block.length() - 1) - block.position();
        if (end > start)
            out += QStringView(block.text()).mid(start, end - start);
    }
    return out;
}

QMimeData *LongTextView::createMimeDataFromSelection() const
{
    const QTextCursor cursor = textCursor();
    if (!cursor.hasSelection())
        return QPlainTextEdit::createMimeDataFromSelection();
    auto *mime = new QMimeData;
    mime->setText(textBetween(cursor.selectionStart(), cursor.selectionEnd()));
    return mime;
}

} // namespace Slopscope
