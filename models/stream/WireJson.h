#pragma once

#include "stream/WireValue.h"

#include <QString>

#include <optional>

// Small accessors over untrusted provider JSON: a missing key, a null or a value of the wrong type
// all read as "absent", never as 0 or "".
//
// Documents are parsed by WireDocument (our own parser, not QJsonDocument): every token of every
// stream passes through here, and building Qt's CBOR-backed values was most of the client's CPU
// per token (bench_client_throughput). WireDocument reads exactly what Qt's parser read, caps
// nesting depth (a hostile "[[[[…" fails instead of exhausting the stack) and is compiled
// optimised-or-not alike cheaply enough for the exhaustive split tests.
namespace Slopscope::WireJson {

// The member `key` of `object`; undefined when `object` is not an object or lacks it.
inline WireValue member(const WireValue &object, const char *key)
{
    return object.member(key);
}

// Typed reads; nullopt when absent, null or of another type.
std::optional<QString> string(const WireValue &value);
std::optional<qint64> integer(const WireValue &value); // whole numbers only
std::optional<double> number(const WireValue &value);
std::optional<bool> boolean(const WireValue &value);

// A string, or a number written as text (error codes are either, depending on the provider).
std::optional<QString> stringOrNumber(const WireValue &value);

// A non-empty string, or nullopt: what content fields need (an empty delta is no content).
std::optional<QString> nonEmptyString(const WireValue &value);

// Neither undefined nor null.
inline bool present(const WireValue &value)
{
    return !value.isUndefined() && !value.isNull();
}

// Compact JSON text of any value (tool-call arguments sent as objects), keys sorted.
QString dump(const WireValue &value);

} // namespace Slopscope::WireJson
