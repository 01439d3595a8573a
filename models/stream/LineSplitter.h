#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <cstring>

namespace Slopscope {

// The byte-level half SseParser and NdjsonParser share: cuts a body into lines whatever the read
// sizes, strips one leading UTF-8 BOM (even split across reads), and counts bytes against the
// response cap. Lines end at LF, CR or CRLF (SSE; a CR ending one read and an LF starting the
// next are one line end) or at LF only (NDJSON). Linear in the input for any read size: a partial
// line is kept and only the new bytes are scanned.
class LineSplitter final
{
public:
    enum class LineEnds {
        Any,    // LF, CR or CRLF (WHATWG SSE)
        LfOnly, // LF; a CR before it stays in the line (NDJSON drops it itself)
    };

    LineSplitter(LineEnds ends, qsizetype maxResponseBytes);

    // Splits one read. onLine(QByteArrayView line) gets every complete line without its end and
    // returns false to stop (the rest of this read is dropped). Returns false when the read went
    // past the response cap; the bytes within the cap were split first, so where the cap hits does
    // not depend on read sizes.
    template <typename OnLine> bool feed(QByteArrayView bytes, OnLine &&onLine);

    // Bytes of the current unterminated line.
    [[nodiscard]] qsizetype pendingBytes() const { return m_line.size(); }
    [[nodiscard]] qint64 bytesFed() const { return m_bytesFed; }
    // The unterminated rest (the start of a BOM that never completed included); empties it.
    QByteArray takeRest();
    // Frees the buffers (after an error nothing more is split).
    void release() { m_line = QByteArray(); }

private:
    QByteArrayView skipBom(QByteArrayView bytes);
    static const char *find(const char *from, const char *end, char c)
    {
        if (from >= end)
            return end;
        const void *hit = std::memchr(from, c, static_cast<size_t>(end - from));
        return hit ? static_cast<const char *>(hit) : end;
    }

    LineEnds m_ends;
    qsizetype m_maxResponseBytes;
    qint64 m_bytesFed = 0;
    int m_bomMatched = 0;
    bool m_bomDone = false;
    bool m_skipLeadingLf = false; // the previous read ended with CR: an LF starting this one ends nothing
    QByteArray m_line;
};

template <typename OnLine> bool LineSplitter::feed(QByteArrayView bytes, OnLine &&onLine)
{
    const qsizetype room = m_maxResponseBytes - m_bytesFed;
    const bool overflow = bytes.size() > room;
    if (overflow)
        bytes = bytes.first(qMax<qsizetype>(0, room));
    m_bytesFed += bytes.size();
    bytes = skipBom(bytes);

    const char *p = bytes.data();
    const char *const end = p + bytes.size();
    if (m_skipLeadingLf && p < end) {
        m_skipLeadingLf = false;
        if (*p == '\n')
            ++p;
    }
    // The next LF and CR are searched once each and reused until passed, so a read is scanned in
    // linear time even when one of the two never occurs (CR-only streams).
    const bool anyEnd = m_ends == LineEnds::Any;
    const char *nextLf = find(p, end, '\n');
    const char *nextCr = anyEnd ? find(p, end, '\r') : end;
    while (p < end) {
        if (nextLf < p)
            nextLf = find(p, end, '\n');
        if (anyEnd && nextCr < p)
            nextCr = find(p, end, '\r');
        const char *eol = nextLf < nextCr ? nextLf : nextCr;
        if (eol == end) {
            m_line.append(p, end - p);
            break;
        }
        bool go = true;
        if (m_line.isEmpty()) {
            go = onLine(QByteArrayView(p, eol - p)); // the common case: no copy
        } else {
            m_line.append(p, eol - p);
            go = onLine(QByteArrayView(m_line));
            m_line.resize(0); // keeps the capacity for the next partial line
        }
        if (!go)
            return !overflow;
        if (*eol == '\r') {
            if (eol + 1 == end)
                m_skipLeadingLf = true;
            else if (eol[1] == '\n')
                ++eol;
        }
        p = eol + 1;
    }
    return !overflow;
}

} // namespace Slopscope
