#pragma once

#include "sim/SimEncoder.h"
#include "sim/SimJson.h"

namespace Slopscope {

// OpenAI Chat Completions (WIRE-PROTOCOLS.md §2; fixtures openai-chat/01, 08, 13): unnamed SSE
// events of compact JSON, the 2026 layout ("service_tier", "usage": null with include_usage, an
// "obfuscation" pad), role chunk, one content delta per token, finish chunk, usage chunk with
// empty "choices", then data: [DONE]. Visible reasoning goes in delta.reasoning (gpt-oss hosts).
class SimOpenAIChatEncoder final : public SimEncoder
{
public:
    explicit SimOpenAIChatEncoder(SimEncodeContext context);

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

    // The error body and headers of OpenAI's API, shared with the Responses encoder.
    static SimHttpResponse openAIError(SimErrorKind kind, const QString &detail, const SimFault &fault,
                                       const QString &model, const QByteArray &requestId);
    static SimHeaders openAIHeaders(const QByteArray &requestId, int status);

private:
    void toolCallChunks(QByteArray &out);
    SimJson::Value chunk(SimJson::Value choices) const;
    void appendChunk(QByteArray &out, const SimJsonTemplate &t, QByteArrayView piece);
    QByteArray obfuscation();

    QByteArray m_id;
    QByteArray m_fingerprint;
    QByteArray m_requestId;
    SimJsonTemplate m_content;
    SimJsonTemplate m_reasoning;
    quint64 m_obfuscationState = 0;
};

} // namespace Slopscope
