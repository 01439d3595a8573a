#include "engine/RateLimitHeaders.h"

#include <QTimeZone>

#include <cmath>

namespace Slopscope {

namespace {

constexpr QByteArrayView kOpenAIRemaining = "x-ratelimit-remaining-";
constexpr QByteArrayView kOpenAIReset = "x-ratelimit-reset-";
constexpr QByteArrayView kAnthropicPrefix = "anthropic-ratelimit-";
constexpr QByteArrayView kRemainingSuffix = "-remaining";
constexpr QByteArrayView kResetSuffix = "-reset";
constexpr qsizetype kMaxNameBytes = 40;
constexpr qsizetype kMaxValueBytes = 64;

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

// Budget names are short lower-case words with dashes ("requests", "input-tokens", "tokens-day").
bool plausibleBudgetName(QByteArrayView name)
{
    if (name.isEmpty() || name.size() > kMaxNameBytes)
        return false;
    for (const char c : name) {
        if (!((c >= 'a' && c <= 'z') || isDigit(c) || c == '-'))
            return false;
    }
    return true;
}

// Digits with at most one decimal point, at `pos`; advances past them.
std::optional<double> readNumber(QByteArrayView text, qsizetype &pos)
{
    const qsizetype start = pos;
    bool dot = false;
    bool digits = false;
    while (pos < text.size()) {
        const char c = text[pos];
        if (isDigit(c)) {
            digits = true;
        } else if (c == '.' && !dot) {
            dot = true;
        } else {
            break;
        }
        ++pos;
    }
    if (!digits)
        return std::nullopt;
    bool ok = false;
    const double value = text.sliced(start, pos - start).toByteArray().toDouble(&ok);
    return ok && std::isfinite(value) ? std::optional<double>(value) : std::nullopt;
}

// Nanoseconds in one unit of a Go duration; 0 for an unknown unit. Advances past the unit.
double readUnitNs(QByteArrayView text, qsizetype &pos)
{
    const QByteArrayView rest = text.sliced(pos);
    const auto take = [&pos](qsizetype n, double ns) {
        pos += n;
        return ns;
    };
    if (rest.startsWith("ns"))
        return take(2, 1.0);
    if (rest.startsWith("us"))
        return take(2, 1e3);
    if (rest.startsWith("\xC2\xB5s") || rest.startsWith("\xCE\xBCs")) // µs (micro sign or Greek mu)
        return take(3, 1e3);
    if (rest.startsWith("ms"))
        return take(2, 1e6);
    if (rest.startsWith("s"))
        return take(1, 1e9);
    if (rest.startsWith("m"))
        return take(1, 60e9);
    if (rest.startsWith("h"))
        return take(1, 3600e9);
    return 0.0;
}

int fixedDigits(QByteArrayView text, qsizetype pos, qsizetype count, bool *ok)
{
    int value = 0;
    for (qsizetype i = pos; i < pos + count; ++i) {
        if (i >= text.size() || !isDigit(text[i])) {
            *ok = false;
            return 0;
        }
        value = value * 10 + (text[i] - '0');
    }
    return value;
}

} // namespace

const RateLimitHeaders::Budget *RateLimitHeaders::budget(QByteArrayView name) const
{
    for (const Budget &b : budgets) {
        if (b.name == name)
            return &b;
    }
    return nullptr;
}

std::optional<qint64> RateLimitHeaders::pauseMs() const
{
    std::optional<qint64> pause;
    for (const Budget &b : budgets) {
        if (b.remaining && *b.remaining == 0 && b.resetMs)
            pause = std::max(pause.value_or(0), *b.resetMs);
    }
    return pause;
}

bool RateLimitHeaders::isRateLimitHeader(QByteArrayView lowerName)
{
    if (lowerName.startsWith(kOpenAIRemaining) || lowerName.startsWith(kOpenAIReset))
        return true;
    return lowerName.startsWith(kAnthropicPrefix) &&
           (lowerName.endsWith(kRemainingSuffix) || lowerName.endsWith(kResetSuffix));
}

RateLimitHeaders RateLimitHeaders::parse(const QList<QPair<QByteArray, QByteArray>> &headers, const QDateTime &now)
{
    RateLimitHeaders out;
    const auto budgetFor = [&out](QByteArrayView name) -> Budget & {
        for (Budget &b : out.budgets) {
            if (b.name == name)
                return b;
        }
        out.budgets.append(Budget{name.toByteArray(), std::nullopt, std::nullopt});
        return out.budgets.last();
    };
    for (const auto &[name, rawValue] : headers) {
        if (rawValue.size() > kMaxValueBytes)
            continue;
        const QByteArrayView value = QByteArrayView(rawValue).trimmed();
        QByteArrayView budget;
        bool remaining = false;
        bool rfc3339 = false;
        if (name.startsWith(kOpenAIRemaining)) {
            budget = QByteArrayView(name).sliced(kOpenAIRemaining.size());
            remaining = true;
        } else if (name.startsWith(kOpenAIReset)) {
            budget = QByteArrayView(name).sliced(kOpenAIReset.size());
        } else if (name.startsWith(kAnthropicPrefix) && name.endsWith(kRemainingSuffix)) {
            budget = QByteArrayView(name).sliced(kAnthropicPrefix.size());
            budget.chop(kRemainingSuffix.size());
            remaining = true;
        } else if (name.startsWith(kAnthropicPrefix) && name.endsWith(kResetSuffix)) {
            budget = QByteArrayView(name).sliced(kAnthropicPrefix.size());
            budget.chop(kResetSuffix.size());
            rfc3339 = true;
        } else {
            continue;
        }
        if (!plausibleBudgetName(budget))
            continue;
        if (remaining) {
            if (const auto count = parseCount(value))
                budgetFor(budget).remaining = count;
            continue;
        }
        std::optional<qint64> resetMs;
        if (rfc3339) {
            if (const auto at = parseRfc3339(value); at && now.isValid()) {
                const qint64 ms = now.msecsTo(*at);
                // A reset already past means "now": the budget is back.
                resetMs = std::max<qint64>(0, ms);
                if (ms > kMaxResetMs)
                    resetMs.reset();
            }
        } else {
            resetMs = parseDurationMs(value);
        }
        if (resetMs)
            budgetFor(budget).resetMs = resetMs;
    }
    return out;
}

std::optional<qint64> RateLimitHeaders::parseCount(QByteArrayView text)
{
    text = text.trimmed();
    if (text.isEmpty() || text.size() > 18)
        return std::nullopt;
    qint64 value = 0;
    for (const char c : text) {
        if (!isDigit(c))
            return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return value;
}

std::optional<qint64> RateLimitHeaders::parseDurationMs(QByteArrayView text)
{
    text = text.trimmed();
    if (text.isEmpty() || text.size() > kMaxValueBytes)
        return std::nullopt;
    double totalNs = 0.0;
    qsizetype pos = 0;
    bool bare = true;
    while (pos < text.size()) {
        const auto number = readNumber(text, pos);
        if (!number)
            return std::nullopt;
        if (pos == text.size()) {
            // A bare number is seconds ("7.66"), but only as the whole value: "1m30" is garbage.
            if (!bare)
                return std::nullopt;
            totalNs = *number * 1e9;
            break;
        }
        bare = false;
        const double unitNs = readUnitNs(text, pos);
        if (unitNs <= 0.0)
            return std::nullopt;
        totalNs += *number * unitNs;
    }
    const double ms = std::ceil(totalNs / 1e6 - 1e-9); // rounded up: a pause never ends early
    if (!std::isfinite(ms) || ms < 0 || ms > static_cast<double>(kMaxResetMs))
        return std::nullopt;
    return static_cast<qint64>(std::max(0.0, ms));
}

std::optional<QDateTime> RateLimitHeaders::parseRfc3339(QByteArrayView text)
{
    text = text.trimmed();
    // 2026-05-01T12:00:07[.123456]Z or …+02:00
    if (text.size() < 20 || text.size() > 40)
        return std::nullopt;
    bool ok = true;
    const int year = fixedDigits(text, 0, 4, &ok);
    const int month = fixedDigits(text, 5, 2, &ok);
    const int day = fixedDigits(text, 8, 2, &ok);
    const int hour = fixedDigits(text, 11, 2, &ok);
    const int minute = fixedDigits(text, 14, 2, &ok);
    const int second = fixedDigits(text, 17, 2, &ok);
    const char t = text[10];
    if (!ok || text[4] != '-' || text[7] != '-' || !(t == 'T' || t == 't' || t == ' ') || text[13] != ':' ||
        text[16] != ':')
        return std::nullopt;
    qsizetype pos = 19;
    int ms = 0;
    if (pos < text.size() && text[pos] == '.') {
        ++pos;
        int digits = 0;
        while (pos < text.size() && isDigit(text[pos])) {
            if (digits < 3)
                ms = ms * 10 + (text[pos] - '0');
            ++digits;
            ++pos;
        }
        if (digits == 0)
            return std::nullopt;
        for (; digits < 3; ++digits)
            ms *= 10;
    }
    if (pos >= text.size())
        return std::nullopt;
    int offsetSeconds = 0;
    const char zone = text[pos];
    if (zone == 'Z' || zone == 'z') {
        ++pos;
    } else if (zone == '+' || zone == '-') {
        const int oh = fixedDigits(text, pos + 1, 2, &ok);
        const int om = fixedDigits(text, pos + 4, 2, &ok);
        if (!ok || pos + 3 >= text.size() || text[pos + 3] != ':' || oh > 23 || om > 59)
            return std::nullopt;
        offsetSeconds = (oh * 3600 + om * 60) * (zone == '-' ? -1 : 1);
        pos += 6;
    } else {
        return std::nullopt;
    }
    if (pos != text.size())
        return std::nullopt;
    const QDate date(year, month, day);
    // RFC 3339 allows a leap second (60); it is the last instant of its minute.
    const QTime time(hour, minute, std::min(second, 59), ms);
    if (!date.isValid() || !time.isValid() || second > 60)
        return std::nullopt;
    return QDateTime(date, time, QTimeZone::utc()).addSecs(-offsetSeconds);
}

} // namespace Slopscope
