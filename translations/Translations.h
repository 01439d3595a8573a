#pragma once

class QCoreApplication;

namespace Slopscope {

// Installs the embedded translation for the user's UI language, if there is one.
void installTranslations(QCoreApplication &app);

} // namespace Slopscope
