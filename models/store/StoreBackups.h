#pragma once

#include "core/Result.h"
#include "store/SqliteConnection.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QString>
#include <QStringList>

namespace Slopscope {

// Rotating copies of the history file in `<folder>/backups/`, named
// `<base>-<yyyyMMdd-HHmmss-zzz>.sqlite` so that names sort by age. A copy is written with
// VACUUM INTO (a consistent snapshot, even while the writer works) to a `.partial` name first
// and renamed when complete, so a crash never leaves a half copy that looks like a backup.
class StoreBackups final
{
    Q_DECLARE_TR_FUNCTIONS(StoreBackups)

public:
    static QString folder(const QString &dbPath);
    // Newest first.
    static QStringList list(const QString &dbPath);
    static QString latest(const QString &dbPath);
    static QDateTime latestTime(const QString &dbPath);
    // Writes a new backup through `db` (a connection to dbPath) and keeps the newest `keep`.
    static Result<QString> write(SqliteConnection &db, const QString &dbPath, int keep);
    // Copies `file` (any SQLite file) through `db` with VACUUM INTO, replacing nothing.
    static Status vacuumInto(SqliteConnection &db, const QString &file);
};

} // namespace Slopscope
