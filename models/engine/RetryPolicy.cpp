#include "engine/RetryPolicy.h"

#include "engine/EngineText.h"

#include <QRandomGenerator>

#include <algorithm>
#include <cmath>

namespace Slopscope {

namespace {

std::optional<double> parseNumber(const QByteArray &raw)
{
    const QByteArray text = raw.trimmed();
    if (text.isEmpty())
        return std::nullopt;
    bool ok = false;
    const double value = text.toDouble(&ok);
    if (!ok || !std::isfinite(value))
        return std::nullopt;
    return value;
}

// An HTTP date (RFC 9110 IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT"); Qt's RFC 2822 parser
// does not take the "GMT" zone name.
QDateTime parseHttpDate(const QByteArray &text)
{
    static const char *const days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const QList<QByteArray> parts = text.simplified().split(' ');
    if (parts.size() != 6 || !parts[0].endsWith(',') || (parts[5] != "GMT" && parts[5] != "UTC"))
        return {};
    if (std::find_if(std::begin(days), std::end(days), [&](const char *d) { return parts[0].chopped(1) == d; }) ==
        std::end(days))
        return {};
    const auto month = std::find_if(std::begin(months), std::end(months), [&](const char *m) { return parts[2] == m; });
    if (month == std::end(months))
        return {};
    bool okDay = false;
    bool okYear = false;
    const int day = parts[1].toInt(&okDay);
    const int year = parts[3].toInt(&okYear);
    const QTime time = QTime::fromString(QString::fromLatin1(parts[4]), QStringLiteral("HH:mm:ss"));
    const QDate date(year, static_cast<int>(month - std::begin(months)) + 1, day);
    if (!okDay || !okYear || !time.isValid() || !date.isValid())
        return {};
    return QDateTime(date, time, Qt::UTC);
}

bool containsCode(const QString &text, const char *code)
{
    return text.contains(QLatin1StringView(code), Qt::CaseInsensitive);
}

} // namespace

RetryPolicy::RetryPolicy()
    : RetryPolicy(
          Settings{}, [] { return QRandomGenerator::global()->generateDouble(); },
          [] { return QDateTime::currentDateTimeUtc(); })
{}

RetryPolicy::RetryPolicy(Settings settings, Random random, WallClock wallClock)
    : m_settings(settings)
    , m_random(std::move(random))
    , m_wallClock(std::move(wallClock))
{}

std::optional<double> RetryPolicy::serverDelaySeconds(const QByteArray &retryAfterMs,
                                                      const QByteArray &retryAfter) const
{
    if (const auto ms = parseNumber(retryAfterMs))
        return *ms / 1000.0;
    if (const auto seconds = parseNumber(retryAfter))
        return *seconds;
    const QByteArray text = retryAfter.trimmed();
    if (text.isEmpty())
        return std::nullopt;
    QDateTime date = parseHttpDate(text);
    if (!date.isValid())
        date = QDateTime::fromString(QString::fromLatin1(text), Qt::RFC2822Date);
    if (!date.isValid())
        return std::nullopt;
    return static_cast<double>(m_wallClock().msecsTo(date)) / 1000.0;
}

double RetryPolicy::backoffSeconds(int retriesTaken) const
{
    const int n = std::clamp(retriesTaken, 0, 30);
    const double base = std::min(m_settings.initialDelaySeconds * std::pow(2.0, n), m_settings.maxDelaySeconds);
    const double r = std::clamp(m_random(), 0.0, 1.0);
    return base * (1.0 - 0.25 * r);
}

bool RetryPolicy::isQuotaError(const RetryInput &input)
{
    const char *const codes[] = {"insufficient_quota", "enforced_spend_limit_reached"};
    for (const char *code : codes) {
        if (input.errorBody.contains(code))
            return true;
        if (input.providerError &&
            (containsCode(input.providerError->type, code) || containsCode(input.providerError->code, code) ||
             containsCode(input.providerError->message, code)))
            return true;
    }
    return false;
}

bool RetryPolicy::isOverloadedError(const ProviderError &error)
{
    if (error.httpStatus == 529 || error.httpStatus == 503 || error.code == u"529")
        return true;
    return containsCode(error.type, "overloaded") || containsCode(error.message, "overloaded");
}

bool RetryPolicy::isRetryable(const RetryInput &input) const
{
    // Once content reached the user, a retry would splice two different answers, unless the user
    // asked for broken-off answers to be replaced by a whole new one.
    if (input.contentDelivered &&
        !(input.retryTruncated &&
          (input.failure == FailureKind::Truncated || input.failure == FailureKind::ConnectionLost)))
        return false;
    switch (input.failure) {
    case FailureKind::None:
    case FailureKind::Cancelled:
    case FailureKind::Tls:
    case FailureKind::Redirect:
    case FailureKind::ResponseTooLarge:
    case FailureKind::NotSent:
    case FailureKind::TotalTimeout:
    case FailureKind::Incomplete:
        return false;
    case FailureKind::InBandError:
        // A portal's page saying "overloaded" is not the provider asking to be retried (B-6).
        return input.providerError && input.providerError->type != u"unexpected_content_type" &&
               isOverloadedError(*input.providerError);
    case FailureKind::HttpStatus: {
        const QByteArray should = input.shouldRetry.trimmed().toLower();
        if (should == "true")
            return true;
        if (should == "false")
            return false;
        const int s = input.httpStatus;
        if (s == 429)
            return !isQuotaError(input);
        return s == 408 || s == 409 || s >= 500;
    }
    case FailureKind::Truncated:
    case FailureKind::ConnectionLost:
    case FailureKind::RemoteClosed:
    case FailureKind::HostNotFound:
    case FailureKind::ConnectionRefused:
    case FailureKind::Proxy:
    case FailureKind::Network:
    case FailureKind::ConnectTimeout:
    case FailureKind::FirstByteTimeout:
    case FailureKind::FirstTokenTimeout:
    case FailureKind::IdleTimeout:
    case FailureKind::ContentIdleTimeout:
        return true;
    }
    return false;
}

RetryDecision RetryPolicy::decide(const RetryInput &input) const
{
    RetryDecision d;
    if (input.failure == FailureKind::HttpStatus && input.httpStatus == 429 && isQuotaError(input) &&
        input.shouldRetry.trimmed().toLower() != "true") {
        d.note = tr("quota or spend limit reached; not retried");
        return d;
    }
    if (!isRetryable(input) || input.retriesTaken >= input.maxRetries)
        return d;

    std::optional<double> server = serverDelaySeconds(input.retryAfterMs, input.retryAfter);
    if (!server && input.providerError && input.providerError->retryAfterSeconds)
        server = input.providerError->retryAfterSeconds;
    if (server && *server > m_settings.maxServerDelaySeconds) {
        d.note =
            tr("the provider asks to retry after %1; not waiting that long")
                .arg(EngineText::formatDuration(static_cast<qint64>(std::llround(std::min(*server, 1e9) * 1000.0))));
        return d;
    }
    d.retry = true;
    if (server && *server > 0) {
        d.delaySeconds = *server * (1.0 + m_settings.serverDelayJitter * std::clamp(m_random(), 0.0, 1.0));
        d.delayFromServer = true;
    } else {
        d.delaySeconds = backoffSeconds(input.retriesTaken);
    }
    return d;
}

} // namespace Slopscope
