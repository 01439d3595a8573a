#pragma once

#include "core/ChatMessage.h"
#include "core/ToolSpec.h"
#include "core/Workspace.h"

#include <QList>

#include <nlohmann/json.hpp>

namespace Slopscope {

// The conversation and the offered tools in each dialect's own shape: OpenAI chat "messages",
// Responses "input" items, Anthropic "messages" (system left out: it travels apart), Gemini
// "contents" (system left out too) and Ollama "messages". Pure, so every byte is unit-tested.
class DialectMessages final
{
public:
    using ojson = nlohmann::ordered_json;

    // The dialect's "messages" / "input" / "contents" array.
    [[nodiscard]] static ojson messages(Dialect dialect, const QList<ChatMessage> &messages);
    // The dialect's "tools" array; empty `tools` gives an empty array (send nothing then).
    [[nodiscard]] static ojson tools(Dialect dialect, const QList<ToolSpec> &tools);

    // `arguments` as a JSON object, or {} when it is not one: for the dialects that take the
    // arguments as an object, so a model's broken JSON never breaks the whole body.
    [[nodiscard]] static ojson argumentsObject(const QString &arguments);
};

} // namespace Slopscope
