#include "store/CellCodec.h"
#include "store/SearchIndex.h"
#include "store/StoreEnums.h"
#include "store/StoreSchema.h"
#include "OldSchemaFile.h"
#include "StoreTestSupport.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace Slopscope;
using namespace StoreTest;

namespace {

QStringList objectNames(SqliteConnection &db, const char *type)
{
    SqliteStatement q = db.prepare(QStringLiteral("SELECT name FROM sqlite_schema WHERE type = ? ORDER BY name"));
    q.bind(1, QString::fromLatin1(type));
    QStringList names;
    while (q.step() == SQLITE_ROW)
        names.append(q.text(0));
    return names;
}

// A file of schema `version` with one run, c1's prompt and one result, indexed for search as that
// version's writers did: by the insert trigger up to 2, by the writer's one-row insert in 3 and 4.
void writeIndexedFile(const QString &path, const QString &runId, const CellResult &cell, int version)
{
    writeV1File(path, runId, cell, version);
    if (QTest::currentTestFailed())
        return;
    SqliteConnection db;
    QVERIFY(db.open(path, SQLITE_OPEN_READWRITE).ok());
    const qint64 resultId = db.queryInt(QStringLiteral("SELECT max(id) FROM results")).value_or(0);
    if (version >= 3) {
        QVERIFY(db.exec("INSERT INTO prompts (run_id, case_id, variant_id, text) SELECT run_id, case_id, variant_id, "
                        "'What is six times seven?' FROM results")
                    .ok());
        SqliteStatement index = db.prepare(QString::fromUtf8(StoreSchema::indexResultSql()));
        index.bind(1, resultId);
        QCOMPARE(index.step(), SQLITE_DONE);
    } else {
        // The trigger indexed the row before its prompt existed; rebuilt with it.
        QVERIFY(db.exec("INSERT INTO prompts (run_id, case_id, variant_id, text) SELECT run_id, case_id, variant_id, "
                        "'What is six times seven?' FROM results; "
                        "INSERT INTO results_fts (results_fts) VALUES ('rebuild')")
                    .ok());
    }
    QVERIFY(db.exec("INSERT INTO results_fts (results_fts, rank) VALUES ('integrity-check', 1)").ok());
}

} // namespace

class TestStoreSchema final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void createsTheCurrentSchemaInANewFile();
    void migratesAnEmptyVersion0File();
    void migratesVersion1KeepingItsDataAfterABackup();
    void migratesVersion2ToWritersThatIndexThemselves();
    void migratesVersion3ToAnIdentityEveryCommitTouches();
    void migratesEveryEarlierSchemaToTheSearchWatermark_data();
    void migratesEveryEarlierSchemaToTheSearchWatermark();
    void migratesEveryEarlierSchemaToArenaVotes_data();
    void migratesEveryEarlierSchemaToArenaVotes();
    void migratesEveryEarlierSchemaToChainTurns_data();
    void migratesEveryEarlierSchemaToChainTurns();
    void migratesSchema7ChainCellsToSearchableTurns_data();
    void migratesSchema7ChainCellsToSearchableTurns();
    void aFailedStepLeavesThePreviousVersion();
    void refusesANewerSchemaReadWriteButOpensItReadOnly();
    void defaultPathIsInTheAppDataFolder();
    void enumerationsAreStoredByUniqueNames();
};

void TestStoreSchema::createsTheCurrentSchemaInANewFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("sub/folder/history.sqlite"));
    HistoryStore store;
    auto report = store.open(path);
    QVERIFY2(report.ok(), qPrintable(report.error()));
    QCOMPARE(report.value().schemaVersion, StoreSchema::kCurrentVersion);
    QCOMPARE(report.value().migratedFrom, 0);
    QVERIFY(report.value().preMigrationBackup.isEmpty()); // nothing to lose in a new file
    QVERIFY(!report.value().recreated);
    const QStringList tables = objectNames(store.connection(), "table");
    for (const QString &t : StoreSchema::tables())
        QVERIFY2(tables.contains(t), qPrintable(t));
    QVERIFY(tables.contains(QStringLiteral("results_fts")));
    QVERIFY(objectNames(store.connection(), "index").contains(QStringLiteral("results_target_run")));
    QCOMPARE(store.connection().queryText(QStringLiteral("PRAGMA journal_mode")).value(), QStringLiteral("wal"));
    // No column may hold a secret.
    SqliteStatement columns = store.connection().prepare(QStringLiteral(
        "SELECT m.name, p.name FROM sqlite_schema m, pragma_table_info(m.name) p WHERE m.type = 'table'"));
    while (columns.step() == SQLITE_ROW) {
        const QString name = columns.text(1).toLower();
        QVERIFY2(!name.contains(u"api_key") && !name.contains(u"secret") && !name.contains(u"password") &&
                     !name.contains(u"authorization") && name != u"headers",
                 qPrintable(columns.text(0) + u'.' + name));
    }
    QCOMPARE(store.integrityCheck().value(), QStringLiteral("ok"));
}

