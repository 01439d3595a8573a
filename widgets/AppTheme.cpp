#include "AppTheme.h"

#include <QApplication>
#include <QSettings>
#include <QStyle>
#include <QStyleFactory>
#include <QStyleHints>

#include <memory>

namespace Slopscope {

namespace {

constexpr auto kSettingKey = "appearance/theme";

// What the platform gave before the first theme was applied, so System can restore it.
struct SystemLook
{
    QString styleName;
    QPalette palette;
};

std::optional<SystemLook> &systemLook()
{
    static std::optional<SystemLook> look;
    return look;
}

AppTheme::Choice &currentChoice()
{
    static AppTheme::Choice choice = AppTheme::Choice::System;
    return choice;
}

void rememberSystemLook()
{
    if (!systemLook())
        systemLook() = SystemLook{QApplication::style()->name(), QApplication::palette()};
}

void setStyle(const QString &name)
{
    if (QApplication::style()->name().compare(name, Qt::CaseInsensitive) != 0)
        QApplication::setStyle(name);
}

} // namespace

AppTheme::Choice AppTheme::saved()
{
    return fromKey(QSettings().value(QLatin1String(kSettingKey)).toString()).value_or(Choice::System);
}

void AppTheme::save(Choice choice)
{
    QSettings settings;
    if (choice == Choice::System)
        settings.remove(QLatin1String(kSettingKey));
    else
        settings.setValue(QLatin1String(kSettingKey), key(choice));
}

AppTheme::Choice AppTheme::current()
{
    return currentChoice();
}

void AppTheme::apply(Choice choice)
{
    rememberSystemLook();
    currentChoice() = choice;
    switch (choice) {
    case Choice::System:
        setStyle(systemLook()->styleName);
        QApplication::setPalette(systemLook()->palette);
        break;
    case Choice::Light:
        setStyle(QStringLiteral("Fusion"));
        QApplication::setPalette(lightPalette());
        break;
    case Choice::Dark:
        // Fusion draws from the palette alone; the platform styles may ignore parts of it.
        setStyle(QStringLiteral("Fusion"));
        QApplication::setPalette(darkPalette());
        break;
    }
#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
    // Newer Qt can also tell the platform, for title bars and native dialogs.
    if (choice == Choice::System)
        QGuiApplication::styleHints()->unsetColorScheme();
    else
        QGuiApplication::styleHints()->setColorScheme(choice == Choice::Dark ? Qt::ColorScheme::Dark
                                                                             : Qt::ColorScheme::Light);
#endif
}

bool AppTheme::isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < palette.color(QPalette::WindowText).lightness();
}

QString AppTheme::key(Choice choice)
{
    switch (choice) {
    case Choice::System:
        return QStringLiteral("system");
    case Choice::Light:
        return QStringLiteral("light");
    case Choice::Dark:
        return QStringLiteral("dark");
    }
    return {};
}

std::optional<AppTheme::Choice> AppTheme::fromKey(const QString &key)
{
    for (const Choice choice : {Choice::System, Choice::Light, Choice::Dark}) {
        if (key.compare(AppTheme::key(choice), Qt::CaseInsensitive) == 0)
            return choice;
    }
    return std::nullopt;
}

QPalette AppTheme::lightPalette()
{
    const std::unique_ptr<QStyle> fusion(QStyleFactory::create(QStringLiteral("Fusion")));
    return fusion ? fusion->standardPalette() : QPalette(QColor(0xef, 0xef, 0xef));
}

QPalette AppTheme::darkPalette()
{
    const QColor window(0x2b, 0x2d, 0x31);
    const QColor base(0x1e, 0x1f, 0x22);
    const QColor text(0xe6, 0xe7, 0xea);
    const QColor disabled(0x80, 0x84, 0x8c);
    const QColor accent(0x3d, 0x8b, 0xe0);
    QPalette p;
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x26, 0x28, 0x2c));
    p.setColor(QPalette::ToolTipBase, QColor(0x3a, 0x3d, 0x42));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, disabled);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x35, 0x38, 0x3d));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, QColor(0xff, 0x6b, 0x6b));
    p.setColor(QPalette::Light, QColor(0x4a, 0x4e, 0x55));
    p.setColor(QPalette::Midlight, QColor(0x3f, 0x42, 0x48));
    p.setColor(QPalette::Mid, QColor(0x24, 0x26, 0x2a));
    p.setColor(QPalette::Dark, QColor(0x1a, 0x1b, 0x1e));
    p.setColor(QPalette::Shadow, QColor(0x0c, 0x0c, 0x0d));
    p.setColor(QPalette::Highlight, accent);
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x6c, 0xb2, 0xff));
    p.setColor(QPalette::LinkVisited, QColor(0xb3, 0x9d, 0xf5));
    for (const QPalette::ColorRole role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, disabled);
    p.setColor(QPalette::Disabled, QPalette::Highlight, QColor(0x4a, 0x4e, 0x55));
    return p;
}

} // namespace Slopscope
