#pragma once

#include "core/Result.h"
#include "quality/Suite.h"

#include <QByteArray>
#include <QString>

#include <nlohmann/json.hpp>

namespace Slopscope {

// The suite in a parsed JSON document (Suite::fromJson checks the bytes and parses them): every
// field checked, the first error naming the file, line, column and field, nothing loaded
// partially. Takes the document to move the values the suite keeps out of it.
Result<Suite> parseSuiteDocument(nlohmann::json document, const QByteArray &bytes, const QString &sourceName);

} // namespace Slopscope
