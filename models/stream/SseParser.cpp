#include "stream/SseParser.h"

#include "stream/Utf8.h"

#include <limits>
#include <utility>

namespace Slopscope {

SseParser::SseParser(qsizetype maxEventBytes, qsizetype maxResponseBytes)
    : m_maxEventBytes(maxEventBytes)
    , m_splitter(LineSplitter::LineEnds::Any, maxResponseBytes)
{}

void SseParser::fail(ParserState state)
{
    m_state = state;
    // Nothing more will be dispatched: release what could be large.
    m_splitter.release();
    m_data = QByteArray();
}

void SseParser::feed(QByteArrayView bytes)
{
    if (m_state != ParserState::Ok || m_finished || bytes.isEmpty())
        return;
    const bool withinCap = m_splitter.feed(bytes, [this](QByteArrayView line) { return processLine(line); });
    if (m_state != ParserState::Ok)
        return;
    if (m_splitter.pendingBytes() + m_data.size() > m_maxEventBytes)
        fail(ParserState::EventTooLarge);
    else if (!withinCap)
        fail(ParserState::ResponseTooLarge);
}

bool SseParser::processLine(QByteArrayView line)
{
    if (line.size() + m_data.size() > m_maxEventBytes) {
        fail(ParserState::EventTooLarge);
        return false;
    }
    if (line.isEmpty()) {
        dispatch();
        return true;
    }
    if (line.front() == ':') {
        ++m_comments;
        return true;
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
        if (m_data.size() > m_maxEventBytes) {
            fail(ParserState::EventTooLarge);
            return false;
        }
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
    return true;
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
    m_splitter.release();
    m_data = QByteArray();
    m_eventType.clear();
}

QList<SseEvent> SseParser::takeEvents()
{
    return std::exchange(m_events, QList<SseEvent>());
}

} // namespace Slopscope
