// SseParser under any read sizes: the events, the comment count, the id, the retry time and the
// state must not depend on where the reads cut the body (inside a CR LF, a UTF-8 character, a BOM).
// Input: [caps][split count][split lengths...][body]; caps picks small limits now and then so the
// cap paths are split-tested too.

#include "FuzzKit.h"

#include "stream/SseParser.h"

#include <QList>

#include <cstdint>

using namespace Slopscope;

namespace {

struct Outcome
{
    QList<SseEvent> events;
    ParserState state = ParserState::Ok;
    qint64 comments = 0;
    qint64 dispatched = 0;
    std::optional<qint64> retryMs;
    QString lastEventId;
};

struct Caps
{
    qsizetype maxEvent = kDefaultMaxEventBytes;
    qsizetype maxResponse = kDefaultMaxResponseBytes;
};

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
    SseParser parser(caps.maxEvent, caps.maxResponse);
    Outcome out;
    Fuzz::feedSplit(body, splits, [&](QByteArrayView read) {
        parser.feed(read);
        out.events += parser.takeEvents();
    });
    parser.finish();
    out.events += parser.takeEvents();
    parser.feed("data: after finish\n\n"); // ignored
    Fuzz::require(!parser.hasEvents(), "no event after finish()");
    out.state = parser.state();
    out.comments = parser.comments();
    out.dispatched = parser.eventsDispatched();
    out.retryMs = parser.retryMs();
    out.lastEventId = parser.lastEventId();
    return out;
}

QString describe(const SseEvent &e)
{
    return QStringLiteral("type=%1 id=%2 comments=%3 data=%4")
        .arg(e.type, e.lastEventId)
        .arg(e.commentsBefore)
        .arg(QString::fromLatin1(e.data.toHex()));
}

void compare(const Outcome &a, const Outcome &b, const char *which)
{
    Fuzz::require(a.state == b.state, which, QStringLiteral("state %1 vs %2").arg(int(a.state)).arg(int(b.state)));
    Fuzz::require(a.events.size() == b.events.size(), which,
                  QStringLiteral("%1 vs %2 events").arg(a.events.size()).arg(b.events.size()));
    for (qsizetype i = 0; i < a.events.size(); ++i) {
        const SseEvent &x = a.events[i];
        const SseEvent &y = b.events[i];
        Fuzz::require(x.type == y.type && x.data == y.data && x.lastEventId == y.lastEventId &&
                          x.commentsBefore == y.commentsBefore,
                      which, QStringLiteral("event %1: %2 vs %3").arg(i).arg(describe(x), describe(y)));
    }
    Fuzz::require(a.comments == b.comments, which, QStringLiteral("comments"));
    Fuzz::require(a.dispatched == b.dispatched, which, QStringLiteral("eventsDispatched"));
    Fuzz::require(a.retryMs == b.retryMs, which, QStringLiteral("retryMs"));
    Fuzz::require(a.lastEventId == b.lastEventId, which, QStringLiteral("lastEventId"));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    Fuzz::Input in(data, size);
    const Caps caps = capsFrom(in.takeByte());
    const Fuzz::Splits splits = Fuzz::Splits::take(in);
    const QByteArrayView body = in.rest();

    const Outcome whole = parse(body, Fuzz::Splits::whole(), caps);
    for (const SseEvent &e : whole.events) {
        Fuzz::require(Fuzz::isValidUtf8(e.data), "event data is valid UTF-8", describe(e));
        // The cap counts the bytes received; each invalid one may have become U+FFFD (3 bytes).
        Fuzz::require(e.data.size() <= 3 * caps.maxEvent, "event data within the event cap", describe(e));
        Fuzz::require(!e.type.isEmpty(), "event type never empty", describe(e));
    }
    Fuzz::require(whole.dispatched == whole.events.size(), "eventsDispatched counts the events");

    compare(whole, parse(body, splits, caps), "same events for the chosen split");
    compare(whole, parse(body, Fuzz::Splits::bytewise(), caps), "same events one byte per read");
    return 0;
}
