#pragma once

#include "store/SqliteStatement.h"
#include "store/SqliteStatus.h"

#include <QString>

#include <sqlite3.h>

#include <optional>

namespace Slopscope {

// One SQLite connection, closed on destruction. The store uses the C API rather than QtSql
// because it needs the exact result codes (SQLITE_FULL, SQLITE_BUSY, SQLITE_CORRUPT,
// SQLITE_READONLY), its own busy handling and the online backup API. A connection belongs to one
// thread at a time.
class SqliteConnection final
{
public:
    SqliteConnection() = default;
    ~SqliteConnection();
    SqliteConnection(const SqliteConnection &) = delete;
    SqliteConnection &operator=(const SqliteConnection &) = delete;

    // flags: SQLITE_OPEN_READONLY or SQLITE_OPEN_READWRITE (| SQLITE_OPEN_CREATE).
    SqliteStatus open(const QString &path, int flags);
    void close();
    [[nodiscard]] bool isOpen() const { return m_db != nullptr; }
    [[nodiscard]] sqlite3 *handle() const { return m_db; }
    [[nodiscard]] const QString &path() const { return m_path; }

    // Runs one or more statements that return no rows (or whose rows are ignored).
    SqliteStatus exec(const QString &sql);
    SqliteStatus exec(const char *sql);
    // An invalid statement comes back on error, with the reason in *status.
    SqliteStatement prepare(const QString &sql, SqliteStatus *status = nullptr);
    // The first column of the first row, for PRAGMAs and counts.
    std::optional<qint64> queryInt(const QString &sql, SqliteStatus *status = nullptr);
    std::optional<QString> queryText(const QString &sql, SqliteStatus *status = nullptr);

    // The status for a result code just returned on this connection, with SQLite's message.
    [[nodiscard]] SqliteStatus status(int code) const;
    [[nodiscard]] qint64 lastInsertRowId() const;
    [[nodiscard]] int changes() const;
    void setBusyTimeout(int ms);

private:
    sqlite3 *m_db = nullptr;
    QString m_path;
};

} // namespace Slopscope
