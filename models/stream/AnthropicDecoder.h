#pragma once

#include "stream/DecoderBase.h"

#include <QHash>

namespace Slopscope {

// Anthropic Messages streaming (WIRE-PROTOCOLS.md §4): message_start usage, content blocks,
// cumulative message_delta usage, message_stop, in-band `event: error`.
class AnthropicDecoder final : public DecoderBase
{
public:
    using DecoderBase::DecoderBase;

protected:
    void handleRecord(const QString &type, const QByteArray &data) override;
    void handleWholeBody(const WireValue &document) override;
    void handleEndOfStream() override;

private:
    void applyUsage(const WireValue &usage);
    void applyMessage(const WireValue &message);
    // The kept thinking block the content block at `index` fills, or null.
    ThinkingBlock *thinkingBlock(const WireValue &index);

    QHash<qint64, int> m_toolCallByBlock; // content block index → position in toolCalls
    QHash<qint64, int> m_thinkingByBlock; // content block index → position in thinkingBlocks
    bool m_stopReasonSeen = false;
    // The raw counters as last reported; message_delta repeats them cumulatively, so each report
    // replaces the previous one and is never added to it.
    std::optional<qint64> m_input;
    std::optional<qint64> m_cacheCreation;
    std::optional<qint64> m_cacheRead;
    std::optional<qint64> m_output;
};

} // namespace Slopscope
