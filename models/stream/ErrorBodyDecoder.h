#pragma once

#include "stream/StreamDecoder.h"
#include "stream/StreamLimits.h"

namespace Slopscope {

// A response that carries no answer: a non-2xx status (JSON error body of any provider, or an HTML
// page from a proxy), or a 2xx whose Content-Type is an HTML page (captive portal, RELIABILITY.md B-6).
// The outcome is Error once the body has ended.
class ErrorBodyDecoder final : public StreamDecoder
{
public:
    // Error bodies are small; beyond maxBodyBytes the rest is dropped (the start says what happened).
    explicit ErrorBodyDecoder(int httpStatus, qsizetype maxBodyBytes = 1024 * 1024);

    void feed(QByteArrayView bytes) override;
    void finish() override;
    QList<ContentDelta> takeDeltas() override { return {}; }
    [[nodiscard]] const StreamResult &result() const override { return m_result; }

private:
    int m_httpStatus;
    qsizetype m_maxBodyBytes;
    QByteArray m_body;
    StreamResult m_result;
    bool m_finished = false;
};

} // namespace Slopscope
