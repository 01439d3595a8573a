#pragma once

#include <QString>

#include <nlohmann/json.hpp>

#include <optional>

namespace Slopscope {

// A JSON Schema validator for the keywords answers are usually checked with (draft 2020-12 and
// draft-07 spellings): type, enum, const, properties, required, additionalProperties,
// patternProperties, items / prefixItems, minItems, maxItems, uniqueItems, contains, minLength,
// maxLength, pattern, minimum, maximum, exclusiveMinimum, exclusiveMaximum, multipleOf,
// minProperties, maxProperties, allOf, anyOf, oneOf, not, and local $ref ("#/$defs/x",
// "#/definitions/x", "#"). Other keywords (format, dependencies, if/then/else, remote refs) are
// ignored, as the specification allows for unknown keywords; unsupported() lists them so a grade
// can say what went unchecked.
class JsonSchema final
{
public:
    // nullopt when `instance` is valid; otherwise the first violation with its path,
    // e.g. "/items/2/price: expected a number".
    static std::optional<QString> validate(const nlohmann::json &schema, const nlohmann::json &instance);
    // Keywords present in the schema (anywhere) that validate() does not check.
    static QStringList unsupported(const nlohmann::json &schema);
};

} // namespace Slopscope
