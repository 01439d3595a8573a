#include "metrics/Timeline.h"

#include <QCoreApplication>

#include <limits>

namespace Slopscope {

namespace {

// Through Q_DECLARE_TR_FUNCTIONS, lupdate files these strings under the context the code
// looks them up in (a translate() wrapper called tr() misled it into the namespace's).
struct TimelineTr
{
    Q_DECLARE_TR_FUNCTIONS(Timeline)
};

// Blob layout, version 1 (all integers are LEB128 varints; signed ones zigzag-encoded):
//   'S' 'T' 0x01                         magic and version
//   flags                                one byte: Has* presence bits and Streamed
//   queued, sent, headers, firstByte     the present ones, each as a delta from the previous stamp
//   chunkCount
//   chunkCount × { Δt, kindByte, characters, [tokens] }   kindByte = kind | HasTokens
//   end                                  if present, as a delta
//   bytesReceived, attempts
// Deltas run over every stamp in that order (starting from 0) and wrap modulo 2^64, so any qint64
// round-trips without overflow.
constexpr char kMagic0 = 'S';
constexpr char kMagic1 = 'T';
constexpr char kVersion = 1;

constexpr quint8 HasQueued = 1u << 0;
constexpr quint8 HasSent = 1u << 1;
constexpr quint8 HasHeaders = 1u << 2;
constexpr quint8 HasFirstByte = 1u << 3;
constexpr quint8 HasEnd = 1u << 4;
constexpr quint8 Streamed = 1u << 5;
constexpr quint8 AllFlags = 0x3f;

constexpr quint8 kKindMask = 0x0f;
constexpr quint8 kChunkHasTokens = 0x10;
constexpr int kSmallestChunkBytes = 3; // Δt, kindByte and characters take at least one byte each

quint64 zigzag(qint64 v)
{
    return (static_cast<quint64>(v) << 1) ^ static_cast<quint64>(v >> 63);
}

qint64 unzigzag(quint64 v)
{
    return static_cast<qint64>((v >> 1) ^ (~(v & 1) + 1));
}

// Writes into a buffer sized for the worst case (no per-byte growth checks), trimmed at the end.
class Writer final
{
public:
    explicit Writer(qsizetype maxSize)
        : m_out(maxSize, Qt::Uninitialized)
        , m_at(m_out.data())
    {}
    void byte(quint8 b) { *m_at++ = static_cast<char>(b); }
    void unsignedVarint(quint64 v)
    {
        while (v >= 0x80) {
            byte(static_cast<quint8>(v | 0x80));
            v >>= 7;
        }
        byte(static_cast<quint8>(v));
    }
    void signedVarint(qint64 v) { unsignedVarint(zigzag(v)); }
    void stamp(qint64 t)
    {
        signedVarint(static_cast<qint64>(static_cast<quint64>(t) - static_cast<quint64>(m_previous)));
        m_previous = t;
    }
    QByteArray take()
    {
        m_out.truncate(m_at - m_out.constData());
        m_out.squeeze();
        return std::move(m_out);
    }

private:
    QByteArray m_out;
    char *m_at;
    qint64 m_previous = 0;
};

class Reader final
{
public:
    explicit Reader(const QByteArray &in)
        : m_in(in)
    {}

    [[nodiscard]] qsizetype offset() const { return m_pos; }
    [[nodiscard]] qsizetype remaining() const { return m_in.size() - m_pos; }
    [[nodiscard]] bool failed() const { return !m_error.isEmpty(); }
    [[nodiscard]] const QString &error() const { return m_error; }

    void fail(const QString &message, qsizetype at)
    {
        if (m_error.isEmpty())
            m_error = TimelineTr::tr("corrupt timeline blob at byte %1: %2").arg(at).arg(message);
    }

    quint8 byte()
    {
        if (failed())
            return 0;
        if (m_pos >= m_in.size()) {
            fail(TimelineTr::tr("truncated"), m_pos);
            return 0;
        }
        return static_cast<quint8>(m_in.at(m_pos++));
    }

