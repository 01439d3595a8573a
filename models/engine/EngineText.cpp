#include "engine/EngineText.h"

#include "engine/ProviderPresets.h"
#include "engine/ProxyRules.h"

#include <cmath>

namespace Slopscope {

QString EngineText::formatDuration(qint64 ms)
{
    if (ms < 1000)
        return tr("%1 ms").arg(ms);
    if (ms < 120'000) {
        if (ms % 1000 == 0)
            return tr("%1 s").arg(ms / 1000);
        return tr("%1 s").arg(static_cast<double>(ms) / 1000.0, 0, 'f', 1);
    }
    return tr("%1 min").arg(static_cast<qint64>(std::llround(static_cast<double>(ms) / 60'000.0)));
}

EngineText::Mapped EngineText::networkError(QNetworkReply::NetworkError code, const QString &host, int port,
                                            const QString &sslDetail, const QString &qtText, const QString &localServer)
{
    const QString endpoint = host + u':' + QString::number(port);
    using E = QNetworkReply::NetworkError;
    switch (code) {
    case E::HostNotFoundError:
        return {FailureKind::HostNotFound, tr("Cannot resolve %1").arg(host)};
    case E::ConnectionRefusedError:
        if (localServer == u"Ollama")
            return {FailureKind::ConnectionRefused,
                    tr("Connection refused by %1 — is Ollama running? Start it with “ollama serve”.").arg(endpoint)};
        if (!localServer.isEmpty())
            return {FailureKind::ConnectionRefused,
                    tr("Connection refused by %1 — is %2 running?").arg(endpoint, localServer)};
        return {FailureKind::ConnectionRefused, tr("Connection refused by %1 — is the server running?").arg(endpoint)};
    case E::RemoteHostClosedError:
        return {FailureKind::RemoteClosed, tr("%1 closed the connection").arg(endpoint)};
    case E::SslHandshakeFailedError:
        return {FailureKind::Tls, sslDetail.isEmpty() ? tr("TLS handshake with %1 failed").arg(host)
                                                      : tr("TLS certificate not trusted: %1").arg(sslDetail)};
    case E::TemporaryNetworkFailureError:
    case E::NetworkSessionFailedError:
        return {FailureKind::Network, tr("The network is not available")};
    case E::ProxyConnectionRefusedError:
        return {FailureKind::Proxy, tr("The proxy refused the connection to %1").arg(endpoint)};
    case E::ProxyConnectionClosedError:
        return {FailureKind::Proxy, tr("The proxy closed the connection to %1").arg(endpoint)};
    case E::ProxyNotFoundError:
        return {FailureKind::Proxy, tr("Cannot resolve the proxy for %1").arg(endpoint)};
    case E::ProxyTimeoutError:
        return {FailureKind::Proxy, tr("The proxy for %1 did not answer in time").arg(endpoint)};
    case E::ProxyAuthenticationRequiredError:
        return {FailureKind::Proxy, tr("The proxy for %1 requires authentication").arg(endpoint)};
    case E::ProtocolFailure:
        return {FailureKind::ConnectionLost, tr("Malformed HTTP response from %1").arg(endpoint)};
    case E::TimeoutError:
        return {FailureKind::IdleTimeout, tr("timed out talking to %1").arg(endpoint)};
    default:
        break;
    }
    // Qt's own text is specific for the remaining, rare codes; never show its generic ones alone.
    const bool generic = qtText.isEmpty() || qtText.contains(u"Unknown error") || qtText.contains(u"canceled");
    return {FailureKind::Network, generic ? tr("Network error talking to %1 (code %2)").arg(endpoint).arg(int(code))
                                          : tr("Network error talking to %1: %2").arg(endpoint, qtText)};
}

QString EngineText::expectedLocalServer(Dialect dialect, const QString &host, int port)
{
    if (dialect == Dialect::Ollama)
        return QStringLiteral("Ollama");
    if (!ProxyRules::isLoopbackHost(host))
        return {};
    for (const ProviderPreset &preset : ProviderPresets::local()) {
        if (preset.defaultPort == port && preset.dialect == dialect)
            return preset.displayName;
    }
    return {};
}

QString EngineText::timeoutMessage(FailureKind kind, qint64 ms, const QString &host)
{
    const QString d = formatDuration(ms);
    switch (kind) {
    case FailureKind::ConnectTimeout:
        return tr("timed out: could not connect to %1 within %2").arg(host, d);
    case FailureKind::FirstByteTimeout:
        return tr("timed out: %1 sent no response within %2").arg(host, d);
    case FailureKind::FirstTokenTimeout:
        return tr("timed out: no content within %1 of sending the request").arg(d);
    case FailureKind::IdleTimeout:
        return tr("timed out: no data for %1").arg(d);
    case FailureKind::ContentIdleTimeout:
        return tr("timed out: no new content for %1 (only keep-alives)").arg(d);
    case FailureKind::TotalTimeout:
        return tr("timed out (deadline): no complete answer after %1").arg(d);
    default:
        return tr("timed out after %1").arg(d);
    }
}

QString EngineText::blockedBySafetyFilter(const QString &reason)
{
    return tr("blocked by the provider's safety filter (%1)").arg(reason);
}

QString EngineText::unexpectedContent(const QString &contentType, const QString &host, const QString &excerpt)
{
    const QString type = contentType.isEmpty() ? tr("no content type") : contentType;
    return excerpt.isEmpty() ? tr("Unexpected response (%1) from %2").arg(type, host)
                             : tr("Unexpected response (%1) from %2: %3").arg(type, host, excerpt);
}

bool EngineText::isContextTooLong(const ProviderError &error)
{
    static constexpr QLatin1StringView kCodes[] = {QLatin1StringView("context_length_exceeded"),
                                                   QLatin1StringView("exceed_context_size")};
    for (const QLatin1StringView code : kCodes) {
        if (error.type.contains(code, Qt::CaseInsensitive) || error.code.contains(code, Qt::CaseInsensitive))
            return true;
    }
    static constexpr QLatin1StringView kPhrases[] = {
        QLatin1StringView("maximum context length"), QLatin1StringView("prompt is too long"),
        QLatin1StringView("exceeds the maximum number of tokens"), QLatin1StringView("exceeds the available context"),
        QLatin1StringView("exceeds the context window"), QLatin1StringView("context_length_exceeded")};
    for (const QLatin1StringView phrase : kPhrases) {
        if (error.message.contains(phrase, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

QString EngineText::contextTooLong(const QString &providerText)
{
    return tr("The prompt is longer than the model's context window; shorten it or pick a model with a "
              "longer context (%1)")
        .arg(providerText);
}

} // namespace Slopscope
