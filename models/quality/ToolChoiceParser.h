#pragma once

// "tool_choice" and "parallel_tool_calls" of the defaults or a case, parsed with the suite
// parser's own helpers so their errors read like every other (file:line:col: field: message).
// Included by SuiteParser.cpp only; a template so it needs no interface of the parser's.

#include "core/ToolChoice.h"
#include "core/ToolSpec.h"

#include "quality/SuitePath.h"

#include <QCoreApplication>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <optional>

namespace Slopscope::ToolChoiceParser {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(Suite)
};

// `offered`: the tools a forced {"name"} may name (the defaults' own, or a case's with the
// defaults'); `needsTools`: a case must offer some tool for a choice to mean anything.
template <typename Parser>
bool parse(Parser &p, const nlohmann::json &node, const SuitePath &path, const QList<ToolSpec> &offered,
           bool needsTools, std::optional<ToolChoice> &choice, std::optional<bool> &parallel)
{
    const SuitePath choicePath = path / "tool_choice";
    const SuitePath parallelPath = path / "parallel_tool_calls";
    if (node.contains("tool_choice")) {
        QString error;
        QString key;
        choice = ToolChoice::fromJson(node.at("tool_choice"), error, key);
        if (!choice) {
            p.fail(key.isEmpty() ? choicePath : choicePath / key, error);
            return false;
        }
        if (choice->mode == ToolChoice::Mode::Function &&
            std::none_of(offered.cbegin(), offered.cend(), [&](const ToolSpec &t) { return t.name == choice->name; })) {
            p.fail(choicePath / "name",
                   Tr::tr("\"%1\" is not one of the tools offered").arg(choice->name));
            return false;
        }
    }
    if (node.contains("parallel_tool_calls")) {
        if (!node.at("parallel_tool_calls").is_boolean()) {
            p.fail(parallelPath, Tr::tr("expected true or false"));
            return false;
        }
        parallel = node.at("parallel_tool_calls").template get<bool>();
    }
    if (needsTools && offered.isEmpty() && (choice || parallel)) {
        p.fail(choice ? choicePath : parallelPath, Tr::tr("the case offers no tools (add \"tools\" to it or to the "
                                                          "defaults)"));
        return false;
    }
    return true;
}

} // namespace Slopscope::ToolChoiceParser
