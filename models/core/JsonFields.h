#pragma once

#include <QString>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

// Lenient field access for JSON that Slopscope wrote itself (stored cells, chain turns): a
// missing or mistyped field reads as empty or nullopt instead of failing, and an unset optional
// is left out when writing. Files people write go through Json::ObjectReader instead, which
// names every bad field.
namespace Slopscope::JsonFields {

inline std::string utf8(const QString &s)
{
    return s.toStdString();
}

inline QString string(const nlohmann::json &j, const char *key)
{
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? QString::fromStdString(it->get<std::string>()) : QString();
}

template <typename T> std::optional<T> number(const nlohmann::json &j, const char *key)
{
    const auto it = j.find(key);
    if (it == j.end() || !it->is_number())
        return std::nullopt;
    return it->get<T>();
}

template <typename T> void putIfSet(nlohmann::json &j, const char *key, const std::optional<T> &value)
{
    if (value)
        j[key] = *value;
}

} // namespace Slopscope::JsonFields
