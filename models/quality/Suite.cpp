#include "quality/Suite.h"

#include "core/Json.h"
#include "core/JsonLocator.h"
#include "quality/ChainParser.h"
#include "quality/ToolChoiceParser.h"

#include <QCoreApplication>
#include <QFile>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>

namespace Slopscope {

namespace {

using json = nlohmann::json;

// The offset of the first byte that is not well-formed UTF-8 (overlong forms, surrogates and
// code points past U+10FFFF included), or -1.
qsizetype firstInvalidUtf8(const QByteArray &bytes)
{
    const auto *p = reinterpret_cast<const unsigned char *>(bytes.constData());
    const qsizetype n = bytes.size();
    for (qsizetype i = 0; i < n;) {
        const unsigned char c = p[i];
        int extra = 0;
        char32_t min = 0;
        if (c < 0x80) {
            ++i;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) {
            extra = 1;
            min = 0x80;
        } else if ((c & 0xF0) == 0xE0) {
            extra = 2;
            min = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
            extra = 3;
            min = 0x10000;
        } else {
            return i;
        }
        char32_t cp = c & (0x3F >> extra);
        for (int k = 1; k <= extra; ++k) {
            if (i + k >= n || (p[i + k] & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += extra + 1;
    }
    return -1;
}

// Through Q_DECLARE_TR_FUNCTIONS, lupdate files these strings under the context the code
// looks them up in (a translate() wrapper called tr() misled it into the namespace's).
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(Suite)
};

// Walks the document keeping the path of the current value, so every error can name its field
// and, through Json::locate, its line and column.
class SuiteParser final
{
public:
    SuiteParser(const QByteArray &bytes, QString sourceName)
        : m_bytes(bytes)
        , m_source(std::move(sourceName))
    {}

    Result<Suite> parse(const json &root)
    {
        Suite suite;
        if (!root.is_object())
            return fail({}, Tr::tr("a suite must be a JSON object"));
        if (!checkKeys(root, {}, {"name", "description", "defaults", "cases"}))
            return Error{m_error};
        suite.name = string(root, {}, "name", true);
        suite.description = string(root, {}, "description", false);
        if (root.contains("defaults") && !parseDefaults(root.at("defaults"), suite.defaults))
            return Error{m_error};
        if (!m_error.isEmpty())
            return Error{m_error};
        if (!root.contains("cases") || !root.at("cases").is_array())
            return fail({QStringLiteral("cases")}, Tr::tr("a list of cases is required"));
        const json &cases = root.at("cases");
        if (cases.empty())
            return fail({QStringLiteral("cases")}, Tr::tr("the suite has no cases"));
        suite.cases.reserve(static_cast<qsizetype>(cases.size()));
        QSet<QString> ids;
        ids.reserve(static_cast<qsizetype>(cases.size()));
        for (std::size_t i = 0; i < cases.size(); ++i) {
            const QStringList path{QStringLiteral("cases"), QString::number(i)};
            SuiteCase c;
            if (!parseCase(cases.at(i), path, c))
                return Error{m_error};
            if (ids.contains(c.id))
                return fail(path + QStringList{QStringLiteral("id")}, Tr::tr("duplicate case id \"%1\"").arg(c.id));
            ids.insert(c.id);
            suite.cases.append(std::move(c));
        }
        return suite;
    }

    Error fail(const QStringList &path, const QString &message)
    {
        if (m_error.isEmpty()) {
            const auto pos = Json::positionOf(m_bytes, Json::locate(m_bytes, path));
            m_error = QStringLiteral("%1:%2:%3: %4").arg(m_source).arg(pos.line).arg(pos.column).arg(describe(path));
            m_error += message;
        }
        return Error{m_error};
    }

    [[nodiscard]] bool ok() const { return m_error.isEmpty(); }

    // The helpers below are public for ChainParser's templates.
    static QString describe(const QStringList &path)
    {
        QString out;
        for (const auto &part : path) {
            bool isIndex = false;
            part.toInt(&isIndex);
            if (isIndex)
                out += u'[' + part + u']';
            else
                out += (out.isEmpty() ? QString() : QStringLiteral(".")) + part;
        }
        return out.isEmpty() ? QString() : out + QStringLiteral(": ");
    }

    static QStringList with(const QStringList &path, const char *key)
    {
        return path + QStringList{QString::fromUtf8(key)};
    }

    bool checkKeys(const json &object, const QStringList &path, std::initializer_list<const char *> allowed)
    {
        for (auto it = object.begin(); it != object.end(); ++it) {
            const bool known =
                std::any_of(allowed.begin(), allowed.end(), [&](const char *k) { return it.key() == k; });
            if (!known) {
                QStringList names;
                for (const char *k : allowed)
                    names << QString::fromUtf8(k);
                fail(path + QStringList{Json::toQString(it.key())},
                     Tr::tr("unknown key (expected one of: %1)").arg(names.join(QStringLiteral(", "))));
                return false;
            }
        }
        return true;
    }

    QString string(const json &object, const QStringList &path, const char *key, bool required)
    {
        if (!object.contains(key) || object.at(key).is_null()) {
            if (required)
                fail(with(path, key), Tr::tr("missing (a string is required)"));
            return {};
        }
        if (!object.at(key).is_string()) {
            fail(with(path, key), Tr::tr("expected a string"));
            return {};
        }
        return Json::toQString(object.at(key).get<std::string>());
    }

    bool parseMessages(const json &node, const QStringList &path, QList<ChatMessage> &out)
    {
        if (!node.is_array() || node.empty()) {
            fail(path, Tr::tr("expected a non-empty list of messages"));
            return false;
        }
        for (std::size_t i = 0; i < node.size(); ++i) {
            const QStringList mpath = path + QStringList{QString::number(i)};
            const json &m = node.at(i);
            if (!m.is_object()) {
                fail(mpath, Tr::tr("expected an object with \"role\" and \"content\""));
                return false;
            }
            if (!checkKeys(m, mpath, {"role", "content"}))
                return false;
            ChatMessage msg{string(m, mpath, "role", true), string(m, mpath, "content", true)};
            if (!m_error.isEmpty())
                return false;
            if (msg.role != u"system" && msg.role != u"user" && msg.role != u"assistant") {
                fail(with(mpath, "role"), Tr::tr("\"%1\" is not a role (system, user or assistant)").arg(msg.role));
                return false;
            }
            out.append(std::move(msg));
        }
        return true;
    }

    bool parseAssertions(const json &node, const QStringList &path, QList<Assertion> &out)
    {
        if (!node.is_array()) {
            fail(path, Tr::tr("expected a list of assertions"));
            return false;
        }
        for (std::size_t i = 0; i < node.size(); ++i) {
            const QStringList apath = path + QStringList{QString::number(i)};
            const json &a = node.at(i);
            if (!a.is_object()) {
                fail(apath, Tr::tr("expected an object with a \"type\""));
                return false;
            }
            if (!checkKeys(a, apath, {"type", "value", "threshold", "weight", "provider", "metric", "interpreter"}))
                return false;
            Assertion assertion;
            assertion.type = string(a, apath, "type", true);
            if (!m_error.isEmpty())
                return false;
            // promptfoo's "not-" prefix negates any type.
            const QString base = canonicalAssertionType(
                assertion.type.startsWith(u"not-") && assertion.type != u"not-contains" ? assertion.type.mid(4)
                                                                                        : assertion.type);
            if (!knownAssertionTypes().contains(base)) {
                fail(with(apath, "type"), Tr::tr("unknown assertion type \"%1\"").arg(assertion.type));
                return false;
            }
            if (a.contains("value"))
                assertion.value = a.at("value");
            if (a.contains("threshold")) {
                if (!a.at("threshold").is_number()) {
                    fail(with(apath, "threshold"), Tr::tr("expected a number"));
                    return false;
                }
                assertion.threshold = a.at("threshold").get<double>();
            }
            if (a.contains("weight")) {
                if (!a.at("weight").is_number() || a.at("weight").get<double>() < 0) {
                    fail(with(apath, "weight"), Tr::tr("expected a number of at least 0"));
                    return false;
                }
                assertion.weight = a.at("weight").get<double>();
            }
            assertion.provider = string(a, apath, "provider", false);
            assertion.metric = string(a, apath, "metric", false);
            assertion.interpreter = string(a, apath, "interpreter", false);
            if (!m_error.isEmpty())
                return false;
            out.append(std::move(assertion));
        }
        return true;
    }

    bool parseVars(const json &vars, const QStringList &path, QHash<QString, QString> &out)
    {
        if (!vars.is_object()) {
            fail(path, Tr::tr("expected an object of names and values"));
            return false;
        }
        for (auto it = vars.begin(); it != vars.end(); ++it) {
            const json &v = it.value();
            if (v.is_string())
                out.insert(Json::toQString(it.key()), Json::toQString(v.get<std::string>()));
            else if (v.is_number() || v.is_boolean())
                out.insert(Json::toQString(it.key()), Json::toQString(v.dump()));
            else {
                fail(path + QStringList{Json::toQString(it.key())}, Tr::tr("expected a string or a number"));
                return false;
            }
        }
        return true;
    }

    bool parseDefaults(const json &node, SuiteDefaults &out)
    {
        const QStringList path{QStringLiteral("defaults")};
        if (!node.is_object()) {
            fail(path, Tr::tr("expected an object"));
            return false;
        }
        if (!checkKeys(node, path,
                       {"system", "params", "assert", "time_budget_ms", "tools", "tool_choice", "parallel_tool_calls"}))
            return false;
        if (node.contains("tools") && !parseTools(node.at("tools"), with(path, "tools"), out.tools))
            return false;
        if (!ToolChoiceParser::parse(*this, node, path, out.tools, false, out.toolChoice, out.parallelToolCalls))
            return false;
        m_defaultTools = out.tools;
        if (!parseTimeBudget(node, path, out.timeBudgetMs))
            return false;
        out.system = string(node, path, "system", false);
        if (node.contains("params")) {
            if (!node.at("params").is_object()) {
                fail(with(path, "params"), Tr::tr("expected an object"));
                return false;
            }
            out.params = node.at("params");
        }
        if (node.contains("assert") && !parseAssertions(node.at("assert"), with(path, "assert"), out.assertions))
            return false;
        return m_error.isEmpty();
    }

    // "tools": [{name, description, parameters}], or OpenAI's {type: "function", function: {...}}.
    bool parseTools(const json &node, const QStringList &path, QList<ToolSpec> &out)
    {
        if (!node.is_array()) {
            fail(path, Tr::tr("expected a list of tools"));
            return false;
        }
        for (std::size_t i = 0; i < node.size(); ++i) {
            QStringList tpath = path + QStringList{QString::number(i)};
            const json *tool = &node.at(i);
            if (tool->is_object() && tool->contains("function")) {
                tpath.append(QStringLiteral("function"));
                tool = &tool->at("function");
            }
            if (!tool->is_object()) {
                fail(tpath, Tr::tr("expected an object with a \"name\""));
                return false;
            }
            if (!checkKeys(*tool, tpath, {"name", "description", "parameters"}))
                return false;
            ToolSpec spec;
            spec.name = string(*tool, tpath, "name", true);
            spec.description = string(*tool, tpath, "description", false);
            if (!m_error.isEmpty())
                return false;
            if (spec.name.trimmed().isEmpty() ||
                std::any_of(out.cbegin(), out.cend(), [&](const ToolSpec &t) { return t.name == spec.name; })) {
                fail(with(tpath, "name"), spec.name.trimmed().isEmpty()
                                              ? Tr::tr("the name is empty")
                                              : Tr::tr("duplicate tool name \"%1\"").arg(spec.name));
                return false;
            }
            if (tool->contains("parameters")) {
                if (!tool->at("parameters").is_object()) {
                    fail(with(tpath, "parameters"), Tr::tr("expected a JSON Schema object"));
                    return false;
                }
                spec.parameters = tool->at("parameters");
            }
            out.append(std::move(spec));
        }
        return true;
    }

    // "time_budget_ms": a whole number of milliseconds above 0.
    bool parseTimeBudget(const json &node, const QStringList &path, std::optional<qint64> &out)
    {
        if (!node.contains("time_budget_ms"))
            return true;
        const json &v = node.at("time_budget_ms");
        if (!v.is_number_integer() || v.get<qint64>() <= 0) {
            fail(with(path, "time_budget_ms"), Tr::tr("expected a whole number of milliseconds above 0"));
            return false;
        }
        out = v.get<qint64>();
        return true;
    }

    bool checkTemplate(const QString &text, const QHash<QString, QString> &vars, const QStringList &path)
    {
        QStringList missing;
        renderTemplate(text, vars, &missing);
        if (!missing.isEmpty()) {
            fail(path, Tr::tr("unknown variable {{%1}}").arg(missing.first()));
            return false;
        }
        return true;
    }

    bool parsePromptOrMessages(const json &node, const QStringList &path, QString &prompt, QList<ChatMessage> &messages,
                               const QHash<QString, QString> &vars)
    {
        const bool hasPrompt = node.contains("prompt");
        const bool hasMessages = node.contains("messages");
        if (hasPrompt == hasMessages) {
            fail(path, hasPrompt ? Tr::tr("give either \"prompt\" or \"messages\", not both")
                                 : Tr::tr("a \"prompt\" or a list of \"messages\" is required"));
            return false;
        }
        if (hasPrompt) {
            prompt = string(node, path, "prompt", true);
            if (!m_error.isEmpty())
                return false;
            if (prompt.trimmed().isEmpty()) {
                fail(with(path, "prompt"), Tr::tr("the prompt is empty"));
                return false;
            }
            return checkTemplate(prompt, vars, with(path, "prompt"));
        }
        if (!parseMessages(node.at("messages"), with(path, "messages"), messages))
            return false;
        for (qsizetype i = 0; i < messages.size(); ++i) {
            if (!checkTemplate(messages.at(i).content, vars,
                               with(path, "messages") + QStringList{QString::number(i), QStringLiteral("content")}))
                return false;
        }
        return true;
    }

    bool parseCase(const json &node, const QStringList &path, SuiteCase &out)
    {
        if (!node.is_object()) {
            fail(path, Tr::tr("expected an object"));
            return false;
        }
        if (!checkKeys(node, path,
                       {"id", "prompt", "messages", "vars", "reference", "assert", "tags", "weight", "threshold",
                        "metadata", "variants", "description", "time_budget_ms", "tools", "turns", "tool_results",
                        "max_tool_rounds", "tool_choice", "parallel_tool_calls"}))
            return false;
        if (node.contains("tools") && !parseTools(node.at("tools"), with(path, "tools"), out.tools))
            return false;
        if (!ToolChoiceParser::parse(*this, node, path, out.tools + m_defaultTools, true, out.toolChoice,
                                     out.parallelToolCalls))
            return false;
        if (!parseTimeBudget(node, path, out.timeBudgetMs))
            return false;
        out.id = string(node, path, "id", true);
        out.description = string(node, path, "description", false);
        if (!m_error.isEmpty())
            return false;
        if (out.id.trimmed().isEmpty()) {
            fail(with(path, "id"), Tr::tr("the id is empty"));
            return false;
        }
        if (node.contains("vars") && !parseVars(node.at("vars"), with(path, "vars"), out.vars))
            return false;
        if (!parsePromptOrMessages(node, path, out.prompt, out.messages, out.vars))
            return false;
        out.reference = string(node, path, "reference", false);
        if (node.contains("assert") && !parseAssertions(node.at("assert"), with(path, "assert"), out.assertions))
            return false;
        if (!ChainParser::parseChainFields(*this, node, path, out))
            return false;
        if (node.contains("tags")) {
            const json &tags = node.at("tags");
            if (!tags.is_array()) {
                fail(with(path, "tags"), Tr::tr("expected a list of strings"));
                return false;
            }
            for (std::size_t i = 0; i < tags.size(); ++i) {
                if (!tags.at(i).is_string()) {
                    fail(with(path, "tags") + QStringList{QString::number(i)}, Tr::tr("expected a string"));
                    return false;
                }
                out.tags.append(Json::toQString(tags.at(i).get<std::string>()));
            }
        }
        if (node.contains("weight")) {
            if (!node.at("weight").is_number() || node.at("weight").get<double>() < 0) {
                fail(with(path, "weight"), Tr::tr("expected a number of at least 0"));
                return false;
            }
            out.weight = node.at("weight").get<double>();
        }
        if (node.contains("threshold")) {
            if (!node.at("threshold").is_number()) {
                fail(with(path, "threshold"), Tr::tr("expected a number"));
                return false;
            }
            out.threshold = node.at("threshold").get<double>();
        }
        if (node.contains("metadata")) {
            if (!node.at("metadata").is_object()) {
                fail(with(path, "metadata"), Tr::tr("expected an object"));
                return false;
            }
            out.metadata = node.at("metadata");
        }
        if (node.contains("variants")) {
            const json &variants = node.at("variants");
            const QStringList vpath = with(path, "variants");
            if (!variants.is_array()) {
                fail(vpath, Tr::tr("expected a list of variants"));
                return false;
            }
            QSet<QString> ids;
            for (std::size_t i = 0; i < variants.size(); ++i) {
                const QStringList ipath = vpath + QStringList{QString::number(i)};
                const json &v = variants.at(i);
                if (!v.is_object()) {
                    fail(ipath, Tr::tr("expected an object"));
                    return false;
                }
                if (!checkKeys(v, ipath, {"id", "kind", "prompt", "messages", "vars", "reference", "assert"}))
                    return false;
                CaseVariant variant;
                variant.id = string(v, ipath, "id", true);
                variant.kind = string(v, ipath, "kind", false);
                variant.reference = string(v, ipath, "reference", false);
                if (!m_error.isEmpty())
                    return false;
                if (ids.contains(variant.id)) {
                    fail(with(ipath, "id"), Tr::tr("duplicate variant id \"%1\"").arg(variant.id));
                    return false;
                }
                ids.insert(variant.id);
                if (v.contains("vars") && !parseVars(v.at("vars"), with(ipath, "vars"), variant.vars))
                    return false;
                if (v.contains("assert")) {
                    QList<Assertion> assertions;
                    if (!parseAssertions(v.at("assert"), with(ipath, "assert"), assertions))
                        return false;
                    variant.assertions = std::move(assertions);
                }
                if (!parsePromptOrMessages(v, ipath, variant.prompt, variant.messages, Suite::varsFor(out, &variant)))
                    return false;
                out.variants.append(std::move(variant));
            }
        }
        return m_error.isEmpty();
    }

private:
    const QByteArray &m_bytes;
    QString m_source;
    QString m_error;
    QList<ToolSpec> m_defaultTools; // what a case's forced tool may name besides its own
};

} // namespace

const QStringList &knownAssertionTypes()
{
    static const QStringList types{QStringLiteral("equals"),        QStringLiteral("contains"),
                                   QStringLiteral("icontains"),     QStringLiteral("contains-any"),
                                   QStringLiteral("contains-all"),  QStringLiteral("icontains-any"),
                                   QStringLiteral("icontains-all"), QStringLiteral("not-contains"),
                                   QStringLiteral("regex"),         QStringLiteral("starts-with"),
                                   QStringLiteral("ends-with"),     QStringLiteral("is-json"),
                                   QStringLiteral("contains-json"), QStringLiteral("json-schema"),
                                   QStringLiteral("levenshtein"),   QStringLiteral("word-count"),
                                   QStringLiteral("latency"),       QStringLiteral("cost"),
                                   QStringLiteral("numeric"),       QStringLiteral("is-valid-tool-call"),
                                   QStringLiteral("tool-call"),     QStringLiteral("llm-rubric"),
                                   QStringLiteral("factuality"),    QStringLiteral("select-best"),
                                   QStringLiteral("code-tests")};
    return types;
}

QString canonicalAssertionType(const QString &type)
{
    // promptfoo's provider-specific spellings of the tool-call check.
    if (type == u"is-valid-openai-tools-call" || type == u"is-valid-openai-function-call" ||
        type == u"is-valid-function-call")
        return QStringLiteral("is-valid-tool-call");
    return type;
}

QString renderTemplate(const QString &text, const QHash<QString, QString> &vars, QStringList *missing)
{
    static const QRegularExpression placeholder(QStringLiteral("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_.-]*)\\s*\\}\\}"));
    QString out;
    out.reserve(text.size());
    qsizetype last = 0;
    auto it = placeholder.globalMatch(text);
    while (it.hasNext()) {
        const auto match = it.next();
        out += QStringView(text).mid(last, match.capturedStart() - last);
        const QString name = match.captured(1);
        const auto found = vars.constFind(name);
        if (found != vars.constEnd()) {
            out += found.value();
        } else {
            if (missing && !missing->contains(name))
                missing->append(name);
            out += match.captured(0);
        }
        last = match.capturedEnd();
    }
    out += QStringView(text).mid(last);
    return out;
}

Result<Suite> Suite::fromJson(const QByteArray &bytes, const QString &sourceName)
{
    if (bytes.size() >= 2 &&
        ((bytes.at(0) == '\xFF' && bytes.at(1) == '\xFE') || (bytes.at(0) == '\xFE' && bytes.at(1) == '\xFF')))
        return Error{Tr::tr("%1: the file is UTF-16; save it as UTF-8").arg(sourceName)};
    if (const qsizetype bad = firstInvalidUtf8(bytes); bad >= 0) {
        const Json::Position pos = Json::positionOf(bytes, bad);
        return Error{Tr::tr("%1:%2:%3: invalid UTF-8 at byte offset %4 (byte 0x%5); save the file as UTF-8")
                         .arg(sourceName)
                         .arg(pos.line)
                         .arg(pos.column)
                         .arg(bad)
                         .arg(uint(static_cast<unsigned char>(bytes.at(bad))), 2, 16, QLatin1Char('0'))};
    }
    auto parsed = Json::parse(bytes, sourceName);
    if (!parsed)
        return Error{parsed.error()};
    SuiteParser parser(bytes, sourceName);
    return parser.parse(parsed.value());
}

Result<Suite> Suite::fromFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{Tr::tr("Cannot open suite %1: %2").arg(path, file.errorString())};
    if (file.size() > kMaxFileBytes)
        return Error{Tr::tr("%1: the suite is too large (%2 MiB; limit %3 MiB)")
                         .arg(path)
                         .arg(file.size() / (1024 * 1024))
                         .arg(kMaxFileBytes / (1024 * 1024))};
    return fromJson(file.readAll(), path);
}

const CaseVariant *SuiteCase::findVariant(const QString &variantId) const
{
    for (const auto &v : variants) {
        if (v.id == variantId)
            return &v;
    }
    return nullptr;
}

QHash<QString, QString> Suite::varsFor(const SuiteCase &c, const CaseVariant *variant)
{
    if (!variant || variant->vars.isEmpty())
        return c.vars;
    QHash<QString, QString> vars = c.vars;
    for (auto it = variant->vars.cbegin(); it != variant->vars.cend(); ++it)
        vars.insert(it.key(), it.value());
    return vars;
}

QList<Assertion> Suite::assertionsFor(const SuiteCase &c, const CaseVariant *variant) const
{
    return defaults.assertions + (variant && variant->assertions ? *variant->assertions : c.assertions);
}

QString Suite::referenceFor(const SuiteCase &c, const CaseVariant *variant)
{
    return variant && !variant->reference.isEmpty() ? variant->reference : c.reference;
}

std::optional<qint64> Suite::timeBudgetFor(const SuiteCase &c) const
{
    return c.timeBudgetMs ? c.timeBudgetMs : defaults.timeBudgetMs;
}

bool Suite::hasTimeBudgets() const
{
    return defaults.timeBudgetMs.has_value() ||
           std::any_of(cases.cbegin(), cases.cend(), [](const SuiteCase &c) { return c.timeBudgetMs.has_value(); });
}

const SuiteCase *Suite::findCase(const QString &id) const
{
    for (const auto &c : cases) {
        if (c.id == id)
            return &c;
    }
    return nullptr;
}

QList<ChatMessage> Suite::messagesFor(const SuiteCase &c, const CaseVariant *variant) const
{
    QList<ChatMessage> out;
    const QString &prompt = variant ? variant->prompt : c.prompt;
    const QList<ChatMessage> &messages = variant ? variant->messages : c.messages;
    const bool hasSystem =
        std::any_of(messages.begin(), messages.end(), [](const ChatMessage &m) { return m.role == u"system"; });
    const QHash<QString, QString> vars = varsFor(c, variant);
    if (!defaults.system.isEmpty() && !hasSystem)
        out.append({QStringLiteral("system"), renderTemplate(defaults.system, vars)});
    if (!messages.isEmpty()) {
        for (const auto &m : messages)
            out.append({m.role, renderTemplate(m.content, vars)});
    } else {
        out.append({QStringLiteral("user"), renderTemplate(prompt, vars)});
    }
    return out;
}

} // namespace Slopscope
