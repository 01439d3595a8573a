#pragma once

#include "store/StoreTypes.h"

#include <QWidget>

#include <optional>

class QAbstractButton;
class QButtonGroup;
class QLabel;
class QLineEdit;
class QToolButton;

namespace Slopscope {

// "Your rating" of the selected answer: Pass / Fail or 1–5 stars (one choice, exclusive), an
// optional one-line note (Enter saves it with the choice) and Undo of the last rating.
class RatingBar final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RatingBar)

public:
    // Button ids in the group: stars are 1 to 5.
    static constexpr int kFailId = 100;
    static constexpr int kPassId = 101;

    explicit RatingBar(QWidget *parent = nullptr);
    ~RatingBar() override;

    // Shows a cell's current rating (none: nothing checked) without emitting anything.
    void showRating(const std::optional<StoredRating> &rating, bool canUndo);
    // A line under the buttons, e.g. that ratings are not kept; empty hides it.
    void setNotice(const QString &text);
    // The judge–human agreement line; empty hides it.
    void setAgreement(const QString &text);
    [[nodiscard]] QString agreementText() const;
    // As a click on a choice (the keyboard shortcuts): kFailId, kPassId or 1–5.
    void choose(int id);

    [[nodiscard]] QAbstractButton *button(int id) const;
    [[nodiscard]] QLineEdit *noteEdit() const { return m_note; }
    [[nodiscard]] QToolButton *undoButton() const { return m_undo; }
    [[nodiscard]] QString noticeText() const;

Q_SIGNALS:
    // kind "pass_fail" (1 pass, 0 fail) or "stars" (1–5), as StoredRating has them.
    void rated(const QString &kind, int rating, const QString &note);
    void undoRequested();

private:
    void emitChoice(int id);

    QButtonGroup *m_choices = nullptr; // children
    QLineEdit *m_note = nullptr;
    QToolButton *m_undo = nullptr;
    QLabel *m_notice = nullptr;
    QLabel *m_agreement = nullptr;
};

} // namespace Slopscope
