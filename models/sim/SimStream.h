#pragma once

#include "sim/SimEncoder.h"
#include "sim/SimFault.h"
#include "sim/SimRecord.h"

#include <QByteArray>
#include <QList>
#include <QPointer>
#include <QTcpSocket>

#include <limits>
#include <memory>

namespace Slopscope {

class SimScheduleStats;

// Everything needed to serve one response, decided up front by the router.
struct SimStreamPlan
{
    enum class Mode {
        Immediate, // a fixed response (errors, listings) written at startNs
        Whole,     // a non-streamed answer written when its last token is due
        Stream,    // chunked SSE/NDJSON, token by token
        Trickle,   // the whole stream's bytes, one byte per fault.intervalMs
    };

    Mode mode = Mode::Immediate;
    SimHttpResponse response; // Immediate
    std::unique_ptr<SimEncoder> encoder;
    QByteArray reasoningText;
    QByteArray answerText;
    QList<QByteArray> reasoningPieces;
    QList<QByteArray> answerPieces;
    bool reasoningVisible = false;
    SimFinish finish = SimFinish::Stop;
    int inputTokens = 0;
    qint64 startNs = 0;     // request body complete (scheduler clock)
    qint64 firstSlotNs = 0; // when the first token (hidden reasoning included) is due
    qint64 intervalNs = 1'000'000;
    qint64 wallStartNs = 0; // unix time in ns at startNs
    SimFault fault;
    SimRecord record;
};

// One response in flight on a connection. The scheduler calls pump() with the clock; it writes
// every byte that is due in one write (one chunk) and says when it next needs to run.
class SimStream final
{
public:
    static constexpr qint64 kWaitForever = std::numeric_limits<qint64>::max();

    SimStream(SimStreamPlan plan, QTcpSocket *socket, bool http11, bool closeAfter, quint64 requestId);

    // Writes what is due at `nowNs`; returns when to call again, kWaitForever, or -1 when done.
    qint64 pump(qint64 nowNs, SimScheduleStats &stats);
    // The client went away; ends the stream and records why.
    void clientClosed(qint64 nowNs);

    [[nodiscard]] bool done() const { return m_done; }
    [[nodiscard]] bool closesConnection() const { return m_closeAfter || m_dropped; }
    [[nodiscard]] const SimRecord &record() const { return m_plan.record; }

private:
    qint64 due(int slot) const { return m_plan.firstSlotNs + m_shiftNs + slot * m_plan.intervalNs; }
    [[nodiscard]] int slotCount() const;
    QByteArray head(int status, const SimHeaders &headers, qint64 contentLength) const;
    void write(qint64 nowNs, const QByteArray &head, const QByteArray &body, bool last);
    void finishRecord(qint64 nowNs, const QString &outcome);
    qint64 pumpStream(qint64 nowNs, SimScheduleStats &stats, QByteArray &body, bool &last);
    qint64 pumpTrickle(qint64 nowNs, QByteArray &body, bool &last);
    SimFinishInfo finishInfo(qint64 nowNs) const;

    SimStreamPlan m_plan;
    QPointer<QTcpSocket> m_socket;
    bool m_chunked = true;
    bool m_closeAfter = false;
    quint64 m_requestId = 0;

    bool m_headSent = false;
    bool m_done = false;
    bool m_dropped = false;
    bool m_faultFired = false;
    int m_nextSlot = 0;
    int m_sent = 0;       // token events written
    qint64 m_shiftNs = 0; // schedule pushed back by a stall
    qint64 m_stallUntil = -1;
    qint64 m_firstContentNs = -1;
    QByteArray m_trickle;
    qsizetype m_trickleNext = 0;
    qint64 m_trickleStartNs = 0;
};

} // namespace Slopscope
