#pragma once

#include "core/Result.h"
#include "quality/Redactor.h"
#include "quality/Suite.h"

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <optional>

namespace Slopscope {

// Reads logged chat traffic, one OpenAI-style conversation per line ({"messages": [...]}), as a
// suite for shadow-traffic replay: each line becomes a case that sends the conversation again.
// A final assistant message is the answer that was logged: it becomes the case's reference and
// is not sent. Content may be a string or a list of {"type": "text", "text": ...} parts;
// "developer" reads as "system". An optional "id" (string) names the case (default "line-N"),
// and an optional "metadata" object is kept. Other keys (model, tools, ...) are ignored.
class JsonlImporter final
{
public:
    struct Options
    {
        std::optional<qsizetype> sample; // keep N lines, drawn with `seed`; all when unset
        bool shuffle = false;            // order the cases by `seed` instead of by line
        std::uint64_t seed = 1;
        bool redact = true; // e-mail addresses, phone numbers and key-like strings
        // Lines with messages a suite cannot hold (tool results, images) are skipped and counted
        // instead of failing the import.
        bool skipUnsupported = false;
    };

    struct Import
    {
        Suite suite;
        qsizetype lines = 0;   // conversations read (before sampling)
        qsizetype skipped = 0; // unsupported lines skipped (Options::skipUnsupported)
        Redactor::Counts redactions;
    };

    static Result<Import> fromJsonl(const QByteArray &bytes, const QString &sourceName, const Options &options);
    static Result<Import> fromFile(const QString &path, const Options &options);
};

} // namespace Slopscope
