#include "store/StoreBackups.h"
#include "StoreTestSupport.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <unistd.h>

using namespace Slopscope;
using namespace StoreTest;

// The faults of the history file: corrupt, read-only, locked, full.
class TestStoreFaults final : public QObject
{
    Q_OBJECT

private slots:
    void corruptFileIsMovedAsideAndABackupOffered();
    void otherDamageIsDetected_data();
    void otherDamageIsDetected();
    void aLogOfAnotherHistoryIsSetAside();
    void ownLogAfterACrashIsReplayed();
    void readOnlyFolderIsAnErrorNamingIt();
    void lockedDatabaseWaitsAndSaysSo();
    void diskFullKeepsResultsQueuedAndRetries();
    void writerNeedsAPreparedFile();
};

void TestStoreFaults::corruptFileIsMovedAsideAndABackupOffered()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("history.sqlite"));
    const RunStart run = makeRun(QStringLiteral("precious"), {QStringLiteral("t1")});
    QString backup;
    {
        HistoryStore store;
        QVERIFY(store.open(path).ok());
        HistoryWriter writer;
        QSignalSpy committed(&writer, &HistoryWriter::committed);
        StoreWriter::Options options;
        options.backupIntervalHours = 0;
        writer.start(path, options);
        writer.beginRun(run);
        writer.addResult(run.id, makeCell({}));
        QVERIFY(waitCommitted(committed, {makeCell({}).job.jobId}));
        writer.stop();
        auto b = store.backupNow();
        QVERIFY(b.ok());
        backup = b.value();
    }
    // Garbage over the whole file, and a stale WAL beside it.
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadWrite));
    const qint64 size = f.size();
    QByteArray garbage(size, '\0');
    quint32 x = 12345;
    for (char &c : garbage) {
        x = x * 1103515245u + 12345u;
        c = static_cast<char>(x >> 24);
    }
    f.write(garbage);
    f.close();
    QFile wal(path + QStringLiteral("-wal"));
    QVERIFY(wal.open(QIODevice::WriteOnly));
    wal.write("not a wal either");
    wal.close();

    HistoryStore store;
    auto report = store.open(path);
    QVERIFY2(report.ok(), qPrintable(report.error()));
    QVERIFY(report.value().recreated);
    QVERIFY(!report.value().corruptionDetail.isEmpty());
    const QString aside = report.value().movedAsideTo;
    QVERIFY2(aside.startsWith(path + QStringLiteral(".corrupt-")), qPrintable(aside));
    QFile moved(aside);
    QVERIFY(moved.open(QIODevice::ReadOnly));
    QCOMPARE(moved.readAll(), garbage); // kept as it was, for whoever wants to look
    QVERIFY(QFileInfo::exists(aside + QStringLiteral("-wal")));
    QCOMPARE(report.value().latestBackup, backup);
    // The user is told, with every path they need (the app and the CLI show this text).
    const QString notice = HistoryStore::recoveryNotice(report.value());
    for (const QString &named : {path, aside, backup})
        QVERIFY2(notice.contains(QDir::toNativeSeparators(named)), qPrintable(notice));
    QVERIFY(HistoryStore::recoveryNotice(OpenReport{}).isEmpty());
    QVERIFY(store.listRuns().value().isEmpty()); // the app starts with a fresh file
    QCOMPARE(store.integrityCheck().value(), QStringLiteral("ok"));

    // Taking the offer.
    store.close();
    const Status restored = HistoryStore::restoreBackup(report.value().latestBackup, path);
    QVERIFY2(restored.ok(), qPrintable(restored.error()));
    QVERIFY(store.open(path).ok());
    QCOMPARE(store.listRuns().value().size(), 1);
    QCOMPARE(store.listRuns().value().first().id, run.id);
    // A damaged backup is not put in place.
    QVERIFY(!HistoryStore::restoreBackup(aside, path).ok());
}

namespace {

// A history of `results` committed results of a few hundred bytes each: enough pages that cutting
// the file hits the tables, not only free space.
void writeHistory(const QString &path, const QString &suite, int results, const QString &copyWalTo = {})
{
    HistoryStore store;
    QVERIFY(store.open(path).ok());
    HistoryWriter writer;
    QSignalSpy committed(&writer, &HistoryWriter::committed);
    StoreWriter::Options options;
    options.backupIntervalHours = 0;
    writer.start(path, options);
    const RunStart run = makeRun(suite, {QStringLiteral("t1")});
    writer.beginRun(run);
    QStringList ids;
    for (int i = 0; i < results; ++i) {
        const CellResult cell = makeCell(Cell().caseId(QStringLiteral("case-%1").arg(i)).text(QString(300, QChar(u'a' + i % 26))));
        ids.append(cell.job.jobId);
        writer.addResult(run.id, cell);
    }
    QVERIFY(waitCommitted(committed, ids));
    if (!copyWalTo.isEmpty()) {
        // Taken while the writer still holds the file open: committed frames not yet checkpointed.
        QVERIFY(QFileInfo(path + QStringLiteral("-wal")).size() > 0);
        QVERIFY(QFile::copy(path + QStringLiteral("-wal"), copyWalTo));
    }
    writer.stop();
}

} // namespace

