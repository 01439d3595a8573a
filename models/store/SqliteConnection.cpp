#include "store/SqliteConnection.h"

namespace Slopscope {

SqliteConnection::~SqliteConnection()
{
    close();
}

SqliteStatus SqliteConnection::open(const QString &path, int flags)
{
    close();
    m_path = path;
    const int code = sqlite3_open_v2(path.toUtf8().constData(), &m_db, flags | SQLITE_OPEN_NOMUTEX, nullptr);
    if (code != SQLITE_OK) {
        SqliteStatus s = status(code);
        close();
        return s;
    }
    sqlite3_extended_result_codes(m_db, 1);
    return {};
}

void SqliteConnection::close()
{
    if (m_db) {
        // close_v2: statements still alive (a bug) do not leak the handle; it closes when they go.
        sqlite3_close_v2(m_db);
        m_db = nullptr;
    }
}

SqliteStatus SqliteConnection::exec(const QString &sql)
{
    return exec(sql.toUtf8().constData());
}

SqliteStatus SqliteConnection::exec(const char *sql)
{
    if (!m_db)
        return {SQLITE_MISUSE, SQLITE_MISUSE, QStringLiteral("database not open")};
    char *error = nullptr;
    const int code = sqlite3_exec(m_db, sql, nullptr, nullptr, &error);
    SqliteStatus s;
    if (code != SQLITE_OK) {
        s = status(code);
        if (error)
            s.message = QString::fromUtf8(error);
    }
    sqlite3_free(error);
    return s;
}

SqliteStatement SqliteConnection::prepare(const QString &sql, SqliteStatus *status)
{
    sqlite3_stmt *statement = nullptr;
    const QByteArray utf8 = sql.toUtf8();
    const int code =
        m_db ? sqlite3_prepare_v2(m_db, utf8.constData(), static_cast<int>(utf8.size()), &statement, nullptr)
             : SQLITE_MISUSE;
    if (status)
        *status = code == SQLITE_OK ? SqliteStatus{} : this->status(code);
    return SqliteStatement(statement);
}

std::optional<qint64> SqliteConnection::queryInt(const QString &sql, SqliteStatus *status)
{
    SqliteStatus s;
    SqliteStatement statement = prepare(sql, &s);
    std::optional<qint64> value;
    if (s.ok()) {
        const int code = statement.step();
        if (code == SQLITE_ROW)
            value = statement.optionalInt64(0);
        else if (code != SQLITE_DONE)
            s = this->status(code);
    }
    if (status)
        *status = s;
    return value;
}

std::optional<QString> SqliteConnection::queryText(const QString &sql, SqliteStatus *status)
{
    SqliteStatus s;
    SqliteStatement statement = prepare(sql, &s);
    std::optional<QString> value;
    if (s.ok()) {
        const int code = statement.step();
        if (code == SQLITE_ROW)
            value = statement.text(0);
        else if (code != SQLITE_DONE)
            s = this->status(code);
    }
    if (status)
        *status = s;
    return value;
}

SqliteStatus SqliteConnection::status(int code) const
{
    SqliteStatus s;
    s.extendedCode = code;
    s.code = code & 0xff;
    if (code == SQLITE_OK || code == SQLITE_ROW || code == SQLITE_DONE)
        return s;
    // The connection's message belongs to its last call; fall back to the code's generic text.
    const char *text = m_db && sqlite3_extended_errcode(m_db) == code ? sqlite3_errmsg(m_db) : sqlite3_errstr(code);
    s.message = QString::fromUtf8(text ? text : sqlite3_errstr(code));
    return s;
}

qint64 SqliteConnection::lastInsertRowId() const
{
    return m_db ? sqlite3_last_insert_rowid(m_db) : 0;
}

int SqliteConnection::changes() const
{
    return m_db ? sqlite3_changes(m_db) : 0;
}

void SqliteConnection::setBusyTimeout(int ms)
{
    if (m_db)
        sqlite3_busy_timeout(m_db, ms);
}

} // namespace Slopscope
