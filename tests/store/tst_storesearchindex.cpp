#include "store/SearchIndex.h"
#include "StoreTestSupport.h"

#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace Slopscope;
using namespace StoreTest;

// Schema 5: results are committed unindexed and the writer catches the search index up after
// the commit. Search must find every committed result all the same, the index must hold each
// result exactly once, and delete, export and import must stay correct on either side of the
// watermark.
class TestStoreSearchIndex final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void findsAResultTheIndexDoesNotHoldYet();
    void catchesUpOnceAfterARestartMidCatchUp();
    void writerCatchesUpWhenIdle();
    void aFloodKeepsTheUnindexedTailBounded();
    void deletingARunRemovesIndexedAndUnindexedResults();
    void exportAndImportFindUnindexedResults();
    void findsAChainCellByItsLaterTurns();
    void malformedChainJsonNeitherBlocksIndexingNorDeletes();

private:
    void startWriter(int indexChunk);
    QString record(const RunStart &run, const QList<CellResult> &cells);
    qsizetype hits(HistoryStore &store, const QString &text, const QString &target = {});
    qint64 count(const QString &sql);
    // FTS5's own check, run without catching up first. Against the content: the index holds
    // exactly what the content gives back for every result (one indexed twice, a stale one or a
    // missing one fails it), so only with nothing above the watermark; else its internal structure.
    QString ftsCheck(HistoryStore &store, bool againstContent = true);

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
    std::unique_ptr<HistoryWriter> m_writer;
    HistoryStore m_store;
};

void TestStoreSearchIndex::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_path = m_dir->filePath(QStringLiteral("history.sqlite"));
    auto opened = m_store.open(m_path);
    QVERIFY2(opened.ok(), qPrintable(opened.error()));
}

void TestStoreSearchIndex::cleanup()
{
    m_writer.reset();
    m_store.close();
    m_dir.reset();
}