void TestStoreSchema::migratesAnEmptyVersion0File()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("history.sqlite"));
    {
        SqliteConnection db;
        QVERIFY(db.open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE).ok());
        QVERIFY(db.exec("PRAGMA user_version = 0; CREATE TABLE scratch (x); DROP TABLE scratch;").ok());
    }
    QVERIFY(QFileInfo(path).size() > 0);
    HistoryStore store;
    auto report = store.open(path);
    QVERIFY2(report.ok(), qPrintable(report.error()));
    QCOMPARE(report.value().migratedFrom, 0);
    QCOMPARE(StoreSchema::version(store.connection()).value(), StoreSchema::kCurrentVersion);
    QVERIFY(store.listRuns().value().isEmpty());
}

void TestStoreSchema::migratesVersion1KeepingItsDataAfterABackup()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("history.sqlite"));
    const QString runId = QStringLiteral("11111111-2222-3333-4444-555555555555");
    const CellResult cell = makeCell({});
    writeV1File(path, runId, cell);
    if (QTest::currentTestFailed())
        return;

    HistoryStore store;
    auto report = store.open(path);
    QVERIFY2(report.ok(), qPrintable(report.error()));
    QCOMPARE(report.value().migratedFrom, 1);
    QCOMPARE(report.value().schemaVersion, StoreSchema::kCurrentVersion);
    QVERIFY(objectNames(store.connection(), "index").contains(QStringLiteral("results_target_run")));
    // The copy made before migrating is the untouched version 1.
    const QString backup = report.value().preMigrationBackup;
    QVERIFY(QFileInfo::exists(backup));
    {
        SqliteConnection old;
        QVERIFY(old.open(backup, SQLITE_OPEN_READONLY).ok());
        QCOMPARE(StoreSchema::version(old).value(), 1);
        QVERIFY(!objectNames(old, "index").contains(QStringLiteral("results_target_run")));
        QCOMPARE(old.queryInt(QStringLiteral("SELECT count(*) FROM results")).value(), 1);
    }
    const auto runs = store.listRuns();
    QCOMPARE(runs.value().size(), 1);
    QCOMPARE(runs.value().first().id, runId);
    QCOMPARE(runs.value().first().suiteName, QStringLiteral("old suite"));
    const auto cells = store.loadCells(runId);
    QVERIFY2(cells.ok(), qPrintable(cells.error()));
    QCOMPARE(cells.value().size(), 1);
    // Attempts and judge calls were not written with this hand-made v1 row: compare the row's own fields.
    CellResult expected = cell;
    expected.job.timeline.attempts.clear();
    expected.judgeCalls.clear();
    CellResult loaded = cells.value().first();
    compareCells(loaded, expected);
    // The search index was built by v1's trigger and survives the migration.
    SearchQuery q;
    q.text = QStringLiteral("six times");
    QCOMPARE(store.search(q).value().size(), 0); // v1 file written without prompts
    q.text = QStringLiteral("answer");
    QCOMPARE(store.search(q).value().size(), 1);
    // Opening again migrates nothing.
    store.close();
    auto again = store.open(path);
    QCOMPARE(again.value().migratedFrom, -1);
}

