#pragma once

#include "core/Workspace.h"

#include <QHash>
#include <QString>

namespace Slopscope {

// A known provider: its documented endpoint, dialect and defaults, from which a ProviderConfig is made.
struct ProviderPreset
{
    QString id;          // "openai", "ollama", ...
    QString displayName; // "OpenAI", "Ollama", ...
    Dialect dialect = Dialect::OpenAIChat;
    QString baseUrl;
    QString apiKeyEnv; // empty for local servers
    int defaultConcurrency = 8;
    QHash<QString, QString> headers; // documented extras (e.g. OpenRouter's app attribution)
    bool local = false;
    int defaultPort = 0;   // local servers only
    QString discoveryPath; // local servers only: "/api/tags" or "/v1/models"

    // A provider config with this preset's values; `id` defaults to the preset id.
    [[nodiscard]] ProviderConfig toProviderConfig(const QString &providerId = {}) const
    {
        ProviderConfig p;
        p.id = providerId.isEmpty() ? id : providerId;
        p.dialect = dialect;
        p.baseUrl = baseUrl;
        p.apiKeyEnv = apiKeyEnv;
        p.maxConcurrency = defaultConcurrency;
        p.headers = headers;
        return p;
    }
};

} // namespace Slopscope
