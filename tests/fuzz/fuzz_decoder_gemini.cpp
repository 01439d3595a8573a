// The Gemini streamGenerateContent decoder, end to end from bytes: see DecoderFuzz.h for the input layout and the
// properties checked.

#include "DecoderFuzz.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    return Slopscope::Fuzz::fuzzDecoder(Slopscope::Dialect::Gemini, data, size);
}
