#include "stream/WireValue.h"

#include "stream/WireDocument.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <vector>

namespace Slopscope {

namespace {

void writeString(QByteArray &out, QByteArrayView text)
{
    // As Qt's compact writer: quote, backslash and control characters escaped, the rest raw.
    static constexpr char kHex[] = "0123456789abcdef";
    out += '"';
    for (const char c : text) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                out += "\\u00";
                out += kHex[(c >> 4) & 0xF];
                out += kHex[c & 0xF];
            } else {
                out += c;
            }
        }
    }
    out += '"';
}

} // namespace

bool WireValue::isNull() const
{
    return m_document && m_document->m_nodes[static_cast<std::size_t>(m_index)].type == WireDocument::Type::Null;
}

bool WireValue::isBool() const
{
    if (!m_document)
        return false;
    const auto type = m_document->m_nodes[static_cast<std::size_t>(m_index)].type;
    return type == WireDocument::Type::True || type == WireDocument::Type::False;
}

bool WireValue::isDouble() const
{
    return m_document && m_document->m_nodes[static_cast<std::size_t>(m_index)].type == WireDocument::Type::Number;
}

bool WireValue::isString() const
{
    return m_document && m_document->m_nodes[static_cast<std::size_t>(m_index)].type == WireDocument::Type::String;
}

bool WireValue::isArray() const
{
    return m_document && m_document->m_nodes[static_cast<std::size_t>(m_index)].type == WireDocument::Type::Array;
}

bool WireValue::isObject() const
{
    return m_document && m_document->m_nodes[static_cast<std::size_t>(m_index)].type == WireDocument::Type::Object;
}

bool WireValue::toBool() const
{
    return m_document && m_document->m_nodes[static_cast<std::size_t>(m_index)].type == WireDocument::Type::True;
}

double WireValue::toDouble() const
{
    if (!isDouble())
        return 0.0;
    const auto &n = m_document->m_nodes[static_cast<std::size_t>(m_index)];
    return n.exactInteger ? static_cast<double>(n.payload.integer) : n.payload.number;
}

bool WireValue::isExactInteger() const
{
    return isDouble() && m_document->m_nodes[static_cast<std::size_t>(m_index)].exactInteger;
}

qint64 WireValue::toInteger() const
{
    if (!isDouble())
        return 0;
    const auto &n = m_document->m_nodes[static_cast<std::size_t>(m_index)];
    if (n.exactInteger)
        return n.payload.integer;
    // Only doubles that are whole and within range convert, as QJsonValue::toInteger does.
    const double d = n.payload.number;
    if (!std::isfinite(d) || d != std::floor(d) || std::fabs(d) >= 9.2e18)
        return 0;
    return static_cast<qint64>(d);
}

QByteArrayView WireValue::utf8() const
{
    if (!isString())
        return {};
    const auto &n = m_document->m_nodes[static_cast<std::size_t>(m_index)];
    return QByteArrayView(m_document->textData(n), n.payload.span.size);
}

QString WireValue::toString() const
{
    const QByteArrayView text = utf8();
    return text.isEmpty() ? QString() : QString::fromUtf8(text);
}

qsizetype WireValue::size() const
{
    return isArray() ? m_document->m_nodes[static_cast<std::size_t>(m_index)].payload.span.size : 0;
}

WireValue WireValue::at(qsizetype index) const
{
    if (index < 0 || index >= size())
        return {};
    const auto &n = m_document->m_nodes[static_cast<std::size_t>(m_index)];
    return WireValue(m_document, m_document->m_children[static_cast<std::size_t>(n.payload.span.begin + index)]);
}

WireValue WireValue::member(QByteArrayView key) const
{
    if (!isObject())
        return {};
    const auto &n = m_document->m_nodes[static_cast<std::size_t>(m_index)];
    // Backwards: on a repeated key the last one wins, as in Qt.
    for (qint32 i = n.payload.span.size - 1; i >= 0; --i) {
        const qint32 child = m_document->m_children[static_cast<std::size_t>(n.payload.span.begin + i)];
        const auto &c = m_document->m_nodes[static_cast<std::size_t>(child)];
        if (c.keySize == key.size() &&
            std::memcmp(m_document->keyData(c), key.data(), static_cast<std::size_t>(key.size())) == 0)
            return WireValue(m_document, child);
    }
    return {};
}

QByteArray WireValue::toJson() const
{
    QByteArray out;
    write(out);
    return out;
}

void WireValue::write(QByteArray &out) const
{
    if (!m_document)
        return;
    const auto &n = m_document->m_nodes[static_cast<std::size_t>(m_index)];
    switch (n.type) {
    case WireDocument::Type::Null:
        out += "null";
        return;
    case WireDocument::Type::True:
        out += "true";
        return;
    case WireDocument::Type::False:
        out += "false";
        return;
    case WireDocument::Type::Number: {
        if (n.exactInteger || n.payload.number == 0.0) { // -0 too: Qt writes 0
            out += QByteArray::number(n.exactInteger ? n.payload.integer : 0);
            return;
        }
        char buffer[64];
        const auto r = std::to_chars(buffer, buffer + sizeof buffer, n.payload.number); // shortest round-trip
        out.append(buffer, r.ptr - buffer);
        return;
    }
    case WireDocument::Type::String:
        writeString(out, utf8());
        return;
    case WireDocument::Type::Array:
        out += '[';
        for (qint32 i = 0; i < n.payload.span.size; ++i) {
            if (i > 0)
                out += ',';
            WireValue(m_document, m_document->m_children[static_cast<std::size_t>(n.payload.span.begin + i)])
                .write(out);
        }
        out += ']';
        return;
    case WireDocument::Type::Object: {
        // Qt keeps object keys sorted (and unique, the last value winning): write them that way.
        std::vector<std::pair<QByteArrayView, qint32>> members;
        members.reserve(static_cast<std::size_t>(n.payload.span.size));
        for (qint32 i = 0; i < n.payload.span.size; ++i) {
            const qint32 child = m_document->m_children[static_cast<std::size_t>(n.payload.span.begin + i)];
            const auto &c = m_document->m_nodes[static_cast<std::size_t>(child)];
            members.emplace_back(QByteArrayView(m_document->keyData(c), c.keySize), child);
        }
        std::stable_sort(members.begin(), members.end(),
                         [](const auto &a, const auto &b) { return a.first.compare(b.first) < 0; });
        out += '{';
        bool first = true;
        for (std::size_t i = 0; i < members.size(); ++i) {
            if (i + 1 < members.size() && members[i + 1].first == members[i].first)
                continue; // a later duplicate follows (stable sort keeps input order)
            if (!first)
                out += ',';
            first = false;
            writeString(out, members[i].first);
            out += ':';
            WireValue(m_document, members[i].second).write(out);
        }
        out += '}';
        return;
    }
    }
}

} // namespace Slopscope
