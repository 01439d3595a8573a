#include "engine/DialectToolChoice.h"

#include "core/Json.h"

namespace Slopscope {

namespace {

using ojson = nlohmann::ordered_json;
using Mode = ToolChoice::Mode;

// OpenAI's strings for the three plain modes, shared by chat and Responses.
const char *openAIMode(Mode mode)
{
    switch (mode) {
    case Mode::None:
        return "none";
    case Mode::Required:
        return "required";
    case Mode::Auto:
    case Mode::Function:
        break;
    }
    return "auto";
}

void openAI(ojson &body, const ChatRequest &request, bool responses)
{
    if (const auto &choice = request.toolChoice) {
        if (choice->mode != Mode::Function)
            body["tool_choice"] = openAIMode(choice->mode);
        else if (responses)
            body["tool_choice"] = {{"type", "function"}, {"name", Json::toStd(choice->name)}};
        else
            body["tool_choice"] = {{"type", "function"}, {"function", {{"name", Json::toStd(choice->name)}}}};
    }
    if (request.parallelToolCalls)
        body["parallel_tool_calls"] = *request.parallelToolCalls;
}

void anthropic(ojson &body, const ChatRequest &request)
{
    const Mode mode = request.toolChoice ? request.toolChoice->mode : Mode::Auto;
    ojson choice = ojson::object();
    switch (mode) {
    case Mode::Auto:
        choice["type"] = "auto";
        break;
    case Mode::None:
        choice["type"] = "none";
        break;
    case Mode::Required:
        choice["type"] = "any";
        break;
    case Mode::Function:
        choice["type"] = "tool";
        choice["name"] = Json::toStd(request.toolChoice->name);
        break;
    }
    // Anthropic documents disable_parallel_tool_use for auto, any and tool only.
    if (request.parallelToolCalls && mode != Mode::None)
        choice["disable_parallel_tool_use"] = !*request.parallelToolCalls;
    if (request.toolChoice || choice.contains("disable_parallel_tool_use"))
        body["tool_choice"] = std::move(choice);
}

void gemini(ojson &body, const ChatRequest &request)
{
    if (!request.toolChoice)
        return;
    ojson config = ojson::object();
    switch (request.toolChoice->mode) {
    case Mode::Auto:
        config["mode"] = "AUTO";
        break;
    case Mode::None:
        config["mode"] = "NONE";
        break;
    case Mode::Required:
        config["mode"] = "ANY";
        break;
    case Mode::Function:
        config["mode"] = "ANY";
        config["allowedFunctionNames"] = ojson::array({Json::toStd(request.toolChoice->name)});
        break;
    }
    body["toolConfig"] = {{"functionCallingConfig", std::move(config)}};
}

void ollama(ojson &body, const ChatRequest &request)
{
    if (!request.toolChoice || !body.contains("tools"))
        return;
    if (request.toolChoice->mode == Mode::None) {
        body.erase("tools");
    } else if (request.toolChoice->mode == Mode::Function) {
        ojson kept = ojson::array();
        for (const auto &tool : body["tools"]) {
            if (tool.contains("function") &&
                tool["function"].value("name", std::string()) == Json::toStd(request.toolChoice->name))
                kept.push_back(tool);
        }
        body["tools"] = std::move(kept);
    }
}

} // namespace

void DialectToolChoice::apply(ojson &body, Dialect dialect, const ChatRequest &request)
{
    if (request.tools.isEmpty() || (!request.toolChoice && !request.parallelToolCalls))
        return;
    switch (dialect) {
    case Dialect::OpenAIChat:
        openAI(body, request, false);
        break;
    case Dialect::OpenAIResponses:
        openAI(body, request, true);
        break;
    case Dialect::Anthropic:
        anthropic(body, request);
        break;
    case Dialect::Gemini:
        gemini(body, request);
        break;
    case Dialect::Ollama:
        ollama(body, request);
        break;
    }
}

} // namespace Slopscope
