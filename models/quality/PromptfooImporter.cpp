#include "quality/PromptfooImporter.h"

#include "core/Json.h"
#include "quality/CsvImporter.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>

#include <yaml-cpp/yaml.h>

#include <functional>

namespace Slopscope {

namespace {

using json = nlohmann::json;

QString tr(const char *text)
{
    return QCoreApplication::translate("PromptfooImporter", text);
}

QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}

constexpr int kMaxDepth = 64;
// Cartesian expansion of list vars can explode; promptfoo has no limit, a desktop app needs one.
constexpr qsizetype kMaxExpansion = 10'000;
// Values converted from YAML over a whole import.
constexpr qsizetype kMaxNodes = 500'000;

// YAML 1.2 core schema resolution of a plain scalar, as js-yaml (promptfoo's parser) does it.
json scalarToJson(const YAML::Node &node)
{
    const std::string &s = node.Scalar();
    const std::string &tag = node.Tag();
    const QString text = qs(s);
    auto endsWith = [&](const char *suffix) {
        const std::string sfx(suffix);
        return tag.size() >= sfx.size() && tag.compare(tag.size() - sfx.size(), sfx.size(), sfx) == 0;
    };
    if (tag == "!" || endsWith(":str"))
        return s; // quoted, or explicitly a string
    static const QRegularExpression nullRe(QStringLiteral("^(?:~|null|Null|NULL)?$"));
    static const QRegularExpression trueRe(QStringLiteral("^(?:true|True|TRUE)$"));
    static const QRegularExpression falseRe(QStringLiteral("^(?:false|False|FALSE)$"));
    static const QRegularExpression intRe(QStringLiteral("^[-+]?[0-9]+$"));
    static const QRegularExpression floatRe(
        QStringLiteral("^[-+]?(?:\\.[0-9]+|[0-9]+(?:\\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$"));
    if (nullRe.match(text).hasMatch())
        return nullptr;
    if (trueRe.match(text).hasMatch())
        return true;
    if (falseRe.match(text).hasMatch())
        return false;
    if (intRe.match(text).hasMatch()) {
        bool ok = false;
        const qlonglong v = text.toLongLong(&ok);
        if (ok)
            return v;
    }
    if (floatRe.match(text).hasMatch()) {
        bool ok = false;
        const double v = text.toDouble(&ok);
        if (ok)
            return v;
    }
    return s;
}

QString slug(const QString &text)
{
    QString out;
    bool dash = false;
    for (const QChar c : text.toLower()) {
        if (c.isLetterOrNumber() && c.unicode() < 128) {
            out += c;
            dash = false;
        } else if (!dash && !out.isEmpty()) {
            out += u'-';
            dash = true;
        }
        if (out.size() >= 48)
            break;
    }
    while (out.endsWith(u'-'))
        out.chop(1);
    return out;
}

QString jsonText(const json &v)
{
    if (v.is_string())
        return Json::toQString(v.get<std::string>());
    if (v.is_null())
        return {};
    return Json::toQString(v.dump());
}

struct PromptDef
{
    QString label;
    QString text;
    QList<ChatMessage> messages;
};

struct TestDefaults
{
    json vars = json::object();
    QList<Assertion> assertions;
    json metadata = json::object();
    std::optional<double> threshold;
    QString judge;
};

// promptfoo's assertion shorthand in CSV "__expected" columns: "icontains: Paris",
// "not-regex: \d", "similar(0.8): text", "grade: is polite", "fn: ..."; anything else is equals.
Assertion assertionFromString(const QString &text)
{
    static const QRegularExpression form(
        QStringLiteral("^(not-)?([a-z][a-z0-9-]*)(?:\\((\\d+(?:\\.\\d+)?)\\))?:\\s?(.*)$"),
        QRegularExpression::DotMatchesEverythingOption);
    Assertion a;
    const auto m = form.match(text);
    if (m.hasMatch()) {
        QString type = m.captured(2);
        if (type == u"grade" || type == u"llm-rubric")
            type = QStringLiteral("llm-rubric");
        else if (type == u"fn" || type == u"eval")
            type = QStringLiteral("javascript");
        else if (type == u"python" || type == u"file")
            type = type == u"file" ? QStringLiteral("javascript") : type;
        const bool known = knownAssertionTypes().contains(canonicalAssertionType(type)) || type == u"javascript" ||
                           type == u"python" || type == u"similar";
        if (known) {
            a.type = m.captured(1) + type;
            a.value = m.captured(4).toStdString();
            if (!m.captured(3).isEmpty())
                a.threshold = m.captured(3).toDouble();
            return a;
        }
    }
    a.type = QStringLiteral("equals");
    a.value = text.toStdString();
    return a;
}

class Parser final
{
public:
    Parser(QString source, QString baseDir)
        : m_source(std::move(source))
        , m_baseDir(std::move(baseDir))
    {}

