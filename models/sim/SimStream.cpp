#include "sim/SimStream.h"

#include "sim/SimScheduleStats.h"
#include "sim/SimTime.h"

namespace Slopscope {

namespace {

double toMs(qint64 ns)
{
    return static_cast<double>(ns) / 1e6;
}

const char *reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 301:
        return "Moved Permanently";
    case 302:
        return "Found";
    case 307:
        return "Temporary Redirect";
    case 308:
        return "Permanent Redirect";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 411:
        return "Length Required";
    case 413:
        return "Payload Too Large";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 505:
        return "HTTP Version Not Supported";
    case 529:
        return "Site Overloaded";
    default:
        return "Unknown";
    }
}

// A client that stopped reading must not make the simulator buffer without bound.
constexpr qint64 kMaxPendingBytes = 64 * 1024 * 1024;

} // namespace

SimStream::SimStream(SimStreamPlan plan, QTcpSocket *socket, bool http11, bool closeAfter, quint64 requestId)
    : m_plan(std::move(plan))
    , m_socket(socket)
    , m_chunked(http11)
    , m_closeAfter(closeAfter || !http11)
    , m_requestId(requestId)
{
    m_plan.record.id = requestId;
    const int slotTotal = slotCount();
    m_plan.record.plannedTtftMs = toMs(m_plan.firstSlotNs - m_plan.startNs);
    if (m_plan.mode == SimStreamPlan::Mode::Stream || m_plan.mode == SimStreamPlan::Mode::Whole) {
        const int firstVisible = m_plan.reasoningVisible ? 0 : static_cast<int>(m_plan.reasoningPieces.size());
        m_plan.record.plannedFirstContentMs =
            toMs(m_plan.mode == SimStreamPlan::Mode::Whole ? due(std::max(slotTotal - 1, 0))
                                                           : due(std::min(firstVisible, std::max(slotTotal - 1, 0))));
        m_plan.record.plannedLastTokenMs = toMs(due(std::max(slotTotal - 1, 0)));
    }
}

int SimStream::slotCount() const
{
    return static_cast<int>(m_plan.reasoningPieces.size() + m_plan.answerPieces.size());
}

QByteArray SimStream::head(int status, const SimHeaders &headers, qint64 contentLength) const
{
    QByteArray h;
    h.reserve(512);
    h += "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    h += "Date: " + SimTime::httpDate(SimTime::wallNowNs() / 1'000'000'000) + "\r\n";
    for (const auto &hv : headers)
        h += hv.first + ": " + hv.second + "\r\n";
    h += "x-sim-request-id: " + QByteArray::number(m_requestId) + "\r\n";
    if (contentLength >= 0)
        h += "Content-Length: " + QByteArray::number(contentLength) + "\r\n";
    else if (m_chunked)
        h += "Transfer-Encoding: chunked\r\n";
    h += m_closeAfter ? "Connection: close\r\n" : "Connection: keep-alive\r\n";
    h += "\r\n";
    return h;
}

