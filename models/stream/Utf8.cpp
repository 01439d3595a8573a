#include "stream/Utf8.h"

#include <QByteArrayView>
#include <QString>

namespace Slopscope::Utf8 {

QByteArray sanitized(QByteArray bytes)
{
    if (QByteArrayView(bytes).isValidUtf8())
        return bytes;
    // QString's decoder replaces each invalid sequence with U+FFFD; re-encoding gives valid UTF-8.
    return QString::fromUtf8(bytes).toUtf8();
}

} // namespace Slopscope::Utf8
