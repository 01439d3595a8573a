#include "StoreTestSupport.h"

#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace Slopscope;
using namespace StoreTest;

// Arena votes in the history (schema 6): written through the writer thread, read back, retracted
// by an undo, deleted with their run, carried by export and import.
class TestStoreArena final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void roundTripsVotesOldestFirst();
    void retractsJustTheUndoneVote();
    void deletingARunRemovesItsVotes();
    void exportAndImportCarryVotes();

private:
    QString record(const QString &suite);
    // Waits until what was queued so far is committed: a marker result after it is.
    void settle(const QString &runId);

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
    std::unique_ptr<HistoryWriter> m_writer;
    HistoryStore m_store;
    int m_markers = 0;
};

namespace {

StoredArenaVote vote(const QString &runId, const QString &voteId, const QString &choice, const QString &left = {},
                     const QString &right = {})
{
    StoredArenaVote v;
    v.runId = runId;
    v.voteId = voteId;
    v.caseId = QStringLiteral("c1");
    v.leftJobId = left.isEmpty() ? jobId(QStringLiteral("c1"), {}, 0, QStringLiteral("t1")) : left;
    v.rightJobId = right.isEmpty() ? jobId(QStringLiteral("c1"), {}, 0, QStringLiteral("t2")) : right;
    v.choice = choice;
    v.votedAt = QDateTime::fromMSecsSinceEpoch(1'700'000'000'000, QTimeZone::utc());
    return v;
}

} // namespace

