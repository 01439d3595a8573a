#include "core/AtomicWrite.h"

#include <QSaveFile>

namespace Slopscope {

Status writeAtomically(const QString &path, const QByteArray &bytes)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Error{file.errorString()};
    // flush() before commit(): Qt 6.4's commit() ignores a failure of the final flush (a full
    // disk, EFBIG) and renames the truncated temporary file over the target.
    if (file.write(bytes) != bytes.size() || !file.flush()) {
        const QString why = file.errorString();
        file.cancelWriting();
        return Error{why};
    }
    if (!file.commit())
        return Error{file.errorString()};
    return {};
}

} // namespace Slopscope
