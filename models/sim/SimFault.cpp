#include "sim/SimFault.h"

#include <QCoreApplication>
#include <QStringList>

namespace Slopscope {

namespace {

struct KindName
{
    SimFault::Kind kind;
    const char *name;
};

constexpr KindName kKinds[] = {
    {SimFault::Kind::None, "none"},
    {SimFault::Kind::RateLimit, "rate_limit"},
    {SimFault::Kind::ServerError, "server_error"},
    {SimFault::Kind::Overloaded, "overloaded"},
    {SimFault::Kind::OverloadedInBand, "overloaded_inband"},
    {SimFault::Kind::ErrorInBand, "error_inband"},
    {SimFault::Kind::Drop, "drop"},
    {SimFault::Kind::Stall, "stall"},
    {SimFault::Kind::Trickle, "trickle"},
    {SimFault::Kind::Html502, "html_502"},
    {SimFault::Kind::JsonBody, "json_body"},
    {SimFault::Kind::Malformed, "malformed"},
    {SimFault::Kind::Redirect, "redirect"},
};

// Through Q_DECLARE_TR_FUNCTIONS, lupdate files these strings under the context the code
// looks them up in (a translate() wrapper called tr() misled it into the namespace's).
struct SimFaultTr
{
    Q_DECLARE_TR_FUNCTIONS(SimFault)
};

std::optional<SimFault::Kind> kindFromName(const QString &name)
{
    for (const auto &k : kKinds) {
        if (name == QLatin1StringView(k.name))
            return k.kind;
    }
    // Short aliases by status code.
    if (name == u"429")
        return SimFault::Kind::RateLimit;
    if (name == u"529")
        return SimFault::Kind::Overloaded;
    if (name == u"500" || name == u"502" || name == u"503")
        return SimFault::Kind::ServerError;
    return std::nullopt;
}

} // namespace

bool SimFault::isUpFront() const
{
    switch (kind) {
    case Kind::RateLimit:
    case Kind::ServerError:
    case Kind::Overloaded:
    case Kind::Html502:
    case Kind::Redirect:
        return true;
    default:
        return false;
    }
}

QString SimFault::kindName(Kind kind)
{
    for (const auto &k : kKinds) {
        if (k.kind == kind)
            return QString::fromLatin1(k.name);
    }
    return QStringLiteral("none");
}

Result<SimFault> SimFault::parse(const QString &spec)
{
    const QStringList parts = spec.split(u';', Qt::SkipEmptyParts);
    if (parts.isEmpty())
        return SimFault{};
    SimFault f;
    const QString name = parts.first().trimmed().toLower();
    const auto kind = kindFromName(name);
    if (!kind)
        return Error{SimFaultTr::tr("unknown fault \"%1\"").arg(name)};
    f.kind = *kind;
    if (f.kind == Kind::ServerError)
        f.status = name.toInt() > 0 ? name.toInt() : 500;
    if (f.kind == Kind::Redirect)
        f.status = 307;
    for (qsizetype i = 1; i < parts.size(); ++i) {
        const QString param = parts.at(i).trimmed();
        const qsizetype eq = param.indexOf(u'=');
        if (eq <= 0)
            return Error{SimFaultTr::tr("fault parameter \"%1\" is not of the form name=value").arg(param)};
        const QString key = param.left(eq).trimmed().toLower();
        const QString value = param.mid(eq + 1).trimmed();
        bool ok = false;
        const double number = value.toDouble(&ok);
        if (!ok || number < 0 || number > 1e9)
            return Error{SimFaultTr::tr("fault parameter \"%1\" needs a non-negative number").arg(key)};
        const auto whole = static_cast<qint64>(number);
        if (key == u"after") {
            f.after = static_cast<int>(whole);
        } else if (key == u"status") {
            f.status = static_cast<int>(whole);
        } else if (key == u"retry_after") {
            f.retryAfterSeconds = number;
        } else if (key == u"retry_after_ms") {
            f.retryAfterMs = whole;
        } else if (key == u"ms") {
            if (f.kind == Kind::Trickle)
                f.intervalMs = static_cast<int>(whole);
            else
                f.stallMs = whole;
        } else if (key == u"interval_ms") {
            f.intervalMs = static_cast<int>(whole);
        } else if (key == u"port") {
            f.port = static_cast<int>(whole);
        } else {
            return Error{SimFaultTr::tr("unknown fault parameter \"%1\"").arg(key)};
        }
    }
    if (f.kind == Kind::ServerError && f.status != 500 && f.status != 502 && f.status != 503)
        return Error{SimFaultTr::tr("server_error status must be 500, 502 or 503")};
    if (f.kind == Kind::Redirect && f.status != 301 && f.status != 302 && f.status != 307 && f.status != 308)
        return Error{SimFaultTr::tr("redirect status must be 301, 302, 307 or 308")};
    if (f.port > 65535)
        return Error{SimFaultTr::tr("port must be at most 65535")};
    if (f.kind == Kind::Trickle && f.intervalMs < 1)
        f.intervalMs = 1;
    return f;
}

QString SimFault::toString() const
{
    QString s = kindName(kind);
    switch (kind) {
    case Kind::RateLimit:
        s += QStringLiteral(";retry_after=") + QString::number(retryAfterSeconds);
        if (retryAfterMs)
            s += QStringLiteral(";retry_after_ms=") + QString::number(*retryAfterMs);
        break;
    case Kind::ServerError:
    case Kind::Redirect:
        s += QStringLiteral(";status=") + QString::number(status);
        if (kind == Kind::Redirect && port > 0)
            s += QStringLiteral(";port=") + QString::number(port);
        break;
    case Kind::OverloadedInBand:
    case Kind::ErrorInBand:
    case Kind::Drop:
    case Kind::Malformed:
        s += QStringLiteral(";after=") + QString::number(after);
        break;
    case Kind::Stall:
        s += QStringLiteral(";after=") + QString::number(after);
        if (stallMs >= 0)
            s += QStringLiteral(";ms=") + QString::number(stallMs);
        break;
    case Kind::Trickle:
        s += QStringLiteral(";interval_ms=") + QString::number(intervalMs);
        break;
    default:
        break;
    }
    return s;
}

} // namespace Slopscope
