#include "stream/WireDocument.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <system_error>

namespace Slopscope {

namespace {

bool isSpace(char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

void appendUtf8(std::string &out, char32_t cp)
{
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

// Children of the containers being parsed, reused from one document to the next on a thread
// (a stream's records are parsed one after another), so parsing a record allocates only what
// the document keeps.
thread_local std::vector<qint32> t_pendingChildren;

} // namespace

// Recursive descent over the bytes; every node is appended to the document as it is read.
class WireDocument::Parser final
{
public:
    Parser(WireDocument &document, const char *begin, const char *end)
        : m_doc(document)
        , m_p(begin)
        , m_end(end)
        , m_pending(t_pendingChildren)
    {
        m_pending.clear();
    }

    qint32 parseDocument()
    {
        skipSpace();
        if (m_p == m_end || (*m_p != '{' && *m_p != '['))
            return -1; // Qt's fromJson takes only an object or an array
        const qint32 root = value(0);
        if (root < 0)
            return -1;
        skipSpace();
        return m_p == m_end ? root : -1;
    }

private:
    void skipSpace()
    {
        while (m_p < m_end && isSpace(*m_p))
            ++m_p;
    }

    qint32 newNode(Type type)
    {
        m_doc.m_nodes.emplace_back();
        m_doc.m_nodes.back().type = type;
        return static_cast<qint32>(m_doc.m_nodes.size() - 1);
    }

    bool literal(const char *word, qsizetype size)
    {
        if (m_end - m_p < size || std::memcmp(m_p, word, static_cast<size_t>(size)) != 0)
            return false;
        m_p += size;
        return true;
    }

    qint32 value(int depth)
    {
        if (m_p == m_end)
            return -1;
        switch (*m_p) {
        case '{':
            return container(Type::Object, depth + 1);
        case '[':
            return container(Type::Array, depth + 1);
        case '"': {
            bool unescaped = false;
            qint32 begin = 0;
            qint32 size = 0;
            if (!string(unescaped, begin, size))
                return -1;
            const qint32 index = newNode(Type::String);
            Node &n = m_doc.m_nodes[static_cast<std::size_t>(index)];
            n.textUnescaped = unescaped;
            n.payload.span = Span{begin, size};
            return index;
        }
        case 't':
            return literal("true", 4) ? newNode(Type::True) : -1;
        case 'f':
            return literal("false", 5) ? newNode(Type::False) : -1;
        case 'n':
            return literal("null", 4) ? newNode(Type::Null) : -1;
        default:
            return number();
        }
    }

    qint32 container(Type type, int depth)
    {
        if (depth > kMaxDepth)
            return -1;
        const bool object = type == Type::Object;
        const char close = object ? '}' : ']';
        const qint32 index = newNode(type);
        const std::size_t pendingStart = m_pending.size();
        ++m_p; // the opening bracket
        skipSpace();
        if (m_p < m_end && *m_p == close) {
            ++m_p;
            return index; // empty: no children
        }
        while (true) {
            bool keyUnescaped = false;
            qint32 keyBegin = -1;
            qint32 keySize = 0;
            if (object) {
                skipSpace();
                if (m_p == m_end || *m_p != '"' || !string(keyUnescaped, keyBegin, keySize))
                    return -1;
                skipSpace();
                if (m_p == m_end || *m_p != ':')
                    return -1;
                ++m_p;
            }
            skipSpace();
            const qint32 child = value(depth);
            if (child < 0)
                return -1;
            if (object) {
                Node &c = m_doc.m_nodes[static_cast<std::size_t>(child)];
                c.keyBegin = keyBegin;
                c.keySize = keySize;
                c.keyUnescaped = keyUnescaped;
            }
            m_pending.push_back(child);
            skipSpace();
            if (m_p == m_end)
                return -1;
            if (*m_p == ',') {
                ++m_p;
                continue;
            }
            if (*m_p != close)
                return -1;
            ++m_p;
            break;
        }
        Node &n = m_doc.m_nodes[static_cast<std::size_t>(index)];
        n.payload.span =
            Span{static_cast<qint32>(m_doc.m_children.size()), static_cast<qint32>(m_pending.size() - pendingStart)};
        m_doc.m_children.insert(m_doc.m_children.end(), m_pending.begin() + static_cast<std::ptrdiff_t>(pendingStart),
                                m_pending.end());
        m_pending.resize(pendingStart);
        return index;
    }

    // At the opening quote. An escape-free string stays where it is in the source (the common
    // case); one with escapes is decoded into m_unescaped.
    bool string(bool &unescaped, qint32 &begin, qint32 &size)
    {
        ++m_p;
        const char *start = m_p;
        while (m_p < m_end && *m_p != '"' && *m_p != '\\' && *m_p != '\0')
            ++m_p;
        if (m_p == m_end || *m_p == '\0')
            return false;
        if (*m_p == '"') {
            unescaped = false;
            begin = static_cast<qint32>(start - m_doc.m_source.constData());
            size = static_cast<qint32>(m_p - start);
            ++m_p;
            return true;
        }
        std::string &out = m_doc.m_unescaped;
        unescaped = true;
        begin = static_cast<qint32>(out.size());
        out.append(start, static_cast<std::size_t>(m_p - start));
        while (m_p < m_end) {
            const char c = *m_p;
            if (c == '"') {
                ++m_p;
                size = static_cast<qint32>(out.size()) - begin;
                return true;
            }
            if (c == '\0')
                return false;
            if (c != '\\') {
                out += c;
                ++m_p;
                continue;
            }
            if (++m_p == m_end)
                return false;
            const char e = *m_p++;
            switch (e) {
            case 'n':
                out += '\n';
                break;
            case 't':
                out += '\t';
                break;
            case 'r':
                out += '\r';
                break;
            case 'b':
                out += '\b';
                break;
            case 'f':
                out += '\f';
                break;
            case 'u': {
                char32_t cp = 0;
                if (!hex4(cp))
                    return false;
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    // A high surrogate pairs with an immediately following \uDC00–\uDFFF.
                    char32_t low = 0;
                    const char *save = m_p;
                    if (m_end - m_p >= 6 && m_p[0] == '\\' && m_p[1] == 'u') {
                        m_p += 2;
                        if (hex4(low) && low >= 0xDC00 && low <= 0xDFFF) {
                            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                        } else {
                            m_p = save;
                            cp = 0xFFFD;
                        }
                    } else {
                        cp = 0xFFFD;
                    }
                } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                    cp = 0xFFFD;
                }
                appendUtf8(out, cp);
                break;
            }
            default:
                out += e; // \" \\ \/ and, as Qt reads them, unknown escapes: the character itself
                break;
            }
        }
        return false;
    }