void TestStoreSchema::migratesVersion2ToWritersThatIndexThemselves()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("history.sqlite"));
    const QString oldRun = QStringLiteral("22222222-2222-3333-4444-555555555555");
    writeV1File(path, oldRun, makeCell({}), 2);
    if (QTest::currentTestFailed())
        return;
    {
        SqliteConnection v2;
        QVERIFY(v2.open(path, SQLITE_OPEN_READONLY).ok());
        QVERIFY(objectNames(v2, "trigger").contains(QStringLiteral("results_fts_insert")));
    }

    HistoryStore store;
    auto report = store.open(path);
    QVERIFY2(report.ok(), qPrintable(report.error()));
    QCOMPARE(report.value().migratedFrom, 2);
    QCOMPARE(report.value().schemaVersion, StoreSchema::kCurrentVersion);
    QVERIFY(QFileInfo::exists(report.value().preMigrationBackup));
    // The insert trigger is gone (the writer indexes each result); deletes still go by trigger.
    const QStringList triggers = objectNames(store.connection(), "trigger");
    QVERIFY(!triggers.contains(QStringLiteral("results_fts_insert")));
    QVERIFY(triggers.contains(QStringLiteral("results_fts_delete")));
    // What v2's trigger indexed is still found.
    SearchQuery q;
    q.text = QStringLiteral("answer");
    QCOMPARE(store.search(q).value().size(), 1);

    // A writer on the migrated file indexes what it writes, prompt and answer.
    {
        HistoryWriter writer;
        QSignalSpy opened(&writer, &HistoryWriter::opened);
        StoreWriter::Options options;
        options.backupIntervalHours = 0;
        writer.start(path, options);
        QVERIFY(opened.wait(10'000));
        QVERIFY2(opened.first().at(0).toBool(), qPrintable(opened.first().at(1).toString()));
        QSignalSpy committed(&writer, &HistoryWriter::committed);
        const RunStart run = makeRun(QStringLiteral("new suite"), {QStringLiteral("t1")});
        const CellResult cell = makeCell(Cell().text(QStringLiteral("written after the upgrade: wombat")));
        writer.beginRun(run);
        writer.addResult(run.id, cell);
        writer.endRun(run.id, RunState::Completed);
        QVERIFY(waitCommitted(committed, {cell.job.jobId}));
    }
    q.text = QStringLiteral("wombat");
    const auto found = store.search(q);
    QVERIFY2(found.ok(), qPrintable(found.error()));
    QCOMPARE(found.value().size(), 1);
    q.text = QStringLiteral("answer");
    QCOMPARE(store.search(q).value().size(), 1); // the old cell; the new one's answer is about a wombat
    q.text = QStringLiteral("seven");            // c1's prompt: in the new run only (the v2 file has no prompts)
    QCOMPARE(store.search(q).value().size(), 1);
    QCOMPARE(store.integrityCheck().value(), QStringLiteral("ok"));
}

// Schema 4 gives each file a random identity that every write transaction touches (so it is in
// every -wal: HistoryStore recognises a log of another history by it).
void TestStoreSchema::migratesVersion3ToAnIdentityEveryCommitTouches()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("history.sqlite"));
    writeV1File(path, QStringLiteral("33333333-2222-3333-4444-555555555555"), makeCell({}), 3);
    if (QTest::currentTestFailed())
        return;
    HistoryStore store;
    auto report = store.open(path);
    QVERIFY2(report.ok(), qPrintable(report.error()));
    QCOMPARE(report.value().migratedFrom, 3);
    QCOMPARE(report.value().schemaVersion, StoreSchema::kCurrentVersion);
    QVERIFY(QFileInfo::exists(report.value().preMigrationBackup));
    const auto id = StoreSchema::fileId(store.connection());
    QVERIFY2(id.ok(), qPrintable(id.error()));
    QCOMPARE(id.value().size(), 32);              // 16 random bytes in hex
    QCOMPARE(store.listRuns().value().size(), 1); // the v3 run is kept
    // Another new file gets another identity; the identity is not a table that travels.
    {
        SqliteConnection other;
        QVERIFY(
            other.open(dir.filePath(QStringLiteral("other.sqlite")), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE).ok());
        QVERIFY(StoreSchema::migrate(other).ok());
        QVERIFY(StoreSchema::fileId(other).value() != id.value());
    }
    QVERIFY(!StoreSchema::tables().contains(QStringLiteral("store_identity")));
    // A writer's commit touches it.
    const auto commitsBefore = store.connection().queryInt(QStringLiteral("SELECT commits FROM store_identity"));
    {
        HistoryWriter writer;
        QSignalSpy committed(&writer, &HistoryWriter::committed);
        StoreWriter::Options options;
        options.backupIntervalHours = 0;
        writer.start(path, options);
        const RunStart run = makeRun(QStringLiteral("new suite"), {QStringLiteral("t1")});
        writer.beginRun(run);
        writer.addResult(run.id, makeCell({}));
        QVERIFY(waitCommitted(committed, {makeCell({}).job.jobId}));
    }
    const auto commitsAfter = store.connection().queryInt(QStringLiteral("SELECT commits FROM store_identity"));
    QVERIFY(commitsBefore && commitsAfter);
    QVERIFY2(*commitsAfter > *commitsBefore,
             qPrintable(QStringLiteral("%1 → %2").arg(*commitsBefore).arg(*commitsAfter)));
    QCOMPARE(StoreSchema::fileId(store.connection()).value(), id.value()); // and never changes it
}

