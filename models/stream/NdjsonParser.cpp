#include "stream/NdjsonParser.h"

#include "stream/Utf8.h"

#include <cstring>
#include <utility>

namespace Slopscope {

namespace {

constexpr char kBom[] = "\xEF\xBB\xBF";
constexpr int kBomSize = 3;

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
    , m_maxResponseBytes(maxResponseBytes)
{}

void NdjsonParser::fail(ParserState state)
{
    m_state = state;
    m_line = QByteArray();
}

void NdjsonParser::feed(QByteArrayView bytes)
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

void NdjsonParser::consume(QByteArrayView bytes)
{
    const char *p = bytes.data();
    const char *const end = p + bytes.size();

    while (!m_bomDone && p < end) {
        if (*p == kBom[m_bomMatched]) {
            ++p;
            if (++m_bomMatched == kBomSize)
                m_bomDone = true;
        } else {
            m_line.append(kBom, m_bomMatched);
            m_bomDone = true;
        }
    }

    while (p < end) {
        const void *hit = std::memchr(p, '\n', static_cast<size_t>(end - p));
        if (!hit) {
            m_line.append(p, end - p);
            if (m_line.size() > m_maxLineBytes)
                fail(ParserState::EventTooLarge);
            return;
        }
        const char *eol = static_cast<const char *>(hit);
        if (m_line.isEmpty()) {
            emitLine(QByteArrayView(p, eol - p));
        } else {
            m_line.append(p, eol - p);
            emitLine(m_line);
            m_line.resize(0);
        }
        if (m_state != ParserState::Ok)
            return;
        p = eol + 1;
    }
}

void NdjsonParser::emitLine(QByteArrayView line)
{
    if (line.size() > m_maxLineBytes) {
        fail(ParserState::EventTooLarge);
        return;
    }
    if (line.endsWith('\r'))
        line.chop(1);
    if (isBlank(line))
        return;
    m_lines.append(Utf8::sanitized(line.toByteArray()));
    ++m_emitted;
}

void NdjsonParser::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    if (!m_bomDone && m_bomMatched > 0)
        m_line.prepend(kBom, m_bomMatched); // a body that is only the start of a BOM
    if (m_state == ParserState::Ok && !m_line.isEmpty())
        emitLine(m_line);
    m_line = QByteArray();
}

QList<QByteArray> NdjsonParser::takeLines()
{
    return std::exchange(m_lines, QList<QByteArray>());
}

} // namespace Slopscope
