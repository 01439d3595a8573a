#pragma once

#include "core/Result.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace Slopscope {

// A plain-text file attached to a quick-compare prompt. Its text is folded into the user message
// (every provider takes text; none of the dialects needs its own file upload for it).
struct TextAttachment
{
    QString fileName; // shown to the model and in the chip, never a full path
    QString text;

    // 256 KiB: several source files or a long document, yet far below what a context window
    // holds; anything bigger is more likely a mistake (a log, a dump) than a prompt.
    static constexpr qint64 kMaxBytes = 256 * 1024;

    // Reads a file as UTF-8 text. Fails with a specific message when it is missing, larger than
    // kMaxBytes, or binary (a NUL byte or invalid UTF-8).
    static Result<TextAttachment> fromFile(const QString &path);
    // The same checks on bytes already read; `fileName` names the attachment.
    static Result<TextAttachment> fromBytes(const QByteArray &bytes, const QString &fileName);
    // The user message sent: the prompt, then each attachment between marker lines that name its
    // file, so the model can tell the files apart from the question and from each other.
    static QString fold(const QString &prompt, const QList<TextAttachment> &attachments);

    friend bool operator==(const TextAttachment &, const TextAttachment &) = default;
};

} // namespace Slopscope
