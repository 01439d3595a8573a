#pragma once

#include "core/SecretString.h"

#include <QString>

#include <optional>

namespace Slopscope {

// Where API keys come from. The engine asks by name (ProviderConfig::apiKeyEnv for now; the
// keychain later) and never logs, stores or reports what it gets.
class SecretSource
{
public:
    virtual ~SecretSource() = default;
    // std::nullopt when nothing is stored under that name (an empty value counts as nothing).
    [[nodiscard]] virtual std::optional<SecretString> secret(const QString &name) const = 0;
    // Why the key stored under `name` must not be sent to `host` (a host it was never confirmed
    // for, KeyHostBindings); empty when it may. May record a first use.
    [[nodiscard]] virtual QString keyRefusal(const QString &name, const QString &host) const
    {
        Q_UNUSED(name)
        Q_UNUSED(host)
        return {};
    }
};

} // namespace Slopscope