void TestStoreSchema::migratesEveryEarlierSchemaToTheSearchWatermark_data()
{
    QTest::addColumn<int>("version");
    for (int v = 1; v < 5; ++v) // the versions before the watermark
        QTest::addRow("schema %d", v) << v;
}

// Schema 5: every result already in the file was indexed, so the watermark starts at the highest
// id; the old result stays searchable, and results written after the upgrade are searchable at
// once (above the watermark) and indexed exactly once when the writer catches up.
void TestStoreSchema::migratesEveryEarlierSchemaToTheSearchWatermark()
{
    QFETCH(int, version);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("history.sqlite"));
    const QString oldRun = QStringLiteral("55555555-2222-3333-4444-555555555555");
    writeIndexedFile(path, oldRun, makeCell(Cell().text(QStringLiteral("an old lemur"))), version);
    if (QTest::currentTestFailed())
        return;
    HistoryStore store;
    auto report = store.open(path);
    QVERIFY2(report.ok(), qPrintable(report.error()));
    QCOMPARE(report.value().migratedFrom, version);
    SqliteConnection &db = store.connection();
    const qint64 oldId = db.queryInt(QStringLiteral("SELECT max(id) FROM results")).value_or(-1);
    QCOMPARE(SearchIndex::indexedTo(db).value().value_or(-1), oldId);
    QVERIFY(objectNames(db, "trigger").contains(QStringLiteral("results_fts_delete")));
    QVERIFY(!objectNames(db, "trigger").contains(QStringLiteral("results_fts_insert")));
    const auto hits = [&store](const QString &text) {
        SearchQuery q;
        q.text = text;
        const auto found = store.search(q);
        return found.ok() ? found.value().size() : -1;
    };
    QCOMPARE(hits(QStringLiteral("lemur")), 1);
    QCOMPARE(hits(QStringLiteral("seven")), 1); // the old result's prompt

    StoreWriter::Options options;
    options.backupIntervalHours = 0;
    options.indexChunk = 0; // first without catching up
    const RunStart run = makeRun(QStringLiteral("new suite"), {QStringLiteral("t1")});
    const CellResult cell = makeCell(Cell().text(QStringLiteral("a new tapir")));
    {
        HistoryWriter writer;
        QSignalSpy committed(&writer, &HistoryWriter::committed);
        writer.start(path, options);
        writer.beginRun(run);
        writer.addResult(run.id, cell);
        QVERIFY(waitCommitted(committed, {cell.job.jobId}));
    }
    QCOMPARE(SearchIndex::indexedTo(db).value().value_or(-1), oldId);
    QCOMPARE(hits(QStringLiteral("tapir")), 1);
    QCOMPARE(hits(QStringLiteral("seven")), 2);
    {
        HistoryWriter writer;
        QSignalSpy indexed(&writer, &HistoryWriter::searchIndexed);
        options.indexChunk = 2000;
        writer.start(path, options);
        QVERIFY(indexed.wait(10'000));
    }
    QCOMPARE(SearchIndex::indexedTo(db).value().value_or(-1), oldId + 1);
    QVERIFY(db.exec("INSERT INTO results_fts (results_fts, rank) VALUES ('integrity-check', 1)").ok());
    QCOMPARE(db.queryInt(QStringLiteral("SELECT count(*) FROM results_fts_docsize")).value_or(-1), 2);
    QCOMPARE(hits(QStringLiteral("tapir")), 1);
    QCOMPARE(hits(QStringLiteral("lemur")), 1);
    // The old run's words leave the index with it.
    QVERIFY(store.deleteRun(oldRun).ok());
    QCOMPARE(hits(QStringLiteral("lemur")), 0);
    QCOMPARE(store.integrityCheck().value(), QStringLiteral("ok"));
}

void TestStoreSchema::migratesEveryEarlierSchemaToArenaVotes_data()
{
    QTest::addColumn<int>("version");
    for (int v = 0; v < 6; ++v)
        QTest::addRow("schema %d", v) << v;
}

// Schema 6: every earlier file gains arena_votes, keeps its runs, and takes votes from the writer;
// deleting a run takes its votes with it.
void TestStoreSchema::migratesEveryEarlierSchemaToArenaVotes()
{
    QFETCH(int, version);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("history.sqlite"));
    const QString oldRun = QStringLiteral("66666666-2222-3333-4444-555555555555");
    const CellResult oldCell = makeCell(Cell().text(QStringLiteral("an old okapi")));
    if (version == 5)
        writeV1File(path, oldRun, oldCell, version); // unindexed, below no watermark: as 5's writer left it
    else if (version > 0)
        writeIndexedFile(path, oldRun, oldCell, version);
    if (QTest::currentTestFailed())
        return;
    HistoryStore store;
    auto report = store.open(path);
    QVERIFY2(report.ok(), qPrintable(report.error()));
    QCOMPARE(report.value().schemaVersion, StoreSchema::kCurrentVersion);
    QCOMPARE(report.value().migratedFrom, version);
    SqliteConnection &db = store.connection();
    QVERIFY(objectNames(db, "table").contains(QStringLiteral("arena_votes")));
    QCOMPARE(store.listRuns().value().size(), version > 0 ? 1 : 0);
    QCOMPARE(store.arenaVotes(oldRun).value().size(), 0);
    if (version == 0)
        return;
    QCOMPARE(store.loadCells(oldRun).value().size(), 1);

    StoreWriter::Options options;
    options.backupIntervalHours = 0;
    const QDateTime when = QDateTime::fromMSecsSinceEpoch(1'700'000'000'000, QTimeZone::utc());
    {
        HistoryWriter writer;
        QSignalSpy committed(&writer, &HistoryWriter::committed);
        writer.start(path, options);
        writer.addArenaVote({oldRun,
                             QStringLiteral("v1"),
                             QStringLiteral("c1"),
                             {},
                             oldCell.job.jobId,
                             QStringLiteral("other|job"),
                             QStringLiteral("right"),
                             {},
                             QStringLiteral("terse"),
                             when});
        writer.addResult(oldRun, makeCell(Cell().caseId(QStringLiteral("c7")))); // a marker the vote landed
        QVERIFY(waitCommitted(committed, {makeCell(Cell().caseId(QStringLiteral("c7"))).job.jobId}));
    }
    const auto votes = store.arenaVotes(oldRun);
    QVERIFY2(votes.ok(), qPrintable(votes.error()));
    QCOMPARE(votes.value().size(), 1);
    QCOMPARE(votes.value().first().choice, QStringLiteral("right"));
    QCOMPARE(votes.value().first().votedAt, when);
    QVERIFY(store.deleteRun(oldRun).ok());
    QCOMPARE(db.queryInt(QStringLiteral("SELECT count(*) FROM arena_votes")).value_or(-1), 0);
    QCOMPARE(store.integrityCheck().value(), QStringLiteral("ok"));
}

