#include "quality/SuiteWriter.h"

#include "core/AtomicWrite.h"
#include "quality/Chain.h"

#include <QCoreApplication>
#include <QDir>

#include <algorithm>

namespace Slopscope {

namespace {

using json = nlohmann::json;

struct SuiteWriterTr
{
    Q_DECLARE_TR_FUNCTIONS(SuiteWriter)
};

std::string utf8(const QString &s)
{
    return s.toStdString();
}

json toolsToJson(const QList<ToolSpec> &tools)
{
    json out = json::array();
    for (const ToolSpec &t : tools) {
        json node = {{"name", utf8(t.name)}};
        if (!t.description.isEmpty())
            node["description"] = utf8(t.description);
        node["parameters"] = t.parameters;
        out.push_back(std::move(node));
    }
    return out;
}

void putToolChoice(json &node, const std::optional<ToolChoice> &choice, std::optional<bool> parallel)
{
    if (choice)
        node["tool_choice"] = choice->toJson();
    if (parallel)
        node["parallel_tool_calls"] = *parallel;
}

json assertionsToJson(const QList<Assertion> &assertions)
{
    json out = json::array();
    for (const Assertion &a : assertions) {
        json node = json::object();
        node["type"] = utf8(a.type);
        if (!a.value.is_null())
            node["value"] = a.value;
        if (a.threshold)
            node["threshold"] = *a.threshold;
        if (a.weight != 1.0)
            node["weight"] = a.weight;
        if (!a.provider.isEmpty())
            node["provider"] = utf8(a.provider);
        if (!a.metric.isEmpty())
            node["metric"] = utf8(a.metric);
        if (!a.interpreter.isEmpty())
            node["interpreter"] = utf8(a.interpreter);
        out.push_back(std::move(node));
    }
    return out;
}

json messagesToJson(const QList<ChatMessage> &messages)
{
    json out = json::array();
    for (const ChatMessage &m : messages)
        out.push_back(json{{"role", utf8(m.role)}, {"content", utf8(m.content)}});
    return out;
}

// Sorted by name: a QHash has no order of its own, and a stable file diffs well.
json varsToJson(const QHash<QString, QString> &vars)
{
    QStringList names = vars.keys();
    std::sort(names.begin(), names.end());
    json out = json::object();
    for (const QString &name : names)
        out[utf8(name)] = utf8(vars.value(name));
    return out;
}

// The parser wants exactly one of the two; messages win when both are set, as in messagesFor.
void putPromptOrMessages(json &node, const QString &prompt, const QList<ChatMessage> &messages)
{
    if (!messages.isEmpty())
        node["messages"] = messagesToJson(messages);
    else
        node["prompt"] = utf8(prompt);
}

json variantToJson(const CaseVariant &v)
{
    json node = json::object();
    node["id"] = utf8(v.id);
    if (!v.kind.isEmpty())
        node["kind"] = utf8(v.kind);
    // Vars first so a reader sees the names before the template that uses them.
    if (!v.vars.isEmpty())
        node["vars"] = varsToJson(v.vars);
    putPromptOrMessages(node, v.prompt, v.messages);
    if (!v.reference.isEmpty())
        node["reference"] = utf8(v.reference);
    if (v.assertions)
        node["assert"] = assertionsToJson(*v.assertions);
    return node;
}

json toolResultsToJson(const QList<ScriptedToolResult> &results)
{
    json out = json::array();
    for (const ScriptedToolResult &r : results)
        out.push_back(
            json{{"tool", utf8(r.tool)}, {"kind", utf8(toolResultKindName(r.kind))}, {"content", utf8(r.content)}});
    return out;
}

json turnsToJson(const QList<ChainTurn> &turns)
{
    json out = json::array();
    for (const ChainTurn &t : turns) {
        json node = json::object();
        node["user"] = utf8(t.user);
        if (!t.assertions.isEmpty())
            node["assert"] = assertionsToJson(t.assertions);
        if (!t.toolResults.isEmpty())
            node["tool_results"] = toolResultsToJson(t.toolResults);
        out.push_back(std::move(node));
    }
    return out;
}

} // namespace

json suiteCaseToJson(const SuiteCase &c)
{
    json node = json::object();
    node["id"] = utf8(c.id);
    if (!c.description.isEmpty())
        node["description"] = utf8(c.description);
    if (!c.vars.isEmpty())
        node["vars"] = varsToJson(c.vars);
    putPromptOrMessages(node, c.prompt, c.messages);
    if (!c.reference.isEmpty())
        node["reference"] = utf8(c.reference);
    if (!c.assertions.isEmpty())
        node["assert"] = assertionsToJson(c.assertions);
    if (!c.tools.isEmpty())
        node["tools"] = toolsToJson(c.tools);
    putToolChoice(node, c.toolChoice, c.parallelToolCalls);
    if (!c.tags.isEmpty()) {
        json tags = json::array();
        for (const QString &t : c.tags)
            tags.push_back(utf8(t));
        node["tags"] = std::move(tags);
    }
    if (c.weight != 1.0)
        node["weight"] = c.weight;
    if (c.threshold)
        node["threshold"] = *c.threshold;
    if (c.timeBudgetMs)
        node["time_budget_ms"] = *c.timeBudgetMs;
    if (c.metadata.is_object() && !c.metadata.empty())
        node["metadata"] = c.metadata;
    if (!c.turns.isEmpty())
        node["turns"] = turnsToJson(c.turns);
    if (!c.toolResults.isEmpty())
        node["tool_results"] = toolResultsToJson(c.toolResults);
    if (c.maxToolRounds != SuiteCase::kDefaultMaxToolRounds)
        node["max_tool_rounds"] = c.maxToolRounds;
    if (!c.variants.isEmpty()) {
        json variants = json::array();
        for (const CaseVariant &v : c.variants)
            variants.push_back(variantToJson(v));
        node["variants"] = std::move(variants);
    }
    return node;
}

json suiteToJson(const Suite &suite)
{
    json root = json::object();
    root["name"] = utf8(suite.name);
    if (!suite.description.isEmpty())
        root["description"] = utf8(suite.description);
    json defaults = json::object();
    if (!suite.defaults.system.isEmpty())
        defaults["system"] = utf8(suite.defaults.system);
    if (suite.defaults.params.is_object() && !suite.defaults.params.empty())
        defaults["params"] = suite.defaults.params;
    if (!suite.defaults.assertions.isEmpty())
        defaults["assert"] = assertionsToJson(suite.defaults.assertions);
    if (suite.defaults.timeBudgetMs)
        defaults["time_budget_ms"] = *suite.defaults.timeBudgetMs;
    if (!suite.defaults.tools.isEmpty())
        defaults["tools"] = toolsToJson(suite.defaults.tools);
    putToolChoice(defaults, suite.defaults.toolChoice, suite.defaults.parallelToolCalls);
    if (!defaults.empty())
        root["defaults"] = std::move(defaults);
    json cases = json::array();
    for (const SuiteCase &c : suite.cases)
        cases.push_back(suiteCaseToJson(c));
    root["cases"] = std::move(cases);
    return root;
}

QByteArray suiteToBytes(const Suite &suite)
{
    // nlohmann::json sorts keys: not the order a person writes, but stable, so saves diff well.
    const std::string text = suiteToJson(suite).dump(2) + '\n';
    return QByteArray(text.data(), static_cast<qsizetype>(text.size()));
}

Status saveSuite(const Suite &suite, const QString &path)
{
    if (const Status written = writeAtomically(path, suiteToBytes(suite)); !written.ok())
        return Error{
            SuiteWriterTr::tr("Cannot save the suite to %1: %2").arg(QDir::toNativeSeparators(path), written.error())};
    return {};
}

} // namespace Slopscope
