#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonValue>
#include <QString>

#include <optional>

// Small accessors over untrusted provider JSON: a missing key, a null or a value of the wrong type
// all read as "absent", never as 0 or "".
//
// Qt's parser (QJsonDocument) rather than nlohmann/json: it lives in QtCore, compiled optimised, so
// decoding costs the same in Debug and Release builds (nlohmann, a header library, runs ~20x slower
// at -O0, which made the exhaustive split tests impractical), it is faster in Release too, it caps
// nesting depth (a hostile "[[[[…" fails instead of exhausting the stack) and yields QString text.
namespace Slopscope::WireJson {

// An object or array document; a malformed one (or a bare scalar) gives an undefined value.
QJsonValue parse(const QByteArray &bytes);

// The member `key` of `object`; undefined when `object` is not an object or lacks it.
QJsonValue member(const QJsonValue &object, const char *key);

// Typed reads; nullopt when absent, null or of another type.
std::optional<QString> string(const QJsonValue &value);
std::optional<qint64> integer(const QJsonValue &value); // whole numbers only
std::optional<double> number(const QJsonValue &value);
std::optional<bool> boolean(const QJsonValue &value);

// A string, or a number written as text (error codes are either, depending on the provider).
std::optional<QString> stringOrNumber(const QJsonValue &value);

// A non-empty string, or nullopt: what content fields need (an empty delta is no content).
std::optional<QString> nonEmptyString(const QJsonValue &value);

// Neither undefined nor null.
inline bool present(const QJsonValue &value)
{
    return !value.isUndefined() && !value.isNull();
}

// Compact JSON text of any value (tool-call arguments sent as objects).
QString dump(const QJsonValue &value);

} // namespace Slopscope::WireJson
