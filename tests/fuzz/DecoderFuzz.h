#pragma once

// One dialect's decoder, end to end from bytes, as the engine drives it: makeStreamDecoder() from a
// status and Content-Type, feed() per read with takeDeltas() after each, finish(). Properties:
//   - the result is the same whole, under the chosen split and (short bodies) one byte per read
//     (StreamDecoder.h);
//   - the deltas handed out add up to the result, per kind and per tool call, none empty;
//   - after finish() the outcome is decided, and no text holds a lone surrogate.
// Input: [response kind][split count][split lengths...][body].

#include "core/Workspace.h"

#include <cstddef>
#include <cstdint>

namespace Slopscope::Fuzz {

// The whole check for one input; compiled once (DecoderFuzz.cpp) for the five dialect targets.
int fuzzDecoder(Dialect dialect, const std::uint8_t *data, std::size_t size);

} // namespace Slopscope::Fuzz
