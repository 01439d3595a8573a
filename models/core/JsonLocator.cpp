#include "core/JsonLocator.h"

namespace Slopscope::Json {

namespace {

// A forward-only scanner over text that nlohmann has already accepted as valid JSON.
class Scanner final
{
public:
    explicit Scanner(const QByteArray &text)
        : m_text(text)
    {}

    qsizetype locate(const QStringList &path)
    {
        skipWhitespace();
        qsizetype best = m_pos;
        descend(path, 0, best);
        return best;
    }

private:
    [[nodiscard]] char peek() const { return m_pos < m_text.size() ? m_text.at(m_pos) : '\0'; }

    void skipWhitespace()
    {
        while (m_pos < m_text.size()) {
            const char c = m_text.at(m_pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
                break;
            ++m_pos;
        }
    }

    QByteArray readString()
    {
        QByteArray out;
        ++m_pos; // opening quote
        while (m_pos < m_text.size()) {
            const char c = m_text.at(m_pos++);
            if (c == '"')
                break;
            if (c == '\\' && m_pos < m_text.size()) {
                // Keys with escapes are rare; keep the escaped character, enough to compare plain keys.
                out.append(m_text.at(m_pos++));
                continue;
            }
            out.append(c);
        }
        return out;
    }

    void skipValue()
    {
        skipWhitespace();
        const char c = peek();
        if (c == '"') {
            readString();
            return;
        }
        if (c == '{' || c == '[') {
            int depth = 0;
            while (m_pos < m_text.size()) {
                const char d = m_text.at(m_pos);
                if (d == '"') {
                    readString();
                    continue;
                }
                ++m_pos;
                if (d == '{' || d == '[')
                    ++depth;
                else if ((d == '}' || d == ']') && --depth == 0)
                    return;
            }
            return;
        }
        while (m_pos < m_text.size()) {
            const char d = m_text.at(m_pos);
            if (d == ',' || d == '}' || d == ']' || d == ' ' || d == '\n' || d == '\r' || d == '\t')
                return;
            ++m_pos;
        }
    }

    // The scanner stands on the value for path[0..depth). Records its offset, then walks into
    // the child named by path[depth].
    void descend(const QStringList &path, qsizetype depth, qsizetype &best)
    {
        skipWhitespace();
        best = m_pos;
        if (depth == path.size())
            return;
        const QByteArray wanted = path.at(depth).toUtf8();
        const char open = peek();
        if (open == '{') {
            ++m_pos;
            while (true) {
                skipWhitespace();
                if (peek() != '"')
                    return;
                const qsizetype keyPos = m_pos;
                const QByteArray key = readString();
                skipWhitespace();
                ++m_pos; // ':'
                if (key == wanted) {
                    best = keyPos;
                    descend(path, depth + 1, best);
                    return;
                }
                skipValue();
                skipWhitespace();
                if (peek() != ',')
                    return;
                ++m_pos;
            }
        }
        if (open == '[') {
            bool ok = false;
            const int index = path.at(depth).toInt(&ok);
            if (!ok)
                return;
            ++m_pos;
            for (int i = 0;; ++i) {
                skipWhitespace();
                if (peek() == ']')
                    return;
                if (i == index) {
                    descend(path, depth + 1, best);
                    return;
                }
                skipValue();
                skipWhitespace();
                if (peek() != ',')
                    return;
                ++m_pos;
            }
        }
    }

    const QByteArray &m_text;
    qsizetype m_pos = 0;
};

} // namespace

qsizetype locate(const QByteArray &text, const QStringList &path)
{
    Scanner scanner(text);
    return scanner.locate(path);
}

} // namespace Slopscope::Json
