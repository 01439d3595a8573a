#pragma once

#include "stream/LineSplitter.h"
#include "stream/SseEvent.h"
#include "stream/StreamLimits.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <optional>

namespace Slopscope {

// An incremental Server-Sent Events parser following the WHATWG "Parsing an event stream" algorithm
// (WIRE-PROTOCOLS.md §1). Feed it bytes exactly as reads deliver them: any split gives the same
// events. Lines end at CRLF, LF or CR (a CR ending one feed and an LF starting the next are one line
// end); one leading BOM of the stream is stripped; lines are decoded as UTF-8 only once complete,
// invalid bytes becoming U+FFFD. An event not terminated by an empty line when the stream ends is
// discarded. Work is linear in the input whatever the read sizes.
class SseParser final
{
public:
    explicit SseParser(qsizetype maxEventBytes = kDefaultMaxEventBytes,
                       qsizetype maxResponseBytes = kDefaultMaxResponseBytes);

    void feed(QByteArrayView bytes);
    // End of stream: a pending line or event is discarded, later feeds are ignored.
    void finish();
    // Events dispatched since the previous call, in order.
    [[nodiscard]] QList<SseEvent> takeEvents();
    [[nodiscard]] bool hasEvents() const { return !m_events.isEmpty(); }

    [[nodiscard]] ParserState state() const { return m_state; }
    // Comment lines seen (keep-alives such as ": OPENROUTER PROCESSING"): bytes arrived, no content.
    [[nodiscard]] qint64 comments() const { return m_comments; }
    [[nodiscard]] qint64 eventsDispatched() const { return m_dispatched; }
    [[nodiscard]] qint64 bytesFed() const { return m_splitter.bytesFed(); }
    // The reconnection time from the last valid `retry:` field, in milliseconds.
    [[nodiscard]] std::optional<qint64> retryMs() const { return m_retryMs; }
    [[nodiscard]] const QString &lastEventId() const { return m_lastEventId; }

private:
    bool processLine(QByteArrayView line);
    void dispatch();
    void fail(ParserState state);

    qsizetype m_maxEventBytes;
    ParserState m_state = ParserState::Ok;
    bool m_finished = false;

    LineSplitter m_splitter;
    QByteArray m_data; // the data buffer of the event being built
    QString m_eventType;
    QString m_lastEventId;
    std::optional<qint64> m_retryMs;

    QList<SseEvent> m_events;
    qint64 m_comments = 0;
    qint64 m_dispatched = 0;
};

} // namespace Slopscope
