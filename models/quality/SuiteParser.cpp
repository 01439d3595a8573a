#include "quality/SuiteParser.h"

#include "core/Json.h"
#include "core/JsonLocator.h"
#include "quality/ChainParser.h"
#include "quality/SuitePath.h"
#include "quality/ToolChoiceParser.h"

#include <QCoreApplication>
#include <QSet>

#include <algorithm>

namespace Slopscope {

namespace {

using json = nlohmann::json;

// Through Q_DECLARE_TR_FUNCTIONS, lupdate files these strings under the context the code
// looks them up in (a translate() wrapper called tr() misled it into the namespace's).
struct SuiteParserTr
{
    Q_DECLARE_TR_FUNCTIONS(Suite)
};

// Walks the document keeping the path of the current value, so every error can name its field
// and, through Json::locate, its line and column. The path is a SuitePath on the stack, spelt out
// only when an error is reported, and values the suite keeps (assertion values, parameters,
// metadata) are moved out of the document, which is the parser's own: a valid suite, the common
// case, pays for neither.
class SuiteParser final
{
public:
    SuiteParser(const QByteArray &bytes, QString sourceName)
        : m_bytes(bytes)
        , m_source(std::move(sourceName))
    {}

    Result<Suite> parse(json &root)
    {
        const SuitePath top;
        const SuitePath casesPath = top / "cases";
        Suite suite;
        if (!root.is_object())
            return fail(top, SuiteParserTr::tr("a suite must be a JSON object"));
        if (!checkKeys(root, top, {"name", "description", "defaults", "cases"}))
            return Error{m_error};
        suite.name = string(root, top, "name", true);
        suite.description = string(root, top, "description", false);
        if (root.contains("defaults") && !parseDefaults(root.at("defaults"), suite.defaults))
            return Error{m_error};
        if (!m_error.isEmpty())
            return Error{m_error};
        if (!root.contains("cases") || !root.at("cases").is_array())
            return fail(casesPath, SuiteParserTr::tr("a list of cases is required"));
        json &cases = root.at("cases");
        if (cases.empty())
            return fail(casesPath, SuiteParserTr::tr("the suite has no cases"));
        suite.cases.reserve(static_cast<qsizetype>(cases.size()));
        QSet<QString> ids;
        ids.reserve(static_cast<qsizetype>(cases.size()));
        for (std::size_t i = 0; i < cases.size(); ++i) {
            const SuitePath path = casesPath / i;
            SuiteCase c;
            if (!parseCase(cases.at(i), path, c))
                return Error{m_error};
            if (ids.contains(c.id))
                return fail(path / "id", SuiteParserTr::tr("duplicate case id \"%1\"").arg(c.id));
            ids.insert(c.id);
            suite.cases.append(std::move(c));
        }
        return suite;
    }

