#pragma once

#include "stream/DecoderBase.h"

#include <QHash>

namespace Slopscope {

// OpenAI Chat Completions and the OpenAI-compatible servers (Groq, Cerebras, OpenRouter, llama.cpp,
// vLLM): WIRE-PROTOCOLS.md §2 and §7.
class OpenAIChatDecoder final : public DecoderBase
{
public:
    using DecoderBase::DecoderBase;

protected:
    void handleRecord(const QString &type, const QByteArray &data) override;
    void handleWholeBody(const WireValue &document) override;
    void handleEndOfStream() override;

private:
    void handleChunk(const WireValue &chunk);
    void handleUsage(const WireValue &chunk);
    void handleToolCalls(const WireValue &toolCalls);

    QHash<qint64, int> m_toolCallByIndex; // tool_calls[].index → position in toolCalls
};

} // namespace Slopscope
