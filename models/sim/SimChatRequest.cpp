#include "sim/SimChatRequest.h"

#include "sim/SimOpenAIResponsesEncoder.h"

#include <QCoreApplication>

#include <nlohmann/json.hpp>

#include <algorithm>

namespace Slopscope {

namespace {

using json = nlohmann::json;

// These texts go over the wire as a provider's error body, in the provider's own words; they
// are never translated, so a German desktop gets the same bytes as the real API would send.
QString str(const json &v)
{
    return v.is_string() ? QString::fromStdString(v.get<std::string>()) : QString();
}

// Text of an OpenAI/Anthropic/Responses content value: a string or a list of typed parts.
QString contentText(const json &content)
{
    if (content.is_string())
        return str(content);
    QString out;
    if (content.is_array()) {
        for (const auto &part : content) {
            if (part.is_string()) {
                out += str(part);
            } else if (part.is_object() && part.contains("text")) {
                if (!out.isEmpty())
                    out += u'\n';
                out += str(part.at("text"));
            }
        }
    }
    return out;
}

void appendText(QString &all, const QString &text)
{
    if (text.isEmpty())
        return;
    if (!all.isEmpty())
        all += u'\n';
    all += text;
}

// Messages of role/content shape (OpenAI chat, Anthropic, Ollama, Responses input items).
bool readMessages(const json &messages, SimChatRequest &out)
{
    if (!messages.is_array())
        return false;
    for (const auto &m : messages) {
        if (!m.is_object())
            return false;
        // Responses items that are not messages (reasoning, function calls) say nothing to answer.
        if (m.contains("type") && !m.contains("role"))
            continue;
        const QString role = m.contains("role") ? str(m.at("role")) : QStringLiteral("user");
        const QString text = m.contains("content") ? contentText(m.at("content")) : QString();
        appendText(out.allText, text);
        if (role == u"user")
            out.prompt = text;
    }
    return true;
}

std::optional<int> intField(const json &o, const char *key)
{
    if (o.is_object() && o.contains(key) && o.at(key).is_number_integer()) {
        const auto v = o.at(key).get<long long>();
        if (v > 0 && v <= 100'000'000)
            return static_cast<int>(v);
    }
    return std::nullopt;
}

std::optional<double> numberField(const json &o, const char *key)
{
    if (o.is_object() && o.contains(key) && o.at(key).is_number())
        return o.at(key).get<double>();
    return std::nullopt;
}

bool boolField(const json &o, const char *key, bool fallback)
{
    if (o.is_object() && o.contains(key) && o.at(key).is_boolean())
        return o.at(key).get<bool>();
    return fallback;
}

// Deeply nested input is hostile, not a chat request: refuse it before building a tree.
bool nestingWithin(const QByteArray &body, int limit)
{
    int depth = 0;
    bool inString = false;
    bool escaped = false;
    for (const char c : body) {
        if (inString) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (c == '[' || c == '{') {
            if (++depth > limit)
                return false;
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return true;
}

QString dumped(const json &v)
{
    return QString::fromStdString(v.dump());
}

ToolSpec toolSpec(const json &o, const char *schemaKey)
{
    ToolSpec t;
    t.name = str(o.value("name", json()));
    t.description = str(o.value("description", json()));
    if (o.contains(schemaKey) && o.at(schemaKey).is_object())
        t.parameters = o.at(schemaKey);
    return t;
}

QList<ToolSpec> readTools(Dialect dialect, const json &doc)
{
    QList<ToolSpec> out;
    if (!doc.contains("tools") || !doc.at("tools").is_array())
        return out;
    for (const auto &t : doc.at("tools")) {
        if (!t.is_object())
            continue;
        switch (dialect) {
        case Dialect::OpenAIChat:
        case Dialect::Ollama:
            if (t.contains("function") && t.at("function").is_object())
                out.append(toolSpec(t.at("function"), "parameters"));
            break;
        case Dialect::OpenAIResponses:
            if (str(t.value("type", json())) == u"function")
                out.append(toolSpec(t, "parameters"));
            break;
        case Dialect::Anthropic:
            out.append(toolSpec(t, "input_schema"));
            break;
        case Dialect::Gemini:
            if (t.contains("functionDeclarations") && t.at("functionDeclarations").is_array()) {
                for (const auto &d : t.at("functionDeclarations")) {
                    if (d.is_object())
                        out.append(toolSpec(d, "parameters"));
                }
            }
            break;
        }
    }
    return out;
}

ToolChoice plainChoice(const QString &word)
{
    if (word == u"none" || word == u"NONE")
        return {ToolChoice::Mode::None};
    if (word == u"required" || word == u"any" || word == u"ANY")
        return {ToolChoice::Mode::Required};
    return {ToolChoice::Mode::Auto};
}

// Each dialect's tool choice read back into one shape (engine/DialectToolChoice.h writes them).
void readToolChoice(Dialect dialect, const json &doc, SimChatRequest &r)
{
    switch (dialect) {
    case Dialect::OpenAIChat:
    case Dialect::OpenAIResponses: {
        if (doc.contains("parallel_tool_calls") && doc.at("parallel_tool_calls").is_boolean())
            r.parallelToolCalls = doc.at("parallel_tool_calls").get<bool>();
        if (!doc.contains("tool_choice"))
            return;
        const json &choice = doc.at("tool_choice");
        if (choice.is_string()) {
            r.toolChoice = plainChoice(str(choice));
        } else if (choice.is_object()) {
            const json &named = choice.contains("function") ? choice.at("function") : choice;
            r.toolChoice = ToolChoice{ToolChoice::Mode::Function, str(named.value("name", json()))};
        }
        return;
    }
    case Dialect::Anthropic: {
        if (!doc.contains("tool_choice") || !doc.at("tool_choice").is_object())
            return;
        const json &choice = doc.at("tool_choice");
        const QString type = str(choice.value("type", json()));
        r.toolChoice = type == u"tool" ? ToolChoice{ToolChoice::Mode::Function, str(choice.value("name", json()))}
                                       : plainChoice(type);
        if (choice.contains("disable_parallel_tool_use"))
            r.parallelToolCalls = !boolField(choice, "disable_parallel_tool_use", false);
        return;
    }
    case Dialect::Gemini: {
        if (!doc.contains("toolConfig") || !doc.at("toolConfig").is_object())
            return;
        const json config = doc.at("toolConfig").value("functionCallingConfig", json::object());
        if (!config.is_object())
            return;
        r.toolChoice = plainChoice(str(config.value("mode", json())));
        const json names = config.value("allowedFunctionNames", json::array());
        if (r.toolChoice->mode == ToolChoice::Mode::Required && names.is_array() && names.size() == 1)
            r.toolChoice = ToolChoice{ToolChoice::Mode::Function, str(names.at(0))};
        return;
    }
    case Dialect::Ollama:
        // /api/chat has no tool choice: the client shapes "tools" instead.
        return;
    }
}

// Arguments as JSON text: kept as sent where the dialect sends a string, dumped where an object.
QString argumentsText(const json &v)
{
    return v.is_string() ? str(v) : dumped(v.is_null() ? json::object() : v);
}

QString nameOfCall(const QList<ChatMessage> &messages, const QString &id)
{
    for (const auto &m : messages) {
        for (const auto &c : m.toolCalls) {
            if (c.id == id)
                return c.name;
        }
    }
    return {};
}

ChatMessage toolResult(const QString &id, const QString &name, const QString &content, bool error = false)
{
    ChatMessage m{QStringLiteral("tool"), content};
    m.toolCallId = id;
    m.toolName = name;
    m.toolError = error;
    return m;
}

// The OpenAI chat, Ollama and Anthropic "messages" array, normalised.
void readConversation(Dialect dialect, const json &messages, QList<ChatMessage> &out)
{
    for (const auto &m : messages) {
        const QString role = m.contains("role") ? str(m.at("role")) : QStringLiteral("user");
        if (role == u"system")
            continue;
        const json content = m.value("content", json());
        if (role == u"tool") {
            const QString id = str(m.value("tool_call_id", json()));
            const QString name = dialect == Dialect::Ollama ? str(m.value("tool_name", json())) : nameOfCall(out, id);
            out.append(toolResult(id, name, contentText(content)));
            continue;
        }
        ChatMessage message{role, contentText(content)};
        if (m.contains("tool_calls") && m.at("tool_calls").is_array()) {
            for (const auto &c : m.at("tool_calls")) {
                const json function = c.value("function", json::object());
                message.toolCalls.append({str(c.value("id", json())), str(function.value("name", json())),
                                          argumentsText(function.value("arguments", json()))});
            }
        }
        if (content.is_array()) {
            // Anthropic blocks: tool_use on the assistant side, tool_result on the user side.
            QList<ChatMessage> results;
            for (const auto &block : content) {
                if (!block.is_object())
                    continue;
                const QString type = str(block.value("type", json()));
                if (type == u"tool_use") {
                    message.toolCalls.append({str(block.value("id", json())), str(block.value("name", json())),
                                              argumentsText(block.value("input", json()))});
                } else if (type == u"tool_result") {
                    const QString id = str(block.value("tool_use_id", json()));
                    results.append(toolResult(id, nameOfCall(out, id), contentText(block.value("content", json())),
                                              block.value("is_error", false)));
                }
            }
            out.append(results);
            if (!results.isEmpty() && message.content.isEmpty())
                continue;
        }
        out.append(message);
    }
}

// The API's own 400s for reasoning items sent back: with "store": false an item is known only by
// its sealed encrypted_content, and content the server did not seal for that id is refused.
QString checkReasoningItems(const json &input, bool store)
{
    for (const auto &item : input) {
        if (!item.is_object() || str(item.value("type", json())) != u"reasoning")
            continue;
        const json id = item.value("id", json());
        const json sealed = item.value("encrypted_content", json());
        const json summary = item.value("summary", json());
        if (!id.is_string() || !summary.is_array())
            return QString::fromUtf8("Invalid reasoning item: \"id\" must be a string and \"summary\" an array.");
        if (sealed.is_null()) {
            if (!store)
                return QString::fromUtf8(
                           "Item with id '%1' not found. Items are not persisted when `store` is set to "
                           "false. Try again with `store` set to true, or remove this item from your input.")
                    .arg(str(id));
            continue;
        }
        if (!sealed.is_string() || !SimOpenAIResponsesEncoder::reasoningSealValid(str(id), str(sealed)))
            return QString::fromUtf8("The encrypted content for item %1 could not be verified.").arg(str(id));
    }
    return {};
}

void readResponsesInput(const json &input, QList<ChatMessage> &out)
{
    for (const auto &item : input) {
        const QString type = str(item.value("type", json()));
        if (type == u"reasoning") {
            // It opens the assistant turn its calls and text then join.
            ChatMessage turn{QStringLiteral("assistant"), QString()};
            if (!out.isEmpty() && out.last().role == u"assistant" && out.last().toolCalls.isEmpty() &&
                out.last().content.isEmpty())
                turn = out.takeLast();
            ChatReasoningItem kept{str(item.value("id", json())), str(item.value("encrypted_content", json()))};
            for (const auto &part : item.value("summary", json::array()))
                kept.summary.append(str(part.value("text", json())));
            turn.reasoningItems.append(kept);
            out.append(turn);
        } else if (type == u"function_call") {
            if (out.isEmpty() || out.last().role != u"assistant")
                out.append(ChatMessage{QStringLiteral("assistant"), QString()});
            out.last().toolCalls.append({str(item.value("call_id", json())), str(item.value("name", json())),
                                         argumentsText(item.value("arguments", json()))});
        } else if (type == u"function_call_output") {
            const QString id = str(item.value("call_id", json()));
            out.append(toolResult(id, nameOfCall(out, id), contentText(item.value("output", json()))));
        } else if (item.contains("role") && str(item.at("role")) == u"assistant" && !out.isEmpty() &&
                   out.last().role == u"assistant" && out.last().toolCalls.isEmpty() && out.last().content.isEmpty() &&
                   !out.last().reasoningItems.isEmpty()) {
            out.last().content = contentText(item.value("content", json()));
        } else if (item.contains("role") && str(item.at("role")) != u"system") {
            out.append(ChatMessage{str(item.at("role")), contentText(item.value("content", json()))});
        }
    }
}

void readGeminiContents(const json &contents, QList<ChatMessage> &out)
{
    for (const auto &c : contents) {
        const bool model = str(c.value("role", json())) == u"model";
        ChatMessage message{model ? QStringLiteral("assistant") : QStringLiteral("user"), QString()};
        QList<ChatMessage> results;
        for (const auto &part : c.value("parts", json::array())) {
            if (!part.is_object())
                continue;
            if (part.contains("text")) {
                appendText(message.content, str(part.at("text")));
            } else if (part.contains("functionCall") && part.at("functionCall").is_object()) {
                const json &call = part.at("functionCall");
                message.toolCalls.append({str(call.value("id", json())), str(call.value("name", json())),
                                          argumentsText(call.value("args", json()))});
            } else if (part.contains("functionResponse") && part.at("functionResponse").is_object()) {
                const json &response = part.at("functionResponse");
                const json body = response.value("response", json::object());
                const bool error = body.is_object() && body.contains("error") && !body.contains("output");
                const json shown =
                    error ? body.at("error") : (body.is_object() && body.contains("output") ? body.at("output") : body);
                results.append(toolResult(str(response.value("id", json())), str(response.value("name", json())),
                                          shown.is_string() ? str(shown) : dumped(shown), error));
            }
        }
        out.append(results);
        if (results.isEmpty() || !message.content.isEmpty())
            out.append(message);
    }
}

} // namespace

Result<SimChatRequest> SimChatRequest::parse(Dialect dialect, const QByteArray &body, const QString &pathModel,
                                             bool pathStreams)
{
    json doc;
    if (!nestingWithin(body, 64))
        return Error{QString::fromUtf8("The request body is nested too deeply.")};
    try {
        doc = json::parse(body.cbegin(), body.cend());
    } catch (const json::exception &) {
        return Error{QString::fromUtf8("The request body is not valid JSON.")};
    }
    if (!doc.is_object())
        return Error{QString::fromUtf8("The request body must be a JSON object.")};

    SimChatRequest r;
    r.dialect = dialect;
    r.model = dialect == Dialect::Gemini ? pathModel : (doc.contains("model") ? str(doc.at("model")) : QString());
    if (r.model.isEmpty())
        return Error{QString::fromUtf8("The request names no model.")};
    r.temperature = numberField(doc, "temperature");

    switch (dialect) {
    case Dialect::OpenAIChat: {
        if (!doc.contains("messages") || !readMessages(doc.at("messages"), r))
            return Error{QString::fromUtf8("\"messages\" must be an array of messages.")};
        r.stream = boolField(doc, "stream", false);
        if (doc.contains("stream_options") && doc.at("stream_options").is_object()) {
            r.includeUsage = boolField(doc.at("stream_options"), "include_usage", false);
            r.includeObfuscation = boolField(doc.at("stream_options"), "include_obfuscation", true);
        }
        r.maxTokens = intField(doc, "max_completion_tokens");
        if (!r.maxTokens)
            r.maxTokens = intField(doc, "max_tokens");
        break;
    }
    case Dialect::OpenAIResponses: {
        if (!doc.contains("input"))
            return Error{QString::fromUtf8("\"input\" is required.")};
        const json &input = doc.at("input");
        if (input.is_string()) {
            r.prompt = str(input);
            r.allText = r.prompt;
        } else if (!readMessages(input, r)) {
            return Error{QString::fromUtf8("\"input\" must be a string or an array of input items.")};
        }
        r.instructions = doc.contains("instructions") ? str(doc.at("instructions")) : QString();
        if (!r.instructions.isEmpty())
            r.allText = r.instructions + u'\n' + r.allText;
        r.stream = boolField(doc, "stream", false);
        r.maxTokens = intField(doc, "max_output_tokens");
        r.store = boolField(doc, "store", true);
        if (doc.contains("include") && doc.at("include").is_array()) {
            for (const auto &what : doc.at("include"))
                r.encryptedReasoningRequested |= str(what) == u"reasoning.encrypted_content";
        }
        if (input.is_array()) {
            if (const QString refused = checkReasoningItems(input, r.store); !refused.isEmpty())
                return Error{refused};
        }
        break;
    }
    case Dialect::Anthropic: {
        if (!doc.contains("messages") || !readMessages(doc.at("messages"), r))
            return Error{QString::fromUtf8("messages: Field required")};
        if (!intField(doc, "max_tokens"))
            return Error{QString::fromUtf8("max_tokens: Field required")};
        if (doc.contains("system"))
            r.allText = contentText(doc.at("system")) + u'\n' + r.allText;
        r.stream = boolField(doc, "stream", false);
        r.maxTokens = intField(doc, "max_tokens");
        if (doc.contains("thinking") && doc.at("thinking").is_object())
            r.thinkingRequested = str(doc.at("thinking").value("type", json())) == u"enabled";
        break;
    }
    case Dialect::Gemini: {
        if (!doc.contains("contents") || !doc.at("contents").is_array())
            return Error{QString::fromUtf8("* GenerateContentRequest.contents: contents is not specified")};
        if (doc.contains("systemInstruction") && doc.at("systemInstruction").is_object() &&
            doc.at("systemInstruction").contains("parts"))
            appendText(r.allText, contentText(doc.at("systemInstruction").at("parts")));
        for (const auto &c : doc.at("contents")) {
            if (!c.is_object())
                return Error{QString::fromUtf8("* GenerateContentRequest.contents: invalid content")};
            const QString role = c.contains("role") ? str(c.at("role")) : QStringLiteral("user");
            const QString text = c.contains("parts") ? contentText(c.at("parts")) : QString();
            appendText(r.allText, text);
            if (role == u"user")
                r.prompt = text;
        }
        r.stream = pathStreams;
        if (doc.contains("generationConfig") && doc.at("generationConfig").is_object()) {
            const json &gc = doc.at("generationConfig");
            r.maxTokens = intField(gc, "maxOutputTokens");
            r.temperature = numberField(gc, "temperature");
            if (gc.contains("thinkingConfig"))
                r.thinkingRequested = boolField(gc.at("thinkingConfig"), "includeThoughts", false);
        }
        break;
    }
    case Dialect::Ollama: {
        if (!doc.contains("messages") || !readMessages(doc.at("messages"), r))
            return Error{QString::fromUtf8("messages must be an array")};
        r.stream = boolField(doc, "stream", true); // Ollama streams unless told not to
        r.thinkingRequested = boolField(doc, "think", false);
        if (doc.contains("options") && doc.at("options").is_object()) {
            r.maxTokens = intField(doc.at("options"), "num_predict");
            r.temperature = numberField(doc.at("options"), "temperature");
        }
        break;
    }
    }

    // Tool calls and results: a result is not what the user asked, so the prompt stays the last
    // user message of text.
    try {
        if (dialect == Dialect::OpenAIResponses) {
            if (doc.at("input").is_array())
                readResponsesInput(doc.at("input"), r.messages);
            else
                r.messages.append(ChatMessage{QStringLiteral("user"), r.prompt});
        } else if (dialect == Dialect::Gemini) {
            readGeminiContents(doc.at("contents"), r.messages);
        } else {
            readConversation(dialect, doc.at("messages"), r.messages);
        }
        r.tools = readTools(dialect, doc);
        readToolChoice(dialect, doc, r);
    } catch (const json::exception &) {
        // A field of the wrong type inside a call, a result or a tool declaration.
        return Error{QString::fromUtf8("The request's tools, tool calls or tool results are malformed.")};
    }
    const bool toolTraffic = std::any_of(r.messages.cbegin(), r.messages.cend(), [](const ChatMessage &m) {
        return m.role == u"tool" || !m.toolCalls.isEmpty();
    });
    if (toolTraffic) {
        for (auto it = r.messages.crbegin(); it != r.messages.crend(); ++it) {
            if (it->role == u"user") {
                r.prompt = it->content;
                break;
            }
        }
    }
    return r;
}

} // namespace Slopscope
