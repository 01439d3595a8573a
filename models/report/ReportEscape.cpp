#include "report/ReportEscape.h"

#include <algorithm>

namespace Slopscope {

namespace {

bool isBidiControl(char32_t c)
{
    return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

bool needsVisibleForm(char32_t c)
{
    if (c < 0x20)
        return c != u'\t' && c != u'\n' && c != u'\r';
    return (c >= 0x7F && c <= 0x9F) || isBidiControl(c) || c == 0xFFFE || c == 0xFFFF;
}

void appendVisible(QString &out, char32_t c)
{
    out += QStringLiteral("[U+%1]").arg(static_cast<uint>(c), 4, 16, QLatin1Char('0')).toUpper();
}

} // namespace

QString ReportEscape::visibleControls(const QString &text)
{
    QString out;
    out.reserve(text.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar ch = text.at(i);
        if (ch.isHighSurrogate() && i + 1 < text.size() && text.at(i + 1).isLowSurrogate()) {
            out += ch;
            out += text.at(++i);
            continue;
        }
        const char32_t c = ch.unicode();
        if (ch.isSurrogate() || needsVisibleForm(c))
            appendVisible(out, c);
        else
            out += ch;
    }
    return out;
}

QString ReportEscape::html(const QString &text)
{
    const QString visible = visibleControls(text);
    QString out;
    out.reserve(visible.size() + visible.size() / 8);
    for (const QChar ch : visible) {
        switch (ch.unicode()) {
        case u'&':
            out += QLatin1StringView("&amp;");
            break;
        case u'<':
            out += QLatin1StringView("&lt;");
            break;
        case u'>':
            out += QLatin1StringView("&gt;");
            break;
        case u'"':
            out += QLatin1StringView("&quot;");
            break;
        case u'\'':
            out += QLatin1StringView("&#39;");
            break;
        default:
            out += ch;
        }
    }
    return out;
}

QString ReportEscape::markdownInline(const QString &text)
{
    static const QString special = QStringLiteral("\\`*_[]<>#!|~&{}()");
    const QString visible = visibleControls(text);
    QString out;
    out.reserve(visible.size() + visible.size() / 4);
    for (const QChar ch : visible) {
        if (ch == u'\n' || ch == u'\r' || ch == QChar(0x2028) || ch == QChar(0x2029)) {
            out += u' ';
            continue;
        }
        if (special.contains(ch))
            out += u'\\';
        out += ch;
    }
    // A leading list, heading or rule marker would still start a block if the text opened a line.
    if (!out.isEmpty() && (out.front() == u'-' || out.front() == u'+' || out.front() == u'='))
        out.prepend(u'\\');
    return out;
}

QString ReportEscape::markdownCodeBlock(const QString &text)
{
    const QString visible = visibleControls(text);
    qsizetype longest = 0;
    qsizetype run = 0;
    for (const QChar ch : visible) {
        run = ch == u'`' ? run + 1 : 0;
        longest = std::max(longest, run);
    }
    const QString fence(std::max<qsizetype>(3, longest + 1), u'`');
    QString body = visible;
    body.replace(QStringLiteral("\r\n"), QStringLiteral("\n"));
    body.replace(u'\r', u'\n');
    if (!body.endsWith(u'\n'))
        body += u'\n';
    return fence + u"text\n" + body + fence + u'\n';
}

QString ReportEscape::csvField(const QString &text)
{
    QString out = text;
    if (!out.isEmpty()) {
        const QChar first = out.front();
        if (first == u'=' || first == u'+' || first == u'-' || first == u'@' || first == u'\t' || first == u'\r')
            out.prepend(u'\'');
    }
    if (out.contains(u',') || out.contains(u'"') || out.contains(u'\r') || out.contains(u'\n')) {
        out.replace(u'"', QStringLiteral("\"\""));
        out = u'"' + out + u'"';
    }
    return out;
}

} // namespace Slopscope
