#pragma once

#include "core/SecretString.h"

#include <QString>

#include <optional>

// Tests compare keys as text; the app has no implicit way to, on purpose.
namespace Slopscope {

inline QString revealed(const SecretString &secret)
{
    return secret.revealAsQString();
}

inline std::optional<QString> revealed(const std::optional<SecretString> &secret)
{
    if (!secret)
        return std::nullopt;
    return secret->revealAsQString();
}

} // namespace Slopscope
