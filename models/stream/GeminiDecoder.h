#pragma once

#include "stream/DecoderBase.h"

namespace Slopscope {

// Gemini streamGenerateContent?alt=sse (WIRE-PROTOCOLS.md §5): every event is a whole
// GenerateContentResponse; usageMetadata on every chunk (the last one counts); completion is a
// finishReason followed by a clean end of stream.
class GeminiDecoder final : public DecoderBase
{
public:
    using DecoderBase::DecoderBase;

protected:
    void handleRecord(const QString &type, const QByteArray &data) override;
    void handleWholeBody(const WireValue &document) override;
    void handleEndOfStream() override;

private:
    void handleChunk(const WireValue &chunk);
    void applyUsage(const WireValue &metadata, bool finalChunk);
};

} // namespace Slopscope