// RELIABILITY F-10's other damage: the header smashed, the file cut short. Each is found at open
// and moved aside, and the app starts on a fresh file (the backup offer is corruptFileIsMovedAside…'s
// test).
void TestStoreFaults::otherDamageIsDetected_data()
{
    QTest::addColumn<QString>("damage");
    QTest::newRow("header smashed") << QStringLiteral("header");
    QTest::newRow("truncated") << QStringLiteral("truncate");
}

void TestStoreFaults::otherDamageIsDetected()
{
    QFETCH(QString, damage);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("history.sqlite"));
    writeHistory(path, QStringLiteral("precious"), 200);
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadWrite));
    const qint64 size = f.size();
    QVERIFY2(size > 64 * 1024, qPrintable(QString::number(size)));
    if (damage == u"header") {
        f.write(QByteArray(100, '\x5a')); // "SQLite format 3", the page size and the counters: gone
    } else {
        QVERIFY(f.resize(size / 2));
    }
    f.close();
    const QByteArray damaged = [&] {
        QFile d(path);
        return d.open(QIODevice::ReadOnly) ? d.readAll() : QByteArray();
    }();

    HistoryStore store;
    auto report = store.open(path);
    QVERIFY2(report.ok(), qPrintable(report.error()));
    QVERIFY2(report.value().recreated, "the damage went unnoticed");
    QVERIFY(!report.value().corruptionDetail.isEmpty());
    const QString aside = report.value().movedAsideTo;
    QVERIFY2(aside.startsWith(path + QStringLiteral(".corrupt-")), qPrintable(aside));
    QFile moved(aside);
    QVERIFY(moved.open(QIODevice::ReadOnly));
    QCOMPARE(moved.readAll(), damaged); // kept as it was
    QVERIFY(store.listRuns().value().isEmpty());
    QCOMPARE(store.integrityCheck().value(), QStringLiteral("ok"));
}

// A valid -wal that another history wrote, beside this one (F-10): SQLite would replay it into
// this file, and the mix passes quick_check. The identity row every commit rewrites (schema 4)
// gives it away: the log is moved aside unapplied and the history stays exactly as it was.
void TestStoreFaults::aLogOfAnotherHistoryIsSetAside()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("history.sqlite"));
    writeHistory(path, QStringLiteral("precious"), 200);
    QFile original(path);
    QVERIFY(original.open(QIODevice::ReadOnly));
    const QByteArray before = original.readAll();
    original.close();
    QVERIFY(!QFileInfo::exists(path + QStringLiteral("-wal"))); // a clean close checkpoints it away
    writeHistory(dir.filePath(QStringLiteral("other.sqlite")), QStringLiteral("other"), 150,
                 path + QStringLiteral("-wal"));
    const QByteArray foreignLog = [&] {
        QFile f(path + QStringLiteral("-wal"));
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }();

    HistoryStore store;
    auto report = store.open(path);
    QVERIFY2(report.ok(), qPrintable(report.error()));
    QVERIFY(!report.value().recreated);
    const QString aside = report.value().foreignLogMovedTo;
    QVERIFY2(aside.startsWith(path + QStringLiteral(".foreign-")) && aside.endsWith(u"-wal"), qPrintable(aside));
    QFile moved(aside);
    QVERIFY(moved.open(QIODevice::ReadOnly));
    QCOMPARE(moved.readAll(), foreignLog); // kept as it came
    const auto runs = store.listRuns();
    QVERIFY(runs.ok());
    QCOMPARE(runs.value().size(), 1);
    QCOMPARE(runs.value().first().suiteName, QStringLiteral("precious"));
    QCOMPARE(store.integrityCheck().value(), QStringLiteral("ok"));
    const QString notice = HistoryStore::recoveryNotice(report.value());
    QVERIFY2(notice.contains(QDir::toNativeSeparators(aside)) && notice.contains(u"unchanged"), qPrintable(notice));
    store.close();
    // Nothing of the other history reached this file.
    QFile after(path);
    QVERIFY(after.open(QIODevice::ReadOnly));
    QVERIFY(after.readAll().size() >= before.size());
    HistoryStore again;
    QVERIFY(again.open(path).ok());
    QCOMPARE(again.listRuns().value().size(), 1);
}

