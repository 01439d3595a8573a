#include "AppearanceSettingsPage.h"

#include <QButtonGroup>
#include <QGroupBox>
#include <QLabel>
#include <QRadioButton>
#include <QVBoxLayout>

namespace Slopscope {

AppearanceSettingsPage::AppearanceSettingsPage(QWidget *parent)
    : QWidget(parent)
    , m_group(new QButtonGroup(this))
{
    setObjectName(QStringLiteral("appearanceSettingsPage"));
    auto *layout = new QVBoxLayout(this);
    auto *box = new QGroupBox(tr("Theme"), this);
    auto *boxLayout = new QVBoxLayout(box);
    const auto add = [this, box, boxLayout](AppTheme::Choice choice, const QString &text, const QString &objectName) {
        auto *radio = new QRadioButton(text, box);
        radio->setObjectName(objectName);
        m_group->addButton(radio, static_cast<int>(choice));
        boxLayout->addWidget(radio);
    };
    add(AppTheme::Choice::System, tr("&System (the desktop's style and colours)"), QStringLiteral("themeSystem"));
    add(AppTheme::Choice::Light, tr("&Light"), QStringLiteral("themeLight"));
    add(AppTheme::Choice::Dark, tr("&Dark"), QStringLiteral("themeDark"));
    layout->addWidget(box);
    auto *note = new QLabel(tr("The theme changes at once and is kept for the next start."), this);
    note->setWordWrap(true);
    layout->addWidget(note);
    layout->addStretch(1);

    button(AppTheme::current())->setChecked(true);
    connect(m_group, &QButtonGroup::idToggled, this, [](int id, bool checked) {
        if (!checked)
            return;
        const auto choice = static_cast<AppTheme::Choice>(id);
        AppTheme::save(choice);
        AppTheme::apply(choice);
    });
}

AppearanceSettingsPage::~AppearanceSettingsPage() = default;

QRadioButton *AppearanceSettingsPage::button(AppTheme::Choice choice) const
{
    return qobject_cast<QRadioButton *>(m_group->button(static_cast<int>(choice)));
}

} // namespace Slopscope
