#pragma once

// The engine library, slopscope_models, is assembled from its parts; include their headers
// directly (core/…, stream/…, metrics/…, sim/…, engine/…).
namespace Slopscope {
// The version the engine was built as; lets a consumer check it linked the library it expects.
const char *modelsVersion();
} // namespace Slopscope