    Result<PromptfooImporter::Import> parse(const YAML::Node &root)
    {
        PromptfooImporter::Import out;
        if (!root.IsMap())
            return failError(root, {}, tr("a promptfoo configuration must be a mapping (prompts, providers, tests)"));
        static const QSet<QString> known{QStringLiteral("description"),
                                         QStringLiteral("prompts"),
                                         QStringLiteral("providers"),
                                         QStringLiteral("targets"),
                                         QStringLiteral("tests"),
                                         QStringLiteral("defaultTest"),
                                         QStringLiteral("scenarios"),
                                         QStringLiteral("evaluateOptions"),
                                         QStringLiteral("outputPath"),
                                         QStringLiteral("sharing"),
                                         QStringLiteral("env"),
                                         QStringLiteral("commandLineOptions"),
                                         QStringLiteral("nunjucksFilters"),
                                         QStringLiteral("derivedMetrics"),
                                         QStringLiteral("extensions"),
                                         QStringLiteral("tags"),
                                         QStringLiteral("metadata"),
                                         QStringLiteral("writeLatestResults"),
                                         QStringLiteral("redteam"),
                                         QStringLiteral("tracing"),
                                         QStringLiteral("assertionTemplates")};
        for (auto it = root.begin(); it != root.end(); ++it) {
            const QString key = qs(it->first.Scalar());
            if (!known.contains(key))
                warn(tr("the key \"%1\" is not imported").arg(key));
        }

        const YAML::Node description = child(root, "description");
        if (description.IsDefined() && !description.IsNull()) {
            if (!description.IsScalar())
                return failError(description, QStringLiteral("description"), tr("expected a string"));
            out.suite.description = qs(description.Scalar());
        }
        out.suite.name = out.suite.description.isEmpty() ? QFileInfo(m_source).completeBaseName()
                                                         : out.suite.description.section(u'\n', 0, 0).left(80);
        if (child(root, "scenarios").IsDefined())
            warn(tr("scenarios are not imported; only tests are"));
        if (child(root, "nunjucksFilters").IsDefined())
            warn(tr("custom nunjucks filters are not imported"));

        QList<PromptDef> prompts;
        const YAML::Node promptsNode = child(root, "prompts");
        if (!promptsNode.IsDefined() || promptsNode.IsNull())
            return failError(root, QStringLiteral("prompts"), tr("at least one prompt is required"));
        if (!parsePrompts(promptsNode, prompts))
            return *m_error;
        if (prompts.isEmpty())
            return failError(promptsNode, QStringLiteral("prompts"), tr("at least one prompt is required"));

        YAML::Node providers = child(root, "providers");
        if (!providers.IsDefined())
            providers = child(root, "targets");
        if (providers.IsDefined() && !providers.IsNull() && !parseProviders(providers, out.targets))
            return *m_error;

        TestDefaults defaults;
        const YAML::Node defaultTest = child(root, "defaultTest");
        if (defaultTest.IsDefined() && !defaultTest.IsNull() && !parseDefaultTest(defaultTest, defaults))
            return *m_error;

        QList<Located> tests;
        const YAML::Node testsNode = child(root, "tests");
        if (testsNode.IsDefined() && !testsNode.IsNull() && !collectTests(testsNode, QStringLiteral("tests"), tests))
            return *m_error;
        if (tests.isEmpty()) {
            // promptfoo runs each prompt once with the default test when there are no tests.
            tests.append(Located{YAML::Node(YAML::NodeType::Map), QStringLiteral("defaultTest"), m_source, 0, {}});
        }
        QSet<QString> ids;
        for (qsizetype i = 0; i < tests.size(); ++i) {
            if (!buildCases(tests.at(i), i + 1, defaults, prompts, ids, out.suite))
                return *m_error;
        }
        if (out.suite.cases.isEmpty())
            return failError(root, QStringLiteral("tests"), tr("the configuration yields no test"));
        out.warnings = m_warnings;
        return out;
    }

    Error failError(const YAML::Node &node, const QString &path, const QString &message)
    {
        fail(node, path, message);
        return *m_error;
    }

private:
    // A test node with where it came from (tests may live in other files) or, for CSV tests,
    // its values already read.
    struct Located
    {
        YAML::Node node;
        QString path;
        QString source;
        int line = 0; // CSV rows: the row's line; YAML nodes carry their own mark
        std::optional<json> csv;
    };

    static YAML::Node child(const YAML::Node &map, const char *key)
    {
        if (!map.IsMap())
            return YAML::Node(YAML::NodeType::Undefined);
        for (auto it = map.begin(); it != map.end(); ++it) {
            if (it->first.IsScalar() && it->first.Scalar() == key)
                return it->second;
        }
        return YAML::Node(YAML::NodeType::Undefined);
    }

    bool fail(const YAML::Node &node, const QString &path, const QString &message, const QString &source = {})
    {
        if (m_error)
            return false;
        int line = 0;
        int column = 0;
        if (node.IsDefined()) {
            const YAML::Mark mark = node.Mark();
            if (!mark.is_null()) {
                line = mark.line + 1;
                column = mark.column + 1;
            }
        }
        const QString file = source.isEmpty() ? m_source : source;
        const QString where = line > 0 ? QStringLiteral("%1:%2:%3").arg(file).arg(line).arg(column) : file;
        m_error =
            Error{where + QStringLiteral(": ") + (path.isEmpty() ? QString() : path + QStringLiteral(": ")) + message};
        return false;
    }

    bool failAtLine(const QString &source, int line, const QString &path, const QString &message)
    {
        if (!m_error)
            m_error = Error{QStringLiteral("%1:%2: %3: %4").arg(source).arg(line).arg(path, message)};
        return false;
    }

    void warn(const QString &message)
    {
        if (!m_warnings.contains(message))
            m_warnings.append(message);
    }

    bool toJson(const YAML::Node &node, const QString &path, json &out, int depth = 0)
    {
        if (depth > kMaxDepth)
            return fail(node, path, tr("nested too deeply"));
        // YAML aliases share nodes; expanding them can blow up exponentially ("billion laughs").
        if (++m_nodes > kMaxNodes)
            return fail(node, path,
                        tr("the configuration is too large once its aliases are expanded (more than %1 values)")
                            .arg(kMaxNodes));
        switch (node.Type()) {
        case YAML::NodeType::Undefined:
        case YAML::NodeType::Null:
            out = nullptr;
            return true;
        case YAML::NodeType::Scalar:
            out = scalarToJson(node);
            return true;
        case YAML::NodeType::Sequence: {
            out = json::array();
            for (std::size_t i = 0; i < node.size(); ++i) {
                json item;
                if (!toJson(node[i], path + u'[' + QString::number(i) + u']', item, depth + 1))
                    return false;
                out.push_back(std::move(item));
            }
            return true;
        }
        case YAML::NodeType::Map: {
            out = json::object();
            json merged = json::object();
            for (auto it = node.begin(); it != node.end(); ++it) {
                if (!it->first.IsScalar())
                    return fail(it->first, path, tr("keys must be plain strings"));
                const std::string key = it->first.Scalar();
                json value;
                if (!toJson(it->second, path.isEmpty() ? qs(key) : path + u'.' + qs(key), value, depth + 1))
                    return false;
                if (key == "<<") {
                    // YAML merge keys (yaml-cpp 0.7 keeps them as plain keys): lower precedence.
                    const json sources = value.is_array() ? value : json::array({value});
                    for (const auto &src : sources) {
                        if (src.is_object())
                            merged.update(src);
                    }
                    continue;
                }
                out[key] = std::move(value);
            }
            for (auto it = merged.begin(); it != merged.end(); ++it) {
                if (!out.contains(it.key()))
                    out[it.key()] = it.value();
            }
            return true;
        }
        }
        return true;
    }

    bool scalarString(const YAML::Node &node, const QString &path, QString &out)
    {
        if (!node.IsScalar())
            return fail(node, path, tr("expected a string"));
        out = qs(node.Scalar());
        return true;
    }

    // ---- files -------------------------------------------------------------------------------