void TestStoreSchema::migratesEveryEarlierSchemaToChainTurns_data()
{
    QTest::addColumn<int>("version");
    for (int v = 1; v < 7; ++v)
        QTest::addRow("schema %d", v) << v;
}

// Schema 7: results gain chain_json; every older cell loads as it was, with no turns.
void TestStoreSchema::migratesEveryEarlierSchemaToChainTurns()
{
    QFETCH(int, version);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("history.sqlite"));
    const QString oldRun = QStringLiteral("77777777-2222-3333-4444-555555555555");
    const CellResult oldCell = makeCell(Cell().text(QStringLiteral("an old quokka")));
    if (version == 5)
        writeV1File(path, oldRun, oldCell, version);
    else
        writeIndexedFile(path, oldRun, oldCell, version);
    if (QTest::currentTestFailed())
        return;
    HistoryStore store;
    auto report = store.open(path);
    QVERIFY2(report.ok(), qPrintable(report.error()));
    QCOMPARE(report.value().schemaVersion, StoreSchema::kCurrentVersion);
    QCOMPARE(report.value().migratedFrom, version);
    const auto cells = store.loadCells(oldRun);
    QVERIFY2(cells.ok(), qPrintable(cells.error()));
    QCOMPARE(cells.value().size(), 1);
    QCOMPARE(cells.value().first().job.result.text, QStringLiteral("an old quokka"));
    QCOMPARE(cells.value().first().grade.score, oldCell.grade.score);
    QVERIFY(cells.value().first().turns.isEmpty());
}

