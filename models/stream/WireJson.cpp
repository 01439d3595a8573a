#include "stream/WireJson.h"

#include <cmath>

namespace Slopscope::WireJson {

std::optional<QString> string(const WireValue &value)
{
    if (!value.isString())
        return std::nullopt;
    return value.toString();
}

std::optional<qint64> integer(const WireValue &value)
{
    if (!value.isDouble())
        return std::nullopt;
    const double d = value.toDouble();
    if (!std::isfinite(d) || d != std::floor(d) || std::fabs(d) > 9.0e15)
        return std::nullopt;
    return value.isExactInteger() ? value.toInteger() : static_cast<qint64>(d);
}

std::optional<double> number(const WireValue &value)
{
    if (!value.isDouble() || !std::isfinite(value.toDouble()))
        return std::nullopt;
    return value.toDouble();
}

std::optional<bool> boolean(const WireValue &value)
{
    if (!value.isBool())
        return std::nullopt;
    return value.toBool();
}

std::optional<QString> stringOrNumber(const WireValue &value)
{
    if (value.isString())
        return value.toString();
    if (const auto i = integer(value))
        return QString::number(*i);
    if (const auto d = number(value))
        return QString::number(*d);
    return std::nullopt;
}

std::optional<QString> nonEmptyString(const WireValue &value)
{
    if (value.utf8().isEmpty())
        return std::nullopt;
    return value.toString();
}

QString dump(const WireValue &value)
{
    return QString::fromUtf8(value.toJson());
}

} // namespace Slopscope::WireJson