    QString resolve(const QString &ref) const
    {
        QString path = ref.mid(7); // "file://"
        if (QFileInfo(path).isRelative())
            path = QDir(m_baseDir).filePath(path);
        return QDir::cleanPath(path);
    }

    std::optional<QByteArray> readFile(const QString &path, const YAML::Node &at, const QString &field)
    {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            fail(at, field, tr("cannot read %1: %2").arg(path, file.errorString()));
            return std::nullopt;
        }
        if (file.size() > Suite::kMaxFileBytes) {
            fail(at, field, tr("%1 is too large").arg(path));
            return std::nullopt;
        }
        return file.readAll();
    }

    // file:// paths; a * in the file name matches like a shell glob.
    std::optional<QStringList> expandRef(const QString &ref, const YAML::Node &at, const QString &field)
    {
        const QString path = resolve(ref);
        const QFileInfo info(path);
        if (!info.fileName().contains(u'*')) {
            if (!info.exists()) {
                fail(at, field, tr("no file %1").arg(path));
                return std::nullopt;
            }
            return QStringList{path};
        }
        const QDir dir = info.dir();
        QStringList out;
        const QStringList names = dir.entryList({info.fileName()}, QDir::Files, QDir::Name);
        for (const QString &name : names)
            out.append(dir.filePath(name));
        if (out.isEmpty()) {
            fail(at, field, tr("no file matches %1").arg(path));
            return std::nullopt;
        }
        return out;
    }

    static QString extensionOf(const QString &path) { return QFileInfo(path).suffix().toLower(); }

    // ---- prompts -----------------------------------------------------------------------------

    static std::optional<QList<ChatMessage>> chatMessages(const json &v)
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

