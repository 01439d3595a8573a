#pragma once

#include "core/Workspace.h"
#include "engine/ChatRequest.h"

#include <nlohmann/json.hpp>

namespace Slopscope {

// A request's tool_choice and parallel_tool_calls in each dialect's own shape, added to a body
// that already holds its "tools". Nothing is added when the request offers no tools or sets
// neither. Pure, so every byte is unit-tested.
//  - OpenAI chat: "tool_choice" "auto" | "none" | "required" |
//    {"type":"function","function":{"name"}}, and "parallel_tool_calls".
//  - OpenAI Responses: the same strings or {"type":"function","name"}, and "parallel_tool_calls".
//  - Anthropic: "tool_choice" {"type":"auto"|"any"|"none"|"tool","name"}, with parallelism as
//    its "disable_parallel_tool_use" (an auto choice is sent just to carry it); "none" takes no
//    such flag.
//  - Gemini: "toolConfig.functionCallingConfig" {"mode": AUTO|NONE|ANY,
//    "allowedFunctionNames": [name]}; Gemini has no parallelism switch, so that is dropped.
//  - Ollama: /api/chat has neither field. "none" is honoured by sending no "tools" and a forced
//    tool by offering only that one (the model may still answer without calling it); "required"
//    and parallel_tool_calls are dropped.
class DialectToolChoice final
{
public:
    static void apply(nlohmann::ordered_json &body, Dialect dialect, const ChatRequest &request);
};

} // namespace Slopscope
