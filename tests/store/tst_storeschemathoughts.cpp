// Schema 9 (results.thoughts_json, a chain turn's "thoughts"): migration from a real schema 8 file,
// thinking blocks, reasoning items and signatures read back as written, and kept out of search.
#include "store/SearchIndex.h"
#include "OldSchemaFile.h"
#include "StoreTestSupport.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Slopscope;
using namespace StoreTest;

class TestStoreSchemaThoughts final : public QObject
{
    Q_OBJECT

private slots:
    void migratesSchema8ToKeptThoughts();
};

// Schema 9: results gain thoughts_json. A schema 8 file's chain cell loads as it was (no thoughts);
// a cell written after keeps its thinking blocks, reasoning items and Gemini signatures, its own
// and each chain turn's, and none of the opaque parts reach the search index.
void TestStoreSchemaThoughts::migratesSchema8ToKeptThoughts()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("history.sqlite"));
    const QString oldRun = QStringLiteral("99999999-2222-3333-4444-555555555555");
    writeV1File(path, oldRun, makeChainCell(Cell()), 8);
    if (QTest::currentTestFailed())
        return;
    HistoryStore store;
    auto report = store.open(path);
    QVERIFY2(report.ok(), qPrintable(report.error()));
    QCOMPARE(report.value().schemaVersion, 9);
    QCOMPARE(report.value().migratedFrom, 8);
    auto cells = store.loadCells(oldRun);
    QVERIFY2(cells.ok(), qPrintable(cells.error()));
    QCOMPARE(cells.value().size(), 1);
    QCOMPARE(cells.value().first().turns.size(), 2);
    QVERIFY(cells.value().first().turns.at(1).thoughts.isEmpty());
    QVERIFY(cells.value().first().job.result.thinkingBlocks.isEmpty());

    CellResult thinking = makeChainCell(Cell().caseId(QStringLiteral("c2")));
    StreamResult &r = thinking.job.result;
    r.thinkingBlocks = {ThinkingBlock{QStringLiteral("pondering"), QStringLiteral("c2lnbmF0dXJlc2VjcmV0")},
                        ThinkingBlock{QString(), QString(), QStringLiteral("cmVkYWN0ZWRibG9i"), true}};
    r.reasoningItems = {ReasoningItem{QStringLiteral("rs_1"), QStringLiteral("gAAAAABzZWFsZWRwbGFua3Rvbg"),
                                      {QStringLiteral("Sum one."), QStringLiteral("Sum two.")}}};
    r.toolCalls = {ToolCall{QStringLiteral("call_1"), QStringLiteral("f"), QStringLiteral("{}"),
                            QStringLiteral("Z2VtaW5pc2lnbmF0dXJl")}};
    thinking.turns[1].toolCalls = {ChatToolCall{QStringLiteral("call_1"), QStringLiteral("f"), QStringLiteral("{}"),
                                                QStringLiteral("Z2VtaW5pc2lnbmF0dXJl")}};
    thinking.turns[1].thoughts = {
        ChainThoughts{0, {ChatThinkingBlock{QStringLiteral("pondering"), QStringLiteral("c2lnbmF0dXJlc2VjcmV0")}}, {}},
        ChainThoughts{1, {}, {ChatReasoningItem{QStringLiteral("rs_2"), QStringLiteral("gAAAAABzZWFsZWRwbGFua3Rvbg")}}}};
    const RunStart run = makeRun(QStringLiteral("thinking suite"), {QStringLiteral("t1")});
    {
        HistoryWriter writer;
        QSignalSpy opened(&writer, &HistoryWriter::opened);
        StoreWriter::Options options;
        options.backupIntervalHours = 0;
        writer.start(path, options);
        QVERIFY(opened.wait(10'000));
        QSignalSpy committed(&writer, &HistoryWriter::committed);
        writer.beginRun(run);
        writer.addResult(run.id, thinking);
        writer.endRun(run.id, RunState::Completed);
        QVERIFY(waitCommitted(committed, {thinking.job.jobId}));
    }
    cells = store.loadCells(run.id);
    QVERIFY2(cells.ok(), qPrintable(cells.error()));
    QCOMPARE(cells.value().size(), 1);
    const CellResult &back = cells.value().first();
    QCOMPARE(back.job.result.thinkingBlocks, r.thinkingBlocks);
    QCOMPARE(back.job.result.reasoningItems, r.reasoningItems);
    QCOMPARE(back.job.result.toolCalls.value(0).thoughtSignature, QStringLiteral("Z2VtaW5pc2lnbmF0dXJl"));
    QCOMPARE(back.turns.at(1).thoughts, thinking.turns[1].thoughts);
    QCOMPARE(back.turns.at(1).toolCalls, thinking.turns[1].toolCalls);

    QVERIFY(SearchIndex::catchUpNow(store.connection(), 0).ok());
    const auto hits = [&store](const QString &text) {
        SearchQuery q;
        q.text = text;
        const auto found = store.search(q);
        return found.ok() ? found.value().size() : -1;
    };
    QCOMPARE(hits(QStringLiteral("narwhals")), 2); // both chain cells are indexed
    for (const char *opaque : {"c2lnbmF0dXJlc2VjcmV0", "cmVkYWN0ZWRibG9i", "gAAAAABzZWFsZWRwbGFua3Rvbg",
                               "Z2VtaW5pc2lnbmF0dXJl", "pondering"})
        QCOMPARE(hits(QString::fromLatin1(opaque)), 0);
    QCOMPARE(store.integrityCheck().value(), QStringLiteral("ok"));
}

QTEST_GUILESS_MAIN(TestStoreSchemaThoughts)
#include "tst_storeschemathoughts.moc"