    Error fail(const SuitePath &at, const QString &message)
    {
        if (m_error.isEmpty()) {
            const QStringList path = at.toStringList();
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

    static SuitePath with(const SuitePath &path, const char *key) { return path / key; }

    bool checkKeys(const json &object, const SuitePath &path, std::initializer_list<const char *> allowed)
    {
        for (auto it = object.begin(); it != object.end(); ++it) {
            const bool known =
                std::any_of(allowed.begin(), allowed.end(), [&](const char *k) { return it.key() == k; });
            if (!known) {
                QStringList names;
                for (const char *k : allowed)
                    names << QString::fromUtf8(k);
                fail(path / Json::toQString(it.key()),
                     SuiteParserTr::tr("unknown key (expected one of: %1)").arg(names.join(QStringLiteral(", "))));
                return false;
            }
        }
        return true;
    }

    QString string(const json &object, const SuitePath &path, const char *key, bool required)
    {
        const auto found = object.find(key);
        if (found == object.end() || found->is_null()) {
            if (required)
                fail(with(path, key), SuiteParserTr::tr("missing (a string is required)"));
            return {};
        }
        if (!found->is_string()) {
            fail(with(path, key), SuiteParserTr::tr("expected a string"));
            return {};
        }
        return Json::toQString(found->get_ref<const std::string &>());
    }

    bool parseMessages(const json &node, const SuitePath &path, QList<ChatMessage> &out)
    {
        if (!node.is_array() || node.empty()) {
            fail(path, SuiteParserTr::tr("expected a non-empty list of messages"));
            return false;
        }
        for (std::size_t i = 0; i < node.size(); ++i) {
            const SuitePath mpath = path / i;
            const json &m = node.at(i);
            if (!m.is_object()) {
                fail(mpath, SuiteParserTr::tr("expected an object with \"role\" and \"content\""));
                return false;
            }
            if (!checkKeys(m, mpath, {"role", "content"}))
                return false;
            ChatMessage msg{string(m, mpath, "role", true), string(m, mpath, "content", true)};
            if (!m_error.isEmpty())
                return false;
            if (msg.role != u"system" && msg.role != u"user" && msg.role != u"assistant") {
                fail(with(mpath, "role"),
                     SuiteParserTr::tr("\"%1\" is not a role (system, user or assistant)").arg(msg.role));
                return false;
            }
            out.append(std::move(msg));
        }
        return true;
    }

    bool parseAssertions(json &node, const SuitePath &path, QList<Assertion> &out)
    {
        if (!node.is_array()) {
            fail(path, SuiteParserTr::tr("expected a list of assertions"));
            return false;
        }
        for (std::size_t i = 0; i < node.size(); ++i) {
            const SuitePath apath = path / i;
            json &a = node.at(i);
            if (!a.is_object()) {
                fail(apath, SuiteParserTr::tr("expected an object with a \"type\""));
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
            if (!knownTypes().contains(base)) {
                fail(with(apath, "type"), SuiteParserTr::tr("unknown assertion type \"%1\"").arg(assertion.type));
                return false;
            }
            if (const auto value = a.find("value"); value != a.end())
                assertion.value = std::move(*value);
            if (a.contains("threshold")) {
                if (!a.at("threshold").is_number()) {
                    fail(with(apath, "threshold"), SuiteParserTr::tr("expected a number"));
                    return false;
                }
                assertion.threshold = a.at("threshold").get<double>();
            }
            if (a.contains("weight")) {
                if (!a.at("weight").is_number() || a.at("weight").get<double>() < 0) {
                    fail(with(apath, "weight"), SuiteParserTr::tr("expected a number of at least 0"));
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

    bool parseVars(const json &vars, const SuitePath &path, QHash<QString, QString> &out)
    {
        if (!vars.is_object()) {
            fail(path, SuiteParserTr::tr("expected an object of names and values"));
            return false;
        }
        for (auto it = vars.begin(); it != vars.end(); ++it) {
            const json &v = it.value();
            if (v.is_string())
                out.insert(Json::toQString(it.key()), Json::toQString(v.get<std::string>()));
            else if (v.is_number() || v.is_boolean())
                out.insert(Json::toQString(it.key()), Json::toQString(v.dump()));
            else {
                fail(path / Json::toQString(it.key()), SuiteParserTr::tr("expected a string or a number"));
                return false;
            }
        }
        return true;
    }

    bool parseDefaults(json &node, SuiteDefaults &out)
    {
        const SuitePath top;
        const SuitePath path = top / "defaults";
        if (!node.is_object()) {
            fail(path, SuiteParserTr::tr("expected an object"));
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
                fail(with(path, "params"), SuiteParserTr::tr("expected an object"));
                return false;
            }
            out.params = std::move(node.at("params"));
        }
        if (node.contains("assert") && !parseAssertions(node.at("assert"), with(path, "assert"), out.assertions))
            return false;
        return m_error.isEmpty();
    }

    // "tools": [{name, description, parameters}], or OpenAI's {type: "function", function: {...}}.
    bool parseTools(json &node, const SuitePath &path, QList<ToolSpec> &out)
    {
        if (!node.is_array()) {
            fail(path, SuiteParserTr::tr("expected a list of tools"));
            return false;
        }
        for (std::size_t i = 0; i < node.size(); ++i) {
            const SuitePath ipath = path / i;
            json *tool = &node.at(i);
            const bool wrapped = tool->is_object() && tool->contains("function");
            if (wrapped)
                tool = &tool->at("function");
            const SuitePath tpath = wrapped ? ipath / "function" : ipath;
            if (!tool->is_object()) {
                fail(tpath, SuiteParserTr::tr("expected an object with a \"name\""));
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
                                              ? SuiteParserTr::tr("the name is empty")
                                              : SuiteParserTr::tr("duplicate tool name \"%1\"").arg(spec.name));
                return false;
            }
            if (tool->contains("parameters")) {
                if (!tool->at("parameters").is_object()) {
                    fail(with(tpath, "parameters"), SuiteParserTr::tr("expected a JSON Schema object"));
                    return false;
                }
                spec.parameters = std::move(tool->at("parameters"));
            }
            out.append(std::move(spec));
        }
        return true;
    }

    // "time_budget_ms": a whole number of milliseconds above 0.
    bool parseTimeBudget(const json &node, const SuitePath &path, std::optional<qint64> &out)
    {
        if (!node.contains("time_budget_ms"))
            return true;
        const json &v = node.at("time_budget_ms");
        if (!v.is_number_integer() || v.get<qint64>() <= 0) {
            fail(with(path, "time_budget_ms"), SuiteParserTr::tr("expected a whole number of milliseconds above 0"));
            return false;
        }
        out = v.get<qint64>();
        return true;
    }

    bool checkTemplate(const QString &text, const QHash<QString, QString> &vars, const SuitePath &path)
    {
        QStringList missing;
        renderTemplate(text, vars, &missing);
        if (!missing.isEmpty()) {
            fail(path, SuiteParserTr::tr("unknown variable {{%1}}").arg(missing.first()));
            return false;
        }
        return true;
    }

    bool parsePromptOrMessages(const json &node, const SuitePath &path, QString &prompt, QList<ChatMessage> &messages,
                               const QHash<QString, QString> &vars)
    {
        const bool hasPrompt = node.contains("prompt");
        const bool hasMessages = node.contains("messages");
        if (hasPrompt == hasMessages) {
            fail(path, hasPrompt ? SuiteParserTr::tr("give either \"prompt\" or \"messages\", not both")
                                 : SuiteParserTr::tr("a \"prompt\" or a list of \"messages\" is required"));
            return false;
        }
        if (hasPrompt) {
            prompt = string(node, path, "prompt", true);
            if (!m_error.isEmpty())
                return false;
            if (prompt.trimmed().isEmpty()) {
                fail(with(path, "prompt"), SuiteParserTr::tr("the prompt is empty"));
                return false;
            }
            return checkTemplate(prompt, vars, with(path, "prompt"));
        }
        if (!parseMessages(node.at("messages"), with(path, "messages"), messages))
            return false;
        for (qsizetype i = 0; i < messages.size(); ++i) {
            if (!checkTemplate(messages.at(i).content, vars,
                               path / "messages" / static_cast<std::size_t>(i) / "content"))
                return false;
        }
        return true;
    }

    bool parseCase(json &node, const SuitePath &path, SuiteCase &out)
    {
        if (!node.is_object()) {
            fail(path, SuiteParserTr::tr("expected an object"));
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
            fail(with(path, "id"), SuiteParserTr::tr("the id is empty"));
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
                fail(with(path, "tags"), SuiteParserTr::tr("expected a list of strings"));
                return false;
            }
            for (std::size_t i = 0; i < tags.size(); ++i) {
                if (!tags.at(i).is_string()) {
                    fail(path / "tags" / i, SuiteParserTr::tr("expected a string"));
                    return false;
                }
                out.tags.append(Json::toQString(tags.at(i).get<std::string>()));
            }
        }
        if (node.contains("weight")) {
            if (!node.at("weight").is_number() || node.at("weight").get<double>() < 0) {
                fail(with(path, "weight"), SuiteParserTr::tr("expected a number of at least 0"));
                return false;
            }
            out.weight = node.at("weight").get<double>();
        }
        if (node.contains("threshold")) {
            if (!node.at("threshold").is_number()) {
                fail(with(path, "threshold"), SuiteParserTr::tr("expected a number"));
                return false;
            }
            out.threshold = node.at("threshold").get<double>();
        }
        if (node.contains("metadata")) {
            if (!node.at("metadata").is_object()) {
                fail(with(path, "metadata"), SuiteParserTr::tr("expected an object"));
                return false;
            }
            out.metadata = std::move(node.at("metadata"));
        }
        if (node.contains("variants")) {
            json &variants = node.at("variants");
            const SuitePath vpath = path / "variants";
            if (!variants.is_array()) {
                fail(vpath, SuiteParserTr::tr("expected a list of variants"));
                return false;
            }
            QSet<QString> ids;
            for (std::size_t i = 0; i < variants.size(); ++i) {
                const SuitePath ipath = vpath / i;
                json &v = variants.at(i);
                if (!v.is_object()) {
                    fail(ipath, SuiteParserTr::tr("expected an object"));
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
                    fail(with(ipath, "id"), SuiteParserTr::tr("duplicate variant id \"%1\"").arg(variant.id));
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
    // knownAssertionTypes() as a set: looked up for every assertion of the suite.
    static const QSet<QString> &knownTypes()
    {
        static const QSet<QString> types(knownAssertionTypes().cbegin(), knownAssertionTypes().cend());
        return types;
    }

    const QByteArray &m_bytes;
    QString m_source;
    QString m_error;
    QList<ToolSpec> m_defaultTools; // what a case's forced tool may name besides its own
};

} // namespace

Result<Suite> parseSuiteDocument(nlohmann::json document, const QByteArray &bytes, const QString &sourceName)
{
    SuiteParser parser(bytes, sourceName);
    return parser.parse(document);
}

} // namespace Slopscope
