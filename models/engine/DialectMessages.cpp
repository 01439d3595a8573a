#include "engine/DialectMessages.h"

#include "core/Json.h"

namespace Slopscope {

namespace {

using ojson = DialectMessages::ojson;

bool isToolResult(const ChatMessage &m)
{
    return m.role == u"tool";
}

bool hasCalls(const ChatMessage &m)
{
    return m.role == u"assistant" && !m.toolCalls.isEmpty();
}

// Dialects that take the arguments as a string get the model's text back unchanged; an empty one
// becomes "{}" because no provider accepts an empty arguments string.
std::string argumentsText(const QString &arguments)
{
    return arguments.trimmed().isEmpty() ? std::string("{}") : Json::toStd(arguments);
}

ojson schema(const ToolSpec &tool)
{
    // ToolSpec keeps a sorted-key json; the body is ordered_json.
    return ojson::parse(tool.parameters.dump());
}

// name, description (when there is one) and the schema under the dialect's key.
ojson declaration(const ToolSpec &tool, const char *schemaKey)
{
    ojson out = {{"name", Json::toStd(tool.name)}};
    if (!tool.description.isEmpty())
        out["description"] = Json::toStd(tool.description);
    out[schemaKey] = schema(tool);
    return out;
}

ojson openAIChat(const QList<ChatMessage> &messages)
{
    ojson out = ojson::array();
    for (const auto &m : messages) {
        if (isToolResult(m)) {
            out.push_back(
                {{"role", "tool"}, {"tool_call_id", Json::toStd(m.toolCallId)}, {"content", Json::toStd(m.content)}});
        } else if (hasCalls(m)) {
            ojson calls = ojson::array();
            for (const auto &c : m.toolCalls)
                calls.push_back(
                    {{"id", Json::toStd(c.id)},
                     {"type", "function"},
                     {"function", {{"name", Json::toStd(c.name)}, {"arguments", argumentsText(c.arguments)}}}});
            ojson message = {{"role", "assistant"}};
            // OpenAI documents content as null for an assistant turn that only calls tools.
            message["content"] = m.content.isEmpty() ? ojson(nullptr) : ojson(Json::toStd(m.content));
            message["tool_calls"] = std::move(calls);
            out.push_back(std::move(message));
        } else {
            out.push_back({{"role", Json::toStd(m.role)}, {"content", Json::toStd(m.content)}});
        }
    }
    return out;
}

ojson responsesInput(const QList<ChatMessage> &messages)
{
    ojson out = ojson::array();
    for (const auto &m : messages) {
        if (isToolResult(m)) {
            out.push_back({{"type", "function_call_output"},
                           {"call_id", Json::toStd(m.toolCallId)},
                           {"output", Json::toStd(m.content)}});
            continue;
        }
        // A turn's reasoning items go first, as they came out before its text and calls: the
        // order the server produced them, which reasoning models expect back.
        for (const auto &r : m.reasoningItems) {
            ojson summary = ojson::array();
            for (const auto &text : r.summary)
                summary.push_back({{"type", "summary_text"}, {"text", Json::toStd(text)}});
            out.push_back({{"type", "reasoning"},
                           {"id", Json::toStd(r.id)},
                           {"summary", std::move(summary)},
                           {"encrypted_content", Json::toStd(r.encryptedContent)}});
        }
        // Responses input is a flat list of items: a turn's text and its calls are siblings.
        if (!hasCalls(m) || !m.content.isEmpty())
            out.push_back({{"role", Json::toStd(m.role)}, {"content", Json::toStd(m.content)}});
        if (!hasCalls(m))
            continue;
        for (const auto &c : m.toolCalls)
            out.push_back({{"type", "function_call"},
                           {"call_id", Json::toStd(c.id)},
                           {"name", Json::toStd(c.name)},
                           {"arguments", argumentsText(c.arguments)}});
    }
    return out;
}

ojson thinkingBlocks(const ChatMessage &m)
{
    ojson out = ojson::array();
    for (const auto &b : m.thinking) {
        if (b.redacted)
            out.push_back({{"type", "redacted_thinking"}, {"data", Json::toStd(b.redactedData)}});
        else
            out.push_back(
                {{"type", "thinking"}, {"thinking", Json::toStd(b.thinking)}, {"signature", Json::toStd(b.signature)}});
    }
    return out;
}

ojson anthropic(const QList<ChatMessage> &messages)
{
    ojson out = ojson::array();
    for (const auto &m : messages) {
        if (m.role == u"system")
            continue;
        if (isToolResult(m)) {
            const ojson block = {{"type", "tool_result"},
                                 {"tool_use_id", Json::toStd(m.toolCallId)},
                                 {"content", Json::toStd(m.content)},
                                 {"is_error", m.toolError}};
            // Anthropic wants every result of one assistant turn in the single user message after it.
            if (!out.empty() && out.back()["role"] == "user" && out.back()["content"].is_array() &&
                !out.back()["content"].empty() && out.back()["content"].back()["type"] == "tool_result") {
                out.back()["content"].push_back(block);
            } else {
                out.push_back({{"role", "user"}, {"content", ojson::array({block})}});
            }
        } else if (hasCalls(m)) {
            // Thinking first, unchanged: Anthropic checks the signatures and rejects a tool-using
            // turn whose thinking is missing or moved while extended thinking is on.
            ojson blocks = thinkingBlocks(m);
            if (!m.content.isEmpty())
                blocks.push_back({{"type", "text"}, {"text", Json::toStd(m.content)}});
            for (const auto &c : m.toolCalls)
                blocks.push_back({{"type", "tool_use"},
                                  {"id", Json::toStd(c.id)},
                                  {"name", Json::toStd(c.name)},
                                  {"input", DialectMessages::argumentsObject(c.arguments)}});
            out.push_back({{"role", "assistant"}, {"content", std::move(blocks)}});
        } else {
            out.push_back({{"role", Json::toStd(m.role)}, {"content", Json::toStd(m.content)}});
        }
    }
    return out;
}

// Gemini's FunctionResponse.response must be an object: "output" carries a result and "error" a
// failure, as its API reference documents; a result that is already an object goes as it is.
ojson geminiResponse(const ChatMessage &m)
{
    if (m.toolError)
        return {{"error", Json::toStd(m.content)}};
    const ojson object = DialectMessages::argumentsObject(m.content);
    if (!object.empty() || m.content.trimmed() == u"{}")
        return object;
    return {{"output", Json::toStd(m.content)}};
}

ojson gemini(const QList<ChatMessage> &messages)
{
    ojson out = ojson::array();
    for (const auto &m : messages) {
        if (m.role == u"system")
            continue;
        if (isToolResult(m)) {
            const ojson part = {
                {"functionResponse", {{"name", Json::toStd(m.toolName)}, {"response", geminiResponse(m)}}}};
            // The responses to one turn's calls go back together, in one user turn.
            if (!out.empty() && out.back()["role"] == "user" && out.back()["parts"].back().contains("functionResponse"))
                out.back()["parts"].push_back(part);
            else
                out.push_back({{"role", "user"}, {"parts", ojson::array({part})}});
            continue;
        }
        ojson parts = ojson::array();
        if (!hasCalls(m) || !m.content.isEmpty())
            parts.push_back({{"text", Json::toStd(m.content)}});
        if (hasCalls(m)) {
            for (const auto &c : m.toolCalls) {
                ojson part = {
                    {"functionCall",
                     {{"name", Json::toStd(c.name)}, {"args", DialectMessages::argumentsObject(c.arguments)}}}};
                // Gemini wants the signature back on the very part that carried it.
                if (!c.thoughtSignature.isEmpty())
                    part["thoughtSignature"] = Json::toStd(c.thoughtSignature);
                parts.push_back(std::move(part));
            }
        }
        out.push_back({{"role", m.role == u"assistant" ? "model" : "user"}, {"parts", std::move(parts)}});
    }
    return out;
}

ojson ollama(const QList<ChatMessage> &messages)
{
    ojson out = ojson::array();
    for (const auto &m : messages) {
        if (isToolResult(m)) {
            out.push_back(
                {{"role", "tool"}, {"content", Json::toStd(m.content)}, {"tool_name", Json::toStd(m.toolName)}});
        } else if (hasCalls(m)) {
            ojson calls = ojson::array();
            for (const auto &c : m.toolCalls)
                calls.push_back(
                    {{"function",
                      {{"name", Json::toStd(c.name)}, {"arguments", DialectMessages::argumentsObject(c.arguments)}}}});
            out.push_back(
                {{"role", "assistant"}, {"content", Json::toStd(m.content)}, {"tool_calls", std::move(calls)}});
        } else {
            out.push_back({{"role", Json::toStd(m.role)}, {"content", Json::toStd(m.content)}});
        }
    }
    return out;
}

} // namespace

DialectMessages::ojson DialectMessages::argumentsObject(const QString &arguments)
{
    ojson parsed = ojson::parse(arguments.toStdString(), nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object())
        return ojson::object();
    return parsed;
}

DialectMessages::ojson DialectMessages::messages(Dialect dialect, const QList<ChatMessage> &messages)
{
    switch (dialect) {
    case Dialect::OpenAIChat:
        return openAIChat(messages);
    case Dialect::OpenAIResponses:
        return responsesInput(messages);
    case Dialect::Anthropic:
        return anthropic(messages);
    case Dialect::Gemini:
        return gemini(messages);
    case Dialect::Ollama:
        return ollama(messages);
    }
    return ojson::array();
}

DialectMessages::ojson DialectMessages::tools(Dialect dialect, const QList<ToolSpec> &tools)
{
    ojson out = ojson::array();
    if (tools.isEmpty())
        return out;
    switch (dialect) {
    case Dialect::OpenAIChat:
    case Dialect::Ollama:
        for (const auto &t : tools)
            out.push_back({{"type", "function"}, {"function", declaration(t, "parameters")}});
        break;
    case Dialect::OpenAIResponses:
        for (const auto &t : tools) {
            ojson tool = {{"type", "function"}};
            tool.update(declaration(t, "parameters"));
            out.push_back(std::move(tool));
        }
        break;
    case Dialect::Anthropic:
        for (const auto &t : tools)
            out.push_back(declaration(t, "input_schema"));
        break;
    case Dialect::Gemini: {
        ojson declarations = ojson::array();
        for (const auto &t : tools)
            declarations.push_back(declaration(t, "parameters"));
        out.push_back({{"functionDeclarations", std::move(declarations)}});
        break;
    }
    }
    return out;
}

} // namespace Slopscope
