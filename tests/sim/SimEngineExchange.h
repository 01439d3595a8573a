#pragma once

// The engine's path to the simulator without the scheduler: a ChatRequest built by RequestBuilder
// for a simulated provider of one dialect, sent over a real socket, the answer read by the
// project's own decoder. What tst_simtoolcases and tst_simtoolchoice send their cases through.

#include "SimTestClient.h"

#include "engine/RequestBuilder.h"
#include "stream/StreamDecoder.h"

#include <QUrl>

namespace SimTest {

// A simulated provider of `dialect` at the simulator's base URL, with the path prefix its
// dialect's URLs take.
inline Slopscope::ProviderConfig simProvider(Slopscope::Dialect dialect, const QString &base)
{
    Slopscope::ProviderConfig provider;
    provider.id = QStringLiteral("sim");
    provider.dialect = dialect;
    provider.simulated = true;
    provider.baseUrl = dialect == Slopscope::Dialect::OpenAIChat || dialect == Slopscope::Dialect::OpenAIResponses
                           ? base + u"/v1"
                       : dialect == Slopscope::Dialect::Gemini ? base + u"/v1beta"
                                                               : base;
    return provider;
}

// Sends `request` to the simulator listening on `base` (http://127.0.0.1:port) and returns what
// the decoder made of the answer; an empty result (with a warning) when the request cannot be built.
inline Slopscope::StreamResult sendThroughEngine(const Slopscope::ChatRequest &request, Slopscope::Dialect dialect,
                                                 const QUrl &base)
{
    const auto built = Slopscope::RequestBuilder::build(request, simProvider(dialect, base.toString()),
                                                        Slopscope::SecretString(QStringLiteral("k")));
    if (!built) {
        qWarning("%s", qPrintable(built.error()));
        return {};
    }
    QList<QByteArray> headers;
    for (const auto &[name, value] : built.value().headers)
        headers.append(name + ": " + value);
    const QByteArray path = built.value().url.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority);
    const auto response = exchange(static_cast<quint16>(base.port()), post(path, built.value().body, headers));
    auto decoder = Slopscope::makeStreamDecoder(dialect, response.status, response.header("content-type"));
    decoder->feed(response.body);
    decoder->finish();
    return decoder->result();
}

} // namespace SimTest