    bool addPromptText(const QString &text, const QString &label, const YAML::Node &at, const QString &path,
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
                    return fail(at, path, tr("a chat prompt must be a list of {\"role\", \"content\"} messages"));
                p.messages = std::move(*messages);
            }
        }
        if (p.messages.isEmpty()) {
            if (trimmed.isEmpty())
                return fail(at, path, tr("the prompt is empty"));
            p.text = text;
        }
        if (!checkNunjucks(p, at, path))
            return false;
        out.append(std::move(p));
        return true;
    }

    bool checkNunjucks(const PromptDef &p, const YAML::Node &at, const QString &path)
    {
        static const QRegularExpression tag(QStringLiteral("\\{%|\\{#"));
        static const QRegularExpression filter(QStringLiteral("\\{\\{[^}]*\\|[^}]*\\}\\}"));
        QStringList texts{p.text};
        for (const auto &m : p.messages)
            texts.append(m.content);
        for (const QString &t : std::as_const(texts)) {
            if (tag.match(t).hasMatch())
                return fail(at, path, tr("nunjucks tags ({% … %}) are not supported; only {{var}} placeholders are"));
            if (filter.match(t).hasMatch())
                return fail(at, path, tr("nunjucks filters ({{ var | filter }}) are not supported"));
        }
        return true;
    }

    bool addPromptFile(const QString &ref, const QString &label, const YAML::Node &at, const QString &path,
                       QList<PromptDef> &out)
    {
        QString file = ref;
        // promptfoo's "file://prompts.py:function_name" form.
        const QString ext0 = extensionOf(resolve(file).section(u':', 0, 0));
        if (ext0 == u"py" || ext0 == u"js" || ext0 == u"ts" || ext0 == u"mjs" || ext0 == u"cjs")
            return fail(at, path, tr("prompt functions (%1) cannot be imported; use text or chat prompts").arg(ref));
        const auto files = expandRef(file, at, path);
        if (!files)
            return false;
        for (const QString &f : *files) {
            const auto bytes = readFile(f, at, path);
            if (!bytes)
                return false;
            const QString ext = extensionOf(f);
            const QString fileLabel = label.isEmpty() ? QFileInfo(f).fileName() : label;
            if (ext == u"json" || ext == u"yaml" || ext == u"yml") {
                json parsed;
                if (ext == u"json") {
                    parsed = json::parse(bytes->toStdString(), nullptr, false);
                    if (parsed.is_discarded())
                        return fail(at, path, tr("%1 is not valid JSON").arg(f));
                } else {
                    YAML::Node doc;
                    try {
                        doc = YAML::Load(bytes->toStdString());
                    } catch (const YAML::Exception &e) {
                        return fail(at, path, tr("%1:%2: %3").arg(f).arg(e.mark.line + 1).arg(qs(e.msg)));
                    }
                    if (!toJson(doc, path, parsed))
                        return false;
                }
                auto messages = chatMessages(parsed);
                if (!messages)
                    return fail(at, path, tr("%1 must hold a list of {\"role\", \"content\"} messages").arg(f));
                PromptDef p{fileLabel, {}, std::move(*messages)};
                if (!checkNunjucks(p, at, path))
                    return false;
                out.append(std::move(p));
            } else if (ext == u"jsonl") {
                const QList<QByteArray> lines = bytes->split('\n');
                int n = 0;
                for (const QByteArray &line : lines) {
                    ++n;
                    if (line.trimmed().isEmpty())
                        continue;
                    auto messages = chatMessages(json::parse(line.toStdString(), nullptr, false));
                    if (!messages)
                        return fail(at, path,
                                    tr("%1:%2: expected a list of {\"role\", \"content\"} messages").arg(f).arg(n));
                    PromptDef p{QStringLiteral("%1:%2").arg(fileLabel).arg(n), {}, std::move(*messages)};
                    if (!checkNunjucks(p, at, path))
                        return false;
                    out.append(std::move(p));
                }
            } else {
                // Text: several prompts separated by a line of three dashes.
                static const QRegularExpression separator(QStringLiteral("(?:\\r?\\n|^)---\\r?\\n"));
                const QStringList parts = QString::fromUtf8(*bytes).split(separator);
                int k = 0;
                for (const QString &part : parts) {
                    if (part.trimmed().isEmpty())
                        continue;
                    ++k;
                    const QString partLabel =
                        parts.size() > 1 ? QStringLiteral("%1#%2").arg(fileLabel).arg(k) : fileLabel;
                    if (!addPromptText(part.trimmed(), partLabel, at, path, out))
                        return false;
                }
            }
        }
        return true;
    }

    bool parsePrompts(const YAML::Node &node, QList<PromptDef> &out)
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
            return fail(node, path, tr("expected a prompt or a list of prompts"));
        for (std::size_t i = 0; i < node.size(); ++i) {
            const YAML::Node item = node[i];
            const QString ipath = QStringLiteral("prompts[%1]").arg(i);
            if (item.IsScalar()) {
                if (!addPromptText(qs(item.Scalar()), {}, item, ipath, out))
                    return false;
                continue;
            }
            if (!item.IsMap())
                return fail(item, ipath, tr("expected a string or {raw|id, label}"));
            QString label;
            if (const YAML::Node l = child(item, "label");
                l.IsDefined() && !scalarString(l, ipath + QStringLiteral(".label"), label))
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
                        return fail(raw, ipath + QStringLiteral(".raw"), tr("expected chat messages"));
                    PromptDef p{label.isEmpty() ? QStringLiteral("prompt %1").arg(i + 1) : label, {}, std::move(*chat)};
                    if (!checkNunjucks(p, raw, ipath))
                        return false;
                    out.append(std::move(p));
                    continue;
                }
                QString text;
                if (!scalarString(raw, ipath + QStringLiteral(".raw"), text) ||
                    !addPromptText(text, label, raw, ipath + QStringLiteral(".raw"), out))
                    return false;
                continue;
            }
            if (id.IsDefined()) {
                QString text;
                if (!scalarString(id, ipath + QStringLiteral(".id"), text) ||
                    !addPromptText(text, label, id, ipath + QStringLiteral(".id"), out))
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
            return fail(item, ipath, tr("a prompt object needs \"raw\" or \"id\""));
        }
        return true;
    }

    // ---- providers ---------------------------------------------------------------------------

    bool providerFrom(const QString &id, const YAML::Node &config, const QString &label, const QString &path,
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
                return fail(config, path + QStringLiteral(".config"), tr("expected a mapping"));
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
                    warn(tr("%1: the API key in the configuration is not imported; Slopscope reads keys from "
                            "the environment")
                             .arg(path));
            }
        }
        out.append(std::move(t));
        return true;
    }

    bool parseProviders(const YAML::Node &node, QList<TargetSuggestion> &out)
    {
        const QString path = QStringLiteral("providers");
        if (node.IsScalar())
            return providerFrom(qs(node.Scalar()), YAML::Node(), {}, path, out);
        if (node.IsMap()) {
            for (auto it = node.begin(); it != node.end(); ++it) {
                const YAML::Node options = it->second;
                if (!providerFrom(qs(it->first.Scalar()), options.IsMap() ? child(options, "config") : YAML::Node(),
                                  options.IsMap() && child(options, "label").IsScalar()
                                      ? qs(child(options, "label").Scalar())
                                      : QString(),
                                  path + u'.' + qs(it->first.Scalar()), out))
                    return false;
            }
            return true;
        }
        if (!node.IsSequence())
            return fail(node, path, tr("expected a provider id or a list of providers"));
        for (std::size_t i = 0; i < node.size(); ++i) {
            const YAML::Node item = node[i];
            const QString ipath = QStringLiteral("providers[%1]").arg(i);
            if (item.IsScalar()) {
                if (!providerFrom(qs(item.Scalar()), YAML::Node(), {}, ipath, out))
                    return false;
                continue;
            }
            if (!item.IsMap())
                return fail(item, ipath, tr("expected a provider id or {id, label, config}"));
            const YAML::Node id = child(item, "id");
            QString label;
            if (const YAML::Node l = child(item, "label");
                l.IsDefined() && !scalarString(l, ipath + QStringLiteral(".label"), label))
                return false;
            if (id.IsDefined()) {
                QString idText;
                if (!scalarString(id, ipath + QStringLiteral(".id"), idText) ||
                    !providerFrom(idText, child(item, "config"), label, ipath, out))
                    return false;
                continue;
            }
            if (item.size() == 1) {
                // {"openai:gpt-4o": {config: ...}}
                const YAML::Node options = item.begin()->second;
                if (!providerFrom(
                        qs(item.begin()->first.Scalar()), options.IsMap() ? child(options, "config") : YAML::Node(),
                        options.IsMap() && child(options, "label").IsScalar() ? qs(child(options, "label").Scalar())
                                                                              : QString(),
                        ipath, out))
                    return false;
                continue;
            }
            return fail(item, ipath, tr("a provider object needs an \"id\""));
        }
        return true;
    }

    // ---- tests -------------------------------------------------------------------------------

    bool loadTestsFile(const QString &ref, const YAML::Node &at, const QString &path, QList<Located> &out)
    {
        const auto files = expandRef(ref, at, path);
        if (!files)
            return false;
        for (const QString &f : *files) {
            const auto bytes = readFile(f, at, path);
            if (!bytes)
                return false;
            const QString ext = extensionOf(f);
            if (ext == u"csv") {
                if (!loadCsvTests(*bytes, f, out))
                    return false;
                continue;
            }
            if (ext == u"jsonl") {
                const QList<QByteArray> lines = bytes->split('\n');
                int n = 0;
                for (const QByteArray &line : lines) {
                    ++n;
                    if (line.trimmed().isEmpty())
                        continue;
                    YAML::Node doc;
                    try {
                        doc = YAML::Load(line.toStdString()); // JSON is YAML
                    } catch (const YAML::Exception &e) {
                        return failAtLine(f, n, QStringLiteral("tests"), qs(e.msg));
                    }
                    out.append(Located{doc, QStringLiteral("line %1").arg(n), f, n, {}});
                }
                continue;
            }
            if (ext != u"yaml" && ext != u"yml" && ext != u"json")
                return fail(at, path, tr("tests from %1 cannot be imported (YAML, JSON, JSONL or CSV only)").arg(f));
            YAML::Node doc;
            try {
                doc = YAML::Load(bytes->toStdString());
            } catch (const YAML::Exception &e) {
                return failAtLine(f, e.mark.line + 1, QStringLiteral("tests"), qs(e.msg));
            }
            if (doc.IsMap()) {
                out.append(Located{doc, QStringLiteral("tests"), f, 0, {}});
                continue;
            }
            if (!doc.IsSequence()) {
                const QString saved = m_source;
                m_source = f;
                fail(doc, QStringLiteral("tests"), tr("expected a list of tests"));
                m_source = saved;
                return false;
            }
            for (std::size_t i = 0; i < doc.size(); ++i)
                out.append(Located{doc[i], QStringLiteral("tests[%1]").arg(i), f, 0, {}});
        }
        return true;
    }

    // promptfoo's CSV layout: columns are vars; __expected, __expected2, ... hold assertion
    // shorthands; __description, __threshold and __metadata:<name> fill the test.
    bool loadCsvTests(const QByteArray &bytes, const QString &file, QList<Located> &out)
    {
        auto records = CsvImporter::parseRecords(bytes, file);
        if (!records) {
            if (!m_error)
                m_error = Error{records.error()};
            return false;
        }
        if (records.value().isEmpty())
            return true;
        const QStringList header = records.value().first().fields;
        for (qsizetype r = 1; r < records.value().size(); ++r) {
            const auto &row = records.value().at(r);
            if (row.fields.size() != header.size())
                return failAtLine(file, row.line, QStringLiteral("tests"),
                                  tr("%1 field(s), but the header has %2").arg(row.fields.size()).arg(header.size()));
            json test = json::object();
            test["vars"] = json::object();
            test["assert"] = json::array();
            for (qsizetype c = 0; c < header.size(); ++c) {
                const QString name = header.at(c).trimmed();
                const QString value = row.fields.at(c);
                if (name.startsWith(u"__expected")) {
                    if (value.trimmed().isEmpty())
                        continue;
                    const Assertion a = assertionFromString(value);
                    json aj = {{"type", a.type.toStdString()}, {"value", a.value}};
                    if (a.threshold)
                        aj["threshold"] = *a.threshold;
                    test["assert"].push_back(aj);
                } else if (name == u"__description") {
                    test["description"] = value.toStdString();
                } else if (name == u"__threshold") {
                    bool ok = false;
                    const double t = value.toDouble(&ok);
                    if (!ok && !value.trimmed().isEmpty())
                        return failAtLine(file, row.line, QStringLiteral("__threshold"), tr("expected a number"));
                    if (ok)
                        test["threshold"] = t;
                } else if (name.startsWith(u"__metadata:")) {
                    test["metadata"][name.mid(11).toStdString()] = value.toStdString();
                } else if (name.startsWith(u"__")) {
                    warn(tr("the CSV column \"%1\" is not imported").arg(name));
                } else {
                    test["vars"][name.toStdString()] = value.toStdString();
                }
            }
            out.append(Located{YAML::Node(), QStringLiteral("row %1").arg(r), file, row.line, test});
        }
        return true;
    }

    bool collectTests(const YAML::Node &node, const QString &path, QList<Located> &out)
    {
        if (node.IsScalar()) {
            const QString ref = qs(node.Scalar());
            if (!ref.startsWith(u"file://"))
                return fail(node, path, tr("expected a list of tests or a file:// reference"));
            return loadTestsFile(ref, node, path, out);
        }
        if (!node.IsSequence())
            return fail(node, path, tr("expected a list of tests"));
        for (std::size_t i = 0; i < node.size(); ++i) {
            const YAML::Node item = node[i];
            const QString ipath = QStringLiteral("%1[%2]").arg(path).arg(i);
            if (item.IsScalar()) {
                if (!collectTests(item, ipath, out))
                    return false;
            } else {
                out.append(Located{item, ipath, m_source, 0, {}});
            }
        }
        return true;
    }

    // A YAML test, or a CSV row already in JSON, as one JSON object; the YAML node stays for marks.
    bool testJson(const Located &t, json &out)
    {
        if (t.csv) {
            out = *t.csv;
            return true;
        }
        if (!t.node.IsMap())
            return fail(t.node, t.path, tr("a test must be a mapping (vars, assert, ...)"), t.source);
        return toJson(t.node, t.path, out);
    }

    // Reads vars: file:// string values load that file's text (JSON and YAML files as JSON text).
    bool loadVarFiles(json &vars, const YAML::Node &at, const QString &path)
    {
        for (auto it = vars.begin(); it != vars.end(); ++it) {
            auto load = [&](json &value) -> bool {
                if (!value.is_string() || value.get<std::string>().rfind("file://", 0) != 0)
                    return true;
                const QString ref = jsonText(value);
                const QString ext = extensionOf(resolve(ref));
                if (ext == u"py" || ext == u"js" || ext == u"ts")
                    return fail(at, path + u'.' + qs(it.key()),
                                tr("vars from scripts (%1) cannot be imported").arg(ref));
                const auto files = expandRef(ref, at, path + u'.' + qs(it.key()));
                if (!files)
                    return false;
                const auto bytes = readFile(files->first(), at, path + u'.' + qs(it.key()));
                if (!bytes)
                    return false;
                value = bytes->toStdString();
                return true;
            };
            if (it.value().is_array()) {
                for (auto &item : it.value()) {
                    if (!load(item))
                        return false;
                }
            } else if (!load(it.value())) {
                return false;
            }
        }
        return true;
    }

    static void flatten(const json &v, const QString &prefix, QHash<QString, QString> &out, int depth)
    {
        if (depth > 8 || !v.is_object())
            return;
        for (auto it = v.begin(); it != v.end(); ++it) {
            const QString name = prefix + u'.' + qs(it.key());
            out.insert(name, jsonText(it.value()));
            flatten(it.value(), name, out, depth + 1);
        }
    }

    static QHash<QString, QString> varStrings(const json &vars)
    {
        QHash<QString, QString> out;
        for (auto it = vars.begin(); it != vars.end(); ++it) {
            out.insert(qs(it.key()), jsonText(it.value()));
            // {{ user.name }} reaches into object vars, as nunjucks does.
            flatten(it.value(), qs(it.key()), out, 0);
        }
        return out;
    }

    // Assertion values are nunjucks templates in promptfoo ("{{expected}}"): filled per case.
    static json renderValue(const json &value, const QHash<QString, QString> &vars, QStringList *missing)
    {
        if (value.is_string())
            return renderTemplate(jsonText(value), vars, missing).toStdString();
        if (value.is_array()) {
            json out = json::array();
            for (const auto &item : value)
                out.push_back(item.is_string() ? json(renderTemplate(jsonText(item), vars, missing).toStdString())
                                               : item);
            return out;
        }
        return value;
    }

    bool parseAssertions(const json &list, const YAML::Node &at, const QString &path, const QString &source,
                         QList<Assertion> &out)
    {
        if (list.is_null())
            return true;
        if (!list.is_array())
            return failIn(at, path, tr("expected a list of assertions"), source);
        for (std::size_t i = 0; i < list.size(); ++i) {
            const json &a = list.at(i);
            const QString apath = QStringLiteral("%1[%2]").arg(path).arg(i);
            const YAML::Node an = at.IsSequence() && i < at.size() ? at[i] : at;
            if (!a.is_object())
                return failIn(an, apath, tr("expected a mapping with a \"type\""), source);
            if (!a.contains("type") || !a.at("type").is_string() || a.at("type").get<std::string>().empty())
                return failIn(child(an, "type").IsDefined() ? child(an, "type") : an, apath + QStringLiteral(".type"),
                              tr("a type is required"), source);
            Assertion assertion;
            assertion.type = jsonText(a.at("type"));
            if (assertion.type == u"assert-set") {
                warn(tr("assert-set groups are kept as one check that Slopscope cannot grade"));
                assertion.value = a.contains("assert") ? a.at("assert") : json();
            } else if (a.contains("value")) {
                assertion.value = a.at("value");
                if (!loadAssertionFile(assertion, an, apath + QStringLiteral(".value")))
                    return false;
            }
            if (a.contains("threshold") && !a.at("threshold").is_null()) {
                if (!a.at("threshold").is_number())
                    return failIn(child(an, "threshold"), apath + QStringLiteral(".threshold"), tr("expected a number"),
                                  source);
                assertion.threshold = a.at("threshold").get<double>();
            }
            if (a.contains("weight")) {
                if (!a.at("weight").is_number() || a.at("weight").get<double>() < 0)
                    return failIn(child(an, "weight"), apath + QStringLiteral(".weight"),
                                  tr("expected a number of at least 0"), source);
                assertion.weight = a.at("weight").get<double>();
            }
            if (a.contains("provider")) {
                const json &p = a.at("provider");
                assertion.provider = p.is_object() && p.contains("id") ? jsonText(p.at("id")) : jsonText(p);
            }
            if (a.contains("metric"))
                assertion.metric = jsonText(a.at("metric"));
            for (const char *ignored : {"transform", "contextTransform", "config"}) {
                if (a.contains(ignored))
                    warn(tr("assertion \"%1\" settings are not imported").arg(QLatin1StringView(ignored)));
            }
            const QString base = canonicalAssertionType(
                assertion.type.startsWith(u"not-") && assertion.type != u"not-contains" ? assertion.type.mid(4)
                                                                                        : assertion.type);
            if (!knownAssertionTypes().contains(base))
                warn(tr("assertion type \"%1\" is kept but cannot be graded (unknown grader)").arg(assertion.type));
            out.append(std::move(assertion));
        }
        return true;
    }

    bool failIn(const YAML::Node &node, const QString &path, const QString &message, const QString &source)
    {
        return fail(node, path, message, source);
    }

    // A file:// value: text for most types, parsed JSON/YAML for the schema types.
    bool loadAssertionFile(Assertion &a, const YAML::Node &at, const QString &path)
    {
        if (!a.value.is_string() || a.value.get<std::string>().rfind("file://", 0) != 0)
            return true;
        const QString ref = jsonText(a.value);
        const QString ext = extensionOf(resolve(ref));
        if (ext != u"txt" && ext != u"md" && ext != u"json" && ext != u"yaml" && ext != u"yml")
            return true; // scripts stay references; their types are not graded here anyway
        const auto files = expandRef(ref, at, path);
        if (!files)
            return false;
        const auto bytes = readFile(files->first(), at, path);
        if (!bytes)
            return false;
        if (ext == u"json") {
            const json parsed = json::parse(bytes->toStdString(), nullptr, false);
            if (parsed.is_discarded())
                return fail(at, path, tr("%1 is not valid JSON").arg(files->first()));
            a.value = parsed;
        } else if (ext == u"yaml" || ext == u"yml") {
            YAML::Node doc;
            try {
                doc = YAML::Load(bytes->toStdString());
            } catch (const YAML::Exception &e) {
                return fail(at, path, tr("%1:%2: %3").arg(files->first()).arg(e.mark.line + 1).arg(qs(e.msg)));
            }
            json parsed;
            if (!toJson(doc, path, parsed))
                return false;
            a.value = parsed;
        } else {
            a.value = bytes->toStdString();
        }
        return true;
    }

    QString judgeOf(const json &test)
    {
        if (!test.contains("options") || !test.at("options").is_object())
            return {};
        const json &options = test.at("options");
        for (auto it = options.begin(); it != options.end(); ++it) {
            if (it.key() != "provider")
                warn(tr("test option \"%1\" is not imported").arg(qs(it.key())));
        }
        if (!options.contains("provider"))
            return {};
        const json &p = options.at("provider");
        return p.is_object() && p.contains("id") ? jsonText(p.at("id")) : jsonText(p);
    }

    bool parseDefaultTest(const YAML::Node &node, TestDefaults &out)
    {
        YAML::Node effective = node;
        QString source = m_source;
        if (node.IsScalar()) {
            QList<Located> loaded;
            if (!loadTestsFile(qs(node.Scalar()), node, QStringLiteral("defaultTest"), loaded))
                return false;
            if (loaded.size() != 1 || loaded.first().csv)
                return fail(node, QStringLiteral("defaultTest"), tr("expected a file with one test mapping"));
            effective = loaded.first().node;
            source = loaded.first().source;
        }
        if (!effective.IsMap())
            return fail(effective, QStringLiteral("defaultTest"), tr("expected a mapping (vars, assert, options)"),
                        source);
        json test;
        if (!toJson(effective, QStringLiteral("defaultTest"), test))
            return false;
        if (test.contains("vars")) {
            if (!test.at("vars").is_object())
                return fail(child(effective, "vars"), QStringLiteral("defaultTest.vars"), tr("expected a mapping"),
                            source);
            out.vars = test.at("vars");
            if (!loadVarFiles(out.vars, child(effective, "vars"), QStringLiteral("defaultTest.vars")))
                return false;
        }
        if (test.contains("assert") && !parseAssertions(test.at("assert"), child(effective, "assert"),
                                                        QStringLiteral("defaultTest.assert"), source, out.assertions))
            return false;
        if (test.contains("metadata") && test.at("metadata").is_object())
            out.metadata = test.at("metadata");
        if (test.contains("threshold") && test.at("threshold").is_number())
            out.threshold = test.at("threshold").get<double>();
        out.judge = judgeOf(test);
        return true;
    }

    QString uniqueId(QString id, QSet<QString> &ids)
    {
        if (ids.contains(id)) {
            int k = 2;
            while (ids.contains(id + u'-' + QString::number(k)))
                ++k;
            id += u'-' + QString::number(k);
        }
        ids.insert(id);
        return id;
    }

    bool buildCases(const Located &t, qsizetype index, const TestDefaults &defaults, const QList<PromptDef> &prompts,
                    QSet<QString> &ids, Suite &suite)
    {
        json test;
        if (!testJson(t, test))
            return false;
        const YAML::Node &node = t.node;
        auto failHere = [&](const YAML::Node &at, const QString &field, const QString &message) {
            if (t.csv)
                return failAtLine(t.source, t.line, t.path + u'.' + field, message);
            return fail(at.IsDefined() ? at : node, t.path + u'.' + field, message, t.source);
        };
        static const QStringList knownKeys{QStringLiteral("description"), QStringLiteral("vars"),
                                           QStringLiteral("assert"),      QStringLiteral("options"),
                                           QStringLiteral("metadata"),    QStringLiteral("threshold"),
                                           QStringLiteral("provider"),    QStringLiteral("providers"),
                                           QStringLiteral("prompts"),     QStringLiteral("providerOutput")};
        for (auto it = test.begin(); it != test.end(); ++it) {
            if (!knownKeys.contains(qs(it.key())))
                warn(tr("the test key \"%1\" is not imported").arg(qs(it.key())));
        }
        for (const char *filter : {"provider", "providers", "prompts"}) {
            if (test.contains(filter))
                warn(tr("per-test \"%1\" filters are not imported: every test runs on every target and prompt")
                         .arg(QLatin1StringView(filter)));
        }
        if (test.contains("providerOutput"))
            warn(tr("fixed providerOutput values are not imported"));

        QString description;
        if (test.contains("description")) {
            if (!test.at("description").is_string())
                return failHere(child(node, "description"), QStringLiteral("description"), tr("expected a string"));
            description = jsonText(test.at("description"));
        }

        json vars = defaults.vars;
        if (test.contains("vars") && !test.at("vars").is_null()) {
            if (!test.at("vars").is_object())
                return failHere(child(node, "vars"), QStringLiteral("vars"),
                                tr("expected a mapping of names and values"));
            json own = test.at("vars");
            if (!loadVarFiles(own, child(node, "vars"), t.path + QStringLiteral(".vars")))
                return false;
            vars.update(own);
        }

        QList<Assertion> assertions = defaults.assertions;
        if (test.contains("assert")) {
            QList<Assertion> own;
            if (t.csv) {
                if (!parseAssertions(test.at("assert"), YAML::Node(), t.path + QStringLiteral(".assert"), t.source,
                                     own))
                    return false;
            } else if (!parseAssertions(test.at("assert"), child(node, "assert"), t.path + QStringLiteral(".assert"),
                                        t.source, own)) {
                return false;
            }
            assertions += own;
        }
        std::optional<double> threshold = defaults.threshold;
        if (test.contains("threshold") && !test.at("threshold").is_null()) {
            if (!test.at("threshold").is_number())
                return failHere(child(node, "threshold"), QStringLiteral("threshold"), tr("expected a number"));
            threshold = test.at("threshold").get<double>();
        }
        json metadata = defaults.metadata;
        if (test.contains("metadata") && test.at("metadata").is_object())
            metadata.update(test.at("metadata"));
        QString judge = judgeOf(test);
        if (judge.isEmpty())
            judge = defaults.judge;
        for (auto &a : assertions) {
            if (a.provider.isEmpty() && !judge.isEmpty())
                a.provider = judge;
        }

        // A list value is one case per element (a cartesian product over several lists).
        QList<json> expansions{json::object()};
        for (auto it = vars.begin(); it != vars.end(); ++it) {
            QList<json> next;
            const json values = it.value().is_array() ? it.value() : json::array({it.value()});
            if (values.empty())
                return failHere(child(child(node, "vars"), it.key().c_str()), QStringLiteral("vars.") + qs(it.key()),
                                tr("an empty list gives no case"));
            if (expansions.size() * static_cast<qsizetype>(values.size()) > kMaxExpansion)
                return failHere(child(node, "vars"), QStringLiteral("vars"),
                                tr("the lists in vars expand to more than %1 cases").arg(kMaxExpansion));
            for (const json &partial : std::as_const(expansions)) {
                for (const json &v : values) {
                    json e = partial;
                    e[it.key()] = v;
                    next.append(std::move(e));
                }
            }
            expansions = std::move(next);
        }

        const QString base = !slug(description).isEmpty() ? slug(description) : QStringLiteral("test-%1").arg(index);
        for (qsizetype e = 0; e < expansions.size(); ++e) {
            const QHash<QString, QString> caseVars = varStrings(expansions.at(e));
            QList<Assertion> rendered = assertions;
            for (auto &a : rendered) {
                QStringList missing;
                a.value = renderValue(a.value, caseVars, &missing);
                if (!missing.isEmpty())
                    return failHere(
                        child(node, "assert"), QStringLiteral("assert"),
                        tr("an assertion uses {{%1}}, which this test does not define").arg(missing.first()));
            }
            for (qsizetype p = 0; p < prompts.size(); ++p) {
                const PromptDef &prompt = prompts.at(p);
                QStringList missing;
                if (prompt.messages.isEmpty()) {
                    renderTemplate(prompt.text, caseVars, &missing);
                } else {
                    for (const auto &m : prompt.messages)
                        renderTemplate(m.content, caseVars, &missing);
                }
                if (!missing.isEmpty())
                    return failHere(child(node, "vars"), QStringLiteral("vars"),
                                    tr("the prompt \"%1\" uses {{%2}}, which this test does not define")
                                        .arg(prompt.label.left(40), missing.first()));
                SuiteCase c;
                QString id = base;
                if (expansions.size() > 1)
                    id += u'-' + QString::number(e + 1);
                if (prompts.size() > 1)
                    id += QStringLiteral("-p") + QString::number(p + 1);
                c.id = uniqueId(id, ids);
                c.description = description;
                c.prompt = prompt.text;
                c.messages = prompt.messages;
                c.vars = caseVars;
                c.assertions = rendered;
                c.threshold = threshold;
                c.metadata = metadata.is_object() ? metadata : json::object();
                c.metadata["promptfoo"] = {{"prompt", prompt.label.toStdString()},
                                           {"test", static_cast<std::int64_t>(index)},
                                           {"source", QFileInfo(t.source).fileName().toStdString()}};
                suite.cases.append(std::move(c));
            }
        }
        return true;
    }

    QString m_source;
    QString m_baseDir;
    std::optional<Error> m_error;
    QStringList m_warnings;
    qsizetype m_nodes = 0;
};

