#pragma once

#include "core/Result.h"
#include "store/SqliteConnection.h"

#include <QCoreApplication>
#include <QString>
#include <QStringList>

namespace Slopscope {

// The history database's schema and its migrations (docs/STORE.md describes every table).
// The version lives in PRAGMA user_version: 0 is an empty file, 1 the first schema, 2 adds the
// index the drift query needs, 3 drops the search index's insert trigger (writers index results
// themselves: see insertSearchRow), 4 adds the file's identity (store_identity: a random id every
// write transaction touches, so a -wal of another history is recognised at open), 5 adds the search
// index's watermark (SearchIndex: results are indexed after their commit), 6 adds blind arena votes
// (arena_votes), 7 a chain cell's turns (results.chain_json), 8 makes those turns searchable
// (search_source's answer), 9 what thinking models get back (results.thoughts_json: thinking
// blocks, signatures, reasoning items; never indexed). Each step runs in its own transaction, so a crash mid-migration leaves
// the previous version intact.
class StoreSchema final
{
    Q_DECLARE_TR_FUNCTIONS(StoreSchema)

public:
    static constexpr int kCurrentVersion = 9;

    static Result<int> version(SqliteConnection &db);
    // Steps the database up to `target` (by default the current version), one transaction per
    // step. `backupPath`, when not empty and the database holds data, receives a copy first.
    // A database newer than this build is refused.
    static Status migrate(SqliteConnection &db, int target = kCurrentVersion, const QString &backupPath = {});
    // Run by every write transaction before COMMIT (StoreWriter, delete, import): puts the identity
    // row's page in the -wal (see kSchemaV4).
    static const char *touchIdentitySql();
    // The file's random identity (schema 4 and later).
    static Result<QString> fileId(SqliteConnection &db);
    // The tables of the current schema, in an order that respects their foreign keys. Not
    // store_identity: it belongs to the file, never copied to another.
    static QStringList tables();
    // Adds the result whose id is ?1 to the search index, as writers of schemas 3 and 4 did (tests
    // build such files with it); schema 5 indexes through SearchIndex instead.
    static const char *indexResultSql();

private:
    static Status step(SqliteConnection &db, int to);
};

} // namespace Slopscope
