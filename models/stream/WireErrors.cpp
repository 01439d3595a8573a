#include "stream/WireErrors.h"

#include "stream/Utf8.h"
#include "stream/WireDocument.h"

#include <QRegularExpression>

#include <cmath>

namespace Slopscope::WireErrors {

namespace {

using WireJson::member;

// Enough of a page to recognise it; the caller escapes it before showing it (RELIABILITY.md B-6).
constexpr qsizetype kMaxExcerpt = 200;

QString excerpt(const QString &text)
{
    const QString simple = text.simplified();
    return Utf8::leftWhole(simple, kMaxExcerpt);
}

QString htmlExcerpt(const QString &html)
{
    static const QRegularExpression title(QStringLiteral("<title[^>]*>(.*?)</title>"),
                                          QRegularExpression::CaseInsensitiveOption |
                                              QRegularExpression::DotMatchesEverythingOption);
    if (const auto m = title.match(html); m.hasMatch()) {
        const QString t = excerpt(m.captured(1));
        if (!t.isEmpty())
            return t;
    }
    static const QRegularExpression hidden(QStringLiteral("<(script|style)[^>]*>.*?</\\1>"),
                                           QRegularExpression::CaseInsensitiveOption |
                                               QRegularExpression::DotMatchesEverythingOption);
    static const QRegularExpression tag(QStringLiteral("<[^>]*>"));
    QString text = html;
    text.remove(hidden);
    text.replace(tag, QStringLiteral(" "));
    return excerpt(text);
}

bool looksLikeHtml(QStringView text)
{
    const QStringView head = text.trimmed().left(512);
    return head.startsWith(u'<') &&
           (head.contains(u"<html", Qt::CaseInsensitive) || head.contains(u"<!doctype", Qt::CaseInsensitive) ||
            head.contains(u"<head", Qt::CaseInsensitive) || head.contains(u"<body", Qt::CaseInsensitive) ||
            head.contains(u"<title", Qt::CaseInsensitive));
}

std::optional<double> retryDelayFromDetails(const WireValue &details)
{
    const WireValue list = details;
    for (qsizetype i = 0; i < list.size(); ++i) {
        const WireValue detail = list.at(i);
        const auto type = WireJson::string(member(detail, "@type"));
        if (!type || !type->endsWith(u"google.rpc.RetryInfo"))
            continue;
        if (const auto delay = WireJson::string(member(detail, "retryDelay")))
            return durationSeconds(*delay);
    }
    return std::nullopt;
}

} // namespace

ProviderError fromJson(const WireValue &value)
{
    ProviderError error;
    if (value.isString()) {
        error.message = value.toString();
        return error;
    }
    if (value.isArray() && !value.isEmpty())
        return fromJson(value.at(0)); // Gemini can wrap errors in an array
    if (!value.isObject())
        return error;

    // The payload may sit one level down: {"error": {...}} or {"error": "text"}.
    if (const WireValue inner = member(value, "error"); inner.isObject() || inner.isString()) {
        ProviderError nested = fromJson(inner);
        if (nested.type.isEmpty() && nested.code.isEmpty() && nested.message.isEmpty())
            nested.message = WireJson::string(member(value, "message")).value_or(QString());
        return nested;
    }

    error.message = WireJson::string(member(value, "message")).value_or(QString());
    if (error.message.isEmpty())
        error.message = WireJson::string(member(value, "detail")).value_or(QString()); // FastAPI
    error.code = WireJson::stringOrNumber(member(value, "code")).value_or(QString());
    QString type = WireJson::string(member(value, "type")).value_or(QString());
    if (type == u"error")
        type.clear(); // the envelope's tag (Anthropic, OpenAI Responses), not the kind of error
    if (type.isEmpty())
        type = WireJson::string(member(value, "status")).value_or(QString()); // Gemini
    if (type.isEmpty())
        type = error.code;
    error.type = type;
    error.retryAfterSeconds = retryDelayFromDetails(member(value, "details"));
    return error;
}

ProviderError fromBody(const QByteArray &body, int httpStatus)
{
    const QByteArray text = Utf8::sanitized(body);
    ProviderError error;
    const WireDocument parsed(text);
    const WireValue document = parsed.root();
    if (document.isObject() || document.isArray()) {
        error = fromJson(document);
        if (error.message.isEmpty() && error.type.isEmpty())
            error.message = excerpt(QString::fromUtf8(text));
    } else {
        const QString decoded = QString::fromUtf8(text);
        error.message = looksLikeHtml(decoded) ? htmlExcerpt(decoded) : excerpt(decoded);
    }
    error.httpStatus = httpStatus;
    error.inBand = false;
    return error;
}

std::optional<double> durationSeconds(QStringView text)
{
    const QStringView t = text.trimmed();
    if (!t.endsWith(u's') || t.size() < 2)
        return std::nullopt;
    bool ok = false;
    const double seconds = t.chopped(1).toDouble(&ok);
    if (!ok || !std::isfinite(seconds) || seconds < 0)
        return std::nullopt;
    return seconds;
}

} // namespace Slopscope::WireErrors
