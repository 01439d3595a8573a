#pragma once

#include <QString>

#include <nlohmann/json.hpp>

#include <optional>

namespace Slopscope {

// Whether and which of the offered tools the model must call: the suite's "tool_choice", which
// each dialect encodes its own way (engine/DialectToolChoice.h).
struct ToolChoice
{
    enum class Mode {
        Auto,     // the model decides
        None,     // the model must not call a tool
        Required, // the model must call at least one tool
        Function, // the model must call the tool named `name`
    };
    Mode mode = Mode::Auto;
    QString name = {}; // Function only

    // The suite spelling: "auto", "none", "required" or {"name": "<tool>"}.
    [[nodiscard]] nlohmann::json toJson() const;
    // Parses the suite spelling; on failure nullopt, with `error` saying why and `errorKey` naming
    // the member at fault ("name"), empty when the value itself is.
    static std::optional<ToolChoice> fromJson(const nlohmann::json &value, QString &error, QString &errorKey);

    friend bool operator==(const ToolChoice &, const ToolChoice &) = default;
};

} // namespace Slopscope
