#pragma once

#include "AppTheme.h"

#include <QWidget>

class QButtonGroup;
class QRadioButton;

namespace Slopscope {

// Settings ▸ Appearance: the theme. A choice applies at once to every window and is kept for the
// next start.
class AppearanceSettingsPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AppearanceSettingsPage)

public:
    explicit AppearanceSettingsPage(QWidget *parent = nullptr);
    ~AppearanceSettingsPage() override;

    [[nodiscard]] QRadioButton *button(AppTheme::Choice choice) const;

private:
    QButtonGroup *m_group = nullptr; // child
};

} // namespace Slopscope
