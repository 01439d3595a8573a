#pragma once

#include "core/Result.h"

#include <QByteArray>
#include <QString>

namespace Slopscope {

// Writes `bytes` to `path` all or nothing (through QSaveFile): on any failure, a full disk
// included, the file at `path` is as it was and no temporary file is left. The error is the
// system's reason alone; callers word the sentence that names the file.
[[nodiscard]] Status writeAtomically(const QString &path, const QByteArray &bytes);

} // namespace Slopscope
