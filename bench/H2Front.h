#pragma once

#include <QProcess>
#include <QString>

namespace Slopscope::Bench {

// An HTTP/2 host in front of the simulator: nghttpx (Debian package nghttp2-proxy) terminating
// TLS with a self-signed certificate for 127.0.0.1 (made with the openssl tool), so that Qt
// negotiates h2 by ALPN as it does with a real provider, and passing each stream on to the
// simulator over HTTP/1.1. The workspace trusts the certificate through the provider's ca_file.
class H2Front final
{
public:
    H2Front() = default;
    ~H2Front();
    H2Front(const H2Front &) = delete;
    H2Front &operator=(const H2Front &) = delete;

    // Writes the key and certificate to `dir` and starts nghttpx towards 127.0.0.1:backendPort.
    // False, with the reason in *why, when a tool is missing or does not start.
    bool start(const QString &dir, quint16 backendPort, QString *why);
    [[nodiscard]] quint16 port() const { return m_port; }
    [[nodiscard]] const QString &caFile() const { return m_certFile; }

private:
    QProcess m_proxy;
    quint16 m_port = 0;
    QString m_certFile;
};

} // namespace Slopscope::Bench
