// Suite's tool accessors: which functions a case offers and how the model may call them.
#include "quality/Suite.h"

#include <algorithm>

namespace Slopscope {

QList<ToolSpec> Suite::toolsFor(const SuiteCase &c) const
{
    QList<ToolSpec> out = c.tools;
    for (const ToolSpec &t : defaults.tools) {
        if (std::none_of(out.cbegin(), out.cend(), [&](const ToolSpec &own) { return own.name == t.name; }))
            out.append(t);
    }
    return out;
}

std::optional<ToolChoice> Suite::toolChoiceFor(const SuiteCase &c) const
{
    return c.toolChoice ? c.toolChoice : defaults.toolChoice;
}

std::optional<bool> Suite::parallelToolCallsFor(const SuiteCase &c) const
{
    return c.parallelToolCalls ? c.parallelToolCalls : defaults.parallelToolCalls;
}

} // namespace Slopscope
