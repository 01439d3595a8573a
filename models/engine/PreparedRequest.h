#pragma once

#include "core/Workspace.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QUrl>

namespace Slopscope {

// What RequestBuilder produces: everything needed to post one HTTP request, nothing Qt-network
// specific, so it is built and checked on any thread and compared exactly in tests.
struct PreparedRequest
{
    QUrl url;
    QList<QPair<QByteArray, QByteArray>> headers; // in sending order; names lower-case
    QByteArray body;                              // JSON
    Dialect dialect = Dialect::OpenAIChat;
    bool stream = true;
    // Estimated prompt + output tokens, for the tokens/minute limit before usage is known.
    qint64 estimatedTokens = 0;
    // Speak HTTP/2 from the first byte on a cleartext connection (h2c with prior knowledge, no
    // upgrade dance); https negotiates HTTP/2 by ALPN anyway.
    bool http2PriorKnowledge = false;
    // PEM certificate authorities trusted for this request besides the system's (the provider's
    // "ca_file"); empty for none.
    QByteArray caCertificates;
    // Lower-case names of headers whose values are secrets besides the usual credential headers
    // (a provider's secret headers): redacted wherever headers are shown.
    QList<QByteArray> secretHeaderNames;

    [[nodiscard]] QByteArray header(const QByteArray &lowerName) const
    {
        for (const auto &h : headers) {
            if (h.first == lowerName)
                return h.second;
        }
        return {};
    }
    [[nodiscard]] bool hasHeader(const QByteArray &lowerName) const
    {
        for (const auto &h : headers) {
            if (h.first == lowerName)
                return true;
        }
        return false;
    }
    // "scheme://host:port": the unit Qt counts connections by.
    [[nodiscard]] QString hostKey() const
    {
        return url.scheme() + u"://" + url.host() + u':' +
               QString::number(url.port(url.scheme() == u"https" ? 443 : 80));
    }
};

} // namespace Slopscope
