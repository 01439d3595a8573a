#pragma once

#include <QByteArray>
#include <QString>

namespace Slopscope::Utf8 {

// The bytes as valid UTF-8: unchanged when already valid, otherwise every invalid sequence replaced
// by U+FFFD. Callers pass complete lines only, so a code point is never cut in two by a read.
QByteArray sanitized(QByteArray bytes);

// At most the first `maxUnits` UTF-16 units of `text`, one fewer where the cut would split a
// surrogate pair: an excerpt of an error page must not end in half a character (an emoji).
QString leftWhole(const QString &text, qsizetype maxUnits);

} // namespace Slopscope::Utf8
