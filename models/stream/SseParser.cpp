#include "stream/SseParser.h"

#include "stream/Utf8.h"

#include <cstring>
#include <limits>
#include <utility>

namespace Slopscope {

namespace {

constexpr char kBom[] = "\xEF\xBB\xBF";
constexpr int kBomSize = 3;

// Position of the first byte in [from, end) equal to c, or end. memchr keeps the scan vectorised.
const char *findByte(const char *from, const char *end, char c)
{
    if (from >= end)
        return end;
    const void *hit = std::memchr(from, c, static_cast<size_t>(end - from));
    return hit ? static_cast<const char *>(hit) : end;
}

} // namespace

SseParser::SseParser(qsizetype maxEventBytes, qsizetype maxResponseBytes)
    : m_maxEventBytes(maxEventBytes)
    , m_maxResponseBytes(maxResponseBytes)
{}

void SseParser::fail(ParserState state)
{
    m_state = state;
    // Nothing more will be dispatched: release what could be large.
    m_line = QByteArray();
    m_data = QByteArray();
}

void SseParser::feed(QByteArrayView bytes)
{
    if (m_state != ParserState::Ok || m_finished || bytes.isEmpty())
        return;
    // Bytes up to the cap are still parsed, so where the cap hits does not depend on read sizes.
    const qsizetype room = m_maxResponseBytes - m_bytesFed;
    const bool overflow = bytes.size() > room;
    if (overflow)
        bytes = bytes.first(qMax<qsizetype>(0, room));
    m_bytesFed += bytes.size();
    consume(bytes);
    if (overflow && m_state == ParserState::Ok)
        fail(ParserState::ResponseTooLarge);
}

void SseParser::consume(QByteArrayView bytes)
{
    const char *p = bytes.data();
    const char *const end = p + bytes.size();

    // One leading BOM of the stream is stripped, even when its bytes straddle feeds.
    while (!m_bomDone && p < end) {
        if (*p == kBom[m_bomMatched]) {
            ++p;
            if (++m_bomMatched == kBomSize)
                m_bomDone = true;
        } else {
            m_line.append(kBom, m_bomMatched); // not a BOM after all: those bytes start the first line
            m_bomDone = true;
        }
    }

    if (m_skipLeadingLf && p < end) {
        m_skipLeadingLf = false;
        if (*p == '\n')
            ++p;
    }

    // The next CR and LF are searched once each and reused until passed, so a feed is scanned in
    // linear time even when one of the two never occurs (CR-only streams).
    const char *nextLf = findByte(p, end, '\n');
    const char *nextCr = findByte(p, end, '\r');
    while (p < end) {
        if (nextLf < p)
            nextLf = findByte(p, end, '\n');
        if (nextCr < p)
            nextCr = findByte(p, end, '\r');
        const char *eol = nextLf < nextCr ? nextLf : nextCr;
        if (eol == end) {
            m_line.append(p, end - p);
            if (m_line.size() + m_data.size() > m_maxEventBytes)
                fail(ParserState::EventTooLarge);
            return;
        }
        if (m_line.isEmpty()) {
            processLine(QByteArrayView(p, eol - p)); // the common case: no copy
        } else {
            m_line.append(p, eol - p);
            processLine(m_line);
            m_line.resize(0); // keeps the capacity for the next partial line
        }
        if (m_state != ParserState::Ok)
            return;
        if (*eol == '\r') {
            if (eol + 1 == end)
                m_skipLeadingLf = true;
            else if (eol[1] == '\n')
                ++eol;
        }
        p = eol + 1;
    }
}

void SseParser::processLine(QByteArrayView line)
{
    if (line.size() + m_data.size() > m_maxEventBytes) {
        fail(ParserState::EventTooLarge);
        return;
    }
    if (line.isEmpty()) {
        dispatch();
        return;
    }
    if (line.front() == ':') {
        ++m_comments;
        return;
    }

    QByteArrayView name = line;
    QByteArrayView value;
    if (const qsizetype colon = line.indexOf(':'); colon >= 0) {
        name = line.first(colon);
        value = line.sliced(colon + 1);
        if (value.startsWith(' '))
            value = value.sliced(1);
    }

    // Field names are compared as bytes: the four known names are ASCII, and an invalid byte in a
    // name decodes to U+FFFD, which matches none of them either.
    if (name == "data") {
        m_data.append(value.data(), value.size());
        m_data.append('\n');
        if (m_data.size() > m_maxEventBytes)
            fail(ParserState::EventTooLarge);
    } else if (name == "event") {
        m_eventType = QString::fromUtf8(value);
    } else if (name == "id") {
        if (!value.contains('\0'))
            m_lastEventId = QString::fromUtf8(value);
    } else if (name == "retry") {
        bool digitsOnly = !value.isEmpty();
        qint64 ms = 0;
        for (const char c : value) {
            if (c < '0' || c > '9') {
                digitsOnly = false;
                break;
            }
            // Saturate instead of overflowing on absurd values.
            if (ms <= (std::numeric_limits<qint64>::max() - 9) / 10)
                ms = ms * 10 + (c - '0');
        }
        if (digitsOnly)
            m_retryMs = ms;
    }
    // Any other field is ignored.
}

void SseParser::dispatch()
{
    if (m_data.isEmpty()) {
        m_eventType.clear();
        return;
    }
    m_data.chop(1); // the data buffer always ends with the LF its last line added
    SseEvent event;
    if (!m_eventType.isEmpty())
        event.type = std::exchange(m_eventType, QString());
    event.data = Utf8::sanitized(std::exchange(m_data, QByteArray()));
    event.lastEventId = m_lastEventId;
    event.commentsBefore = m_comments;
    m_events.append(std::move(event));
    ++m_dispatched;
}

void SseParser::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    // WHATWG: pending data at end of stream is discarded; an unterminated event is never dispatched.
    m_line = QByteArray();
    m_data = QByteArray();
    m_eventType.clear();
}

QList<SseEvent> SseParser::takeEvents()
{
    return std::exchange(m_events, QList<SseEvent>());
}

} // namespace Slopscope
