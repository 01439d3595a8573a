#pragma once

#include <QByteArray>

namespace Slopscope::Utf8 {

// The bytes as valid UTF-8: unchanged when already valid, otherwise every invalid sequence replaced
// by U+FFFD. Callers pass complete lines only, so a code point is never cut in two by a read.
QByteArray sanitized(QByteArray bytes);

} // namespace Slopscope::Utf8
