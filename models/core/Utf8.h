#pragma once

#include "core/Result.h"

#include <QByteArray>
#include <QString>

namespace Slopscope::Utf8 {

// The offset of the first byte that is not well-formed UTF-8 (overlong forms, surrogates and
// code points past U+10FFFF included), or -1.
qsizetype firstInvalid(const QByteArray &bytes);

// Rejects a file that is not UTF-8 before any parser sees it: decoders replace bad bytes with
// U+FFFD silently, so ids and prompts would change without a word. The error reads
// "file:line:column: invalid UTF-8 at byte offset N (byte 0xNN); save the file as UTF-8".
Status check(const QByteArray &bytes, const QString &sourceName);

} // namespace Slopscope::Utf8