struct ProviderKind
{
    const char *prefix;
    const char *preset;
    Dialect dialect;
};

} // namespace

TargetSuggestion PromptfooImporter::mapProvider(const QString &providerId)
{
    TargetSuggestion t;
    t.source = providerId;
    t.label = providerId;
    const QString id = providerId.trimmed();
    const QString kind = id.section(u':', 0, 0).toLower();
    QString rest = id.section(u':', 1);
    const QString sub = rest.section(u':', 0, 0).toLower();
    auto take = [&](const QStringList &subtypes) {
        if (subtypes.contains(sub))
            rest = rest.section(u':', 1);
    };
    auto set = [&](const char *preset, Dialect dialect) {
        t.preset = QString::fromLatin1(preset);
        t.dialect = dialect;
        t.model = rest;
    };
    if (kind == u"openai") {
        if (sub == u"responses") {
            take({QStringLiteral("responses")});
            set("openai-responses", Dialect::OpenAIResponses);
        } else if (sub == u"chat" ||
                   !QStringList{QStringLiteral("completion"), QStringLiteral("embedding"), QStringLiteral("embeddings"),
                                QStringLiteral("assistant"), QStringLiteral("image"), QStringLiteral("realtime"),
                                QStringLiteral("moderation"), QStringLiteral("transcription")}
                        .contains(sub)) {
            take({QStringLiteral("chat")});
            set("openai", Dialect::OpenAIChat);
        } else {
            t.note = QCoreApplication::translate("PromptfooImporter", "OpenAI %1 endpoints are not chat; not mapped")
                         .arg(sub);
        }
    } else if (kind == u"anthropic") {
        if (sub == u"completion") {
            t.note = QCoreApplication::translate("PromptfooImporter",
                                                 "Anthropic's legacy completion API is not supported; not mapped");
        } else {
            take({QStringLiteral("messages")});
            set("anthropic", Dialect::Anthropic);
        }
    } else if (kind == u"google" || kind == u"gemini") {
        set("gemini", Dialect::Gemini);
    } else if (kind == u"vertex") {
        t.dialect = Dialect::Gemini;
        t.model = rest;
        t.note = QCoreApplication::translate("PromptfooImporter",
                                             "Vertex AI speaks Gemini's format; set your project's endpoint as the "
                                             "base URL");
    } else if (kind == u"ollama") {
        if (sub == u"embeddings" || sub == u"embedding") {
            t.note = QCoreApplication::translate("PromptfooImporter", "Ollama embeddings are not chat; not mapped");
        } else {
            if (sub == u"completion")
                t.note = QCoreApplication::translate("PromptfooImporter",
                                                     "runs through Ollama's chat API instead of /api/generate");
            take({QStringLiteral("chat"), QStringLiteral("completion")});
            set("ollama", Dialect::Ollama);
        }
    } else if (kind == u"azure" || kind == u"azureopenai") {
        take({QStringLiteral("chat")});
        t.dialect = Dialect::OpenAIChat;
        t.model = rest;
        t.note = QCoreApplication::translate("PromptfooImporter",
                                             "Azure OpenAI: set your resource's deployment URL as the base URL");
    } else {
        static const ProviderKind kinds[] = {
            {"groq", "groq", Dialect::OpenAIChat},
            {"cerebras", "cerebras", Dialect::OpenAIChat},
            {"openrouter", "openrouter", Dialect::OpenAIChat},
            {"togetherai", "together", Dialect::OpenAIChat},
            {"together", "together", Dialect::OpenAIChat},
            {"fireworks", "fireworks", Dialect::OpenAIChat},
            {"deepseek", "deepseek", Dialect::OpenAIChat},
            {"mistral", "mistral", Dialect::OpenAIChat},
            {"xai", "xai", Dialect::OpenAIChat},
            {"vllm", "vllm", Dialect::OpenAIChat},
            {"llamacpp", "llamacpp", Dialect::OpenAIChat},
            {"llama", "llamacpp", Dialect::OpenAIChat},
            {"lmstudio", "lmstudio", Dialect::OpenAIChat},
        };
        for (const auto &k : kinds) {
            if (kind == QLatin1StringView(k.prefix)) {
                take({QStringLiteral("chat")});
                set(k.preset, k.dialect);
                break;
            }
        }
        if (!t.mapped()) {
            if (kind == u"localai" || kind == u"perplexity") {
                t.dialect = Dialect::OpenAIChat;
                t.model = rest;
                t.baseUrl = kind == u"perplexity" ? QStringLiteral("https://api.perplexity.ai")
                                                  : QStringLiteral("http://localhost:8080/v1");
            } else {
                t.note = QCoreApplication::translate("PromptfooImporter",
                                                     "Slopscope cannot call \"%1\" providers; not mapped")
                             .arg(kind.isEmpty() ? id : kind);
            }
        }
    }
    if (t.mapped() && t.model.isEmpty()) {
        t.dialect.reset();
        t.preset.clear();
        t.note = QCoreApplication::translate("PromptfooImporter", "no model named; not mapped");
    }
    return t;
}

