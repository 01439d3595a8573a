#pragma once

#include "core/Workspace.h"
#include "stream/StreamDecoder.h"

#include <QByteArray>

#include <functional>
#include <memory>

namespace Slopscope {

// Makes the decoder for one response once its status and Content-Type are known. Injected so
// the engine's tests run with their own decoder; production uses makeStreamDecoder.
using DecoderFactory =
    std::function<std::unique_ptr<StreamDecoder>(Dialect dialect, int httpStatus, const QByteArray &contentType)>;

// makeStreamDecoder (models/stream). Inline on purpose: the engine library itself only uses the
// StreamDecoder interface, so it builds and tests without the decoders; whoever calls this (the
// app, through slopscope_models) links slopscope_stream.
inline DecoderFactory defaultDecoderFactory()
{
    return [](Dialect dialect, int httpStatus, const QByteArray &contentType) {
        return makeStreamDecoder(dialect, httpStatus, contentType);
    };
}

} // namespace Slopscope
