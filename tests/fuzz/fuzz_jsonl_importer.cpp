// JsonlImporter on arbitrary bytes, with options drawn from the first byte (sampling, shuffling,
// redaction, skipping unsupported lines), so every path of the import is reached.
// Input: [options][seed][body].

#include "UserFileChecks.h"

#include "quality/JsonlImporter.h"

#include <cstdint>

using namespace Slopscope;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    Fuzz::Input in(data, size);
    const std::uint8_t flags = in.takeByte();
    JsonlImporter::Options options;
    options.redact = (flags & 1) == 0;
    options.shuffle = (flags & 2) != 0;
    options.skipUnsupported = (flags & 4) != 0;
    if (flags & 8)
        options.sample = qsizetype(flags >> 4); // 0 included: an invalid sample must fail cleanly
    options.seed = in.takeByte();

    const QByteArray bytes = in.rest().toByteArray();
    const QString source = QStringLiteral("fuzz-traffic.jsonl");
    const auto import = JsonlImporter::fromJsonl(bytes, source, options);
    Fuzz::checkError(import, source);
    if (import) {
        const JsonlImporter::Import &out = import.value();
        Fuzz::require(!out.suite.cases.isEmpty(), "an import holds at least one case");
        Fuzz::require(out.suite.cases.size() <= out.lines, "no more cases than lines read");
        if (options.sample)
            Fuzz::require(out.suite.cases.size() == qMin(*options.sample, out.lines), "the sample size is kept");
        Fuzz::checkSuite(out.suite);
    }
    return 0;
}
