#pragma once

// Shared by the libFuzzer targets: reading a few control bytes off the front of an input, cutting
// a body into reads as those bytes say, and failing loudly (abort(), which libFuzzer reports as a
// crash with its reproducer) when a property does not hold.

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace Slopscope::Fuzz {

// The input as control bytes followed by the body. Control bytes missing at the end read as 0.
class Input final
{
public:
    Input(const std::uint8_t *data, std::size_t size)
        : m_rest(reinterpret_cast<const char *>(data), qsizetype(size))
    {}

    std::uint8_t takeByte()
    {
        if (m_rest.isEmpty())
            return 0;
        const auto b = static_cast<std::uint8_t>(m_rest.front());
        m_rest = m_rest.sliced(1);
        return b;
    }
    // Everything not taken as control bytes.
    [[nodiscard]] QByteArrayView rest() const { return m_rest; }

private:
    QByteArrayView m_rest;
};

// Read sizes, used in turn and cyclically: {1} is one byte per read, {2, 1} cuts every CR LF
// pair and every multi-byte UTF-8 character somewhere. A length of 0 is an empty read.
struct Splits
{
    std::vector<qsizetype> lengths;

    // One count byte (0..7 lengths), then one byte per length.
    static Splits take(Input &in)
    {
        Splits s;
        const int n = in.takeByte() % 8;
        for (int i = 0; i < n; ++i)
            s.lengths.push_back(in.takeByte());
        return s;
    }
    static Splits whole() { return {}; }
    static Splits bytewise() { return {{1}}; }
};

// Calls feed(QByteArrayView) with the body cut as `splits` says; no lengths: one read.
template <typename Feed> void feedSplit(QByteArrayView body, const Splits &splits, Feed &&feed)
{
    bool anyNonZero = false;
    for (const qsizetype len : splits.lengths)
        anyNonZero = anyNonZero || len > 0;
    if (!anyNonZero) {
        if (!splits.lengths.empty())
            feed(QByteArrayView()); // an empty read first: it must change nothing
        feed(body);
        return;
    }
    qsizetype pos = 0;
    std::size_t i = 0;
    while (pos < body.size()) {
        const qsizetype len = qMin(splits.lengths[i++ % splits.lengths.size()], body.size() - pos);
        feed(body.sliced(pos, len));
        pos += len;
    }
}

// A property failed: say which and stop (libFuzzer saves the input as crash-*).
[[noreturn]] inline void fail(const char *property, const QString &detail = {})
{
    std::fprintf(stderr, "\nFUZZ PROPERTY FAILED: %s\n%s\n", property, qUtf8Printable(detail));
    std::fflush(stderr);
    std::abort();
}

inline void require(bool ok, const char *property, const QString &detail = {})
{
    if (!ok)
        fail(property, detail);
}

// The bytes are valid UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF).
// Checked by hand: QString::fromUtf8 drops a leading BOM, which is valid content mid-stream.
inline bool isValidUtf8(QByteArrayView bytes)
{
    qsizetype i = 0;
    const qsizetype n = bytes.size();
    while (i < n) {
        const auto b = static_cast<unsigned char>(bytes[i]);
        int extra = 0;
        char32_t cp = 0;
        if (b < 0x80) {
            ++i;
            continue;
        }
        if (b >= 0xC2 && b <= 0xDF) {
            extra = 1;
            cp = b & 0x1F;
        } else if (b >= 0xE0 && b <= 0xEF) {
            extra = 2;
            cp = b & 0x0F;
        } else if (b >= 0xF0 && b <= 0xF4) {
            extra = 3;
            cp = b & 0x07;
        } else {
            return false;
        }
        if (i + extra >= n)
            return false;
        for (int k = 1; k <= extra; ++k) {
            const auto c = static_cast<unsigned char>(bytes[i + k]);
            if ((c & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (c & 0x3F);
        }
        const char32_t min = extra == 1 ? 0x80 : extra == 2 ? 0x800 : 0x10000;
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += extra + 1;
    }
    return true;
}

// No unpaired UTF-16 surrogate: what reaches the database and the exports must be valid text.
inline bool hasNoLoneSurrogate(const QString &text)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c.isHighSurrogate()) {
            if (i + 1 >= text.size() || !text.at(i + 1).isLowSurrogate())
                return false;
            ++i;
        } else if (c.isLowSurrogate()) {
            return false;
        }
    }
    return true;
}

} // namespace Slopscope::Fuzz
