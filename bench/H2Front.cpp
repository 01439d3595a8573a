#include "H2Front.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QHostAddress>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>

namespace Slopscope::Bench {

namespace {

quint16 freePort()
{
    QTcpServer s;
    return s.listen(QHostAddress::LocalHost, 0) ? s.serverPort() : 0;
}

} // namespace

H2Front::~H2Front()
{
    if (m_proxy.state() != QProcess::NotRunning) {
        m_proxy.terminate();
        if (!m_proxy.waitForFinished(3000))
            m_proxy.kill();
    }
}

QString H2Front::caFile()
{
    return QStringLiteral(SLOPSCOPE_TLS_TEST_DATA "/test-ca-cert.pem");
}

bool H2Front::start(const QString &dir, quint16 backendPort, QString *why)
{
    const QString nghttpx = QStandardPaths::findExecutable(QStringLiteral("nghttpx"));
    if (nghttpx.isEmpty()) {
        *why = QStringLiteral("nghttpx not installed (Debian package nghttp2-proxy)");
        return false;
    }
    const QString keyFile = QStringLiteral(SLOPSCOPE_TLS_TEST_DATA "/test-ca-leaf-key.pem");
    const QString certFile = QStringLiteral(SLOPSCOPE_TLS_TEST_DATA "/test-ca-leaf-cert.pem");
    if (!QFile::exists(keyFile) || !QFile::exists(certFile)) {
        *why = QStringLiteral("the tests' certificate is missing: ") + certFile;
        return false;
    }
    m_port = freePort();
    if (m_port == 0) {
        *why = QStringLiteral("no free port on 127.0.0.1");
        return false;
    }
    // Its log goes to a file: read back only when it fails to start.
    const QString logFile = dir + QStringLiteral("/nghttpx.log");
    m_proxy.setStandardOutputFile(QProcess::nullDevice());
    m_proxy.setStandardErrorFile(logFile);
    // One backend connection per stream (HTTP/1.1 to the simulator), never queued in nghttpx
    // (its default is 8 per backend host); a stream that idles between slow tokens is not timed out.
    m_proxy.start(nghttpx,
                  {QStringLiteral("--conf=/dev/null"), QStringLiteral("--frontend=127.0.0.1,%1").arg(m_port),
                   QStringLiteral("--backend=127.0.0.1,%1").arg(backendPort),
                   QStringLiteral("--backend-connections-per-host=256"), QStringLiteral("--backend-read-timeout=10m"),
                   QStringLiteral("--frontend-read-timeout=10m"), QStringLiteral("--workers=1"),
                   QStringLiteral("--single-thread"), QStringLiteral("--errorlog-file=") + logFile,
                   QStringLiteral("--accesslog-file=/dev/null"), keyFile, certFile});
    if (!m_proxy.waitForStarted(5000)) {
        *why = QStringLiteral("nghttpx did not start: ") + m_proxy.errorString();
        return false;
    }
    // Ready once its frontend accepts connections.
    const QDeadlineTimer deadline(10000);
    while (!deadline.hasExpired()) {
        QTcpSocket probe;
        probe.connectToHost(QHostAddress::LocalHost, m_port);
        if (probe.waitForConnected(100))
            return true;
        if (m_proxy.state() == QProcess::NotRunning)
            break;
        QThread::msleep(50);
    }
    QFile log(logFile);
    *why = QStringLiteral("nghttpx did not accept connections on port %1: ").arg(m_port) +
           (log.open(QIODevice::ReadOnly) ? QString::fromLocal8Bit(log.readAll().right(2000)) : QString());
    return false;
}

} // namespace Slopscope::Bench