void TestStoreSchema::migratesSchema7ChainCellsToSearchableTurns_data()
{
    QTest::addColumn<bool>("indexed");
    QTest::newRow("indexed by schema 7") << true;
    QTest::newRow("above the watermark") << false;
}

// Schema 8: a chain cell schema 7 had indexed (prompt and last answer only) is reindexed with its
// turns; one above the watermark is left to the writer. Either way the file keeps every turn, a
// word of a later turn finds the cell, and deleting it leaves a sound index.
void TestStoreSchema::migratesSchema7ChainCellsToSearchableTurns()
{
    QFETCH(bool, indexed);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("history.sqlite"));
    const QString oldRun = QStringLiteral("88888888-2222-3333-4444-555555555555");
    const CellResult chain = makeChainCell(Cell());
    writeV1File(path, oldRun, chain, 7);
    if (QTest::currentTestFailed())
        return;
    {
        SqliteConnection db;
        QVERIFY(db.open(path, SQLITE_OPEN_READWRITE).ok());
        QVERIFY(db.exec("INSERT INTO prompts (run_id, case_id, variant_id, text) SELECT run_id, case_id, variant_id, "
                        "'What is six times seven?' FROM results")
                    .ok());
        if (indexed) {
            QVERIFY(SearchIndex::catchUpNow(db, 0).ok()); // as schema 7's writer did: without the turns
            QCOMPARE(db.queryInt(QStringLiteral("SELECT count(*) FROM results_fts WHERE results_fts MATCH 'sunny'"))
                         .value_or(-1),
                     1);
            QCOMPARE(db.queryInt(QStringLiteral("SELECT count(*) FROM results_fts WHERE results_fts MATCH 'narwhals'"))
                         .value_or(-1),
                     0);
        }
    }
    HistoryStore store;
    auto report = store.open(path);
    QVERIFY2(report.ok(), qPrintable(report.error()));
    QCOMPARE(report.value().schemaVersion, StoreSchema::kCurrentVersion);
    QCOMPARE(report.value().migratedFrom, 7);
    SqliteConnection &db = store.connection();
    const auto indexedMatches = [&db](const char *word) {
        return db
            .queryInt(QStringLiteral("SELECT count(*) FROM results_fts WHERE results_fts MATCH '%1'")
                          .arg(QLatin1StringView(word)))
            .value_or(-1);
    };
    QCOMPARE(indexedMatches("narwhals"), indexed ? 1 : 0); // reindexed by the migration, not only searched
    QCOMPARE(indexedMatches("fjord"), indexed ? 1 : 0);
    if (indexed)
        QVERIFY(db.exec("INSERT INTO results_fts (results_fts, rank) VALUES ('integrity-check', 1)").ok());
    const auto hits = [&store](const QString &text) {
        SearchQuery q;
        q.text = text;
        const auto found = store.search(q);
        return found.ok() ? found.value().size() : -1;
    };
    QCOMPARE(hits(QStringLiteral("narwhals")), 1); // only in the second turn's user message
    QCOMPARE(hits(QStringLiteral("fjord")), 1);    // only in the first turn's answer
    QCOMPARE(hits(QStringLiteral("sunny")), 1);
    QCOMPARE(hits(QStringLiteral("seven")), 1);
    const auto cells = store.loadCells(oldRun);
    QVERIFY2(cells.ok(), qPrintable(cells.error()));
    QCOMPARE(cells.value().size(), 1);
    QCOMPARE(cells.value().first().turns.size(), 2);
    QCOMPARE(cells.value().first().turns.at(1).user, chain.turns.at(1).user);
    QCOMPARE(store.integrityCheck().value(), QStringLiteral("ok"));
    QVERIFY(store.deleteRun(oldRun).ok());
    QCOMPARE(hits(QStringLiteral("narwhals")), 0);
    QCOMPARE(db.queryInt(QStringLiteral("SELECT count(*) FROM results_fts_docsize")).value_or(-1), 0);
    QVERIFY(db.exec("INSERT INTO results_fts (results_fts, rank) VALUES ('integrity-check', 1)").ok());
}

