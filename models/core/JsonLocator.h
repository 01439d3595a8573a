#pragma once

#include <QByteArray>
#include <QStringList>

namespace Slopscope::Json {

// Finds where a value sits in JSON text, to point error messages at a line and column.
// Only called when there is an error to report, so loading stays a single fast parse.
// `path` holds object keys and array indices ("cases", "3", "assert", "0", "type").
// Returns the byte offset of the value, or of the deepest enclosing value found, or 0.
qsizetype locate(const QByteArray &text, const QStringList &path);

} // namespace Slopscope::Json
