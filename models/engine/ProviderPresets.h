#pragma once

#include "engine/ProviderPreset.h"

#include <QList>

namespace Slopscope {

// The built-in providers: cloud APIs and the usual local servers on their default ports.
class ProviderPresets final
{
public:
    static const QList<ProviderPreset> &all();
    static const ProviderPreset *find(const QString &id);
    // Only the local servers, in probing order.
    static QList<ProviderPreset> local();
};

} // namespace Slopscope
