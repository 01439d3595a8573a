#pragma once

// A case's chain fields ("turns", "tool_results", "max_tool_rounds"), parsed with the suite
// parser's own helpers so their errors read like every other (file:line:col: field: message).
// Included by SuiteParser.cpp only; a template so it needs no interface of the parser's.

#include "core/Json.h"
#include "quality/Chain.h"

#include "quality/SuitePath.h"

#include <QCoreApplication>

#include <nlohmann/json.hpp>

namespace Slopscope::ChainParser {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(Suite)
};

inline SuitePath at(const SuitePath &path, const char *key)
{
    return path / key;
}

inline SuitePath at(const SuitePath &path, std::size_t index)
{
    return path / index;
}

template <typename Parser>
bool parseToolResults(Parser &p, const nlohmann::json &node, const SuitePath &path,
                      const QHash<QString, QString> &vars, QList<ScriptedToolResult> &out)
{
    if (!node.is_array() || node.empty()) {
        p.fail(path, Tr::tr("expected a non-empty list of tool results"));
        return false;
    }
    for (std::size_t i = 0; i < node.size(); ++i) {
        const SuitePath rpath = at(path, i);
        const nlohmann::json &r = node.at(i);
        if (!r.is_object()) {
            p.fail(rpath, Tr::tr("expected an object with a \"tool\", a \"kind\" and a \"content\""));
            return false;
        }
        if (!p.checkKeys(r, rpath, {"tool", "kind", "content"}))
            return false;
        ScriptedToolResult result;
        result.tool = p.string(r, rpath, "tool", true);
        const QString kind = r.contains("kind") ? p.string(r, rpath, "kind", true) : QStringLiteral("result");
        if (!p.ok())
            return false;
        if (result.tool.trimmed().isEmpty()) {
            p.fail(at(rpath, "tool"), Tr::tr("the tool name is empty (use \"*\" for any tool)"));
            return false;
        }
        const auto parsedKind = toolResultKindFromName(kind);
        if (!parsedKind) {
            p.fail(at(rpath, "kind"),
                   Tr::tr("\"%1\" is not a kind of tool result (result, error, missing or interrupt)").arg(kind));
            return false;
        }
        result.kind = *parsedKind;
        if (!r.contains("content")) {
            p.fail(at(rpath, "content"), Tr::tr("missing (a string, or the JSON the tool returns)"));
            return false;
        }
        const nlohmann::json &content = r.at("content");
        if (content.is_string()) {
            result.content = Json::toQString(content.get<std::string>());
            if (!p.checkTemplate(result.content, vars, at(rpath, "content")))
                return false;
        } else if ((content.is_object() || content.is_array()) && result.kind != ToolResultKind::Interrupt) {
            // Tool output is usually JSON: written as JSON, it is sent as its text.
            result.content = Json::toQString(content.dump());
        } else {
            p.fail(at(rpath, "content"), result.kind == ToolResultKind::Interrupt
                                             ? Tr::tr("expected a string (what the user says)")
                                             : Tr::tr("expected a string, an object or a list"));
            return false;
        }
        if (result.kind == ToolResultKind::Interrupt && result.content.trimmed().isEmpty()) {
            p.fail(at(rpath, "content"), Tr::tr("an interrupt needs what the user says as its content"));
            return false;
        }
        out.append(std::move(result));
    }
    return true;
}

template <typename Parser>
bool parseTurns(Parser &p, nlohmann::json &node, const SuitePath &path, const QHash<QString, QString> &vars,
                QList<ChainTurn> &out)
{
    if (!node.is_array() || node.empty()) {
        p.fail(path, Tr::tr("expected a non-empty list of turns"));
        return false;
    }
    for (std::size_t i = 0; i < node.size(); ++i) {
        const SuitePath tpath = at(path, i);
        nlohmann::json &t = node.at(i);
        if (!t.is_object()) {
            p.fail(tpath, Tr::tr("expected an object with a \"user\" message"));
            return false;
        }
        if (!p.checkKeys(t, tpath, {"user", "assert", "tool_results"}))
            return false;
        ChainTurn turn;
        turn.user = p.string(t, tpath, "user", true);
        if (!p.ok())
            return false;
        if (turn.user.trimmed().isEmpty()) {
            p.fail(at(tpath, "user"), Tr::tr("the user message is empty"));
            return false;
        }
        if (!p.checkTemplate(turn.user, vars, at(tpath, "user")))
            return false;
        if (t.contains("assert") && !p.parseAssertions(t.at("assert"), at(tpath, "assert"), turn.assertions))
            return false;
        if (t.contains("tool_results") &&
            !parseToolResults(p, t.at("tool_results"), at(tpath, "tool_results"), vars, turn.toolResults))
            return false;
        out.append(std::move(turn));
    }
    return true;
}

// The case's chain fields; `node` is the case object, its vars already parsed into `out`.
template <typename Parser>
bool parseChainFields(Parser &p, nlohmann::json &node, const SuitePath &path, SuiteCase &out)
{
    if (node.contains("turns") && !parseTurns(p, node.at("turns"), at(path, "turns"), out.vars, out.turns))
        return false;
    if (node.contains("tool_results") &&
        !parseToolResults(p, node.at("tool_results"), at(path, "tool_results"), out.vars, out.toolResults))
        return false;
    if (node.contains("max_tool_rounds")) {
        const nlohmann::json &v = node.at("max_tool_rounds");
        if (!v.is_number_integer() || v.get<qint64>() < 1 || v.get<qint64>() > 100) {
            p.fail(at(path, "max_tool_rounds"), Tr::tr("expected a whole number from 1 to 100"));
            return false;
        }
        out.maxToolRounds = static_cast<int>(v.get<qint64>());
    }
    return true;
}

} // namespace Slopscope::ChainParser