Result<PromptfooImporter::Import> PromptfooImporter::fromYaml(const QByteArray &yaml, const QString &sourceName,
                                                              const QString &baseDir)
{
    YAML::Node root;
    try {
        root = YAML::Load(yaml.toStdString());
    } catch (const YAML::Exception &e) {
        return Error{
            QStringLiteral("%1:%2:%3: %4").arg(sourceName).arg(e.mark.line + 1).arg(e.mark.column + 1).arg(qs(e.msg))};
    }
    Parser parser(sourceName, baseDir.isEmpty() ? QFileInfo(sourceName).absolutePath() : baseDir);
    try {
        return parser.parse(root);
    } catch (const YAML::Exception &e) {
        // yaml-cpp throws on conversions the checks above should have ruled out; never let it escape.
        return Error{
            QStringLiteral("%1:%2:%3: %4").arg(sourceName).arg(e.mark.line + 1).arg(e.mark.column + 1).arg(qs(e.msg))};
    }
}

Result<PromptfooImporter::Import> PromptfooImporter::fromFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{tr("Cannot open %1: %2").arg(path, file.errorString())};
    if (file.size() > Suite::kMaxFileBytes)
        return Error{tr("%1: the file is too large (the limit is %2 MiB)").arg(path).arg(Suite::kMaxFileBytes >> 20)};
    return fromYaml(file.readAll(), path, QFileInfo(path).absolutePath());
}

} // namespace Slopscope
