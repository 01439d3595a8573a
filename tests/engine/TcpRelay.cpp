#include "TcpRelay.h"

#include <QHostAddress>
#include <QPointer>
#include <QTcpSocket>

namespace Slopscope::Test {

TcpRelay::TcpRelay(quint16 targetPort, QObject *parent)
    : QObject(parent)
    , m_server(std::make_unique<QTcpServer>())
    , m_targetPort(targetPort)
{
    connect(m_server.get(), &QTcpServer::newConnection, this, &TcpRelay::onNewConnection);
}

TcpRelay::~TcpRelay() = default;

bool TcpRelay::listen()
{
    return m_server->listen(QHostAddress::LocalHost, 0);
}

void TcpRelay::onNewConnection()
{
    while (QTcpSocket *client = m_server->nextPendingConnection()) {
        ++m_accepted;
        ++m_open;
        client->setParent(this);
        auto *target = new QTcpSocket(this);
        // Bytes the client sends before the target is connected wait in the client's buffer.
        connect(target, &QTcpSocket::connected, client, [client, target] { target->write(client->readAll()); });
        connect(client, &QTcpSocket::readyRead, target, [client, target] {
            if (target->state() == QAbstractSocket::ConnectedState)
                target->write(client->readAll());
        });
        connect(target, &QTcpSocket::readyRead, client, [client, target] { client->write(target->readAll()); });
        // Either side gone: the other goes at once, with RST (abort), as a dead peer's kernel would.
        auto closeBoth = [this, client, target] {
            if (client->property("relayClosed").toBool())
                return;
            client->setProperty("relayClosed", true);
            --m_open;
            client->abort();
            target->abort();
            client->deleteLater();
            target->deleteLater();
        };
        connect(client, &QTcpSocket::disconnected, this, closeBoth);
        connect(target, &QTcpSocket::disconnected, this, closeBoth);
        connect(client, &QTcpSocket::errorOccurred, this, closeBoth);
        connect(target, &QTcpSocket::errorOccurred, this, closeBoth);
        target->connectToHost(QHostAddress::LocalHost, m_targetPort);
    }
}

} // namespace Slopscope::Test
