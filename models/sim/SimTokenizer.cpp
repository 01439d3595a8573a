#include "sim/SimTokenizer.h"

namespace Slopscope {

namespace {

bool isSpace(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool isDigit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

// Letters: ASCII letters and every non-ASCII code point (so accented and CJK text stays whole).
bool isLetterStart(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

// Length in bytes of the UTF-8 sequence starting at data[i] (1 for invalid lead bytes).
qsizetype sequenceLength(QByteArrayView data, qsizetype i)
{
    const auto c = static_cast<unsigned char>(data[i]);
    qsizetype len = 1;
    if (c >= 0xF0 && c < 0xF8)
        len = 4;
    else if (c >= 0xE0)
        len = c < 0xF0 ? 3 : 1;
    else if (c >= 0xC0)
        len = 2;
    // Never run past the end or over a byte that is not a continuation byte.
    qsizetype n = 1;
    while (n < len && i + n < data.size() && (static_cast<unsigned char>(data[i + n]) & 0xC0) == 0x80)
        ++n;
    return n;
}

// Calls sink(begin, end) for each token.
template <typename Sink> void tokenize(QByteArrayView data, Sink sink)
{
    const qsizetype n = data.size();
    qsizetype i = 0;
    while (i < n) {
        const qsizetype start = i;
        while (i < n && isSpace(static_cast<unsigned char>(data[i])))
            ++i;
        if (i == n) {
            sink(start, i);
            break;
        }
        const auto c = static_cast<unsigned char>(data[i]);
        if (isDigit(c)) {
            int digits = 0;
            while (i < n && digits < SimTokenizer::kMaxDigits && isDigit(static_cast<unsigned char>(data[i]))) {
                ++i;
                ++digits;
            }
        } else if (isLetterStart(c)) {
            int letters = 0;
            while (i < n && letters < SimTokenizer::kMaxLetters && isLetterStart(static_cast<unsigned char>(data[i]))) {
                i += sequenceLength(data, i);
                ++letters;
            }
        } else {
            ++i;
        }
        sink(start, i);
    }
}

} // namespace

QList<QByteArray> SimTokenizer::split(QByteArrayView utf8)
{
    QList<QByteArray> pieces;
    pieces.reserve(utf8.size() / 4 + 1);
    tokenize(utf8, [&](qsizetype b, qsizetype e) { pieces.append(utf8.sliced(b, e - b).toByteArray()); });
    return pieces;
}

int SimTokenizer::count(QByteArrayView utf8)
{
    int total = 0;
    tokenize(utf8, [&](qsizetype, qsizetype) { ++total; });
    return total;
}

} // namespace Slopscope
