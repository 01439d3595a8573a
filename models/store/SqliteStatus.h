#pragma once

#include <QString>

#include <sqlite3.h>

namespace Slopscope {

// The outcome of one SQLite call: the primary result code (SQLITE_FULL, SQLITE_BUSY, ...), the
// extended code and SQLite's own message. The store needs the exact code to choose between
// retrying (busy, disk full), moving a corrupt file aside and giving up.
struct SqliteStatus
{
    int code = SQLITE_OK;
    int extendedCode = SQLITE_OK;
    QString message; // SQLite's English text; callers wrap it in a translated sentence

    [[nodiscard]] bool ok() const { return code == SQLITE_OK || code == SQLITE_ROW || code == SQLITE_DONE; }
    [[nodiscard]] bool isBusy() const { return code == SQLITE_BUSY || code == SQLITE_LOCKED; }
    [[nodiscard]] bool isFull() const { return code == SQLITE_FULL; }
    [[nodiscard]] bool isCorrupt() const { return code == SQLITE_CORRUPT || code == SQLITE_NOTADB; }
    [[nodiscard]] bool isReadOnly() const
    {
        return code == SQLITE_READONLY || code == SQLITE_CANTOPEN || code == SQLITE_PERM;
    }
};

} // namespace Slopscope