// The case the check must never mistake for the one above: this history's own -wal, left by a
// process that died, is replayed and its results are there.
void TestStoreFaults::ownLogAfterACrashIsReplayed()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("history.sqlite"));
    const QString saved = dir.filePath(QStringLiteral("saved-wal"));
    writeHistory(path, QStringLiteral("first"), 10);
    // A second session's log, taken before its clean close: what a crash leaves behind.
    {
        QFile::remove(saved);
        HistoryStore store;
        QVERIFY(store.open(path).ok());
        HistoryWriter writer;
        QSignalSpy committed(&writer, &HistoryWriter::committed);
        StoreWriter::Options options;
        options.backupIntervalHours = 0;
        writer.start(path, options);
        const RunStart run = makeRun(QStringLiteral("second"), {QStringLiteral("t1")});
        writer.beginRun(run);
        writer.addResult(run.id, makeCell({}));
        QVERIFY(waitCommitted(committed, {makeCell({}).job.jobId}));
        QVERIFY(QFile::copy(path + QStringLiteral("-wal"), saved));
        QFile main(path);
        QVERIFY(main.open(QIODevice::ReadOnly));
        const QByteArray mainBytes = main.readAll();
        main.close();
        writer.stop();
        store.close();
        // Put the file back as it was on disk at that moment, with its log.
        QFile restore(path);
        QVERIFY(restore.open(QIODevice::WriteOnly | QIODevice::Truncate));
        restore.write(mainBytes);
        restore.close();
        QFile::remove(path + QStringLiteral("-shm"));
        QFile::remove(path + QStringLiteral("-wal"));
        QVERIFY(QFile::copy(saved, path + QStringLiteral("-wal")));
    }
    HistoryStore store;
    auto report = store.open(path);
    QVERIFY2(report.ok(), qPrintable(report.error()));
    QVERIFY(!report.value().recreated);
    QVERIFY2(report.value().foreignLogMovedTo.isEmpty(), qPrintable(report.value().foreignLogMovedTo));
    QCOMPARE(store.listRuns().value().size(), 2); // the second session's run came back from its log
    QCOMPARE(store.integrityCheck().value(), QStringLiteral("ok"));
}