void TestStoreArena::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_path = m_dir->filePath(QStringLiteral("history.sqlite"));
    auto opened = m_store.open(m_path);
    QVERIFY2(opened.ok(), qPrintable(opened.error()));
    m_writer = std::make_unique<HistoryWriter>();
    QSignalSpy ready(m_writer.get(), &HistoryWriter::opened);
    StoreWriter::Options options;
    options.backupIntervalHours = 0;
    m_writer->start(m_path, options);
    QVERIFY(ready.wait(10'000));
}

void TestStoreArena::cleanup()
{
    m_writer.reset();
    m_store.close();
    m_dir.reset();
}

QString TestStoreArena::record(const QString &suite)
{
    const RunStart run = makeRun(suite, {QStringLiteral("t1"), QStringLiteral("t2")});
    QSignalSpy committed(m_writer.get(), &HistoryWriter::committed);
    m_writer->beginRun(run);
    const QList<CellResult> cells{makeCell({}), makeCell(Cell().target(QStringLiteral("t2")))};
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

void TestStoreArena::settle(const QString &runId)
{
    QSignalSpy committed(m_writer.get(), &HistoryWriter::committed);
    const CellResult marker = makeCell(Cell().caseId(QStringLiteral("marker%1").arg(++m_markers)));
    m_writer->addResult(runId, marker);
    QVERIFY(waitCommitted(committed, {marker.job.jobId}));
}

void TestStoreArena::roundTripsVotesOldestFirst()
{
    const QString runId = record(QStringLiteral("s"));
    StoredArenaVote first = vote(runId, QStringLiteral("a"), QStringLiteral("left"));
    first.variantId = QStringLiteral("v2");
    first.note = QStringLiteral("shorter, and right");
    first.rater = QStringLiteral("ann");
    m_writer->addArenaVote(first);
    m_writer->addArenaVote(vote(runId, QStringLiteral("b"), QStringLiteral("tie")));
    settle(runId);
    const auto votes = m_store.arenaVotes(runId);
    QVERIFY2(votes.ok(), qPrintable(votes.error()));
    QCOMPARE(votes.value().size(), 2);
    const StoredArenaVote &a = votes.value().at(0);
    QCOMPARE(a.runId, runId);
    QCOMPARE(a.voteId, QStringLiteral("a"));
    QCOMPARE(a.caseId, QStringLiteral("c1"));
    QCOMPARE(a.variantId, QStringLiteral("v2"));
    QCOMPARE(a.leftJobId, first.leftJobId);
    QCOMPARE(a.rightJobId, first.rightJobId);
    QCOMPARE(a.choice, QStringLiteral("left"));
    QCOMPARE(a.rater, QStringLiteral("ann"));
    QCOMPARE(a.note, QStringLiteral("shorter, and right"));
    QCOMPARE(a.votedAt, first.votedAt);
    QCOMPARE(votes.value().at(1).choice, QStringLiteral("tie"));
    // The schema refuses a choice it does not know: that vote is dropped, the others kept.
    m_writer->addArenaVote(vote(runId, QStringLiteral("c"), QStringLiteral("both")));
    m_writer->addArenaVote(vote(runId, QStringLiteral("d"), QStringLiteral("right")));
    settle(runId);
    QCOMPARE(m_store.arenaVotes(runId).value().size(), 3);
    QCOMPARE(m_store.arenaVotes(runId).value().last().voteId, QStringLiteral("d"));
}

void TestStoreArena::retractsJustTheUndoneVote()
{
    const QString runId = record(QStringLiteral("s"));
    const QString other = record(QStringLiteral("other"));
    m_writer->addArenaVote(vote(runId, QStringLiteral("a"), QStringLiteral("left")));
    m_writer->addArenaVote(vote(runId, QStringLiteral("b"), QStringLiteral("right")));
    m_writer->addArenaVote(vote(other, QStringLiteral("b"), QStringLiteral("tie"))); // same id, other run
    m_writer->retractArenaVote(runId, QStringLiteral("b"));
    settle(runId);
    const auto votes = m_store.arenaVotes(runId).value();
    QCOMPARE(votes.size(), 1);
    QCOMPARE(votes.first().voteId, QStringLiteral("a"));
    QCOMPARE(m_store.arenaVotes(other).value().size(), 1);
}

void TestStoreArena::deletingARunRemovesItsVotes()
{
    const QString keep = record(QStringLiteral("keep"));
    const QString gone = record(QStringLiteral("gone"));
    m_writer->addArenaVote(vote(keep, QStringLiteral("k"), QStringLiteral("left")));
    m_writer->addArenaVote(vote(gone, QStringLiteral("g1"), QStringLiteral("left")));
    m_writer->addArenaVote(vote(gone, QStringLiteral("g2"), QStringLiteral("right")));
    settle(keep);
    QCOMPARE(m_store.arenaVotes(gone).value().size(), 2);
    m_writer.reset();
    QVERIFY(m_store.deleteRun(gone).ok());
    QCOMPARE(m_store.arenaVotes(gone).value().size(), 0);
    QCOMPARE(m_store.connection().queryInt(QStringLiteral("SELECT count(*) FROM arena_votes")).value_or(-1), 1);
    QCOMPARE(m_store.arenaVotes(keep).value().size(), 1);
    QCOMPARE(m_store.integrityCheck().value(), QStringLiteral("ok"));
}

void TestStoreArena::exportAndImportCarryVotes()
{
    const QString runId = record(QStringLiteral("shared"));
    const QString other = record(QStringLiteral("other"));
    StoredArenaVote shared = vote(runId, QStringLiteral("a"), QStringLiteral("right"));
    shared.note = QStringLiteral("B cites its source");
    m_writer->addArenaVote(shared);
    m_writer->addArenaVote(vote(runId, QStringLiteral("b"), QStringLiteral("tie")));
    m_writer->addArenaVote(vote(other, QStringLiteral("x"), QStringLiteral("left")));
    settle(runId);

    const QString file = m_dir->filePath(QStringLiteral("shared-run.slopscope"));
    const Status exported = m_store.exportRun(runId, file);
    QVERIFY2(exported.ok(), qPrintable(exported.error()));
    {
        HistoryStore exportFile;
        QVERIFY(exportFile.open(file, HistoryStore::Mode::ReadOnly).ok());
        QCOMPARE(exportFile.arenaVotes(runId).value().size(), 2);
        QCOMPARE(exportFile.connection().queryInt(QStringLiteral("SELECT count(*) FROM arena_votes")).value_or(-1), 2);
    }
    QTemporaryDir elsewhere;
    HistoryStore there;
    QVERIFY(there.open(elsewhere.filePath(QStringLiteral("history.sqlite"))).ok());
    const auto imported = there.importRuns(file);
    QVERIFY2(imported.ok(), qPrintable(imported.error()));
    const auto votes = there.arenaVotes(runId);
    QVERIFY2(votes.ok(), qPrintable(votes.error()));
    QCOMPARE(votes.value().size(), 2);
    QCOMPARE(votes.value().first().voteId, QStringLiteral("a"));
    QCOMPARE(votes.value().first().choice, QStringLiteral("right"));
    QCOMPARE(votes.value().first().note, shared.note);
    QCOMPARE(votes.value().first().leftJobId, shared.leftJobId);
    QCOMPARE(votes.value().first().votedAt, shared.votedAt);
    QCOMPARE(there.arenaVotes(other).value().size(), 0);
}

QTEST_GUILESS_MAIN(TestStoreArena)
#include "tst_storearena.moc"
