#include "stream/ErrorBodyDecoder.h"

#include "stream/WireErrors.h"

namespace Slopscope {

ErrorBodyDecoder::ErrorBodyDecoder(int httpStatus, qsizetype maxBodyBytes)
    : m_httpStatus(httpStatus)
    , m_maxBodyBytes(maxBodyBytes)
{
    m_result.streamed = false;
}

void ErrorBodyDecoder::feed(QByteArrayView bytes)
{
    if (m_finished)
        return;
    const qsizetype room = m_maxBodyBytes - m_body.size();
    if (room > 0)
        m_body.append(bytes.first(qMin(room, bytes.size())));
}

void ErrorBodyDecoder::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    ProviderError error = WireErrors::fromBody(m_body, m_httpStatus);
    if (m_httpStatus >= 200 && m_httpStatus < 300 && error.type.isEmpty())
        error.type = QStringLiteral("unexpected_content_type");
    m_result.error = std::move(error);
    m_result.outcome = StreamOutcome::Error;
    m_body = QByteArray();
}

} // namespace Slopscope
