// The suite loader (Suite::fromJson) on arbitrary bytes: no crash, no uncaught exception, an error
// naming the file, or a suite whose every case can be rendered.

#include "UserFileChecks.h"

#include <cstdint>

using namespace Slopscope;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    const QString source = QStringLiteral("fuzz-suite.json");
    const Result<Suite> suite = Suite::fromJson(bytes, source);
    Fuzz::checkError(suite, source);
    if (suite)
        Fuzz::checkSuite(suite.value());
    return 0;
}
