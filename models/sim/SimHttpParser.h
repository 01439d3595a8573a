#pragma once

#include "sim/SimHttpRequest.h"

#include <QByteArray>
#include <QByteArrayView>

namespace Slopscope {

// An incremental, hand-written HTTP/1.1 request parser: request line, headers, a Content-Length
// body. It never trusts its input: limits on line, header and body sizes, and every malformed
// input ends in a status to answer with (400, 411, 413, 431, 505) instead of a crash.
class SimHttpParser final
{
public:
    enum class State { NeedMore, Complete, Failed };

    static constexpr qsizetype kMaxHeaderBytes = 64 * 1024;
    static constexpr qsizetype kDefaultMaxBody = 8 * 1024 * 1024;

    explicit SimHttpParser(qsizetype maxBodyBytes = kDefaultMaxBody)
        : m_maxBody(maxBodyBytes)
    {}

    // Appends bytes; `nowNs` timestamps the request's first byte and its completion.
    State feed(QByteArrayView bytes, qint64 nowNs);
    // Tries to complete a request from what is buffered (after take(), for pipelined requests).
    State poll(qint64 nowNs);
    // The completed request; resets the parser for the next one on the same connection.
    SimHttpRequest take();

    [[nodiscard]] State state() const { return m_state; }
    [[nodiscard]] int failureStatus() const { return m_failureStatus; }
    [[nodiscard]] bool hasBufferedBytes() const { return !m_buffer.isEmpty(); }
    [[nodiscard]] qsizetype bufferedBytes() const { return m_buffer.size(); }
    // The head asked for "Expect: 100-continue" and the body has not arrived yet.
    [[nodiscard]] bool wantsContinue() const { return m_headDone && m_expectContinue && m_state == State::NeedMore; }
    void continueSent() { m_expectContinue = false; }

private:
    State fail(int status);
    bool parseHead(QByteArrayView head);

    qsizetype m_maxBody;
    QByteArray m_buffer;
    SimHttpRequest m_request;
    State m_state = State::NeedMore;
    bool m_headDone = false;
    bool m_expectContinue = false;
    qsizetype m_contentLength = 0;
    int m_failureStatus = 0;
};

} // namespace Slopscope
