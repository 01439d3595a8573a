#include "views/ViewText.h"

#include "quality/Statistics.h"

#include <QTextDocument>

#include <algorithm>
#include <cmath>

namespace Slopscope {

namespace {

bool isUnsafe(char32_t c)
{
    if (c == u'\n' || c == u'\t')
        return false;
    if (c < 0x20 || (c >= 0x7f && c < 0xa0))
        return true;
    // Bidi embeddings, overrides and isolates (Trojan Source), and the zero-width marks that
    // come with them.
    return (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0x200e || c == 0x200f || c == 0x061c;
}

QColor mix(const QColor &a, const QColor &b, double t)
{
    const auto channel = [t](int x, int y) { return static_cast<int>(std::lround(x + (y - x) * t)); };
    return QColor(channel(a.red(), b.red()), channel(a.green(), b.green()), channel(a.blue(), b.blue()));
}

} // namespace

QString ViewText::sanitized(const QString &text)
{
    QString out;
    out.reserve(text.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c == u'\r')
            continue;
        if (!c.isSurrogate() && isUnsafe(c.unicode()))
            continue;
        out.append(c);
    }
    return out;
}

namespace {

// Format characters (Cf) are the invisible ones: zero-width space/joiners, bidi marks, the BOM.
// Surrogate halves pass through; a pair is never one of these.
bool invisibleInName(QChar c)
{
    return c == u'\n' || c == u'\t' || isUnsafe(c.unicode()) ||
           (!c.isSurrogate() && c.category() == QChar::Other_Format);
}

int hexValue(QChar c)
{
    const char16_t u = c.unicode();
    if (u >= u'0' && u <= u'9')
        return u - u'0';
    if (u >= u'a' && u <= u'f')
        return u - u'a' + 10;
    if (u >= u'A' && u <= u'F')
        return u - u'A' + 10;
    return -1;
}

// The code unit of "uXXXX" at `at`, or -1. A surrogate half is no character of its own: kept as typed.
int escapedUnit(const QString &text, qsizetype at)
{
    if (at + 4 >= text.size() || text.at(at) != u'u')
        return -1;
    int value = 0;
    for (qsizetype k = 1; k <= 4; ++k) {
        const int digit = hexValue(text.at(at + k));
        if (digit < 0)
            return -1;
        value = value * 16 + digit;
    }
    return QChar::isSurrogate(char32_t(value)) ? -1 : value;
}

} // namespace

QString ViewText::escapeInvisible(const QString &name)
{
    QString out;
    out.reserve(name.size());
    for (qsizetype i = 0; i < name.size(); ++i) {
        const QChar c = name.at(i);
        if (invisibleInName(c)) {
            out += QStringLiteral("\\u") + QString::number(c.unicode(), 16).toUpper().rightJustified(4, u'0');
        } else if (c == u'\\') {
            // Only where the decoder would read it as the start of an escape.
            const bool ambiguous = i + 1 < name.size() && (name.at(i + 1) == u'\\' || name.at(i + 1) == u'u' ||
                                                           invisibleInName(name.at(i + 1)));
            out += ambiguous ? QStringView(u"\\\\") : QStringView(u"\\");
        } else {
            out.append(c);
        }
    }
    return out;
}

QString ViewText::unescapeInvisible(const QString &escaped)
{
    QString out;
    out.reserve(escaped.size());
    const qsizetype n = escaped.size();
    for (qsizetype i = 0; i < n; ++i) {
        const QChar c = escaped.at(i);
        if (c != u'\\' || i + 1 >= n) {
            out.append(c);
        } else if (escaped.at(i + 1) == u'\\') {
            out.append(c);
            ++i;
        } else if (const int value = escapedUnit(escaped, i + 1); value >= 0) {
            out.append(QChar(char16_t(value)));
            i += 5;
        } else {
            out.append(c);
        }
    }
    return out;
}

QString ViewText::visibleName(const QString &name)
{
    QString out;
    out.reserve(name.size());
    for (qsizetype i = 0; i < name.size(); ++i) {
        const char32_t c = name.at(i).unicode();
        const bool invisible = invisibleInName(name.at(i));
        if (invisible)
            out += u"<U+" + QString::number(uint(c), 16).toUpper().rightJustified(4, u'0') + u'>';
        else
            out.append(name.at(i));
    }
    return out;
}

QString ViewText::firstLine(const QString &text, qsizetype maxChars)
{
    // Only a line's start can be shown, so only a bounded prefix of it is cleaned: a cell's first
    // line is asked for at every repaint, and an answer may be 50 MB without a newline (B-14).
    const qsizetype bound = maxChars * 4 + 64;
    const QStringView all(text);
    QString line;
    bool more = false;
    for (qsizetype start = 0; start < all.size();) {
        qsizetype end = all.mid(start, bound + 1).indexOf(u'\n');
        end = end < 0 ? std::min(all.size(), start + bound + 1) : start + end;
        const QStringView raw = all.mid(start, end - start);
        const QString clean = sanitized(raw.left(bound).toString());
        const QStringView trimmed = QStringView(clean).trimmed();
        if (!trimmed.isEmpty()) {
            line = trimmed.toString();
            more = raw.size() > bound;
            break;
        }
        if (end < all.size() && all.at(end) != u'\n') { // a long blank run: skip to its line's end
            end = all.indexOf(u'\n', end);
            if (end < 0)
                break;
        }
        start = end + 1;
    }
    line.replace(u'\t', u' ');
    if (line.size() > maxChars || more) {
        qsizetype cut = std::min(maxChars - 1, line.size());
        if (cut > 0 && line.at(cut - 1).isHighSurrogate())
            --cut; // never split a surrogate pair
        line = line.left(cut) + QChar(0x2026);
    }
    return line;
}

QString ViewText::html(const QString &plain)
{
    return Qt::convertFromPlainText(sanitized(plain), Qt::WhiteSpaceNormal);
}

QColor ViewText::scoreColor(double score)
{
    // Pale tints of the ColorBrewer RdYlGn ends: dark text stays readable on all three, and the
    // cell text carries ✓/✗ so nothing rests on the hue alone.
    static const QColor red(0xf4, 0xa5, 0x82);
    static const QColor amber(0xfe, 0xe0, 0x8b);
    static const QColor green(0xa6, 0xd9, 0x6a);
    const double s = std::clamp(score, 0.0, 1.0);
    return s < 0.5 ? mix(red, amber, s * 2.0) : mix(amber, green, (s - 0.5) * 2.0);
}

std::optional<double> ViewText::quantile(QList<double> values, double q)
{
    return Stats::nearestRank(std::move(values), q);
}

bool ViewText::unknownLastLess(const QVariant &left, const QVariant &right, bool descending, bool tie)
{
    if (!left.isValid() || !right.isValid()) {
        if (left.isValid() == right.isValid())
            return tie;
        return left.isValid() != descending;
    }
    if (left.typeId() == QMetaType::QString || right.typeId() == QMetaType::QString)
        return QString::compare(left.toString(), right.toString(), Qt::CaseInsensitive) < 0;
    return left.toDouble() < right.toDouble();
}

} // namespace Slopscope
