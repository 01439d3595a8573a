#pragma once

#include <QPalette>
#include <QString>

#include <optional>

namespace Slopscope {

// The application's colours: the platform's (System), or Fusion with a light or dark palette of
// our own. Qt 6.4 has no way to ask the platform for a colour scheme (QStyleHints::setColorScheme
// is 6.8+), so Light and Dark set the palette themselves. Applies to every window at once; views
// with colours of their own follow through QEvent::PaletteChange and isDark().
class AppTheme final
{
public:
    enum class Choice { System, Light, Dark };

    // The choice kept in QSettings (System when none or unknown).
    [[nodiscard]] static Choice saved();
    static void save(Choice choice);
    static void apply(Choice choice);
    // The choice last applied in this process.
    [[nodiscard]] static Choice current();

    // Whether `palette` has light text on a dark window: what views pick their own colours by.
    [[nodiscard]] static bool isDark(const QPalette &palette);

    [[nodiscard]] static QString key(Choice choice);
    [[nodiscard]] static std::optional<Choice> fromKey(const QString &key);

    [[nodiscard]] static QPalette darkPalette();
    [[nodiscard]] static QPalette lightPalette();
};

} // namespace Slopscope
