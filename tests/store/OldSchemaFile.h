#pragma once

// Writing a history file of an older schema, as that version's writer left it (for migration tests).

#include "store/CellCodec.h"
#include "store/SqliteConnection.h"
#include "store/SqliteStatement.h"
#include "store/StoreSchema.h"

#include <QTest>

namespace StoreTest {

using namespace Slopscope;

// A v1 (or v2) file with one run and one result written with the statements of that version, as
// the first releases would have left it: the search index filled by the insert trigger.
inline void writeV1File(const QString &path, const QString &runId, const CellResult &cell, int version = 1)
{
    SqliteConnection db;
    QVERIFY(db.open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE).ok());
    QVERIFY(StoreSchema::migrate(db, version).ok());
    QCOMPARE(StoreSchema::version(db).value(), version);
    SqliteStatement run = db.prepare(
        QStringLiteral("INSERT INTO runs (uuid, suite_name, suite_json, targets_json, target_ids, settings_json, "
                       "app_version, started_at, state) VALUES (?, 'old suite', '{}', '[]', 't1', '{}', '0.0.9', "
                       "1000, 'completed')"));
    run.bind(1, runId);
    QCOMPARE(run.step(), SQLITE_DONE);
    // chain_json (the last column) came with schema 7; older files have every column but it.
    QString columns = CellCodec::resultColumns();
    int count = CellCodec::resultColumnCount();
    // thoughts_json (after it) came with schema 9.
    if (version < 9) {
        QVERIFY(columns.endsWith(QStringLiteral(", thoughts_json")));
        columns.chop(int(qstrlen(", thoughts_json")));
        --count;
    }
    if (version < 7) {
        QVERIFY(columns.endsWith(QStringLiteral(", chain_json")));
        columns.chop(int(qstrlen(", chain_json")));
        --count;
    }
    QString marks = QStringLiteral("?");
    for (int i = 1; i < count; ++i)
        marks += QStringLiteral(", ?");
    SqliteStatement insert = db.prepare(QStringLiteral("INSERT INTO results (%1) VALUES (%2)").arg(columns, marks));
    CellCodec::bindResult(insert, db.lastInsertRowId(), cell, 1000);
    QCOMPARE(insert.step(), SQLITE_DONE);
}

} // namespace StoreTest
