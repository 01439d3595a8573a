#pragma once

#include "stream/LineSplitter.h"
#include "stream/StreamLimits.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

namespace Slopscope {

// An incremental newline-delimited JSON framer (Ollama's application/x-ndjson, WIRE-PROTOCOLS.md §1).
// A record is the bytes up to an LF (a CR before it is dropped); blank lines are skipped; at end of
// stream a non-empty remainder is a record too (unlike SSE). A leading BOM is stripped and records
// are returned as valid UTF-8 (invalid bytes become U+FFFD). Linear in the input for any read size.
class NdjsonParser final
{
public:
    explicit NdjsonParser(qsizetype maxLineBytes = kDefaultMaxEventBytes,
                          qsizetype maxResponseBytes = kDefaultMaxResponseBytes);

    void feed(QByteArrayView bytes);
    // End of stream: a non-blank unterminated last line becomes a record; later feeds are ignored.
    void finish();
    [[nodiscard]] QList<QByteArray> takeLines();
    [[nodiscard]] bool hasLines() const { return !m_lines.isEmpty(); }

    [[nodiscard]] ParserState state() const { return m_state; }
    [[nodiscard]] qint64 linesEmitted() const { return m_emitted; }
    [[nodiscard]] qint64 bytesFed() const { return m_splitter.bytesFed(); }

private:
    bool emitLine(QByteArrayView line);
    void fail(ParserState state);

    qsizetype m_maxLineBytes;
    ParserState m_state = ParserState::Ok;
    bool m_finished = false;
    LineSplitter m_splitter;
    QList<QByteArray> m_lines;
    qint64 m_emitted = 0;
};

} // namespace Slopscope
