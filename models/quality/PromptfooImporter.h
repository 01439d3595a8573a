#pragma once

#include "core/Result.h"
#include "quality/Suite.h"
#include "quality/TargetSuggestion.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace Slopscope {

// Reads a promptfoo configuration (promptfooconfig.yaml) as a suite:
//   prompts      strings with {{var}} templates, chat prompts (a JSON list of messages), or
//                file:// references (relative to the config; .txt/.md split at "---" lines,
//                .json/.yaml chat messages, .jsonl one chat per line; * in the file name globs)
//   tests        vars (a list value expands into one case per value, as promptfoo does;
//                file:// values load the file's text), assert (type, value, threshold, weight,
//                provider, metric), threshold, metadata, description; or file:// to a .yaml,
//                .json or .jsonl list of tests, or a .csv in promptfoo's layout
//   defaultTest  vars and metadata merged under each test's, its assertions added before them
//   providers    mapped to target suggestions, returned alongside the suite
// Each test × prompt is one case (ids from the description, "-p2" etc. when there are several
// prompts). Assertion types Slopscope does not know are kept, so grading reports them as
// "unknown grader" instead of silently dropping a check. What is not imported (scenarios,
// transforms, per-test providers, nunjucks beyond {{var}}) is an error when it would change the
// prompts and a warning otherwise. Errors name the file, line, column and field.
class PromptfooImporter final
{
public:
    struct Import
    {
        Suite suite;
        QList<TargetSuggestion> targets;
        QStringList warnings;
    };

    // `baseDir` resolves file:// references; empty: the directory of `sourceName`.
    static Result<Import> fromYaml(const QByteArray &yaml, const QString &sourceName, const QString &baseDir = {});
    static Result<Import> fromFile(const QString &path);

    // "openai:gpt-4o-mini" → OpenAI chat, model gpt-4o-mini; "anthropic:messages:claude-…" →
    // Anthropic; "ollama:chat:llama3.1:8b" → Ollama; unknown kinds come back unmapped with a note.
    static TargetSuggestion mapProvider(const QString &providerId);
};

} // namespace Slopscope