void SimStream::write(qint64 nowNs, const QByteArray &headBytes, const QByteArray &body, bool last)
{
    if (!m_socket || m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    QByteArray out;
    out.reserve(headBytes.size() + body.size() + 16);
    out += headBytes;
    const bool framed = m_chunked && m_headSent && m_plan.mode != SimStreamPlan::Mode::Immediate &&
                        m_plan.mode != SimStreamPlan::Mode::Whole;
    if (framed) {
        if (!body.isEmpty())
            out += QByteArray::number(body.size(), 16) + "\r\n" + body + "\r\n";
        if (last)
            out += "0\r\n\r\n";
    } else {
        out += body;
    }
    if (out.isEmpty())
        return;
    m_socket->write(out);
    m_socket->flush(); // onto the wire now, so the recorded time is the send time
    m_plan.record.lastByteMs = toMs(nowNs);
    if (m_socket->bytesToWrite() > kMaxPendingBytes)
        m_socket->abort();
}

SimFinishInfo SimStream::finishInfo(qint64 nowNs) const
{
    SimFinishInfo info;
    info.reason = m_plan.finish;
    info.usage.input = m_plan.inputTokens;
    info.usage.reasoning = static_cast<int>(m_plan.reasoningPieces.size());
    info.usage.output = info.usage.reasoning + static_cast<int>(m_plan.answerPieces.size());
    const qint64 first = m_firstContentNs >= 0 ? m_firstContentNs : m_plan.firstSlotNs;
    info.totalNs = nowNs - m_plan.startNs;
    info.promptNs = first - m_plan.startNs;
    info.generationNs = nowNs - first;
    return info;
}

void SimStream::finishRecord(qint64 nowNs, const QString &outcome)
{
    m_done = true;
    SimRecord &r = m_plan.record;
    r.outcome = outcome;
    r.tokensSent = m_sent;
    if (r.lastByteMs < 0 && m_headSent)
        r.lastByteMs = toMs(nowNs);
    if (outcome == u"complete" &&
        (m_plan.mode == SimStreamPlan::Mode::Stream || m_plan.mode == SimStreamPlan::Mode::Whole ||
         m_plan.mode == SimStreamPlan::Mode::Trickle))
        r.finishReason = m_plan.finish == SimFinish::Stop ? QStringLiteral("stop") : QStringLiteral("length");
}

void SimStream::clientClosed(qint64 nowNs)
{
    if (m_done)
        return;
    const bool stalled = m_stallUntil >= 0;
    finishRecord(nowNs, stalled ? QStringLiteral("stalled") : QStringLiteral("client_closed"));
}

qint64 SimStream::pump(qint64 nowNs, SimScheduleStats &stats)
{
    if (m_done)
        return -1;
    if (!m_socket || m_socket->state() != QAbstractSocket::ConnectedState) {
        clientClosed(nowNs);
        return -1;
    }
    SimRecord &r = m_plan.record;
    switch (m_plan.mode) {
    case SimStreamPlan::Mode::Immediate: {
        if (nowNs < m_plan.startNs)
            return m_plan.startNs;
        const QByteArray h = head(m_plan.response.status, m_plan.response.headers, m_plan.response.body.size());
        r.headersMs = toMs(nowNs);
        write(nowNs, h, m_plan.response.body, true);
        m_headSent = true;
        finishRecord(nowNs, m_plan.response.status >= 400 ? QStringLiteral("http_error") : QStringLiteral("complete"));
        return -1;
    }
    case SimStreamPlan::Mode::Whole: {
        const qint64 end = due(std::max(slotCount() - 1, 0));
        if (nowNs < end)
            return end;
        m_plan.encoder->setWallNs(m_plan.wallStartNs + (nowNs - m_plan.startNs));
        m_firstContentNs = nowNs;
        const SimHttpResponse resp =
            m_plan.encoder->wholeBody(m_plan.reasoningText, m_plan.answerText, finishInfo(nowNs));
        const QByteArray h = head(resp.status, resp.headers, resp.body.size());
        r.headersMs = r.firstContentMs = r.firstAnswerMs = toMs(nowNs);
        stats.add(nowNs - end);
        write(nowNs, h, resp.body, true);
        m_headSent = true;
        m_sent = slotCount();
        finishRecord(nowNs, QStringLiteral("complete"));
        return -1;
    }
    case SimStreamPlan::Mode::Stream:
    case SimStreamPlan::Mode::Trickle:
        break;
    }

    QByteArray headBytes;
    QByteArray body;
    if (!m_headSent) {
        if (nowNs < m_plan.startNs)
            return m_plan.startNs;
        SimHeaders headers{{"content-type", m_plan.encoder->streamContentType()}};
        headers += m_plan.encoder->providerHeaders(200);
        headBytes = head(200, headers, -1);
        r.headersMs = toMs(nowNs);
        m_plan.encoder->setWallNs(m_plan.wallStartNs + (nowNs - m_plan.startNs));
        if (m_plan.mode == SimStreamPlan::Mode::Trickle) {
            // The body is the normal stream, rendered at once, then released byte by byte.
            m_plan.encoder->begin(m_trickle);
            for (const QByteArray &p : std::as_const(m_plan.reasoningPieces))
                m_plan.encoder->reasoning(m_trickle, p);
            for (const QByteArray &p : std::as_const(m_plan.answerPieces))
                m_plan.encoder->answer(m_trickle, p);
            m_plan.encoder->finish(m_trickle, finishInfo(nowNs));
            m_trickleStartNs = nowNs;
        } else {
            m_plan.encoder->begin(body);
        }
        // Headers go out on their own write so the body chunk framing starts after them.
        write(nowNs, headBytes, {}, false);
        headBytes.clear();
        m_headSent = true;
    }
    bool last = false;
    const qint64 next = m_plan.mode == SimStreamPlan::Mode::Trickle ? pumpTrickle(nowNs, body, last)
                                                                    : pumpStream(nowNs, stats, body, last);
    write(nowNs, headBytes, body, last);
    if (m_dropped && m_socket) {
        m_socket->disconnectFromHost(); // after the pending bytes: EOF mid-body, no terminator
    }
    return m_done ? -1 : next;
}

qint64 SimStream::pumpTrickle(qint64 nowNs, QByteArray &, bool &last)
{
    // One byte per write (and per chunk), even when catching up: that is the fault.
    const qint64 interval = static_cast<qint64>(m_plan.fault.intervalMs) * 1'000'000;
    while (m_trickleNext < m_trickle.size() && m_trickleStartNs + m_trickleNext * interval <= nowNs) {
        write(nowNs, {}, m_trickle.mid(m_trickleNext++, 1), false);
        if (m_plan.record.firstContentMs < 0) {
            m_plan.record.firstContentMs = toMs(nowNs);
            m_firstContentNs = nowNs;
        }
    }
    if (m_trickleNext >= m_trickle.size()) {
        last = true;
        m_sent = slotCount();
        finishRecord(nowNs, QStringLiteral("complete"));
        return -1;
    }
    return m_trickleStartNs + m_trickleNext * interval;
}

qint64 SimStream::pumpStream(qint64 nowNs, SimScheduleStats &stats, QByteArray &body, bool &last)
{
    SimRecord &r = m_plan.record;
    SimEncoder &enc = *m_plan.encoder;
    if (m_stallUntil >= 0) {
        if (m_stallUntil == kWaitForever || nowNs < m_stallUntil)
            return m_stallUntil;
        m_stallUntil = -1;
        m_plan.record.outcome.clear();
    }
    enc.setWallNs(m_plan.wallStartNs + (nowNs - m_plan.startNs));
    const int reasoningCount = static_cast<int>(m_plan.reasoningPieces.size());
    const int total = slotCount();
    const SimFault &fault = m_plan.fault;
    const bool afterFault = fault.kind == SimFault::Kind::Drop || fault.kind == SimFault::Kind::Stall ||
                            fault.kind == SimFault::Kind::OverloadedInBand ||
                            fault.kind == SimFault::Kind::ErrorInBand || fault.kind == SimFault::Kind::Malformed;
    // Returns true when the stream ends here.
    auto strike = [&]() -> bool {
        if (!afterFault || m_faultFired || m_sent < fault.after)
            return false;
        m_faultFired = true;
        switch (fault.kind) {
        case SimFault::Kind::Drop:
            m_dropped = true;
            finishRecord(nowNs, QStringLiteral("dropped"));
            return true;
        case SimFault::Kind::Stall:
            m_stallUntil = fault.stallMs < 0 ? kWaitForever : nowNs + fault.stallMs * 1'000'000;
            m_shiftNs += fault.stallMs < 0 ? 0 : fault.stallMs * 1'000'000; // the rest comes that much later
            m_plan.record.outcome = QStringLiteral("stalled");
            return true;
        case SimFault::Kind::OverloadedInBand:
        case SimFault::Kind::ErrorInBand:
            enc.inBandError(body, fault.kind == SimFault::Kind::OverloadedInBand);
            last = true;
            finishRecord(nowNs, QStringLiteral("in_band_error"));
            return true;
        case SimFault::Kind::Malformed:
            enc.malformed(body);
            return false;
        default:
            return false;
        }
    };

    while (m_nextSlot < total) {
        const int slot = m_nextSlot;
        const bool isReasoning = slot < reasoningCount;
        const bool visible = !isReasoning || m_plan.reasoningVisible;
        if (!visible) {
            // Hidden reasoning takes its slots on the schedule but sends nothing.
            m_nextSlot = reasoningCount;
            continue;
        }
        const qint64 dueNs = due(slot);
        if (dueNs > nowNs)
            return dueNs;
        if (strike())
            return m_done ? -1 : m_stallUntil;
        if (isReasoning) {
            enc.reasoning(body, m_plan.reasoningPieces.at(slot));
        } else {
            enc.answer(body, m_plan.answerPieces.at(slot - reasoningCount));
            if (r.firstAnswerMs < 0)
                r.firstAnswerMs = toMs(nowNs);
        }
        if (r.firstContentMs < 0) {
            r.firstContentMs = toMs(nowNs);
            m_firstContentNs = nowNs;
        }
        stats.add(nowNs - dueNs);
        ++m_sent;
        ++m_nextSlot;
    }
    if (!enc.context().toolCalls.isEmpty()) {
        // Calls are generated after the text: they take the next slot, so a call-only answer
        // still waits its time to first token.
        const qint64 dueNs = due(total);
        if (dueNs > nowNs)
            return dueNs;
        if (r.firstContentMs < 0) {
            r.firstContentMs = toMs(nowNs);
            m_firstContentNs = nowNs;
        }
    }
    if (strike())
        return m_done ? -1 : m_stallUntil;
    enc.finish(body, finishInfo(nowNs));
    last = true;
    finishRecord(nowNs, QStringLiteral("complete"));
    return -1;
}

} // namespace Slopscope
