#include "store/SearchIndex.h"

#include "store/StoreSchema.h"

namespace Slopscope {

namespace {

Error sqlError(SqliteConnection &db, const SqliteStatus &s)
{
    return Error{SearchIndex::tr("Cannot update the search index of %1: %2").arg(db.path(), s.message)};
}

} // namespace

Result<std::optional<qint64>> SearchIndex::indexedTo(SqliteConnection &db)
{
    SqliteStatus s;
    const auto exists = db.queryInt(
        QStringLiteral("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'search_state'"), &s);
    if (!s.ok())
        return sqlError(db, s);
    if (exists.value_or(0) == 0)
        return std::optional<qint64>();
    const auto mark = db.queryInt(QStringLiteral("SELECT indexed_to FROM search_state WHERE id = 1"), &s);
    if (!s.ok())
        return sqlError(db, s);
    return std::optional<qint64>(mark.value_or(0));
}

Result<SearchIndex::Progress> SearchIndex::catchUp(SqliteConnection &db, qint64 maxRows)
{
    SqliteStatus s;
    Progress p;
    p.indexedTo = db.queryInt(QStringLiteral("SELECT indexed_to FROM search_state WHERE id = 1"), &s).value_or(0);
    if (s.ok())
        p.lastId = db.queryInt(QStringLiteral("SELECT coalesce(max(id), 0) FROM results"), &s).value_or(0);
    if (!s.ok())
        return sqlError(db, s);
    if (p.done())
        return p;
    qint64 to = p.lastId;
    if (maxRows > 0) {
        SqliteStatement q = db.prepare(QStringLiteral("SELECT max(id) FROM (SELECT id FROM results WHERE id > ?1 "
                                                      "ORDER BY id LIMIT ?2)"),
                                       &s);
        if (!s.ok())
            return sqlError(db, s);
        q.bind(1, p.indexedTo);
        q.bind(2, maxRows);
        if (const int code = q.step(); code != SQLITE_ROW)
            return sqlError(db, db.status(code));
        to = q.int64(0);
    }
    // One multi-row statement per chunk: FTS5 writes one segment for it.
    for (const char *sql : {"INSERT INTO results_fts (rowid, prompt, answer) SELECT id, prompt, answer "
                            "FROM search_source WHERE id > ?1 AND id <= ?2",
                            "UPDATE search_state SET indexed_to = ?2 WHERE id = 1"}) {
        SqliteStatement q = db.prepare(QString::fromUtf8(sql), &s);
        if (!s.ok())
            return sqlError(db, s);
        q.bind(1, p.indexedTo);
        q.bind(2, to);
        if (const int code = q.step(); code != SQLITE_DONE)
            return sqlError(db, db.status(code));
    }
    p.indexedTo = to;
    return p;
}

Result<SearchIndex::Progress> SearchIndex::catchUpNow(SqliteConnection &db, qint64 maxRows)
{
    SqliteStatus s = db.exec("BEGIN IMMEDIATE");
    if (!s.ok())
        return sqlError(db, s);
    auto progress = catchUp(db, maxRows);
    if (progress)
        s = db.exec(StoreSchema::touchIdentitySql());
    if (progress && s.ok())
        s = db.exec("COMMIT");
    if (!progress || !s.ok()) {
        db.exec("ROLLBACK");
        return progress ? sqlError(db, s) : progress;
    }
    return progress;
}

Result<qint64> SearchIndex::prepareTail(SqliteConnection &db, qint64 watermark)
{
    // The temporary database is the connection's own, writable even when the file is read-only.
    SqliteStatus s = db.exec("DROP TABLE IF EXISTS temp.search_tail; CREATE VIRTUAL TABLE temp.search_tail USING "
                             "fts5 (prompt, answer, tokenize = 'unicode61 remove_diacritics 2')");
    if (!s.ok())
        return sqlError(db, s);
    SqliteStatement q = db.prepare(QStringLiteral("INSERT INTO temp.search_tail (rowid, prompt, answer) "
                                                  "SELECT id, prompt, answer FROM main.search_source WHERE id > ?1"),
                                   &s);
    if (!s.ok())
        return sqlError(db, s);
    q.bind(1, watermark);
    if (const int code = q.step(); code != SQLITE_DONE)
        return sqlError(db, db.status(code));
    return qint64(db.changes());
}

} // namespace Slopscope
