#pragma once

#include "core/Workspace.h"
#include "stream/StreamTypes.h"

#include <QByteArrayView>

#include <memory>

namespace Slopscope {

// Turns one HTTP response body into the normalised StreamResult, incrementally.
// The engine feeds it whatever bytes a read delivered (any split, even one byte at a time);
// the result is the same for every split.
class StreamDecoder
{
public:
    virtual ~StreamDecoder() = default;

    // Bytes of the response body as they arrive.
    virtual void feed(QByteArrayView bytes) = 0;
    // The body ended cleanly (EOF). Decides Complete vs Truncated; an unterminated SSE event is
    // discarded, an unterminated NDJSON line is parsed.
    virtual void finish() = 0;
    // Generated content decoded since the previous call, in arrival order. Keep-alives, pings and
    // usage-only events produce nothing here (the engine's content-idle timer relies on that).
    virtual QList<ContentDelta> takeDeltas() = 0;
    // The result so far; final after finish() or once outcome() is no longer Pending.
    [[nodiscard]] virtual const StreamResult &result() const = 0;
};

// Chooses the parser from the status and Content-Type, as WIRE-PROTOCOLS.md §0 says:
// 2xx + text/event-stream → the dialect's SSE decoder; 2xx + application/x-ndjson → NDJSON;
// 2xx + application/json → a whole (non-streamed) answer, streamed=false; non-2xx → an error body.
std::unique_ptr<StreamDecoder> makeStreamDecoder(Dialect dialect, int httpStatus, const QByteArray &contentType);

} // namespace Slopscope
