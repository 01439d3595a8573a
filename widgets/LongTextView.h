#pragma once

#include <QList>
#include <QPlainTextEdit>

namespace Slopscope {

// A read-only plain-text view for model output that keeps its paragraphs short. QPlainTextEdit
// lays out (shapes) a whole paragraph whenever any of it changes, so one enormous paragraph, a
// 10,000-column table row or 50 MB with no newline, freezes the UI (RELIABILITY.md B-14, #7).
// Here a paragraph is shown broken at the first space after kSoftBlockChars, or at
// kHardBlockChars when there is none; the text itself is not changed: text() and copying a
// selection give it back exactly, without the display's breaks.
class LongTextView final : public QPlainTextEdit
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LongTextView)

public:
    static constexpr int kSoftBlockChars = 2000;
    static constexpr int kHardBlockChars = 4000;

    explicit LongTextView(QWidget *parent = nullptr);

    void setText(const QString &text);
    void appendText(const QString &text);
    // The text as set and appended; toPlainText() has the display's breaks in it.
    [[nodiscard]] QString text() const;
    // Where the text's position `textPos` is in the document (a hard break adds a character).
    [[nodiscard]] int displayPosition(qsizetype textPos) const;
    // The text between two document positions, without the display's breaks.
    [[nodiscard]] QString textBetween(int from, int to) const;

protected:
    QMimeData *createMimeDataFromSelection() const override;

private:
    // How a block begins: after a newline of the text, or after a break only the display has.
    enum BlockStart { TextBreak = 0, BrokeAtSpace = 1, BrokeHard = 2 };

    qsizetype m_textChars = 0;
    QList<qsizetype> m_hardBreaks; // text positions where a hard break was put, ascending
};

} // namespace Slopscope
