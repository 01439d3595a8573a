#pragma once

#include "stream/DecoderBase.h"

namespace Slopscope {

// Ollama native /api/chat (and /api/generate) NDJSON (WIRE-PROTOCOLS.md §6): one object per line,
// done:true terminal, prompt_eval_count possibly missing, {"error": "..."} line after output.
class OllamaDecoder final : public DecoderBase
{
public:
    using DecoderBase::DecoderBase;

protected:
    void handleRecord(const QString &type, const QByteArray &data) override;
    void handleWholeBody(const WireValue &document) override;
    void handleEndOfStream() override {}

private:
    void handleObject(const WireValue &object);
};

} // namespace Slopscope