    bool hex4(char32_t &cp)
    {
        if (m_end - m_p < 4)
            return false;
        cp = 0;
        for (int i = 0; i < 4; ++i) {
            const int v = hexValue(m_p[i]);
            if (v < 0)
                return false;
            cp = (cp << 4) | static_cast<char32_t>(v);
        }
        m_p += 4;
        return true;
    }

    // Scans a number the way Qt's parser does (the integer part may be empty, ".5" and "1." are
    // read), then converts the whole span or fails.
    qint32 number()
    {
        const char *start = m_p;
        if (m_p < m_end && *m_p == '-')
            ++m_p;
        if (m_p < m_end && *m_p == '0') {
            ++m_p;
        } else {
            while (m_p < m_end && isDigit(*m_p))
                ++m_p;
        }
        bool integral = true;
        const char *dot = nullptr;
        if (m_p < m_end && *m_p == '.') {
            dot = m_p++;
            while (m_p < m_end && isDigit(*m_p)) {
                integral = false;
                ++m_p;
            }
        }
        if (m_p < m_end && (*m_p == 'e' || *m_p == 'E')) {
            integral = false;
            ++m_p;
            if (m_p < m_end && (*m_p == '+' || *m_p == '-'))
                ++m_p;
            while (m_p < m_end && isDigit(*m_p))
                ++m_p;
        }
        const char *end = m_p;
        if (dot && integral)
            end = dot; // "1." is 1
        if (start == end)
            return -1;
        const qint32 index = newNode(Type::Number);
        Node &n = m_doc.m_nodes[static_cast<std::size_t>(index)];
        if (integral) {
            qint64 i = 0;
            const auto r = std::from_chars(start, end, i);
            if (r.ec == std::errc() && r.ptr == end) {
                n.exactInteger = true;
                n.payload.integer = i;
                return index;
            }
        }
        double d = 0.0;
        const auto r = std::from_chars(start, end, d);
        if (r.ptr != end || r.ec != std::errc())
            return -1; // out of double range either way: Qt's "illegal number"
        n.payload.number = d;
        return index;
    }

    WireDocument &m_doc;
    const char *m_p;
    const char *const m_end;
    std::vector<qint32> &m_pending;
};

WireDocument::WireDocument(const QByteArray &bytes)
    : m_source(bytes)
{
    const char *begin = m_source.constData();
    const char *end = begin + m_source.size();
    if (end - begin >= 3 && std::memcmp(begin, "\xEF\xBB\xBF", 3) == 0)
        begin += 3; // one leading BOM, as Qt's parser skips it
    // About one node per 12 bytes of typical provider JSON: one allocation for an event. Capped, so
    // a large body that is mostly one string reserves nothing it does not use.
    const auto expected = static_cast<std::size_t>(std::min<qsizetype>(m_source.size() / 12 + 4, 4096));
    m_nodes.reserve(expected);
    m_children.reserve(expected);
    {
        Parser parser(*this, begin, end);
        m_root = parser.parseDocument();
    }
    if (t_pendingChildren.capacity() > 65536)
        std::vector<qint32>().swap(t_pendingChildren); // a huge document does not pin its scratch
    if (m_root < 0) {
        m_nodes.clear();
        m_children.clear();
        m_unescaped.clear();
    }
}

const char *WireDocument::textData(const Node &node) const
{
    const qint32 begin = node.payload.span.begin;
    return node.textUnescaped ? m_unescaped.data() + begin : m_source.constData() + begin;
}

const char *WireDocument::keyData(const Node &node) const
{
    return node.keyUnescaped ? m_unescaped.data() + node.keyBegin : m_source.constData() + node.keyBegin;
}

} // namespace Slopscope
