#pragma once

#include "core/Result.h"
#include "quality/Suite.h"

#include <nlohmann/json.hpp>

namespace Slopscope {

// The suite as the JSON document Suite::fromJson reads: fromJson(toJson(s)) gives s back.
// Fields at their default (weight 1, no threshold, empty lists) are left out, as a person
// writing the file would.
nlohmann::json suiteToJson(const Suite &suite);
// One case in the same form as inside "cases".
nlohmann::json suiteCaseToJson(const SuiteCase &c);
// Indented UTF-8, ending in a newline.
QByteArray suiteToBytes(const Suite &suite);
// Writes the suite to `path` atomically (QSaveFile): a crash or a full disk leaves the old file
// as it was. The error names the path.
Status saveSuite(const Suite &suite, const QString &path);

} // namespace Slopscope
