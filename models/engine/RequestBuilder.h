#pragma once

#include "core/Result.h"
#include "core/SecretString.h"
#include "core/Workspace.h"
#include "engine/ChatRequest.h"
#include "engine/PreparedRequest.h"

#include <QCoreApplication>

namespace Slopscope {

class SecretSource;

// Pure: a ChatRequest + its provider + a key → the exact URL, headers and JSON body for the
// provider's dialect. No I/O, no Qt network classes, so every byte is checked in unit tests.
class RequestBuilder final
{
    Q_DECLARE_TR_FUNCTIONS(RequestBuilder)

public:
    // Anthropic requires max_tokens; this is what we send when the target sets none.
    static constexpr int kAnthropicDefaultMaxTokens = 4096;

    // `apiKey` empty means "send no credentials". `simulatorBaseUrl` replaces a leading
    // "{simulator}" in the provider's base URL. Fails, before anything is sent, when the URL is
    // unusable or when a key would travel over plain HTTP to a host that is not loopback
    // (unless ProviderConfig::allowInsecureKey). Error messages never contain the key.
    // `secretHeaders` (resolveSecretHeaders) are sent, and guarded, like the key.
    static Result<PreparedRequest> build(const ChatRequest &request, const ProviderConfig &provider,
                                         const SecretString &apiKey, const QString &simulatorBaseUrl = {},
                                         const QList<QPair<QString, SecretString>> &secretHeaders = {});

    // The key for a provider: empty when it names no key (local servers); an error when it names
    // one that is not set.
    static Result<SecretString> resolveKey(const ProviderConfig &provider, const SecretSource &secrets);
    // The values of the provider's secret headers (ProviderConfig::secretHeaders), under the same
    // rules as the key: an error names the header and the secret, never a value.
    static Result<QList<QPair<QString, SecretString>>> resolveSecretHeaders(const ProviderConfig &provider,
                                                                            const SecretSource &secrets);

    // The provider's base URL with "{simulator}" resolved and trailing slashes removed, validated.
    static Result<QUrl> baseUrl(const ProviderConfig &provider, const QString &simulatorBaseUrl = {});

    // localhost, *.localhost, 127.0.0.0/8 and ::1.
    static bool isLoopbackHost(const QString &host);

    // Prompt + output tokens a request may use, before usage is known: ~4 characters a token plus
    // max_tokens. For the tokens/minute limit only.
    static qint64 estimateTokens(const ChatRequest &request);

    // Zeroes the bytes of the request's credential headers where this request is their only
    // holder; a value still shared (with Qt's QNetworkRequest, or another copy) is left intact
    // for its other holders. Returns how many values were wiped.
    static int wipeCredentials(PreparedRequest &request);

    // `text` with every credential of the request (a header value, or the token after "Bearer ")
    // replaced by "***": for error texts that echo what the server was sent.
    static QString scrubCredentials(const PreparedRequest &request, QString text);
    static QByteArray scrubCredentials(const PreparedRequest &request, QByteArray bytes);

    // Headers safe to log: credentials replaced by "***".
    static QList<QPair<QByteArray, QByteArray>> redactedHeaders(const PreparedRequest &request);
    // A URL safe to log: a password in it, and the value of every query item that names a
    // credential (Gemini's ?key=, access_token, api_key …), replaced by "***". We never put a key
    // in a URL, but a URL from elsewhere (a proxy, a pasted endpoint) may carry one.
    static QString redactedUrl(const QUrl &url);
};

} // namespace Slopscope
