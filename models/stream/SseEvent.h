#pragma once

#include <QByteArray>
#include <QString>

namespace Slopscope {

// One event dispatched by SseParser, as the WHATWG "Interpreting an event stream" rules deliver it.
struct SseEvent
{
    // The `event:` field, or "message".
    QString type = QStringLiteral("message");
    // The joined `data:` lines, one trailing LF stripped; always valid UTF-8.
    QByteArray data;
    // The last `id:` seen so far in the stream (it persists across events).
    QString lastEventId;
    // Comment lines the stream had before this event was dispatched.
    qint64 commentsBefore = 0;
};

} // namespace Slopscope
