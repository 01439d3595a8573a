#pragma once

// What tst_runsession and tst_runsessionjudges share: the demo suites, loaded from resources.

#include "quality/Suite.h"

#include <QLatin1StringView>
#include <QString>

namespace Slopscope::Test {

inline Suite demoSuite(const char *file)
{
    auto suite = Suite::fromFile(QStringLiteral(":/slopscope/demo/suites/") + QLatin1StringView(file));
    if (!suite)
        qFatal("%s", qPrintable(suite.error()));
    return suite.value();
}

} // namespace Slopscope::Test
