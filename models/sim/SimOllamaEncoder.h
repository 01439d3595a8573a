#pragma once

#include "sim/SimEncoder.h"
#include "sim/SimJson.h"

namespace Slopscope {

// Ollama /api/chat (WIRE-PROTOCOLS.md §6; fixtures ollama/01, 02, 04): NDJSON, one compact JSON
// object per token with Go's encoding/json escaping and an RFC 3339 nanosecond timestamp, then a
// done line with done_reason, counts and nanosecond durations. Errors are {"error":"..."}.
class SimOllamaEncoder final : public SimEncoder
{
public:
    explicit SimOllamaEncoder(SimEncodeContext context);

    [[nodiscard]] QByteArray streamContentType() const override;
    [[nodiscard]] SimHeaders providerHeaders(int status) const override;
    void begin(QByteArray &out) override;
    void reasoning(QByteArray &out, QByteArrayView piece) override;
    void answer(QByteArray &out, QByteArrayView piece) override;
    void finish(QByteArray &out, const SimFinishInfo &info) override;
    void inBandError(QByteArray &out, bool overloaded) override;
    void malformed(QByteArray &out) override;
    [[nodiscard]] SimHttpResponse wholeBody(const QByteArray &reasoning, const QByteArray &text,
                                            const SimFinishInfo &info) override;
    [[nodiscard]] SimHttpResponse error(SimErrorKind kind, const QString &detail, const SimFault &fault) const override;

    // Go's time.RFC3339Nano in UTC: trailing zeros of the fraction dropped.
    static QByteArray timestamp(qint64 unixNs);

private:
    SimJson::Value doneObject(const QByteArray &reasoning, const QByteArray &text, const SimFinishInfo &info,
                              bool withToolCalls = false) const;
    [[nodiscard]] SimJson::Value toolCallsValue() const;

    SimJsonTemplate m_content;
    SimJsonTemplate m_thinking;
};

} // namespace Slopscope
