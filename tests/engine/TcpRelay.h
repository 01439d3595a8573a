#pragma once

// A loopback TCP relay for the engine's tests: it forwards every connection it accepts to a
// target port, byte for byte in both directions, and counts them. Put in front of a TLS or HTTP/2
// peer it tells how many connections the client really opened (a peer's own logs do not), and
// when the target drops a connection the relay drops the client's side at once (RST), as the
// client would see the target die.

#include <QObject>
#include <QTcpServer>

#include <memory>

namespace Slopscope::Test {

class TcpRelay final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TcpRelay)

public:
    explicit TcpRelay(quint16 targetPort, QObject *parent = nullptr);
    ~TcpRelay() override;

    bool listen();
    [[nodiscard]] quint16 port() const { return m_server->serverPort(); }
    [[nodiscard]] int acceptedConnections() const { return m_accepted; }
    [[nodiscard]] int openConnections() const { return m_open; }

private:
    void onNewConnection();

    std::unique_ptr<QTcpServer> m_server;
    quint16 m_targetPort = 0;
    int m_accepted = 0;
    int m_open = 0;
};

} // namespace Slopscope::Test
