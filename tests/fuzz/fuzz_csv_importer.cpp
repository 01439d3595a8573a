// CsvImporter on arbitrary bytes: the records parser and the suite built from them.

#include "UserFileChecks.h"

#include "quality/CsvImporter.h"

#include <cstdint>

using namespace Slopscope;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    const QString source = QStringLiteral("fuzz-cases.csv");
    const auto records = CsvImporter::parseRecords(bytes, source);
    Fuzz::checkError(records, source);
    const Result<Suite> suite = CsvImporter::fromCsv(bytes, source);
    Fuzz::checkError(suite, source);
    if (suite) {
        Fuzz::require(records.ok(), "a CSV that imports has readable records");
        // The header is a record, and every case is one more.
        Fuzz::require(records.value().size() == suite.value().cases.size() + 1, "one case per data record");
        Fuzz::checkSuite(suite.value());
    }
    return 0;
}
