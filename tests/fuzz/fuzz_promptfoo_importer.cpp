// PromptfooImporter (YAML through yaml-cpp) on arbitrary bytes. file:// references resolve against
// tests/data/quality/promptfoo, so the seeds reach the prompt, test and CSV files there; the
// target only reads files, never writes.

#include "UserFileChecks.h"

#include "quality/PromptfooImporter.h"

#include <cstdint>

using namespace Slopscope;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    const QString source = QStringLiteral("fuzz-promptfooconfig.yaml");
    const QString baseDir = QStringLiteral(SLOPSCOPE_TEST_DATA "/quality/promptfoo");
    const auto import = PromptfooImporter::fromYaml(bytes, source, baseDir);
    if (!import) {
        // The error may name a referenced file instead of the config itself.
        Fuzz::require(!import.error().isEmpty(), "a failed import says why");
        return 0;
    }
    Fuzz::checkSuite(import.value().suite);
    for (const TargetSuggestion &t : import.value().targets)
        Fuzz::require(!t.mapped() || !t.model.isEmpty(), "a mapped provider names its model", t.source);
    return 0;
}
