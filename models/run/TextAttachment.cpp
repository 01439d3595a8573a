#include "run/TextAttachment.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QLocale>
#include <QStringDecoder>

namespace Slopscope {

namespace {

// Through Q_DECLARE_TR_FUNCTIONS, lupdate files these strings under the context the code
// looks them up in (a translate() wrapper called tr() would mislead it).
struct TextAttachmentTr
{
    Q_DECLARE_TR_FUNCTIONS(TextAttachment)
};

QString sizeText(qint64 bytes)
{
    return QLocale().formattedDataSize(bytes, 0);
}

} // namespace

Result<TextAttachment> TextAttachment::fromFile(const QString &path)
{
    const QFileInfo info(path);
    const QString name = info.fileName();
    if (!info.isFile())
        return Error{TextAttachmentTr::tr("\"%1\" is not a file that can be read.").arg(name)};
    // Checked before reading so a huge file is refused without loading it.
    if (info.size() > kMaxBytes)
        return Error{TextAttachmentTr::tr("\"%1\" is %2; attachments are limited to %3 of text.")
                         .arg(name, sizeText(info.size()), sizeText(kMaxBytes))};
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{TextAttachmentTr::tr("Cannot read \"%1\": %2").arg(name, file.errorString())};
    return fromBytes(file.read(kMaxBytes + 1), name);
}

Result<TextAttachment> TextAttachment::fromBytes(const QByteArray &bytes, const QString &fileName)
{
    if (bytes.size() > kMaxBytes)
        return Error{TextAttachmentTr::tr("\"%1\" is %2; attachments are limited to %3 of text.")
                         .arg(fileName, sizeText(bytes.size()), sizeText(kMaxBytes))};
    // Text files never hold NUL; images, archives and office documents almost always do.
    if (bytes.contains('\0'))
        return Error{
            TextAttachmentTr::tr("\"%1\" is not plain text (it holds binary data); only text files can be attached.")
                .arg(fileName)};
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = decoder.decode(bytes);
    if (decoder.hasError())
        return Error{TextAttachmentTr::tr("\"%1\" is not UTF-8 text; only plain-text files in UTF-8 can be attached.")
                         .arg(fileName)};
    if (text.startsWith(QChar(0xFEFF)))
        text.remove(0, 1);
    return TextAttachment{fileName, text};
}

QString TextAttachment::fold(const QString &prompt, const QList<TextAttachment> &attachments)
{
    QString out = prompt;
    for (const TextAttachment &a : attachments) {
        if (!out.isEmpty())
            out += QStringLiteral("\n\n");
        out += QStringLiteral("--- Attached file: %1 ---\n").arg(a.fileName);
        out += a.text;
        if (!a.text.endsWith(u'\n'))
            out += u'\n';
        out += QStringLiteral("--- End of %1 ---").arg(a.fileName);
    }
    return out;
}

} // namespace Slopscope
