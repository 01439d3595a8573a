#include "stream/Utf8.h"

#include <QByteArrayView>
#include <QString>

#include <algorithm>

namespace Slopscope::Utf8 {

QByteArray sanitized(QByteArray bytes)
{
    if (QByteArrayView(bytes).isValidUtf8())
        return bytes;
    // QString's decoder replaces each invalid sequence with U+FFFD; re-encoding gives valid UTF-8.
    return QString::fromUtf8(bytes).toUtf8();
}

QString leftWhole(const QString &text, qsizetype maxUnits)
{
    if (text.size() <= maxUnits)
        return text;
    qsizetype n = std::max<qsizetype>(maxUnits, 0);
    if (n > 0 && text.at(n - 1).isHighSurrogate())
        --n;
    return text.left(n);
}

} // namespace Slopscope::Utf8
