#pragma once

#include "core/Workspace.h"

#include <QMetaType>
#include <QStringList>

namespace Slopscope {

// A local server that answered its model listing.
struct DiscoveredServer
{
    QString presetId;
    QString displayName;
    Dialect dialect = Dialect::OpenAIChat;
    QString baseUrl; // ready for ProviderConfig::baseUrl
    QStringList models;

    [[nodiscard]] ProviderConfig toProviderConfig() const
    {
        ProviderConfig p;
        p.id = presetId;
        p.dialect = dialect;
        p.baseUrl = baseUrl;
        p.maxConcurrency = 2;
        return p;
    }
};

} // namespace Slopscope

Q_DECLARE_METATYPE(Slopscope::DiscoveredServer)
