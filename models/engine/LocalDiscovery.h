#pragma once

#include "core/Result.h"
#include "engine/DiscoveredServer.h"
#include "engine/ProviderPreset.h"

#include <QList>
#include <QObject>

class QNetworkAccessManager;

namespace Slopscope {

// Probes the local servers on their default loopback ports (Ollama /api/tags; llama.cpp, vLLM
// and LM Studio /v1/models) with a short timeout and reports those that answer with a model list.
class LocalDiscovery final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LocalDiscovery)

public:
    struct Probe
    {
        ProviderPreset preset;
        int port = 0;
    };

    explicit LocalDiscovery(QObject *parent = nullptr);

    // Default: every local preset on its default port.
    void setProbes(const QList<Probe> &probes) { m_probes = probes; }
    [[nodiscard]] const QList<Probe> &probes() const { return m_probes; }
    void setHost(const QString &host) { m_host = host; }
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }

    // Probes all at once; finished() follows, with the servers in probe order. Call once at a time.
    void start();
    [[nodiscard]] bool isRunning() const { return m_pending > 0; }

    // Model names from an /api/tags or /v1/models body.
    static Result<QStringList> parseModels(const QByteArray &body);

signals:
    void finished(const QList<Slopscope::DiscoveredServer> &servers);

private:
    QNetworkAccessManager *m_nam = nullptr;
    QList<Probe> m_probes;
    QString m_host = QStringLiteral("127.0.0.1");
    int m_timeoutMs = 1500;
    int m_pending = 0;
    QList<std::optional<DiscoveredServer>> m_results;
};

} // namespace Slopscope
