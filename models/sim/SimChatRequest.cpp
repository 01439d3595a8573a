#include "sim/SimChatRequest.h"

#include <QCoreApplication>

#include <nlohmann/json.hpp>

namespace Slopscope {

namespace {

using json = nlohmann::json;

// These texts go over the wire as a provider's error body, in the provider's own words; they
// are never translated, so a German desktop gets the same bytes as the real API would send.
QString wireText(const char *text)
{
    return QString::fromUtf8(text);
}

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

} // namespace

Result<SimChatRequest> SimChatRequest::parse(Dialect dialect, const QByteArray &body, const QString &pathModel,
                                             bool pathStreams)
{
    json doc;
    if (!nestingWithin(body, 64))
        return Error{wireText("The request body is nested too deeply.")};
    try {
        doc = json::parse(body.cbegin(), body.cend());
    } catch (const json::exception &) {
        return Error{wireText("The request body is not valid JSON.")};
    }
    if (!doc.is_object())
        return Error{wireText("The request body must be a JSON object.")};

    SimChatRequest r;
    r.dialect = dialect;
    r.model = dialect == Dialect::Gemini ? pathModel : (doc.contains("model") ? str(doc.at("model")) : QString());
    if (r.model.isEmpty())
        return Error{wireText("The request names no model.")};
    r.temperature = numberField(doc, "temperature");

    switch (dialect) {
    case Dialect::OpenAIChat: {
        if (!doc.contains("messages") || !readMessages(doc.at("messages"), r))
            return Error{wireText("\"messages\" must be an array of messages.")};
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
            return Error{wireText("\"input\" is required.")};
        const json &input = doc.at("input");
        if (input.is_string()) {
            r.prompt = str(input);
            r.allText = r.prompt;
        } else if (!readMessages(input, r)) {
            return Error{wireText("\"input\" must be a string or an array of input items.")};
        }
        r.instructions = doc.contains("instructions") ? str(doc.at("instructions")) : QString();
        if (!r.instructions.isEmpty())
            r.allText = r.instructions + u'\n' + r.allText;
        r.stream = boolField(doc, "stream", false);
        r.maxTokens = intField(doc, "max_output_tokens");
        break;
    }
    case Dialect::Anthropic: {
        if (!doc.contains("messages") || !readMessages(doc.at("messages"), r))
            return Error{wireText("messages: Field required")};
        if (!intField(doc, "max_tokens"))
            return Error{wireText("max_tokens: Field required")};
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
            return Error{wireText("* GenerateContentRequest.contents: contents is not specified")};
        if (doc.contains("systemInstruction") && doc.at("systemInstruction").is_object() &&
            doc.at("systemInstruction").contains("parts"))
            appendText(r.allText, contentText(doc.at("systemInstruction").at("parts")));
        for (const auto &c : doc.at("contents")) {
            if (!c.is_object())
                return Error{wireText("* GenerateContentRequest.contents: invalid content")};
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
            return Error{wireText("messages must be an array")};
        r.stream = boolField(doc, "stream", true); // Ollama streams unless told not to
        r.thinkingRequested = boolField(doc, "think", false);
        if (doc.contains("options") && doc.at("options").is_object()) {
            r.maxTokens = intField(doc.at("options"), "num_predict");
            r.temperature = numberField(doc.at("options"), "temperature");
        }
        break;
    }
    }
    return r;
}

} // namespace Slopscope
