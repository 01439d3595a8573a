#pragma once

#include "../views/ViewsFixture.h"

// A timeline with chunks at the given milliseconds after the request was sent, `chars` each.
namespace WidgetsFixture {

inline Slopscope::RequestTimeline timeline(const QList<int> &atMs, qsizetype chars = 10)
{
    Slopscope::RequestTimeline t;
    Slopscope::AttemptRecord a;
    a.sentNs = 1'000'000'000;
    for (const int ms : atMs)
        a.deltas.append({*a.sentNs + qint64(ms) * 1'000'000, Slopscope::ContentKind::Answer, chars});
    a.endNs = a.deltas.isEmpty() ? *a.sentNs : a.deltas.constLast().atNs;
    t.attempts.append(a);
    return t;
}

} // namespace WidgetsFixture
