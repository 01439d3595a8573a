#pragma once

#include "sim/SimEncoder.h"
#include "sim/SimJson.h"

namespace Slopscope {

// Anthropic Messages (WIRE-PROTOCOLS.md §4; fixtures anthropic/03, 04, 06): named events, compact
// JSON padded with a random run of spaces before the final brace, as the live API does.
// message_start (usage with an output_tokens placeholder), content_block_start, ping, one
// content_block_delta per token (a thinking block with its signature first when thinking),
// content_block_stop, message_delta with cumulative usage, message_stop.
class SimAnthropicEncoder final : public SimEncoder
{
public:
    explicit SimAnthropicEncoder(SimEncodeContext context);

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

private:
    void padded(QByteArray &out, const char *event, const SimJson::Value &data);
    QByteArray padding();
    void openTextBlock(QByteArray &out);
    QByteArray signature() const;

    QByteArray m_messageId;
    QByteArray m_requestId;
    SimJsonTemplate m_textDelta;
    SimJsonTemplate m_thinkingDelta;
    int m_block = 0;
    bool m_thinkingOpen = false;
    bool m_textOpen = false;
    quint64 m_padState = 0;
};

} // namespace Slopscope
