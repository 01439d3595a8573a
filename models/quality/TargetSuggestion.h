#pragma once

#include "core/Workspace.h"

#include <QString>

#include <optional>

namespace Slopscope {

// A target an imported configuration asks for (promptfoo's providers), mapped as far as it goes
// onto what Slopscope can call. The user confirms it before it becomes a workspace target.
struct TargetSuggestion
{
    QString source;                 // as written, e.g. "openai:gpt-4o-mini"
    QString label;                  // the config's label, else the source
    QString preset;                 // the engine's provider preset ("openai", "anthropic", "groq", ...), if one fits
    std::optional<Dialect> dialect; // unset: Slopscope cannot call this provider
    QString model;
    QString baseUrl; // from the provider's config (apiBaseUrl, apiHost), when given
    TargetParams params;
    QString note; // what could not be mapped, or what the user must still set

    [[nodiscard]] bool mapped() const { return dialect.has_value(); }
};

} // namespace Slopscope
