#include "quality/PromptfooParser.h"

// The promptfoo parser's prompts (text, chat messages, files of either) and providers (mapped to
// target suggestions).

#include <QCoreApplication>
#include <QFileInfo>
#include <QRegularExpression>

namespace Slopscope::PromptfooDetail {

namespace {

// Through Q_DECLARE_TR_FUNCTIONS, lupdate files these strings under the context the code
// looks them up in (a translate() wrapper called tr() misled it into the namespace's).
struct PromptfooPromptsTr
{
    Q_DECLARE_TR_FUNCTIONS(PromptfooImporter)
};

std::optional<QList<ChatMessage>> chatMessages(const json &v)
{
    if (!v.is_array() || v.empty())
        return std::nullopt;
    QList<ChatMessage> out;
    for (const auto &m : v) {
        if (!m.is_object() || !m.contains("role") || !m.at("role").is_string() || !m.contains("content") ||
            !m.at("content").is_string())
            return std::nullopt;
        QString role = jsonText(m.at("role"));
        if (role == u"developer")
            role = QStringLiteral("system");
        if (role != u"system" && role != u"user" && role != u"assistant")
            return std::nullopt;
        out.append(ChatMessage{role, jsonText(m.at("content"))});
    }
    return out;
}

} // namespace

// ---- prompts ---------------------------------------------------------------------------------

bool Parser::addPromptText(const QString &text, const QString &label, const YAML::Node &at, const QString &path,
                           QList<PromptDef> &out)
{
    if (text.startsWith(u"file://"))
        return addPromptFile(text, label, at, path, out);
    PromptDef p;
    p.label = label.isEmpty() ? text.left(60) : label;
    const QString trimmed = text.trimmed();
    if (trimmed.startsWith(u'[')) {
        // promptfoo's chat format: a JSON list of messages.
        const json parsed = json::parse(trimmed.toStdString(), nullptr, false);
        if (!parsed.is_discarded()) {
            auto messages = chatMessages(parsed);
            if (!messages)
                return fail(at, path,
                            PromptfooPromptsTr::tr("a chat prompt must be a list of {\"role\", \"content\"} messages"));
            p.messages = std::move(*messages);
        }
    }
    if (p.messages.isEmpty()) {
        if (trimmed.isEmpty())
            return fail(at, path, PromptfooPromptsTr::tr("the prompt is empty"));
        p.text = text;
    }
    return addPrompt(std::move(p), at, path, out);
}

// A prompt given as the string in `node` ("raw" or "id").
bool Parser::addPromptField(const YAML::Node &node, const QString &label, const QString &path, QList<PromptDef> &out)
{
    QString text;
    return scalarString(node, path, text) && addPromptText(text, label, node, path, out);
}

bool Parser::addPrompt(PromptDef p, const YAML::Node &at, const QString &path, QList<PromptDef> &out)
{
    if (!checkNunjucks(p, at, path))
        return false;
    out.append(std::move(p));
    return true;
}

bool Parser::checkNunjucks(const PromptDef &p, const YAML::Node &at, const QString &path)
{
    static const QRegularExpression tag(QStringLiteral("\\{%|\\{#"));
    static const QRegularExpression filter(QStringLiteral("\\{\\{[^}]*\\|[^}]*\\}\\}"));
    QStringList texts{p.text};
    for (const auto &m : p.messages)
        texts.append(m.content);
    for (const QString &t : std::as_const(texts)) {
        if (tag.match(t).hasMatch())
            return fail(
                at, path,
                PromptfooPromptsTr::tr("nunjucks tags ({% … %}) are not supported; only {{var}} placeholders are"));
        if (filter.match(t).hasMatch())
            return fail(at, path, PromptfooPromptsTr::tr("nunjucks filters ({{ var | filter }}) are not supported"));
    }
    return true;
}

bool Parser::addPromptFile(const QString &ref, const QString &label, const YAML::Node &at, const QString &path,
                           QList<PromptDef> &out)
{
    QString file = ref;
    // promptfoo's "file://prompts.py:function_name" form.
    const QString ext0 = extensionOf(resolve(file).section(u':', 0, 0));
    if (ext0 == u"py" || ext0 == u"js" || ext0 == u"ts" || ext0 == u"mjs" || ext0 == u"cjs")
        return fail(
            at, path,
            PromptfooPromptsTr::tr("prompt functions (%1) cannot be imported; use text or chat prompts").arg(ref));
    return forEachFile(file, at, path, [&](const QString &f, const QByteArray &bytes) {
        const QString ext = extensionOf(f);
        const QString fileLabel = label.isEmpty() ? QFileInfo(f).fileName() : label;
        if (ext == u"json" || ext == u"yaml" || ext == u"yml") {
            json parsed;
            if (!parseDataFile(bytes, f, ext == u"json", at, path, parsed))
                return false;
            auto messages = chatMessages(parsed);
            if (!messages)
                return fail(at, path,
                            PromptfooPromptsTr::tr("%1 must hold a list of {\"role\", \"content\"} messages").arg(f));
            return addPrompt(PromptDef{fileLabel, {}, std::move(*messages)}, at, path, out);
        }
        if (ext == u"jsonl") {
            return forEachLine(bytes, [&](const QByteArray &line, int n) {
                auto messages = chatMessages(json::parse(line.toStdString(), nullptr, false));
                if (!messages)
                    return fail(at, path,
                                PromptfooPromptsTr::tr("%1:%2: expected a list of {\"role\", \"content\"} messages")
                                    .arg(f)
                                    .arg(n));
                return addPrompt(PromptDef{QStringLiteral("%1:%2").arg(fileLabel).arg(n), {}, std::move(*messages)}, at,
                                 path, out);
            });
        }
        // Text: several prompts separated by a line of three dashes.
        static const QRegularExpression separator(QStringLiteral("(?:\\r?\\n|^)---\\r?\\n"));
        const QStringList parts = QString::fromUtf8(bytes).split(separator);
        int k = 0;
        for (const QString &part : parts) {
            if (part.trimmed().isEmpty())
                continue;
            ++k;
            const QString partLabel = parts.size() > 1 ? QStringLiteral("%1#%2").arg(fileLabel).arg(k) : fileLabel;
            if (!addPromptText(part.trimmed(), partLabel, at, path, out))
                return false;
        }
        return true;
    });
}

// An optional "label" of a prompt or provider object.
bool Parser::labelOf(const YAML::Node &item, const QString &path, QString &label)
{
    const YAML::Node l = child(item, "label");
    return !l.IsDefined() || scalarString(l, path + QStringLiteral(".label"), label);
}

bool Parser::parsePrompts(const YAML::Node &node, QList<PromptDef> &out)
{
    const QString path = QStringLiteral("prompts");
    if (node.IsScalar())
        return addPromptText(qs(node.Scalar()), {}, node, path, out);
    if (node.IsMap()) {
        // The older form: {"file://a.txt": "label", ...}.
        for (auto it = node.begin(); it != node.end(); ++it) {
            QString label;
            if (!scalarString(it->second, path + u'.' + qs(it->first.Scalar()), label))
                return false;
            if (!addPromptText(qs(it->first.Scalar()), label, it->second, path, out))
                return false;
        }
        return true;
    }
    if (!node.IsSequence())
        return fail(node, path, PromptfooPromptsTr::tr("expected a prompt or a list of prompts"));
    for (std::size_t i = 0; i < node.size(); ++i) {
        const YAML::Node item = node[i];
        const QString ipath = QStringLiteral("prompts[%1]").arg(i);
        if (item.IsScalar()) {
            if (!addPromptText(qs(item.Scalar()), {}, item, ipath, out))
                return false;
            continue;
        }
        if (!item.IsMap())
            return fail(item, ipath, PromptfooPromptsTr::tr("expected a string or {raw|id, label}"));
        QString label;
        if (!labelOf(item, ipath, label))
            return false;
        const YAML::Node raw = child(item, "raw");
        const YAML::Node id = child(item, "id");
        if (raw.IsDefined()) {
            if (raw.IsSequence()) {
                json messages;
                if (!toJson(raw, ipath + QStringLiteral(".raw"), messages))
                    return false;
                auto chat = chatMessages(messages);
                if (!chat)
                    return fail(raw, ipath + QStringLiteral(".raw"), PromptfooPromptsTr::tr("expected chat messages"));
                if (!addPrompt(PromptDef{label.isEmpty() ? QStringLiteral("prompt %1").arg(i + 1) : label,
                                         {},
                                         std::move(*chat)},
                               raw, ipath, out))
                    return false;
                continue;
            }
            if (!addPromptField(raw, label, ipath + QStringLiteral(".raw"), out))
                return false;
            continue;
        }
        if (id.IsDefined()) {
            if (!addPromptField(id, label, ipath + QStringLiteral(".id"), out))
                return false;
            continue;
        }
        if (item.size() == 1 && item.begin()->first.IsScalar() &&
            qs(item.begin()->first.Scalar()).startsWith(u"file://")) {
            QString l;
            if (!scalarString(item.begin()->second, ipath, l) ||
                !addPromptText(qs(item.begin()->first.Scalar()), l, item, ipath, out))
                return false;
            continue;
        }
        return fail(item, ipath, PromptfooPromptsTr::tr("a prompt object needs \"raw\" or \"id\""));
    }
    return true;
}

// ---- providers -------------------------------------------------------------------------------

bool Parser::providerFrom(const QString &id, const YAML::Node &config, const QString &label, const QString &path,
                          QList<TargetSuggestion> &out)
{
    TargetSuggestion t = PromptfooImporter::mapProvider(id);
    if (!label.isEmpty())
        t.label = label;
    if (config.IsDefined() && !config.IsNull()) {
        json c;
        if (!toJson(config, path + QStringLiteral(".config"), c))
            return false;
        if (!c.is_object())
            return fail(config, path + QStringLiteral(".config"), PromptfooPromptsTr::tr("expected a mapping"));
        if (c.contains("temperature") && c.at("temperature").is_number())
            t.params.temperature = c.at("temperature").get<double>();
        for (const char *key : {"max_tokens", "maxTokens", "max_completion_tokens", "max_output_tokens"}) {
            if (c.contains(key) && c.at(key).is_number_integer()) {
                t.params.maxTokens = c.at(key).get<int>();
                break;
            }
        }
        for (const char *key : {"reasoning_effort", "reasoningEffort"}) {
            if (c.contains(key) && c.at(key).is_string())
                t.params.reasoningEffort = jsonText(c.at(key));
        }
        for (const char *key : {"apiBaseUrl", "apiHost", "baseUrl", "baseURL"}) {
            if (c.contains(key) && c.at(key).is_string()) {
                t.baseUrl = jsonText(c.at(key));
                if (std::string(key) == "apiHost" && !t.baseUrl.contains(QStringLiteral("://")))
                    t.baseUrl.prepend(QStringLiteral("https://"));
                break;
            }
        }
        // Keys never travel with a suggestion: they belong in the environment.
        for (const char *key : {"apiKey", "api_key"}) {
            if (c.contains(key))
                warn(PromptfooPromptsTr::tr(
                         "%1: the API key in the configuration is not imported; Slopscope reads keys from "
                         "the environment")
                         .arg(path));
        }
    }
    out.append(std::move(t));
    return true;
}

// {"openai:gpt-4o": {label: ..., config: ...}}: the options may be anything, only a mapping counts.
bool Parser::providerFromEntry(const QString &id, const YAML::Node &options, const QString &path,
                               QList<TargetSuggestion> &out)
{
    const YAML::Node config = options.IsMap() ? child(options, "config") : YAML::Node();
    const QString label =
        options.IsMap() && child(options, "label").IsScalar() ? qs(child(options, "label").Scalar()) : QString();
    return providerFrom(id, config, label, path, out);
}

bool Parser::parseProviders(const YAML::Node &node, QList<TargetSuggestion> &out)
{
    const QString path = QStringLiteral("providers");
    if (node.IsScalar())
        return providerFrom(qs(node.Scalar()), YAML::Node(), {}, path, out);
    if (node.IsMap()) {
        for (auto it = node.begin(); it != node.end(); ++it) {
            if (!providerFromEntry(qs(it->first.Scalar()), it->second, path + u'.' + qs(it->first.Scalar()), out))
                return false;
        }
        return true;
    }
    if (!node.IsSequence())
        return fail(node, path, PromptfooPromptsTr::tr("expected a provider id or a list of providers"));
    for (std::size_t i = 0; i < node.size(); ++i) {
        const YAML::Node item = node[i];
        const QString ipath = QStringLiteral("providers[%1]").arg(i);
        if (item.IsScalar()) {
            if (!providerFrom(qs(item.Scalar()), YAML::Node(), {}, ipath, out))
                return false;
            continue;
        }
        if (!item.IsMap())
            return fail(item, ipath, PromptfooPromptsTr::tr("expected a provider id or {id, label, config}"));
        const YAML::Node id = child(item, "id");
        QString label;
        if (!labelOf(item, ipath, label))
            return false;
        if (id.IsDefined()) {
            QString idText;
            if (!scalarString(id, ipath + QStringLiteral(".id"), idText) ||
                !providerFrom(idText, child(item, "config"), label, ipath, out))
                return false;
            continue;
        }
        if (item.size() == 1) {
            if (!providerFromEntry(qs(item.begin()->first.Scalar()), item.begin()->second, ipath, out))
                return false;
            continue;
        }
        return fail(item, ipath, PromptfooPromptsTr::tr("a provider object needs an \"id\""));
    }
    return true;
}

} // namespace Slopscope::PromptfooDetail
