#pragma once

#include "sim/SimHttpParser.h"
#include "sim/SimStream.h"

#include <QObject>
#include <QTimer>

#include <memory>

class QTcpSocket;

namespace Slopscope {

class SimServer;

// One client connection: parses requests off the socket, serves them one at a time through the
// server's scheduler (pipelined requests wait their turn), keeps the connection alive between
// requests and closes it on idle, on garbage, or when a response says so.
class SimConnection final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SimConnection)

public:
    static constexpr int kIdleTimeoutMs = 120'000;
    static constexpr int kRequestTimeoutMs = 30'000;
    static constexpr qsizetype kMaxQueuedBytes = 1024 * 1024;

    SimConnection(QTcpSocket *socket, SimServer *server);
    ~SimConnection() override;

private:
    void onReadyRead();
    void onDisconnected();
    void onTimeout();
    void advance();
    void start(SimStreamPlan plan, bool http11, bool closeAfter);
    void onStreamDone();
    void armTimer();

    QTcpSocket *m_socket;
    SimServer *m_server;
    SimHttpParser m_parser;
    std::unique_ptr<SimStream> m_stream;
    QTimer m_timer;
    bool m_closing = false;
};

} // namespace Slopscope
