#include "stream/LineSplitter.h"

namespace Slopscope {

namespace {

constexpr char kBom[] = "\xEF\xBB\xBF";
constexpr int kBomSize = 3;

} // namespace

LineSplitter::LineSplitter(LineEnds ends, qsizetype maxResponseBytes)
    : m_ends(ends)
    , m_maxResponseBytes(maxResponseBytes)
{}

QByteArrayView LineSplitter::skipBom(QByteArrayView bytes)
{
    qsizetype i = 0;
    while (!m_bomDone && i < bytes.size()) {
        if (bytes[i] == kBom[m_bomMatched]) {
            ++i;
            if (++m_bomMatched == kBomSize)
                m_bomDone = true;
        } else {
            m_line.append(kBom, m_bomMatched); // not a BOM after all: those bytes start the first line
            m_bomDone = true;
        }
    }
    return bytes.sliced(i);
}

QByteArray LineSplitter::takeRest()
{
    if (!m_bomDone && m_bomMatched > 0) {
        m_line.prepend(kBom, m_bomMatched); // a body that is only the start of a BOM
        m_bomMatched = 0;
    }
    return std::exchange(m_line, QByteArray());
}

} // namespace Slopscope
