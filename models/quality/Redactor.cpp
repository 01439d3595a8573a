#include "quality/Redactor.h"

#include <QRegularExpression>

#include <algorithm>
#include <functional>
#include <optional>

namespace Slopscope {

namespace {

// Replaces every match for which `replacement` returns a value; returns how many were replaced.
int replaceAll(QString &text, const QRegularExpression &re,
               const std::function<std::optional<QString>(const QRegularExpressionMatch &)> &replacement)
{
    QString out;
    qsizetype last = 0;
    int count = 0;
    auto it = re.globalMatch(text);
    while (it.hasNext()) {
        const auto match = it.next();
        const auto with = replacement(match);
        if (!with)
            continue;
        out += QStringView(text).mid(last, match.capturedStart() - last);
        out += *with;
        last = match.capturedEnd();
        ++count;
    }
    if (count > 0) {
        out += QStringView(text).mid(last);
        text = out;
    }
    return count;
}

const QString &keyMark()
{
    static const QString mark = QStringLiteral("[KEY]");
    return mark;
}

std::optional<QString> always(const QRegularExpressionMatch &)
{
    return keyMark();
}

// Secrets with a recognisable shape, most specific first.
int redactKeys(QString &text)
{
    static const QRegularExpression header(QStringLiteral("\\b(Authorization\\s*:\\s*Bearer)\\s+[^\\s'\"]+"),
                                           QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression shaped(
        QStringLiteral("\\bsk-(?:proj-|ant-|live-|test-|or-)?[A-Za-z0-9_\\-]{16,}"
                       "|\\b[sr]k_(?:live|test)_[A-Za-z0-9]{16,}"
                       "|\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b"
                       "|\\bgh[pousr]_[A-Za-z0-9]{30,}"
                       "|\\bgithub_pat_[A-Za-z0-9_]{40,}"
                       "|\\bxox[abposr]-[A-Za-z0-9\\-]{10,}"
                       "|\\bAIza[0-9A-Za-z_\\-]{35}"
                       "|\\beyJ[A-Za-z0-9_\\-]{8,}\\.[A-Za-z0-9_\\-]{8,}\\.[A-Za-z0-9_\\-]{8,}"));
    // "Bearer x": a token, not the word ("the bearer of bad news", "Bearer tokens expire").
    static const QRegularExpression bearer(QStringLiteral("\\b(Bearer)\\s+([A-Za-z0-9._~+/=\\-]{8,})"));
    // api_key = "...", "password": "...": the name stays, the value goes.
    static const QRegularExpression assigned(
        QStringLiteral("\\b((?:api[_\\-]?key|apikey|secret|client[_\\-]?secret|password|passwd|access[_\\-]?token|"
                       "auth[_\\-]?token)[\"']?\\s*[:=]\\s*[\"']?)([^\\s\"',;]{6,})"),
        QRegularExpression::CaseInsensitiveOption);
    int n = replaceAll(text, header, [](const QRegularExpressionMatch &m) -> std::optional<QString> {
        return m.captured(1) + QStringLiteral(" [KEY]");
    });
    n += replaceAll(text, shaped, always);
    n += replaceAll(text, bearer, [](const QRegularExpressionMatch &m) -> std::optional<QString> {
        const QString token = m.captured(2);
        const bool tokenLike = token.size() >= 20 || std::any_of(token.begin(), token.end(), [](QChar c) {
                                   return c.isDigit() || c == u'.' || c == u'_' || c == u'-' || c == u'=';
                               });
        if (!tokenLike || token == keyMark())
            return std::nullopt;
        return m.captured(1) + QStringLiteral(" [KEY]");
    });
    n += replaceAll(text, assigned, [](const QRegularExpressionMatch &m) -> std::optional<QString> {
        if (m.captured(2).startsWith(keyMark()))
            return std::nullopt;
        return m.captured(1) + keyMark();
    });
    return n;
}

// Long runs of hex or base64 that look random: mixed case and digits (or pure hex), 32+ long.
int redactTokens(QString &text)
{
    static const QRegularExpression hex(QStringLiteral("\\b[0-9a-fA-F]{32,}\\b"));
    static const QRegularExpression base64(
        QStringLiteral("(?<![A-Za-z0-9+/_\\-])[A-Za-z0-9+/_\\-]{32,}={0,2}(?![A-Za-z0-9+/_\\-=])"));
    int n = replaceAll(text, hex, always);
    n += replaceAll(text, base64, [](const QRegularExpressionMatch &m) -> std::optional<QString> {
        const QString token = m.captured(0);
        bool digit = false;
        bool lower = false;
        bool upper = false;
        for (const QChar c : token) {
            digit = digit || c.isDigit();
            lower = lower || c.isLower();
            upper = upper || c.isUpper();
        }
        if (!(digit && lower && upper))
            return std::nullopt;
        return keyMark();
    });
    return n;
}

int redactEmails(QString &text)
{
    static const QRegularExpression email(
        // Matches start only where a run of address characters starts, so long runs are scanned once.
        QStringLiteral(
            "(?<![A-Za-z0-9._%+\\-])[A-Za-z0-9._%+\\-]++@[A-Za-z0-9\\-]+(?:\\.[A-Za-z0-9\\-]+)*\\.[A-Za-z]{2,}"));
    return replaceAll(text, email, [](const QRegularExpressionMatch &) -> std::optional<QString> {
        return QStringLiteral("[EMAIL]");
    });
}

// Phone numbers: 8 to 15 digits in groups (+49 30 1234567, (555) 123-4567, 020 7946 0958,
// 1-800-555-0199). Dates, IP addresses, decimals and digit runs without separators are left alone:
// prompts are full of numbers that matter.
int redactPhones(QString &text)
{
    static const QRegularExpression candidate(
        QStringLiteral("(?<![\\w+.\\-/])(\\+?\\(?\\d[\\d ().\\-]{5,}\\d)(?![\\w]|[.\\-/]\\d)"));
    static const QRegularExpression date(
        QStringLiteral("^(?:\\d{4}[-./]\\d{1,2}[-./]\\d{1,2}|\\d{1,2}[-./]\\d{1,2}[-./]\\d{2,4})$"));
    static const QRegularExpression ip(QStringLiteral("^\\d{1,3}(?:\\.\\d{1,3}){3}$"));
    static const QRegularExpression separators(QStringLiteral("[ ().\\-]+"));
    static const QRegularExpression digits(QStringLiteral("\\d+"));
    auto accept = [](const QString &s) {
        qsizetype count = 0;
        for (const QChar c : s)
            count += c.isDigit() ? 1 : 0;
        if (count < 8 || count > 15 || date.match(s).hasMatch() || ip.match(s).hasMatch())
            return false;
        if (s.count(u'(') != s.count(u')'))
            return false;
        const bool international = s.startsWith(u'+');
        const bool parenthesised = s.contains(u'(');
        const QStringList groups = s.split(separators, Qt::SkipEmptyParts);
        // Without a country code or an area code in parentheses, only the usual national shapes:
        // 3 or 4 groups ending in 4+ digits, so lists like "10 20 30" or "100 200 300" stay.
        if (!international && !parenthesised && (groups.size() < 3 || groups.size() > 4 || groups.last().size() < 4))
            return false;
        // Single digits only as a country's one-digit area code (+33 1 23 45 67 89).
        for (qsizetype i = 1; i < groups.size(); ++i) {
            if (groups.at(i).size() < 2 && !(international && i == 1))
                return false;
        }
        // Dots only: 555.123.4567 is a phone, 1.234.567 (thousands, groups of three) is a number.
        if (!international && !parenthesised && !s.contains(u' ') && !s.contains(u'-')) {
            bool thousands = true;
            for (qsizetype i = 1; i < groups.size(); ++i)
                thousands = thousands && groups.at(i).size() == 3;
            if (thousands)
                return false;
        }
        return true;
    };
    return replaceAll(text, candidate, [&accept](const QRegularExpressionMatch &m) -> std::optional<QString> {
        // The candidate may run on into the next number ("+49 30 1234567 2 times"): try it whole,
        // then without its last groups.
        const QString s = m.captured(1);
        QList<qsizetype> ends;
        auto it = digits.globalMatch(s);
        while (it.hasNext())
            ends.append(it.next().capturedEnd());
        for (qsizetype k = ends.size() - 1; k >= 0; --k) {
            const QString prefix = s.left(ends.at(k));
            if (!accept(prefix))
                continue;
            return QStringLiteral("[PHONE]") + s.mid(ends.at(k));
        }
        return std::nullopt;
    });
}

} // namespace

QString Redactor::redact(const QString &text, Counts *counts)
{
    QString out = text;
    Counts c;
    c.keys = redactKeys(out);
    c.emails = redactEmails(out);
    c.keys += redactTokens(out);
    c.phones = redactPhones(out);
    if (counts)
        *counts += c;
    return out;
}

} // namespace Slopscope
