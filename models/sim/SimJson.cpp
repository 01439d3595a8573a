#include "sim/SimJson.h"

namespace Slopscope {

namespace {

constexpr char kHex[] = "0123456789abcdef";

void appendUnicodeEscape(QByteArray &out, unsigned code)
{
    out.append("\\u", 2);
    out.append(kHex[(code >> 12) & 0xF]);
    out.append(kHex[(code >> 8) & 0xF]);
    out.append(kHex[(code >> 4) & 0xF]);
    out.append(kHex[code & 0xF]);
}

void writeValue(QByteArray &out, const SimJson::Value &v, SimJson::Style style, SimJson::Escape escape, int depth);

void newline(QByteArray &out, int indent, int depth)
{
    out.append('\n');
    out.append(QByteArray(indent * depth, ' '));
}

void writeContainer(QByteArray &out, const SimJson::Value &v, SimJson::Style style, SimJson::Escape escape, int depth)
{
    const bool isObject = v.is_object();
    out.append(isObject ? '{' : '[');
    if (v.empty()) {
        out.append(isObject ? '}' : ']');
        return;
    }
    const int indent = style == SimJson::Style::Pretty2 ? 2 : style == SimJson::Style::Pretty4 ? 4 : 0;
    const bool spaceAfterColon = style != SimJson::Style::Compact;
    const bool spaceAfterComma = style == SimJson::Style::PythonCompact;
    bool first = true;
    for (auto it = v.begin(); it != v.end(); ++it) {
        if (!first) {
            out.append(',');
            if (spaceAfterComma)
                out.append(' ');
        }
        first = false;
        if (indent > 0)
            newline(out, indent, depth + 1);
        if (isObject) {
            out.append('"');
            SimJson::appendEscaped(out, QByteArrayView(it.key().data(), static_cast<qsizetype>(it.key().size())),
                                   escape);
            out.append(spaceAfterColon ? "\": " : "\":");
        }
        writeValue(out, *it, style, escape, depth + 1);
    }
    if (indent > 0)
        newline(out, indent, depth);
    out.append(isObject ? '}' : ']');
}

void writeValue(QByteArray &out, const SimJson::Value &v, SimJson::Style style, SimJson::Escape escape, int depth)
{
    if (v.is_object() || v.is_array()) {
        writeContainer(out, v, style, escape, depth);
    } else if (v.is_string()) {
        const auto &s = v.get_ref<const std::string &>();
        out.append('"');
        SimJson::appendEscaped(out, QByteArrayView(s.data(), static_cast<qsizetype>(s.size())), escape);
        out.append('"');
    } else {
        // Numbers, booleans and null: nlohmann prints doubles round-trip exact with a ".0" for
        // integral values, as Python does.
        const std::string text = v.dump();
        out.append(text.data(), static_cast<qsizetype>(text.size()));
    }
}

} // namespace

void SimJson::appendEscaped(QByteArray &out, QByteArrayView utf8, Escape escape)
{
    const qsizetype n = utf8.size();
    qsizetype runStart = 0;
    auto flush = [&](qsizetype i) {
        if (i > runStart)
            out.append(utf8.data() + runStart, i - runStart);
    };
    for (qsizetype i = 0; i < n; ++i) {
        const auto c = static_cast<unsigned char>(utf8[i]);
        const char *replacement = nullptr;
        switch (c) {
        case '"':
            replacement = "\\\"";
            break;
        case '\\':
            replacement = "\\\\";
            break;
        case '\n':
            replacement = "\\n";
            break;
        case '\r':
            replacement = "\\r";
            break;
        case '\t':
            replacement = "\\t";
            break;
        case '\b':
            replacement = "\\b";
            break;
        case '\f':
            replacement = "\\f";
            break;
        default:
            break;
        }
        if (replacement) {
            flush(i);
            out.append(replacement);
            runStart = i + 1;
        } else if (c < 0x20 || (escape == Escape::GoHtml && (c == '<' || c == '>' || c == '&'))) {
            flush(i);
            appendUnicodeEscape(out, c);
            runStart = i + 1;
        } else if (escape == Escape::GoHtml && c == 0xE2 && i + 2 < n &&
                   static_cast<unsigned char>(utf8[i + 1]) == 0x80 &&
                   (static_cast<unsigned char>(utf8[i + 2]) == 0xA8 ||
                    static_cast<unsigned char>(utf8[i + 2]) == 0xA9)) {
            flush(i);
            appendUnicodeEscape(out, static_cast<unsigned char>(utf8[i + 2]) == 0xA8 ? 0x2028 : 0x2029);
            i += 2;
            runStart = i + 1;
        }
    }
    flush(n);
}

QByteArray SimJson::quoted(QByteArrayView utf8, Escape escape)
{
    QByteArray out;
    out.reserve(utf8.size() + 2);
    out.append('"');
    appendEscaped(out, utf8, escape);
    out.append('"');
    return out;
}

QByteArray SimJson::dump(const Value &value, Style style, Escape escape)
{
    QByteArray out;
    out.reserve(256);
    writeValue(out, value, style, escape, 0);
    return out;
}

SimJsonTemplate::SimJsonTemplate(const QByteArray &rendered, const QList<QByteArray> &markers)
{
    qsizetype from = 0;
    for (const QByteArray &marker : markers) {
        const qsizetype at = rendered.indexOf(marker, from);
        if (at < 0) {
            m_parts.clear();
            return;
        }
        m_parts.append(rendered.mid(from, at - from));
        from = at + marker.size();
    }
    m_parts.append(rendered.mid(from));
}

void SimJsonTemplate::render(QByteArray &out, std::initializer_list<QByteArrayView> values) const
{
    qsizetype i = 0;
    for (const QByteArrayView value : values) {
        if (i >= m_parts.size() - 1)
            break;
        out.append(m_parts.at(i));
        out.append(value);
        ++i;
    }
    for (; i < m_parts.size(); ++i)
        out.append(m_parts.at(i));
}

} // namespace Slopscope