void TestStoreSearchIndex::startWriter(int indexChunk)
{
    m_writer = std::make_unique<HistoryWriter>();
    QSignalSpy ready(m_writer.get(), &HistoryWriter::opened);
    StoreWriter::Options options;
    options.backupIntervalHours = 0;
    options.indexChunk = indexChunk;
    m_writer->start(m_path, options);
    QVERIFY(ready.wait(10'000));
    QVERIFY2(ready.first().at(0).toBool(), qPrintable(ready.first().at(1).toString()));
}

QString TestStoreSearchIndex::record(const RunStart &run, const QList<CellResult> &cells)
{
    QSignalSpy committed(m_writer.get(), &HistoryWriter::committed);
    m_writer->beginRun(run);
    QStringList ids;
    for (const CellResult &c : cells) {
        m_writer->addResult(run.id, c);
        ids.append(c.job.jobId);
    }
    m_writer->endRun(run.id, RunState::Completed);
    if (!waitCommitted(committed, ids))
        qWarning("not every result was committed");
    return run.id;
}

qsizetype TestStoreSearchIndex::hits(HistoryStore &store, const QString &text, const QString &target)
{
    SearchQuery q;
    q.text = text;
    q.targetId = target;
    q.limit = 1000;
    const auto found = store.search(q);
    if (!found.ok()) {
        qWarning("%s", qPrintable(found.error()));
        return -1;
    }
    QSet<QString> distinct;
    for (const SearchHit &h : found.value())
        distinct.insert(h.runId + u'/' + h.jobId);
    return distinct.size() == found.value().size() ? found.value().size() : -2; // -2: a result twice
}

qint64 TestStoreSearchIndex::count(const QString &sql)
{
    return m_store.connection().queryInt(sql).value_or(-1);
}

QString TestStoreSearchIndex::ftsCheck(HistoryStore &store, bool againstContent)
{
    const SqliteStatus s = store.connection().exec(
        againstContent ? "INSERT INTO results_fts (results_fts, rank) VALUES ('integrity-check', 1)"
                       : "INSERT INTO results_fts (results_fts, rank) VALUES ('integrity-check', 0)");
    return s.ok() ? QStringLiteral("ok") : s.message;
}

void TestStoreSearchIndex::findsAResultTheIndexDoesNotHoldYet()
{
    startWriter(0); // never catches up
    const RunStart run = makeRun(QStringLiteral("suite"), {QStringLiteral("t1"), QStringLiteral("t2")});
    record(run, {makeCell(Cell().text(QStringLiteral("a pangolin crossed the road"))),
                 makeCell(Cell().caseId(QStringLiteral("c2")).target(QStringLiteral("t2")))});
    const auto mark = SearchIndex::indexedTo(m_store.connection());
    QVERIFY2(mark.ok(), qPrintable(mark.error()));
    QCOMPARE(mark.value().value_or(-1), 0);
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM results_fts WHERE results_fts MATCH 'pangolin'")), 0);

    QCOMPARE(hits(m_store, QStringLiteral("pangolin")), 1);
    QCOMPARE(hits(m_store, QStringLiteral("PANGOLIN road")), 1); // the index's tokenizer: case folded, every word
    QCOMPARE(hits(m_store, QStringLiteral("pangolins")), 0);     // ... and whole tokens, not substrings
    QCOMPARE(hits(m_store, QStringLiteral("seven")), 1);         // c1's prompt
    QCOMPARE(hits(m_store, QStringLiteral("capital")), 1);       // c2's prompt
    QCOMPARE(hits(m_store, QStringLiteral("answer"), QStringLiteral("t2")), 1); // filters apply to the tail
    QCOMPARE(hits(m_store, QStringLiteral("answer"), QStringLiteral("t1")), 0);
    SearchQuery q;
    q.text = QStringLiteral("pangolin");
    const auto found = m_store.search(q);
    QVERIFY(found.ok() && found.value().size() == 1);
    QCOMPARE(found.value().first().runId, run.id);
    QVERIFY2(found.value().first().snippet.contains(QStringLiteral("\x02pangolin\x03")),
             qPrintable(found.value().first().snippet));

    // A read-only connection searches the tail too (in its own temporary database).
    HistoryStore reader;
    QVERIFY(reader.open(m_path, HistoryStore::Mode::ReadOnly).ok());
    QCOMPARE(hits(reader, QStringLiteral("pangolin")), 1);
}

void TestStoreSearchIndex::catchesUpOnceAfterARestartMidCatchUp()
{
    startWriter(0);
    QList<CellResult> cells;
    for (int i = 0; i < 10; ++i)
        cells.append(
            makeCell(Cell().caseId(QStringLiteral("k%1").arg(i)).text(QStringLiteral("gnu number w%1x").arg(i))));
    record(makeRun(QStringLiteral("suite"), {QStringLiteral("t1")}), cells);
    m_writer.reset();

    // The catch-up stops after one chunk of 3 (as a crash after its commit would leave it).
    const auto chunk = SearchIndex::catchUpNow(m_store.connection(), 3);
    QVERIFY2(chunk.ok(), qPrintable(chunk.error()));
    const qint64 first = count(QStringLiteral("SELECT min(id) FROM results"));
    QCOMPARE(chunk.value().indexedTo, first + 2);
    QVERIFY(!chunk.value().done());
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM results_fts_docsize")), 3);
    QCOMPARE(ftsCheck(m_store, false), QStringLiteral("ok"));
    QCOMPARE(hits(m_store, QStringLiteral("gnu")), 10); // 3 from the index, 7 from the tail, none twice
    QCOMPARE(hits(m_store, QStringLiteral("w1x")), 1);
    QCOMPARE(hits(m_store, QStringLiteral("w8x")), 1);

    // A writer opening the file catches up the rest, in chunks, without indexing anything again.
    m_writer = std::make_unique<HistoryWriter>();
    QSignalSpy indexed(m_writer.get(), &HistoryWriter::searchIndexed);
    StoreWriter::Options options;
    options.backupIntervalHours = 0;
    options.indexChunk = 4;
    m_writer->start(m_path, options);
    const qint64 last = count(QStringLiteral("SELECT max(id) FROM results"));
    QTRY_VERIFY_WITH_TIMEOUT(!indexed.isEmpty() && indexed.last().at(0).toLongLong() == last, 10'000);
    QCOMPARE(indexed.size(), 2); // 4 + 3
    QCOMPARE(SearchIndex::indexedTo(m_store.connection()).value().value_or(-1), last);
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM results_fts_docsize")), 10);
    QCOMPARE(ftsCheck(m_store), QStringLiteral("ok"));
    QCOMPARE(hits(m_store, QStringLiteral("gnu")), 10);
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM results_fts WHERE results_fts MATCH 'gnu'")), 10);
}

void TestStoreSearchIndex::writerCatchesUpWhenIdle()
{
    startWriter(2000);
    QSignalSpy indexed(m_writer.get(), &HistoryWriter::searchIndexed);
    record(makeRun(QStringLiteral("suite"), {QStringLiteral("t1")}),
           {makeCell(Cell().text(QStringLiteral("an idle okapi"))), makeCell(Cell().caseId(QStringLiteral("c2")))});
    const qint64 last = count(QStringLiteral("SELECT max(id) FROM results"));
    QTRY_VERIFY_WITH_TIMEOUT(!indexed.isEmpty() && indexed.last().at(0).toLongLong() == last, 10'000);
    QCOMPARE(indexed.last().at(1).toLongLong(), last);
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM results_fts WHERE results_fts MATCH 'okapi'")), 1);
    QCOMPARE(ftsCheck(m_store), QStringLiteral("ok"));
}

void TestStoreSearchIndex::aFloodKeepsTheUnindexedTailBounded()
{
    // Commits of 10, chunks of 10, at most 20 unindexed: whether the 200 results reach the writer
    // at once (it is never idle) or not, no catch-up leaves more than 20 behind.
    m_writer = std::make_unique<HistoryWriter>();
    QSignalSpy ready(m_writer.get(), &HistoryWriter::opened);
    QSignalSpy indexed(m_writer.get(), &HistoryWriter::searchIndexed);
    StoreWriter::Options options;
    options.backupIntervalHours = 0;
    options.maxBatch = 10;
    options.indexChunk = 10;
    options.maxIndexLag = 20;
    m_writer->start(m_path, options);
    QVERIFY(ready.wait(10'000));
    QList<CellResult> cells;
    for (int i = 0; i < 200; ++i)
        cells.append(makeCell(Cell().caseId(QStringLiteral("f%1").arg(i)).text(QStringLiteral("flood w%1x").arg(i))));
    record(makeRun(QStringLiteral("flood"), {QStringLiteral("t1")}), cells);
    const qint64 last = count(QStringLiteral("SELECT max(id) FROM results"));
    QTRY_VERIFY_WITH_TIMEOUT(!indexed.isEmpty() && indexed.last().at(0).toLongLong() == last, 10'000);
    for (const auto &args : std::as_const(indexed)) {
        const qint64 lag = args.at(1).toLongLong() - args.at(0).toLongLong();
        QVERIFY2(lag <= 20, qPrintable(QString::number(lag)));
    }
    QCOMPARE(hits(m_store, QStringLiteral("flood")), 200);
    QCOMPARE(ftsCheck(m_store), QStringLiteral("ok"));
}

void TestStoreSearchIndex::deletingARunRemovesIndexedAndUnindexedResults()
{
    startWriter(0);
    const QString keep = record(makeRun(QStringLiteral("keep"), {QStringLiteral("t1")}),
                                {makeCell(Cell().text(QStringLiteral("an ordinary answer")))});
    const QString secret = QStringLiteral("zanzibarquokka");
    const QString gone =
        record(makeRun(QStringLiteral("doomed"), {QStringLiteral("t1")}),
               {makeCell(Cell().text(secret + QStringLiteral(" one"))),
                makeCell(Cell().caseId(QStringLiteral("c2")).text(secret + QStringLiteral(" two"))),
                makeCell(Cell().caseId(QStringLiteral("c3")).text(secret + QStringLiteral(" three")))});
    m_writer.reset();
    // The kept cell and the first doomed one are indexed; the other two are not.
    QVERIFY(SearchIndex::catchUpNow(m_store.connection(), 2).ok());
    QCOMPARE(hits(m_store, secret), 3);

    const Status deleted = m_store.deleteRun(gone);
    QVERIFY2(deleted.ok(), qPrintable(deleted.error()));
    QCOMPARE(hits(m_store, secret), 0);
    QCOMPARE(ftsCheck(m_store), QStringLiteral("ok")); // no 'delete' of words the index never had
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM results_fts_docsize")), 1);
    // The newest results went: the watermark came down to the highest id left, so the ids SQLite
    // gives the next results (one above it) are above the watermark, hence searched and indexed.
    const qint64 kept = count(QStringLiteral("SELECT max(id) FROM results"));
    QCOMPARE(SearchIndex::indexedTo(m_store.connection()).value().value_or(-1), kept);

    startWriter(0);
    record(makeRun(QStringLiteral("after"), {QStringLiteral("t1")}),
           {makeCell(Cell().text(QStringLiteral("a late wombat")))});
    m_writer.reset();
    QCOMPARE(hits(m_store, QStringLiteral("wombat")), 1);
    QCOMPARE(hits(m_store, QStringLiteral("ordinary")), 1);
    QVERIFY(SearchIndex::catchUpNow(m_store.connection(), 0).ok());
    QCOMPARE(ftsCheck(m_store), QStringLiteral("ok"));
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM results_fts_docsize")), 2);
    QCOMPARE(hits(m_store, QStringLiteral("wombat")), 1);
    QCOMPARE(m_store.loadCells(keep).value().size(), 1);
}

void TestStoreSearchIndex::exportAndImportFindUnindexedResults()
{
    startWriter(0);
    const QString runId = record(
        makeRun(QStringLiteral("shared"), {QStringLiteral("t1")}),
        {makeCell(Cell().text(QStringLiteral("an axolotl smiles"))), makeCell(Cell().caseId(QStringLiteral("c2")))});
    QCOMPARE(SearchIndex::indexedTo(m_store.connection()).value().value_or(-1), 0);
    const QString file = m_dir->filePath(QStringLiteral("shared.slopscope"));
    const Status exported = m_store.exportRun(runId, file);
    QVERIFY2(exported.ok(), qPrintable(exported.error()));
    {
        HistoryStore exportFile;
        QVERIFY(exportFile.open(file).ok());
        QCOMPARE(hits(exportFile, QStringLiteral("axolotl")), 1);
        QCOMPARE(hits(exportFile, QStringLiteral("capital")), 1);
        // The export is indexed whole: its watermark is its last result.
        const qint64 last =
            exportFile.connection().queryInt(QStringLiteral("SELECT max(id) FROM results")).value_or(-1);
        QCOMPARE(SearchIndex::indexedTo(exportFile.connection()).value().value_or(-1), last);
        QCOMPARE(ftsCheck(exportFile), QStringLiteral("ok"));
    }
    QTemporaryDir elsewhere;
    HistoryStore other;
    QVERIFY(other.open(elsewhere.filePath(QStringLiteral("history.sqlite"))).ok());
    const auto imported = other.importRuns(file);
    QVERIFY2(imported.ok(), qPrintable(imported.error()));
    QCOMPARE(hits(other, QStringLiteral("axolotl")), 1);
    QCOMPARE(hits(other, QStringLiteral("seven")), 1);
    const qint64 last = other.connection().queryInt(QStringLiteral("SELECT max(id) FROM results")).value_or(-1);
    QCOMPARE(SearchIndex::indexedTo(other.connection()).value().value_or(-1), last);
    QCOMPARE(ftsCheck(other), QStringLiteral("ok"));
    // Importing into this history, whose own results are not indexed yet, indexes them as well.
    m_writer.reset();
    QVERIFY(m_store.deleteRun(runId).ok());
    QVERIFY(m_store.importRuns(file).ok());
    QCOMPARE(hits(m_store, QStringLiteral("axolotl")), 1);
    QCOMPARE(ftsCheck(m_store), QStringLiteral("ok"));
}

// Schema 8: the words of a chain's later turns (follow-up user messages, earlier answers) find the
// cell, above the watermark (the search's own tail index) and below it (the writer's index).
void TestStoreSearchIndex::findsAChainCellByItsLaterTurns()
{
    startWriter(0);
    const QString runId = record(makeRun(QStringLiteral("chains"), {QStringLiteral("t1")}),
                                 {makeChainCell(Cell()), makeCell(Cell().caseId(QStringLiteral("c2")))});
    m_writer.reset();
    QCOMPARE(hits(m_store, QStringLiteral("narwhals")), 1); // only in the second turn's user message
    QCOMPARE(hits(m_store, QStringLiteral("fjord")), 1);    // only in the first turn's answer
    QVERIFY(SearchIndex::catchUpNow(m_store.connection(), 0).ok());
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM results_fts WHERE results_fts MATCH 'narwhals'")), 1);
    QCOMPARE(hits(m_store, QStringLiteral("narwhals")), 1);
    QCOMPARE(hits(m_store, QStringLiteral("fjord drizzle")), 1);
    QCOMPARE(hits(m_store, QStringLiteral("narwhals capital")), 0); // c2 is not a chain
    SearchQuery q;
    q.text = QStringLiteral("narwhals");
    const auto found = m_store.search(q);
    QVERIFY(found.ok() && found.value().size() == 1);
    QCOMPARE(found.value().first().caseId, QStringLiteral("c1"));
    QVERIFY2(found.value().first().snippet.contains(QStringLiteral("\x02narwhals\x03")),
             qPrintable(found.value().first().snippet));
    QCOMPARE(ftsCheck(m_store), QStringLiteral("ok"));
    QVERIFY(m_store.deleteRun(runId).ok()); // the trigger takes out exactly the words indexed
    QCOMPARE(hits(m_store, QStringLiteral("narwhals")), 0);
    QCOMPARE(ftsCheck(m_store), QStringLiteral("ok"));
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM results_fts_docsize")), 0);
}

// chain_json is read with SQLite's JSON functions; text that is not JSON counts as no turns
// instead of failing the index, the search or the delete trigger.
void TestStoreSearchIndex::malformedChainJsonNeitherBlocksIndexingNorDeletes()
{
    startWriter(0);
    const QString runId = record(makeRun(QStringLiteral("odd"), {QStringLiteral("t1")}),
                                 {makeChainCell(Cell()), makeCell(Cell().caseId(QStringLiteral("c2")))});
    m_writer.reset();
    QVERIFY(m_store.connection()
                .exec("UPDATE results SET chain_json = '[{\"user\": \"x\"' WHERE case_id = 'c1'; "
                      "UPDATE results SET chain_json = '[1, \"two\", {\"user\": 3, \"answer\": [\"ibis\"]}]' "
                      "WHERE case_id = 'c2'")
                .ok());
    QCOMPARE(hits(m_store, QStringLiteral("sunny")), 1);
    QCOMPARE(hits(m_store, QStringLiteral("narwhals")), 0);
    QCOMPARE(hits(m_store, QStringLiteral("ibis")), 1); // the odd but valid array still gives its text
    QVERIFY(SearchIndex::catchUpNow(m_store.connection(), 0).ok());
    QCOMPARE(ftsCheck(m_store), QStringLiteral("ok"));
    const Status deleted = m_store.deleteRun(runId);
    QVERIFY2(deleted.ok(), qPrintable(deleted.error()));
    QCOMPARE(ftsCheck(m_store), QStringLiteral("ok"));
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM results_fts_docsize")), 0);
}

QTEST_GUILESS_MAIN(TestStoreSearchIndex)
#include "tst_storesearchindex.moc"
