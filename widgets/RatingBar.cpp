#include "RatingBar.h"

#include <QButtonGroup>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QToolButton>
#include <QVBoxLayout>

namespace Slopscope {

namespace {

QToolButton *choiceButton(const QString &text, const QString &toolTip, QWidget *parent)
{
    auto *button = new QToolButton(parent);
    button->setText(text);
    button->setToolTip(toolTip);
    button->setCheckable(true);
    button->setAutoRaise(false);
    return button;
}

} // namespace

RatingBar::RatingBar(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("ratingBar"));
    setAccessibleName(tr("Your rating"));
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->setSpacing(2);
    auto *row = new QHBoxLayout;
    row->setSpacing(2);
    row->addWidget(new QLabel(tr("Your rating:"), this));

    m_choices = new QButtonGroup(this);
    m_choices->setExclusive(true);
    auto *pass = choiceButton(tr("Pass"), tr("The answer passes (key P)"), this);
    pass->setObjectName(QStringLiteral("ratePass"));
    auto *fail = choiceButton(tr("Fail"), tr("The answer fails (key F)"), this);
    fail->setObjectName(QStringLiteral("rateFail"));
    m_choices->addButton(pass, kPassId);
    m_choices->addButton(fail, kFailId);
    row->addWidget(pass);
    row->addWidget(fail);
    row->addSpacing(6);
    for (int stars = 1; stars <= 5; ++stars) {
        auto *star = choiceButton(tr("%1★").arg(stars), tr("%n star(s) of 5 (key %n)", nullptr, stars), this);
        star->setObjectName(QStringLiteral("rateStars%1").arg(stars));
        star->setAccessibleName(tr("%n star(s)", nullptr, stars));
        m_choices->addButton(star, stars);
        row->addWidget(star);
    }
    row->addSpacing(6);
    m_note = new QLineEdit(this);
    m_note->setObjectName(QStringLiteral("rateNote"));
    m_note->setAccessibleName(tr("Rating note"));
    m_note->setPlaceholderText(tr("Note (optional, Enter saves)"));
    m_note->setToolTip(tr("An optional note; Enter saves it with the chosen rating"));
    m_note->setClearButtonEnabled(true);
    row->addWidget(m_note, 1);
    m_undo = new QToolButton(this);
    m_undo->setObjectName(QStringLiteral("rateUndo"));
    m_undo->setText(tr("Undo"));
    m_undo->setToolTip(tr("Take back the last rating of this answer"));
    row->addWidget(m_undo);
    outer->addLayout(row);

    m_notice = new QLabel(this);
    m_notice->setObjectName(QStringLiteral("rateNotice"));
    m_notice->setTextFormat(Qt::PlainText);
    m_notice->setWordWrap(true);
    m_notice->hide();
    outer->addWidget(m_notice);
    m_agreement = new QLabel(this);
    m_agreement->setObjectName(QStringLiteral("rateAgreement"));
    m_agreement->setTextFormat(Qt::PlainText);
    m_agreement->setToolTip(tr("How often your pass/fail matches the judge's on the answers both graded "
                               "(4 stars and up count as a pass); Cohen's kappa corrects for chance"));
    m_agreement->hide();
    outer->addWidget(m_agreement);

    connect(m_choices, &QButtonGroup::idClicked, this, &RatingBar::emitChoice);
    connect(m_note, &QLineEdit::returnPressed, this, [this] {
        if (const int id = m_choices->checkedId(); id != -1)
            emitChoice(id);
        else
            setNotice(tr("Choose Pass, Fail or stars first: the note is saved with them."));
    });
    connect(m_undo, &QToolButton::clicked, this, &RatingBar::undoRequested);
    showRating(std::nullopt, false);
}

RatingBar::~RatingBar() = default;

QAbstractButton *RatingBar::button(int id) const
{
    return m_choices->button(id);
}

QString RatingBar::noticeText() const
{
    return m_notice->isHidden() ? QString() : m_notice->text();
}

void RatingBar::setNotice(const QString &text)
{
    m_notice->setText(text);
    m_notice->setVisible(!text.isEmpty());
}

void RatingBar::setAgreement(const QString &text)
{
    m_agreement->setText(text);
    m_agreement->setVisible(!text.isEmpty());
}

QString RatingBar::agreementText() const
{
    return m_agreement->isHidden() ? QString() : m_agreement->text();
}

void RatingBar::showRating(const std::optional<StoredRating> &rating, bool canUndo)
{
    int id = -1;
    if (rating)
        id = rating->kind == u"stars" ? rating->rating : rating->rating != 0 ? kPassId : kFailId;
    // An exclusive group cannot uncheck its checked button directly.
    m_choices->setExclusive(false);
    for (QAbstractButton *b : m_choices->buttons())
        b->setChecked(m_choices->id(b) == id);
    m_choices->setExclusive(true);
    m_note->setText(rating ? rating->comment : QString());
    m_undo->setEnabled(canUndo);
}

void RatingBar::choose(int id)
{
    QAbstractButton *b = m_choices->button(id);
    if (!b || !isEnabled())
        return;
    b->setChecked(true);
    emitChoice(id);
}

void RatingBar::emitChoice(int id)
{
    if (id == kPassId || id == kFailId)
        Q_EMIT rated(QStringLiteral("pass_fail"), id == kPassId ? 1 : 0, m_note->text());
    else if (id >= 1 && id <= 5)
        Q_EMIT rated(QStringLiteral("stars"), id, m_note->text());
}

} // namespace Slopscope
