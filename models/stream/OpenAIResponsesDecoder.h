#pragma once

#include "stream/DecoderBase.h"

#include <QHash>

namespace Slopscope {

// OpenAI Responses API streaming: named events, usage only in the terminal Response object
// (WIRE-PROTOCOLS.md §3).
class OpenAIResponsesDecoder final : public DecoderBase
{
public:
    using DecoderBase::DecoderBase;

protected:
    void handleRecord(const QString &type, const QByteArray &data) override;
    void handleWholeBody(const WireValue &document) override;
    void handleEndOfStream() override {}

private:
    void applyResponse(const WireValue &response);
    void applyTerminal(const WireValue &response, const QString &fallbackStatus);
    int functionCallSlot(const WireValue &event);
    void fillFunctionCall(int slot, const WireValue &item);
    void keepReasoningItem(const WireValue &item);

    QHash<QString, int> m_toolCallByItem;  // item id → position in toolCalls
    QHash<qint64, int> m_toolCallByOutput; // output_index → position in toolCalls
};

} // namespace Slopscope