void TestStoreFaults::readOnlyFolderIsAnErrorNamingIt()
{
    QTemporaryDir dir;
    QVERIFY(QFile::setPermissions(dir.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner |
                                                  QFileDevice::ReadOther | QFileDevice::ExeOther));
    const QString locked = dir.filePath(QStringLiteral("locked"));
    QVERIFY(QDir().mkpath(locked));
    QVERIFY(QFile::setPermissions(locked, QFileDevice::ReadOwner | QFileDevice::ExeOwner | QFileDevice::ReadGroup |
                                              QFileDevice::ExeGroup | QFileDevice::ReadOther | QFileDevice::ExeOther));
    const QString path = locked + QStringLiteral("/history.sqlite");
    QString error;
    if (::geteuid() != 0) {
        HistoryStore store;
        auto report = store.open(path);
        QVERIFY(!report.ok());
        error = report.error();
    } else {
        // Permissions do not stop root, so the check runs in the helper as an unprivileged user.
        QProcess helper;
        helper.start(QStringLiteral("setpriv"), {QStringLiteral("--reuid=65534"), QStringLiteral("--regid=65534"),
                                                 QStringLiteral("--clear-groups"),
                                                 QStringLiteral(SLOPSCOPE_STORE_HELPER), QStringLiteral("open"), path});
        QVERIFY(helper.waitForFinished(60'000));
        const QString out = QString::fromUtf8(helper.readAllStandardOutput());
        QVERIFY2(out.startsWith(u"ERROR "), qPrintable(out + QString::fromUtf8(helper.readAllStandardError())));
        error = out.mid(6).trimmed();
    }
    QVERIFY2(error.contains(locked), qPrintable(error));
    QVERIFY2(error.contains(u"read-only"), qPrintable(error));
    QVERIFY(!QFileInfo::exists(path));
    QFile::setPermissions(locked, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
}

void TestStoreFaults::lockedDatabaseWaitsAndSaysSo()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("history.sqlite"));
    HistoryStore store;
    QVERIFY(store.open(path).ok());
    HistoryWriter writer;
    QSignalSpy committed(&writer, &HistoryWriter::committed);
    QSignalSpy problems(&writer, &HistoryWriter::problemChanged);
    StoreWriter::Options options;
    options.backupIntervalHours = 0;
    options.retryIntervalMs = 100;
    writer.start(path, options);
    const RunStart run = makeRun(QStringLiteral("s"), {QStringLiteral("t1")});
    writer.beginRun(run);
    QVERIFY(waitCommitted(committed, {}));
    QTRY_VERIFY(store.run(run.id).ok());

    // Another program takes the write lock and keeps it until told to let go.
    SqliteConnection other;
    QVERIFY(other.open(path, SQLITE_OPEN_READWRITE).ok());
    QVERIFY(other.exec("BEGIN IMMEDIATE").ok());
    const CellResult cell = makeCell({});
    writer.addResult(run.id, cell);
    QTRY_VERIFY_WITH_TIMEOUT(!problems.isEmpty(), 10'000);
    const StoreProblem busy = problems.last().first().value<StoreProblem>();
    QCOMPARE(busy.kind, StoreProblem::Kind::Busy);
    QVERIFY2(busy.message.contains(path) && busy.message.contains(u"locked"), qPrintable(busy.message));
    QCOMPARE(busy.queued, 1);
    QCOMPARE(writer.problem().kind, StoreProblem::Kind::Busy);
    QVERIFY(committed.size() <= 1); // the run start only; the result waits
    QVERIFY(other.exec("COMMIT").ok());
    QVERIFY(waitCommitted(committed, {cell.job.jobId}));
    QTRY_COMPARE(writer.problem().kind, StoreProblem::Kind::None);
    QCOMPARE(store.loadCells(run.id).value().size(), 1);
}

void TestStoreFaults::diskFullKeepsResultsQueuedAndRetries()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("history.sqlite"));
    HistoryStore store;
    QVERIFY(store.open(path).ok());
    HistoryWriter writer;
    QSignalSpy committed(&writer, &HistoryWriter::committed);
    QSignalSpy problems(&writer, &HistoryWriter::problemChanged);
    StoreWriter::Options options;
    options.backupIntervalHours = 0;
    options.retryIntervalMs = 100;
    writer.start(path, options);
    const RunStart run = makeRun(QStringLiteral("s"), {QStringLiteral("t1")});
    writer.beginRun(run);
    QVERIFY(waitCommitted(committed, {}));
    QTRY_VERIFY(store.run(run.id).ok());
    // Cap the file a few pages past what the run took: not even one 40 KB answer (ten pages)
    // fits, however the writer batches them. The cap is posted to the writer ahead of the
    // answers, so it applies before the first of them is written.
    const qint64 pages = store.connection().queryInt(QStringLiteral("PRAGMA page_count")).value();
    writer.setMaxPageCount(pages + 3);

    QStringList ids;
    for (int i = 0; i < 5; ++i) {
        CellResult c = makeCell(Cell().caseId(QStringLiteral("big%1").arg(i)));
        c.job.result.text = QString(40'000, QChar(u'a' + i)); // 40 KB each: far past the cap
        ids.append(c.job.jobId);
        writer.addResult(run.id, c);
    }
    QTRY_VERIFY_WITH_TIMEOUT(writer.problem().kind == StoreProblem::Kind::DiskFull, 10'000);
    const StoreProblem full = writer.problem();
    QVERIFY2(full.message.contains(path) && full.message.contains(u"full"), qPrintable(full.message));
    QVERIFY(full.queued >= 1);
    // It keeps retrying and keeps everything: nothing committed, nothing dropped.
    QTest::qWait(400);
    for (const auto &args : std::as_const(committed)) {
        for (const QString &id : args.first().toStringList())
            QVERIFY(!ids.contains(id));
    }
    QCOMPARE(store.loadCells(run.id).value().size(), 0);

    // Space is back: every queued result lands.
    writer.setMaxPageCount(1'000'000);
    QVERIFY(waitCommitted(committed, ids));
    QTRY_COMPARE(writer.problem().kind, StoreProblem::Kind::None);
    const auto cells = store.loadCells(run.id).value();
    QCOMPARE(cells.size(), 5);
    for (const CellResult &c : cells)
        QCOMPARE(c.job.result.text.size(), 40'000);
    QCOMPARE(store.integrityCheck().value(), QStringLiteral("ok"));
}

void TestStoreFaults::writerNeedsAPreparedFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("never-opened.sqlite"));
    HistoryWriter writer;
    QSignalSpy opened(&writer, &HistoryWriter::opened);
    writer.start(path, {});
    QVERIFY(opened.wait(10'000));
    QCOMPARE(opened.first().at(0).toBool(), false);
    QVERIFY(opened.first().at(1).toString().contains(path));
    QVERIFY(!QFileInfo::exists(path));
}

QTEST_GUILESS_MAIN(TestStoreFaults)
#include "tst_storefaults.moc"
