#pragma once

#include <QString>

#include <nlohmann/json.hpp>

namespace Slopscope {

// A function offered to the model in a request: every dialect sends name, description and a
// JSON Schema for the arguments (OpenAI "tools", Anthropic "input_schema", Gemini
// "functionDeclarations", Ollama "tools").
struct ToolSpec
{
    QString name;
    QString description;
    nlohmann::json parameters = nlohmann::json::object(); // JSON Schema of the arguments

    friend bool operator==(const ToolSpec &, const ToolSpec &) = default;
};

} // namespace Slopscope
