#pragma once

// nghttpx (Debian package nghttp2-proxy) as a real HTTP/2 peer in front of a loopback HTTP/1.1
// server: h2c with prior knowledge, or h2 over TLS (ALPN) with the tests' private CA's leaf
// certificate for 127.0.0.1. Its backend connection per stream is plain HTTP/1.1, so a
// FakeProvider or the simulator can script what each stream carries.

#include <QProcess>
#include <QString>

namespace Slopscope::Test {

class NghttpxFront final
{
public:
    NghttpxFront() = default;
    ~NghttpxFront();
    Q_DISABLE_COPY_MOVE(NghttpxFront)

    // The nghttpx executable, or empty when it is not installed.
    [[nodiscard]] static QString executable();

    // Starts it on a free loopback port in front of backendPort and waits until its frontend
    // accepts connections. On failure returns false with errorString() set.
    bool start(quint16 backendPort, bool tls);
    [[nodiscard]] quint16 port() const { return m_port; }
    [[nodiscard]] QString errorString() const { return m_error; }
    // What it wrote (its error log goes to stderr), for a failing test's message.
    [[nodiscard]] QByteArray output();

    // SIGKILL: every connection and stream it holds is gone at once, nothing is flushed.
    void kill();

private:
    QProcess m_process;
    quint16 m_port = 0;
    QString m_error;
};

} // namespace Slopscope::Test
