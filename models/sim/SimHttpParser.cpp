#include "sim/SimHttpParser.h"

namespace Slopscope {

namespace {

bool isTokenChar(char c)
{
    // RFC 9110 tchar
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
        return true;
    default:
        return false;
    }
}

bool isToken(QByteArrayView s)
{
    if (s.isEmpty())
        return false;
    for (const char c : s) {
        if (!isTokenChar(c))
            return false;
    }
    return true;
}

} // namespace

SimHttpParser::State SimHttpParser::fail(int status)
{
    m_state = State::Failed;
    m_failureStatus = status;
    return m_state;
}

bool SimHttpParser::parseHead(QByteArrayView head)
{
    // Lines end with CRLF; a bare LF is tolerated (robustness principle), a bare CR is not.
    QList<QByteArrayView> lines;
    qsizetype start = 0;
    for (qsizetype i = 0; i < head.size(); ++i) {
        if (head[i] == '\n') {
            qsizetype end = i;
            if (end > start && head[end - 1] == '\r')
                --end;
            lines.append(head.sliced(start, end - start));
            start = i + 1;
        }
    }
    if (start < head.size())
        lines.append(head.sliced(start));
    if (lines.isEmpty()) {
        fail(400);
        return false;
    }

    const QByteArrayView requestLine = lines.first();
    const qsizetype sp1 = requestLine.indexOf(' ');
    const qsizetype sp2 = sp1 < 0 ? -1 : requestLine.sliced(sp1 + 1).indexOf(' ');
    if (sp1 <= 0 || sp2 <= 0) {
        fail(400);
        return false;
    }
    const QByteArrayView method = requestLine.first(sp1);
    QByteArrayView target = requestLine.sliced(sp1 + 1, sp2);
    const QByteArrayView version = requestLine.sliced(sp1 + 1 + sp2 + 1);
    if (!isToken(method) || target.isEmpty() || target.contains(' ')) {
        fail(400);
        return false;
    }
    if (version != "HTTP/1.1" && version != "HTTP/1.0") {
        fail(version.startsWith("HTTP/") ? 505 : 400);
        return false;
    }
    for (const char c : target) {
        if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) {
            fail(400);
            return false;
        }
    }
    // Absolute form (a proxy-style request): keep only the path and query.
    if (target.startsWith("http://") || target.startsWith("https://")) {
        const qsizetype scheme = target.indexOf("//") + 2;
        const qsizetype slash = target.sliced(scheme).indexOf('/');
        target = slash < 0 ? QByteArrayView("/") : target.sliced(scheme + slash);
    }
    if (!target.startsWith('/') && target != "*") {
        fail(400);
        return false;
    }
    m_request.method = method.toByteArray();
    m_request.version = version.toByteArray();
    const qsizetype q = target.indexOf('?');
    m_request.path = (q < 0 ? target : target.first(q)).toByteArray();
    m_request.query = q < 0 ? QByteArray() : target.sliced(q + 1).toByteArray();

    bool sawLength = false;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArrayView line = lines.at(i);
        if (line.isEmpty())
            continue;
        if (line.front() == ' ' || line.front() == '\t') { // obsolete line folding
            fail(400);
            return false;
        }
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0 || !isToken(line.first(colon))) {
            fail(400);
            return false;
        }
        const QByteArray name = line.first(colon).toByteArray().toLower();
        const QByteArray value = line.sliced(colon + 1).toByteArray().trimmed();
        for (const char c : value) {
            if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f) {
                fail(400);
                return false;
            }
        }
        if (name == "content-length") {
            bool ok = false;
            const qlonglong n = value.toLongLong(&ok);
            if (!ok || n < 0 || value.startsWith('+') || (sawLength && n != m_contentLength)) {
                fail(400);
                return false;
            }
            if (n > m_maxBody) {
                fail(413);
                return false;
            }
            sawLength = true;
            m_contentLength = static_cast<qsizetype>(n);
        } else if (name == "transfer-encoding") {
            // Request bodies with chunked coding are not needed by any client we serve.
            fail(value.toLower() == "identity" ? 400 : 411);
            return false;
        }
        m_request.headers.append({name, value});
    }
    m_expectContinue = m_request.header("expect").toLower() == "100-continue";
    if (m_request.version == "HTTP/1.1" && !m_request.hasHeader("host")) {
        fail(400);
        return false;
    }
    return true;
}

SimHttpParser::State SimHttpParser::feed(QByteArrayView bytes, qint64 nowNs)
{
    if (m_state == State::Failed)
        return m_state;
    if (m_buffer.isEmpty() && m_request.arrivalNs == 0 && !bytes.isEmpty())
        m_request.arrivalNs = nowNs;
    m_buffer.append(bytes);
    if (m_state == State::Complete)
        return m_state; // the caller takes the current request first
    return poll(nowNs);
}

SimHttpParser::State SimHttpParser::poll(qint64 nowNs)
{
    if (m_state != State::NeedMore)
        return m_state;
    if (!m_headDone) {
        // Leading empty lines before a request are allowed (RFC 9112 §2.2).
        while (m_buffer.startsWith("\r\n"))
            m_buffer.remove(0, 2);
        while (m_buffer.startsWith('\n'))
            m_buffer.remove(0, 1);
        qsizetype end = m_buffer.indexOf("\r\n\r\n");
        qsizetype sep = 4;
        const qsizetype lf = m_buffer.indexOf("\n\n");
        if (lf >= 0 && (end < 0 || lf < end)) {
            end = lf;
            sep = 2;
        }
        if (end < 0) {
            if (m_buffer.size() > kMaxHeaderBytes)
                return fail(431);
            return m_state;
        }
        if (end > kMaxHeaderBytes)
            return fail(431);
        if (m_request.arrivalNs == 0)
            m_request.arrivalNs = nowNs;
        if (!parseHead(QByteArrayView(m_buffer).first(end)))
            return m_state;
        m_buffer.remove(0, end + sep);
        m_headDone = true;
    }
    if (m_buffer.size() < m_contentLength)
        return m_state;
    m_request.body = m_buffer.left(m_contentLength);
    m_buffer.remove(0, m_contentLength);
    m_request.bodyCompleteNs = nowNs;
    m_state = State::Complete;
    return m_state;
}

SimHttpRequest SimHttpParser::take()
{
    SimHttpRequest out = std::move(m_request);
    m_request = SimHttpRequest{};
    m_headDone = false;
    m_expectContinue = false;
    m_contentLength = 0;
    m_state = State::NeedMore;
    return out;
}

} // namespace Slopscope
