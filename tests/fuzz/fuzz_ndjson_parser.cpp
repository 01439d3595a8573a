// NdjsonParser under any read sizes: the records and the state must not depend on where the reads
// cut the body. Input: [caps][split count][split lengths...][body], as in fuzz_sse_parser.

#include "FuzzKit.h"

#include "stream/NdjsonParser.h"

#include <QList>

#include <cstdint>

using namespace Slopscope;

namespace {

struct Outcome
{
    QList<QByteArray> lines;
    ParserState state = ParserState::Ok;
    qint64 emitted = 0;
};

struct Caps
{
    qsizetype maxLine = kDefaultMaxEventBytes;
    qsizetype maxResponse = kDefaultMaxResponseBytes;
};

bool isBlank(const QByteArray &line)
{
    for (const char c : line) {
        if (c != ' ' && c != '\t' && c != '\r')
            return false;
    }
    return true;
}

Caps capsFrom(std::uint8_t b)
{
    switch (b % 4) {
    case 0:
    case 1:
        return {};
    case 2:
        return {qsizetype(1 + (b >> 2)), kDefaultMaxResponseBytes};
    default:
        return {qsizetype(8 + (b >> 4)), qsizetype(16 + 4 * (b >> 2))};
    }
}

Outcome parse(QByteArrayView body, const Fuzz::Splits &splits, const Caps &caps)
{
    NdjsonParser parser(caps.maxLine, caps.maxResponse);
    Outcome out;
    Fuzz::feedSplit(body, splits, [&](QByteArrayView read) {
        parser.feed(read);
        out.lines += parser.takeLines();
    });
    parser.finish();
    out.lines += parser.takeLines();
    parser.feed("{\"after\":\"finish\"}\n"); // ignored
    Fuzz::require(!parser.hasLines(), "no record after finish()");
    out.state = parser.state();
    out.emitted = parser.linesEmitted();
    return out;
}

void compare(const Outcome &a, const Outcome &b, const char *which)
{
    Fuzz::require(a.state == b.state, which, QStringLiteral("state %1 vs %2").arg(int(a.state)).arg(int(b.state)));
    Fuzz::require(a.lines.size() == b.lines.size(), which,
                  QStringLiteral("%1 vs %2 records").arg(a.lines.size()).arg(b.lines.size()));
    for (qsizetype i = 0; i < a.lines.size(); ++i)
        Fuzz::require(a.lines[i] == b.lines[i], which,
                      QStringLiteral("record %1: %2 vs %3")
                          .arg(i)
                          .arg(QString::fromLatin1(a.lines[i].toHex()), QString::fromLatin1(b.lines[i].toHex())));
    Fuzz::require(a.emitted == b.emitted, which, QStringLiteral("linesEmitted"));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    Fuzz::Input in(data, size);
    const Caps caps = capsFrom(in.takeByte());
    const Fuzz::Splits splits = Fuzz::Splits::take(in);
    const QByteArrayView body = in.rest();

    const Outcome whole = parse(body, Fuzz::Splits::whole(), caps);
    for (const QByteArray &line : whole.lines) {
        const QString hex = QString::fromLatin1(line.toHex());
        Fuzz::require(Fuzz::isValidUtf8(line), "record is valid UTF-8", hex);
        Fuzz::require(!line.contains('\n'), "record holds no LF", hex);
        Fuzz::require(!isBlank(line), "record is not blank", hex);
        // Each invalid byte may become U+FFFD (3 bytes).
        Fuzz::require(line.size() <= 3 * caps.maxLine, "record within the cap", hex);
    }
    Fuzz::require(whole.emitted == whole.lines.size(), "linesEmitted counts the records");

    compare(whole, parse(body, splits, caps), "same records for the chosen split");
    compare(whole, parse(body, Fuzz::Splits::bytewise(), caps), "same records one byte per read");
    return 0;
}
