#pragma once

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
    [[nodiscard]] virtual std::optional<QString> secret(const QString &name) const = 0;
};

} // namespace Slopscope
