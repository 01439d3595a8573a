#include "NghttpxFront.h"

#include <QDeadlineTimer>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>

namespace Slopscope::Test {

namespace {

quint16 freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort(); // closed again when probe goes
}

} // namespace

NghttpxFront::~NghttpxFront()
{
    kill();
}

QString NghttpxFront::executable()
{
    return QStandardPaths::findExecutable(QStringLiteral("nghttpx"));
}

bool NghttpxFront::start(quint16 backendPort, bool tls)
{
    const QString program = executable();
    m_port = freePort();
    if (program.isEmpty() || m_port == 0) {
        m_error = program.isEmpty() ? QStringLiteral("nghttpx not installed") : QStringLiteral("no free port");
        return false;
    }
    QStringList args{QStringLiteral("--conf=/dev/null"),
                     QStringLiteral("--frontend=127.0.0.1,%1%2").arg(m_port).arg(tls ? QString() : QStringLiteral(";no-tls")),
                     QStringLiteral("--backend=127.0.0.1,%1").arg(backendPort), QStringLiteral("--workers=1"),
                     QStringLiteral("--single-thread"), QStringLiteral("--errorlog-file=/dev/stderr")};
    if (tls) { // positional: private key, then certificate
        args << QStringLiteral(SLOPSCOPE_TEST_DATA "/engine/test-ca-leaf-key.pem")
             << QStringLiteral(SLOPSCOPE_TEST_DATA "/engine/test-ca-leaf-cert.pem");
    }
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    m_process.start(program, args);
    if (!m_process.waitForStarted(5000)) {
        m_error = m_process.errorString();
        return false;
    }
    // Ready once its frontend accepts connections (a bare TCP probe; it closes again unused).
    const QDeadlineTimer deadline(10000);
    while (!deadline.hasExpired()) {
        QTcpSocket probe;
        probe.connectToHost(QHostAddress::LocalHost, m_port);
        if (probe.waitForConnected(100))
            return true;
        if (m_process.state() != QProcess::Running)
            break;
        QThread::msleep(50);
    }
    m_error = QStringLiteral("nghttpx did not come up: ") + QString::fromLocal8Bit(output());
    return false;
}

QByteArray NghttpxFront::output()
{
    return m_process.readAll();
}

void NghttpxFront::kill()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.kill();
    m_process.waitForFinished(5000);
}

} // namespace Slopscope::Test
