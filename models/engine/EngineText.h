#pragma once

#include "core/Workspace.h"
#include "engine/FailureKind.h"
#include "stream/StreamTypes.h"

#include <QCoreApplication>
#include <QNetworkReply>
#include <QString>

namespace Slopscope {

// The engine's user-facing wording, in one place: durations and specific, human error messages
// (never "Unknown error" or "Operation canceled"). No message ever contains a key.
class EngineText final
{
    Q_DECLARE_TR_FUNCTIONS(EngineText)

public:
    // "300 ms", "2 s", "1.5 s", "2 min".
    static QString formatDuration(qint64 ms);

    // A transport-level QNetworkReply error (not an HTTP status) as a sentence, and its kind.
    // `host`/`port` name the endpoint; `sslDetail` is the first TLS error's text, if any;
    // `localServer` names the local server expected there (expectedLocalServer), if any.
    struct Mapped
    {
        FailureKind kind = FailureKind::Network;
        QString message;
    };
    static Mapped networkError(QNetworkReply::NetworkError code, const QString &host, int port,
                               const QString &sslDetail, const QString &qtText,
                               const QString &localServer = {});

    // The local server a request is meant for ("Ollama" for the Ollama dialect; "LM Studio" for
    // a loopback host on LM Studio's default port, ...), so a refused connection can say which
    // program is not running. Empty when nothing points to one.
    static QString expectedLocalServer(Dialect dialect, const QString &host, int port);

    // Whether a provider's error says the prompt did not fit the model's context window, in any
    // provider's words: OpenAI's and Groq's code context_length_exceeded, Anthropic's "prompt is
    // too long", Gemini's "input token count … exceeds the maximum", llama.cpp's
    // exceed_context_size_error.
    static bool isContextTooLong(const ProviderError &error);
    // A request refused because its prompt does not fit the model's context window (B-3);
    // `providerText` is the engine's usual "HTTP 400 from host: …" sentence, kept after it.
    static QString contextTooLong(const QString &providerText);

    // A prompt or answer withheld by the provider's content filter (Gemini's SAFETY, ...).
    static QString blockedBySafetyFilter(const QString &reason);
    // A 2xx answer in a content type no decoder reads (a captive portal's page): what came and
    // from where; `excerpt` is the page's title or first text, already sanitised and bounded.
    static QString unexpectedContent(const QString &contentType, const QString &host, const QString &excerpt);

    static QString timeoutMessage(FailureKind kind, qint64 ms, const QString &host);
};

} // namespace Slopscope
