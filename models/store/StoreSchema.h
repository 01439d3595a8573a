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
// themselves: see insertSearchRow). Each step runs in its own transaction, so a crash mid-migration
// leaves the previous version intact.
class StoreSchema final
{
    Q_DECLARE_TR_FUNCTIONS(StoreSchema)

public:
    static constexpr int kCurrentVersion = 3;

    static Result<int> version(SqliteConnection &db);
    // Steps the database up to `target` (by default the current version), one transaction per
    // step. `backupPath`, when not empty and the database holds data, receives a copy first.
    // A database newer than this build is refused.
    static Status migrate(SqliteConnection &db, int target = kCurrentVersion, const QString &backupPath = {});
    // The tables of the current schema, in an order that respects their foreign keys.
    static QStringList tables();
    // Adds the result whose id is ?1 to the search index, with the prompt and answer its content
    // view reads back (a delete must remove exactly these words). A one-row VALUES insert on
    // purpose: it opens no statement journal, so FTS5 keeps its terms in memory until COMMIT.
    static const char *indexResultSql();
    // Adds every result of the run whose key is ?1 to the search index (imports and exports).
    static const char *indexRunSql();

private:
    static Status step(SqliteConnection &db, int to);
};

} // namespace Slopscope
