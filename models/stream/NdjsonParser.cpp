#include "stream/NdjsonParser.h"

#include "stream/Utf8.h"

#include <utility>

namespace Slopscope {

namespace {

bool isBlank(QByteArrayView line)
{
    for (const char c : line) {
        if (c != ' ' && c != '\t' && c != '\r')
            return false;
    }
    return true;
}

} // namespace

NdjsonParser::NdjsonParser(qsizetype maxLineBytes, qsizetype maxResponseBytes)
    : m_maxLineBytes(maxLineBytes)
    , m_splitter(LineSplitter::LineEnds::LfOnly, maxResponseBytes)
{}

void NdjsonParser::fail(ParserState state)
{
    m_state = state;
    m_splitter.release();
}

void NdjsonParser::feed(QByteArrayView bytes)
{
    if (m_state != ParserState::Ok || m_finished || bytes.isEmpty())
        return;
    const bool withinCap = m_splitter.feed(bytes, [this](QByteArrayView line) { return emitLine(line); });
    if (m_state != ParserState::Ok)
        return;
    if (m_splitter.pendingBytes() > m_maxLineBytes)
        fail(ParserState::EventTooLarge);
    else if (!withinCap)
        fail(ParserState::ResponseTooLarge);
}

bool NdjsonParser::emitLine(QByteArrayView line)
{
    if (line.size() > m_maxLineBytes) {
        fail(ParserState::EventTooLarge);
        return false;
    }
    if (line.endsWith('\r'))
        line.chop(1);
    if (isBlank(line))
        return true;
    m_lines.append(Utf8::sanitized(line.toByteArray()));
    ++m_emitted;
    return true;
}

void NdjsonParser::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    const QByteArray rest = m_splitter.takeRest();
    if (m_state == ParserState::Ok && !rest.isEmpty())
        emitLine(rest);
}

QList<QByteArray> NdjsonParser::takeLines()
{
    return std::exchange(m_lines, QList<QByteArray>());
}

} // namespace Slopscope
