#pragma once

#include "engine/SecretSource.h"

namespace Slopscope {

// Keys from the process environment, named by api_key_env.
class EnvSecretSource final : public SecretSource
{
public:
    [[nodiscard]] std::optional<SecretString> secret(const QString &name) const override;
};

} // namespace Slopscope
