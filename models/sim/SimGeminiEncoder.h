#pragma once

#include "sim/SimEncoder.h"
#include "sim/SimJson.h"

namespace Slopscope {

// Gemini streamGenerateContent?alt=sse and generateContent (WIRE-PROTOCOLS.md §5; fixtures
// gemini/01, 02): unnamed events with CRLF line endings, JSON with ": " after keys and no space
// after commas, a full GenerateContentResponse per token with cumulative usageMetadata on every
// chunk, thoughtsTokenCount apart from candidatesTokenCount, and a last chunk carrying
// finishReason. No [DONE]. Whole bodies and errors are 2-space pretty JSON.
class SimGeminiEncoder final : public SimEncoder
{
public:
    explicit SimGeminiEncoder(SimEncodeContext context);

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

    static SimJson::Value errorBody(int code, const QString &message, const char *status);

private:
    SimJson::Value response(SimJson::Value parts, const char *finishReason, int candidates, int thoughts,
                            bool withThoughts) const;
    void appendEvent(QByteArray &out, const SimJson::Value &value) const;

    QByteArray m_responseId;
    SimJsonTemplate m_answer;
    SimJsonTemplate m_thought;
    int m_answerCount = 0;
    int m_thoughtCount = 0;
};

} // namespace Slopscope
