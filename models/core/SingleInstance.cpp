#include "core/SingleInstance.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QLocalServer>
#include <QLocalSocket>

namespace Slopscope {

namespace {

constexpr QByteArrayView kActivate = "activate\n";

} // namespace

SingleInstance::SingleInstance(const QString &lockPath, QObject *parent)
    : QObject(parent)
    , m_lockPath(QFileInfo(lockPath).absoluteFilePath())
    , m_lock(std::make_unique<QLockFile>(m_lockPath))
{
    m_lock->setStaleLockTime(0);
}

SingleInstance::~SingleInstance() = default;

QString SingleInstance::serverName() const
{
    const QByteArray hash = QCryptographicHash::hash(m_lockPath.toUtf8(), QCryptographicHash::Sha256).toHex();
    return QStringLiteral("slopscope-") + QString::fromLatin1(hash.left(24));
}

SingleInstance::Claim SingleInstance::claim()
{
    if (m_lock->isLocked())
        return Claim::First;
    QDir().mkpath(QFileInfo(m_lockPath).absolutePath());
    if (!m_lock->tryLock(0)) {
        switch (m_lock->error()) {
        case QLockFile::LockFailedError: {
            qint64 pid = 0;
            QString host;
            QString app;
            m_lock->getLockInfo(&pid, &host, &app);
            m_otherPid = pid;
            return Claim::AlreadyRunning;
        }
        case QLockFile::PermissionError:
            m_error = tr("Cannot write the instance lock %1: permission denied").arg(QDir::toNativeSeparators(m_lockPath));
            return Claim::Failed;
        default:
            m_error = tr("Cannot write the instance lock %1").arg(QDir::toNativeSeparators(m_lockPath));
            return Claim::Failed;
        }
    }
    m_server = new QLocalServer(this);
    m_server->setSocketOptions(QLocalServer::UserAccessOption);
    // A socket file a crashed instance left behind would make listen() fail; we hold the lock, so
    // nobody else is using it.
    QLocalServer::removeServer(serverName());
    if (m_server->listen(serverName())) {
        connect(m_server, &QLocalServer::newConnection, this, [this] {
            while (QLocalSocket *socket = m_server->nextPendingConnection()) {
                connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
                connect(socket, &QLocalSocket::readyRead, this, [this, socket] {
                    // Only the one fixed request is understood; anything else is dropped.
                    if (socket->bytesAvailable() < kActivate.size())
                        return;
                    if (socket->read(kActivate.size()) == kActivate)
                        emit activationRequested();
                    socket->disconnectFromServer();
                });
            }
        });
    }
    // Without the socket the lock still keeps a second instance out; it just cannot raise us.
    return Claim::First;
}

bool SingleInstance::activateOther(int timeoutMs) const
{
    QLocalSocket socket;
    socket.connectToServer(serverName());
    if (!socket.waitForConnected(timeoutMs))
        return false;
    socket.write(kActivate.data(), kActivate.size());
    const bool written = socket.waitForBytesWritten(timeoutMs);
    socket.disconnectFromServer();
    return written;
}

} // namespace Slopscope
