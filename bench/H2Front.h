#pragma once

#include <QProcess>
#include <QString>

namespace Slopscope::Bench {

// An HTTP/2 host in front of the simulator: nghttpx (Debian package nghttp2-proxy) terminating
// TLS with the tests' certificate for 127.0.0.1 (tests/data/engine, signed by the tests' private
// CA), so that Qt negotiates h2 by ALPN as it does with a real provider, and passing each stream on
// to the simulator over HTTP/1.1. The workspace trusts that CA through the provider's ca_file.
class H2Front final
{
public:
    H2Front() = default;
    ~H2Front();
    H2Front(const H2Front &) = delete;
    H2Front &operator=(const H2Front &) = delete;

    // Starts nghttpx towards 127.0.0.1:backendPort, its error log in `dir`. False, with the reason
    // in *why, when nghttpx is missing or does not start.
    bool start(const QString &dir, quint16 backendPort, QString *why);
    [[nodiscard]] quint16 port() const { return m_port; }
    // The CA that signed the front's certificate, for a provider's ca_file.
    [[nodiscard]] static QString caFile();

private:
    QProcess m_proxy;
    quint16 m_port = 0;
};

} // namespace Slopscope::Bench
