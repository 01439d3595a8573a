#pragma once

#include <QByteArray>
#include <QString>

#include <sqlite3.h>

#include <optional>

namespace Slopscope {

// One prepared statement, finalized on destruction. Binding indexes are 1-based and column indexes
// 0-based, as in the C API. Text is bound and read as UTF-8.
class SqliteStatement final
{
public:
    SqliteStatement() = default;
    explicit SqliteStatement(sqlite3_stmt *statement)
        : m_statement(statement)
    {}
    ~SqliteStatement();
    SqliteStatement(const SqliteStatement &) = delete;
    SqliteStatement &operator=(const SqliteStatement &) = delete;
    SqliteStatement(SqliteStatement &&other) noexcept;
    SqliteStatement &operator=(SqliteStatement &&other) noexcept;

    [[nodiscard]] bool isValid() const { return m_statement != nullptr; }
    [[nodiscard]] sqlite3_stmt *handle() const { return m_statement; }

    void bindNull(int index);
    void bind(int index, qint64 value);
    void bind(int index, int value) { bind(index, static_cast<qint64>(value)); }
    void bind(int index, bool value) { bind(index, static_cast<qint64>(value ? 1 : 0)); }
    void bind(int index, double value);
    void bind(int index, const QString &value);
    void bindBlob(int index, const QByteArray &value); // an empty array binds NULL
    template <typename T> void bind(int index, const std::optional<T> &value)
    {
        if (value)
            bind(index, *value);
        else
            bindNull(index);
    }

    // SQLITE_ROW, SQLITE_DONE or an error code.
    int step();
    void reset(); // also clears the bindings

    [[nodiscard]] bool isNull(int column) const;
    [[nodiscard]] qint64 int64(int column) const;
    [[nodiscard]] int integer(int column) const { return static_cast<int>(int64(column)); }
    [[nodiscard]] double real(int column) const;
    [[nodiscard]] QString text(int column) const;
    [[nodiscard]] QByteArray blob(int column) const;
    [[nodiscard]] std::optional<qint64> optionalInt64(int column) const;
    [[nodiscard]] std::optional<double> optionalReal(int column) const;

private:
    sqlite3_stmt *m_statement = nullptr;
};

} // namespace Slopscope
