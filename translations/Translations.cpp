#include "Translations.h"

#include <QCoreApplication>
#include <QDir>
#include <QLibraryInfo>
#include <QLocale>
#include <QSettings>
#include <QTranslator>

namespace Slopscope {

namespace {

const QString kSettingKey = QStringLiteral("ui/language");
const QString kPrefix = QStringLiteral("slopscope_");

} // namespace

QStringList Translations::available()
{
    QStringList codes{QStringLiteral("en")};
    const QStringList files = QDir(QStringLiteral(":/i18n")).entryList({kPrefix + u"*.qm"}, QDir::Files, QDir::Name);
    for (const QString &file : files)
        codes << file.mid(kPrefix.size()).chopped(3);
    return codes;
}

QString Translations::nativeName(const QString &code)
{
    const QLocale locale(code);
    QString name = locale.nativeLanguageName();
    if (name.isEmpty())
        return code;
    name[0] = name[0].toUpper(); // "français" as a menu entry reads "Français"
    return name;
}

QString Translations::chosen()
{
    return QSettings().value(kSettingKey).toString();
}

void Translations::choose(const QString &code)
{
    QSettings settings;
    if (code.isEmpty())
        settings.remove(kSettingKey);
    else
        settings.setValue(kSettingKey, code);
}

QString Translations::install(QCoreApplication &app, const QString &code)
{
    const QString wanted = code.isEmpty() ? chosen() : code;
    // An explicit choice also sets the locale, so numbers read as that language writes them.
    if (!wanted.isEmpty())
        QLocale::setDefault(QLocale(wanted));
    const QLocale locale = wanted.isEmpty() ? QLocale::system() : QLocale(wanted);

    // Parented to the application: they live exactly as long as it does.
    auto *qtTranslator = new QTranslator(&app);
    if (qtTranslator->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                           QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qtTranslator);
    else
        delete qtTranslator;

    auto *appTranslator = new QTranslator(&app);
    if (appTranslator->load(locale, QStringLiteral("slopscope"), QStringLiteral("_"), QStringLiteral(":/i18n"))) {
        QCoreApplication::installTranslator(appTranslator);
        return appTranslator->language();
    }
    delete appTranslator;
    return QStringLiteral("en");
}

void installTranslations(QCoreApplication &app)
{
    Translations::install(app);
}

} // namespace Slopscope
