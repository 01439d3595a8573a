#include "core/Utf8.h"

#include "core/Json.h"

#include <QCoreApplication>

namespace Slopscope::Utf8 {

namespace {

// The message predates this file and lived in Suite; keeping its context keeps its translations.
struct Utf8Tr
{
    Q_DECLARE_TR_FUNCTIONS(Suite)
};

} // namespace

qsizetype firstInvalid(const QByteArray &bytes)
{
    const auto *p = reinterpret_cast<const unsigned char *>(bytes.constData());
    const qsizetype n = bytes.size();
    for (qsizetype i = 0; i < n;) {
        const unsigned char c = p[i];
        int extra = 0;
        char32_t min = 0;
        if (c < 0x80) {
            ++i;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) {
            extra = 1;
            min = 0x80;
        } else if ((c & 0xF0) == 0xE0) {
            extra = 2;
            min = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
            extra = 3;
            min = 0x10000;
        } else {
            return i;
        }
        char32_t cp = c & (0x3F >> extra);
        for (int k = 1; k <= extra; ++k) {
            if (i + k >= n || (p[i + k] & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += extra + 1;
    }
    return -1;
}

Status check(const QByteArray &bytes, const QString &sourceName)
{
    const qsizetype bad = firstInvalid(bytes);
    if (bad < 0)
        return {};
    const Json::Position pos = Json::positionOf(bytes, bad);
    return Error{Utf8Tr::tr("%1:%2:%3: invalid UTF-8 at byte offset %4 (byte 0x%5); save the file as UTF-8")
                     .arg(sourceName)
                     .arg(pos.line)
                     .arg(pos.column)
                     .arg(bad)
                     .arg(uint(static_cast<unsigned char>(bytes.at(bad))), 2, 16, QLatin1Char('0'))};
}

} // namespace Slopscope::Utf8