    quint64 unsignedVarint()
    {
        const qsizetype start = m_pos;
        quint64 value = 0;
        for (int shift = 0; shift < 64 && !failed(); shift += 7) {
            const quint8 b = byte();
            // The tenth byte may only carry the top bit of a 64-bit value.
            if (shift == 63 && (b & 0x7e) != 0) {
                fail(TimelineTr::tr("integer out of range"), start);
                return 0;
            }
            value |= static_cast<quint64>(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
                return value;
        }
        fail(TimelineTr::tr("integer out of range"), start);
        return 0;
    }

    qint64 signedVarint() { return unzigzag(unsignedVarint()); }

    qint32 int32()
    {
        const qsizetype start = m_pos;
        const qint64 v = signedVarint();
        if (v < std::numeric_limits<qint32>::min() || v > std::numeric_limits<qint32>::max()) {
            fail(TimelineTr::tr("integer out of range"), start);
            return 0;
        }
        return static_cast<qint32>(v);
    }

    qint64 stamp()
    {
        const quint64 delta = static_cast<quint64>(signedVarint());
        m_previous = static_cast<qint64>(static_cast<quint64>(m_previous) + delta);
        return m_previous;
    }

private:
    const QByteArray &m_in;
    qsizetype m_pos = 0;
    qint64 m_previous = 0;
    QString m_error;
};

} // namespace

void Timeline::addChunk(qint64 t, ContentKind kind, qint32 characters, std::optional<qint32> tokens)
{
    chunks.append(TimelineChunk{t, kind, characters, tokens});
}

QByteArray Timeline::serialize() const
{
    // Worst case: header 4, five stamps and the chunk count 10 each, bytes 10, attempts 5; a chunk
    // 10 + 1 + 5 + 5.
    Writer w(4 + 6 * 10 + 10 + 5 + chunks.size() * 21);
    w.byte(kMagic0);
    w.byte(kMagic1);
    w.byte(kVersion);
    quint8 flags = 0;
    flags |= queued ? HasQueued : quint8(0);
    flags |= sent ? HasSent : quint8(0);
    flags |= headers ? HasHeaders : quint8(0);
    flags |= firstByte ? HasFirstByte : quint8(0);
    flags |= end ? HasEnd : quint8(0);
    flags |= streamed ? Streamed : quint8(0);
    w.byte(flags);
    for (const auto &s : {queued, sent, headers, firstByte}) {
        if (s)
            w.stamp(*s);
    }
    w.unsignedVarint(static_cast<quint64>(chunks.size()));
    for (const TimelineChunk &c : chunks) {
        w.stamp(c.t);
        w.byte(static_cast<quint8>((static_cast<quint8>(c.kind) & kKindMask) | (c.tokens ? kChunkHasTokens : 0)));
        w.signedVarint(c.characters);
        if (c.tokens)
            w.signedVarint(*c.tokens);
    }
    if (end)
        w.stamp(*end);
    w.signedVarint(bytesReceived);
    w.signedVarint(attempts);
    return w.take();
}

Result<Timeline> Timeline::deserialize(const QByteArray &blob)
{
    Reader r(blob);
    const quint8 m0 = r.byte();
    const quint8 m1 = r.byte();
    if (!r.failed() && (m0 != static_cast<quint8>(kMagic0) || m1 != static_cast<quint8>(kMagic1)))
        r.fail(TimelineTr::tr("not a timeline (bad magic)"), 0);
    const quint8 version = r.byte();
    if (!r.failed() && version != static_cast<quint8>(kVersion))
        r.fail(TimelineTr::tr("unsupported version %1").arg(int(version)), 2);
    const quint8 flags = r.byte();
    if (!r.failed() && (flags & ~AllFlags) != 0)
        r.fail(TimelineTr::tr("unknown flags 0x%1").arg(int(flags), 2, 16, QLatin1Char('0')), 3);

    Timeline t;
    t.streamed = (flags & Streamed) != 0;
    if (flags & HasQueued)
        t.queued = r.stamp();
    if (flags & HasSent)
        t.sent = r.stamp();
    if (flags & HasHeaders)
        t.headers = r.stamp();
    if (flags & HasFirstByte)
        t.firstByte = r.stamp();

    const qsizetype countAt = r.offset();
    const quint64 count = r.unsignedVarint();
    if (!r.failed() && count > static_cast<quint64>(r.remaining() / kSmallestChunkBytes))
        r.fail(TimelineTr::tr("chunk count %1 exceeds the data").arg(count), countAt);
    if (!r.failed())
        t.chunks.reserve(static_cast<qsizetype>(count));
    for (quint64 i = 0; i < count && !r.failed(); ++i) {
        TimelineChunk c;
        c.t = r.stamp();
        const qsizetype kindAt = r.offset();
        const quint8 kindByte = r.byte();
        const quint8 kind = kindByte & kKindMask;
        if (!r.failed() &&
            ((kindByte & ~(kKindMask | kChunkHasTokens)) != 0 || kind > static_cast<quint8>(ContentKind::Refusal))) {
            r.fail(TimelineTr::tr("unknown content kind %1").arg(int(kindByte)), kindAt);
        }
        c.kind = static_cast<ContentKind>(kind);
        c.characters = r.int32();
        if (kindByte & kChunkHasTokens)
            c.tokens = r.int32();
        t.chunks.append(c);
    }
    if (flags & HasEnd)
        t.end = r.stamp();
    t.bytesReceived = r.signedVarint();
    t.attempts = r.int32();
    if (!r.failed() && r.remaining() != 0)
        r.fail(QCoreApplication::translate("Timeline", "%n unexpected trailing byte(s)", nullptr,
                                           static_cast<int>(r.remaining())),
               r.offset());
    if (r.failed())
        return Error{r.error()};
    return t;
}

} // namespace Slopscope
