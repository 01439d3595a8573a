#pragma once

#include <QString>
#include <QStringList>

class QCoreApplication;

namespace Slopscope {

// The interface language. "" means the system's; otherwise a code of translations/*.ts
// ("de", "zh_CN") or "en", the source language. The choice is kept in QSettings and applies
// at the next start: translating a live window would mean re-running every tr() it made.
class Translations final
{
public:
    // The languages the binary carries, "en" first.
    [[nodiscard]] static QStringList available();
    // The language's own name for itself ("Deutsch", "日本語").
    [[nodiscard]] static QString nativeName(const QString &code);

    [[nodiscard]] static QString chosen();
    static void choose(const QString &code);

    // Installs Qt's and Slopscope's translators for `code` (the chosen or the system language
    // when empty) and makes that language's locale the default for number formatting. Returns
    // the language actually installed ("en" when none matched).
    static QString install(QCoreApplication &app, const QString &code = {});
};

// Installs the translation the user chose, or the system's.
void installTranslations(QCoreApplication &app);

} // namespace Slopscope