void TestStoreSchema::aFailedStepLeavesThePreviousVersion()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("history.sqlite"));
    {
        SqliteConnection db;
        QVERIFY(db.open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE).ok());
        QVERIFY(StoreSchema::migrate(db, 1).ok());
        // Something in the way of step 2: an object with the name its index takes.
        QVERIFY(db.exec("CREATE INDEX results_target_run ON results (case_id)").ok());
    }
    HistoryStore store;
    auto report = store.open(path);
    QVERIFY(!report.ok());
    QVERIFY2(report.error().contains(path) && report.error().contains(u"schema 2"), qPrintable(report.error()));
    SqliteConnection db;
    QVERIFY(db.open(path, SQLITE_OPEN_READONLY).ok());
    QCOMPARE(StoreSchema::version(db).value(), 1);
}

void TestStoreSchema::refusesANewerSchemaReadWriteButOpensItReadOnly()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("history.sqlite"));
    {
        HistoryStore store;
        QVERIFY(store.open(path).ok());
        QVERIFY(store.connection()
                    .exec(QStringLiteral("PRAGMA user_version = %1").arg(StoreSchema::kCurrentVersion + 1))
                    .ok());
    }
    const QByteArray before = [&] {
        QFile f(path);
        f.open(QIODevice::ReadOnly);
        return f.readAll();
    }();
    HistoryStore store;
    auto refused = store.open(path);
    QVERIFY(!refused.ok());
    QVERIFY2(refused.error().contains(path), qPrintable(refused.error()));
    QVERIFY2(refused.error().contains(u"newer"), qPrintable(refused.error()));
    QVERIFY(refused.error().contains(u"read-only"));
    QVERIFY(!store.isOpen());
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), before); // not a byte changed

    auto readOnly = store.open(path, HistoryStore::Mode::ReadOnly);
    QVERIFY2(readOnly.ok(), qPrintable(readOnly.error()));
    QCOMPARE(readOnly.value().schemaVersion, StoreSchema::kCurrentVersion + 1);
    QVERIFY(readOnly.value().readOnly);
    QVERIFY(store.listRuns().ok());
    // And a writer refuses it too.
    HistoryWriter writer;
    QSignalSpy opened(&writer, &HistoryWriter::opened);
    writer.start(path, {});
    QVERIFY(opened.wait(10'000));
    QCOMPARE(opened.first().at(0).toBool(), false);
    QVERIFY(opened.first().at(1).toString().contains(path));
}

void TestStoreSchema::defaultPathIsInTheAppDataFolder()
{
    // The same file whatever the application's name: the GUI and the CLI share one history.
    const QString path = HistoryStore::defaultPath();
    QCOMPARE(path, QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) +
                       QStringLiteral("/Slopscope/history.sqlite"));
    const QString name = QCoreApplication::applicationName();
    QCoreApplication::setApplicationName(QStringLiteral("another-name"));
    const QString other = HistoryStore::defaultPath();
    QCoreApplication::setApplicationName(name);
    QCOMPARE(other, path);
}

void TestStoreSchema::enumerationsAreStoredByUniqueNames()
{
    QSet<QString> names;
    for (int i = 0; i <= static_cast<int>(JobState::Cancelled); ++i) {
        const auto state = static_cast<JobState>(i);
        const QString name = StoreEnums::jobStateName(state);
        QVERIFY(!name.isEmpty() && !names.contains(name));
        names.insert(name);
        QCOMPARE(StoreEnums::jobStateFromName(name), state);
    }
    names.clear();
    for (int i = 0; i <= static_cast<int>(FailureKind::NotSent); ++i) {
        const auto kind = static_cast<FailureKind>(i);
        const QString name = StoreEnums::failureName(kind);
        QVERIFY(!name.isEmpty() && !names.contains(name));
        names.insert(name);
        QCOMPARE(StoreEnums::failureFromName(name), kind);
    }
    for (int i = 0; i <= static_cast<int>(StreamOutcome::Incomplete); ++i)
        QCOMPARE(StoreEnums::outcomeFromName(StoreEnums::outcomeName(static_cast<StreamOutcome>(i))),
                 static_cast<StreamOutcome>(i));
    for (RunState s : {RunState::Running, RunState::Completed, RunState::Cancelled, RunState::Interrupted})
        QCOMPARE(StoreEnums::runStateFromName(StoreEnums::runStateName(s)), s);
    // A name from a newer version reads as unknown, not as some other value.
    QVERIFY(!StoreEnums::jobStateFromName(QStringLiteral("paused")).has_value());
}

QTEST_GUILESS_MAIN(TestStoreSchema)
#include "tst_storeschema.moc"
