#include "sim/SimConnection.h"

#include "sim/SimRouter.h"
#include "sim/SimServer.h"

#include <QTcpSocket>

namespace Slopscope {

SimConnection::SimConnection(QTcpSocket *socket, SimServer *server)
    : QObject(server)
    , m_socket(socket)
    , m_server(server)
    , m_timer(this)
{
    m_socket->setParent(this);
    m_timer.setSingleShot(true);
    connect(m_socket, &QTcpSocket::readyRead, this, &SimConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, &SimConnection::onDisconnected);
    connect(&m_timer, &QTimer::timeout, this, &SimConnection::onTimeout);
    armTimer();
    if (m_socket->bytesAvailable() > 0)
        onReadyRead();
}

SimConnection::~SimConnection()
{
    if (m_stream) {
        m_server->scheduler().remove(m_stream.get());
        m_stream->clientClosed(m_server->scheduler().nowNs());
        m_server->finished(m_stream->record());
    }
}

void SimConnection::armTimer()
{
    if (m_stream || m_closing) {
        m_timer.stop();
        return;
    }
    m_timer.start(m_parser.hasBufferedBytes() ? kRequestTimeoutMs : kIdleTimeoutMs);
}

void SimConnection::onTimeout()
{
    if (m_stream || m_closing)
        return;
    if (m_parser.hasBufferedBytes()) {
        SimStreamPlan plan;
        plan.startNs = m_server->scheduler().nowNs();
        plan.mode = SimStreamPlan::Mode::Immediate;
        plan.response = SimRouter::plainError(408, "Request Timeout");
        plan.record.status = 408;
        start(std::move(plan), true, true);
        return;
    }
    m_closing = true;
    m_socket->disconnectFromHost();
}

void SimConnection::onReadyRead()
{
    const QByteArray data = m_socket->readAll();
    if (m_closing)
        return;
    const qint64 now = m_server->scheduler().nowNs();
    m_parser.feed(data, now);
    if (m_stream) {
        // A pipelined request waits for the current response; a flood does not.
        if (m_parser.bufferedBytes() > kMaxQueuedBytes) {
            m_closing = true;
            m_socket->abort();
        }
        return;
    }
    advance();
}

void SimConnection::advance()
{
    if (m_stream || m_closing)
        return;
    const qint64 now = m_server->scheduler().nowNs();
    const auto state = m_parser.poll(now);
    if (state == SimHttpParser::State::Complete) {
        const SimHttpRequest request = m_parser.take();
        SimStreamPlan plan = m_server->plan(request);
        start(std::move(plan), request.version == "HTTP/1.1", request.wantsClose());
        return;
    }
    if (state == SimHttpParser::State::Failed) {
        SimStreamPlan plan;
        plan.startNs = now;
        plan.mode = SimStreamPlan::Mode::Immediate;
        const int status = m_parser.failureStatus();
        const QByteArray message = status == 413   ? "Payload Too Large"
                                   : status == 431 ? "Request Header Fields Too Large"
                                   : status == 411 ? "Length Required"
                                   : status == 505 ? "HTTP Version Not Supported"
                                                   : "Bad Request";
        plan.response = SimRouter::plainError(status, message);
        plan.record.status = status;
        plan.record.method = QStringLiteral("?");
        start(std::move(plan), true, true);
        return;
    }
    if (m_parser.wantsContinue()) {
        m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
        m_parser.continueSent();
    }
    armTimer();
}

void SimConnection::start(SimStreamPlan plan, bool http11, bool closeAfter)
{
    m_timer.stop();
    m_stream = std::make_unique<SimStream>(std::move(plan), m_socket, http11, closeAfter, m_server->nextRequestId());
    m_server->scheduler().add(m_stream.get(), [this](SimStream *) { onStreamDone(); });
}

void SimConnection::onStreamDone()
{
    if (!m_stream)
        return;
    m_server->finished(m_stream->record());
    const bool close = m_stream->closesConnection();
    m_stream.reset();
    if (close) {
        m_closing = true;
        if (m_socket->state() == QAbstractSocket::ConnectedState)
            m_socket->disconnectFromHost();
        return;
    }
    advance();
}

void SimConnection::onDisconnected()
{
    // Never delete the stream here: this can be emitted from inside its own write.
    m_closing = true;
    m_timer.stop();
    deleteLater();
}

} // namespace Slopscope
