#pragma once

#include <QLabel>

namespace Slopscope {

// A one-line plain-text label that shrinks below its text's width and then shows the text cut
// with "…" instead of clipping it mid-letter; the whole text stays in text() for tooltips and
// screen readers. Pane headers use it, where target names and error states outgrow a column.
class ElidedLabel final : public QLabel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ElidedLabel)

public:
    explicit ElidedLabel(QWidget *parent = nullptr);

    // What is painted at the current width: text() itself, or its start and "…".
    [[nodiscard]] QString shownText() const;
    [[nodiscard]] bool isElided() const { return shownText() != text(); }

    [[nodiscard]] QSize sizeHint() const override;
    [[nodiscard]] QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
};

} // namespace Slopscope
