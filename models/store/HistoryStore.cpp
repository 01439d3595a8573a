#include "store/HistoryStore.h"

#include "store/SearchIndex.h"
#include "store/StoreBackups.h"
#include "store/StoreSchema.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLocale>
#include <QLockFile>
#include <QSaveFile>
#include <QStandardPaths>

namespace Slopscope {

namespace {

QString stamp()
{
    return QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss"));
}

const QStringList &sidecars()
{
    static const QStringList suffixes{QString(), QStringLiteral("-wal"), QStringLiteral("-shm")};
    return suffixes;
}

// A file that does not even start like a database is judged before SQLite opens it: SQLite
// would delete a -wal beside it on close, and that belongs with the evidence.
QString headerProblem(const QString &path)
{
    QFile f(path);
    if (!f.exists() || f.size() == 0 || !f.open(QIODevice::ReadOnly))
        return {};
    static const QByteArray magic("SQLite format 3\0", 16);
    if (f.read(16) != magic)
        return HistoryStore::tr("%1 is not an SQLite database (its header is wrong).").arg(path);
    return {};
}

// Moves the file and its -wal/-shm to `<path>.<tag>-<stamp>`; returns the new name of the file.
Result<QString> moveAside(const QString &path, const QString &tag)
{
    QString target = path + u'.' + tag + u'-' + stamp();
    for (int n = 2; QFileInfo::exists(target); ++n)
        target = path + u'.' + tag + u'-' + stamp() + u'-' + QString::number(n);
    for (const QString &suffix : sidecars()) {
        if (QFileInfo::exists(path + suffix) && !QFile::rename(path + suffix, target + suffix))
            return Error{HistoryStore::tr("Cannot move %1 aside to %2.").arg(path + suffix, target + suffix)};
    }
    return target;
}

// Moves a -wal (and its -shm index) that belongs to another history to
// `<path>.<tag>-<stamp>-wal`; returns that name. The database itself stays where it is.
Result<QString> moveLogAside(const QString &path, const QString &tag)
{
    const QString base = path + u'.' + tag + u'-' + stamp();
    for (const QString &suffix : {QStringLiteral("-wal"), QStringLiteral("-shm")}) {
        if (QFileInfo::exists(path + suffix) && !QFile::rename(path + suffix, base + suffix))
            return Error{HistoryStore::tr("Cannot move %1 aside to %2.").arg(path + suffix, base + suffix)};
    }
    return QString(base + QStringLiteral("-wal"));
}

// The identity (StoreSchema::fileId) this path's database had when it was last opened, kept
// beside it: SQLite's own files cannot tell a replayed -wal of another history from this one's.
QString identityFile(const QString &path)
{
    return path + QStringLiteral(".identity");
}

QString knownIdentity(const QString &path)
{
    QFile f(identityFile(path));
    return f.open(QIODevice::ReadOnly) ? QString::fromLatin1(f.read(64)).trimmed() : QString();
}

void rememberIdentity(const QString &path, const QString &id)
{
    if (id.isEmpty() || knownIdentity(path) == id)
        return;
    QSaveFile f(identityFile(path));
    if (f.open(QIODevice::WriteOnly)) {
        f.write(id.toLatin1() + '\n');
        f.commit(); // best effort: without it the next open only cannot check the -wal
    }
}

} // namespace

QString HistoryStore::defaultPath()
{
    // One history for the GUI and the CLI: AppLocalDataLocation would differ by application name.
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) +
           QStringLiteral("/Slopscope/history.sqlite");
}

Error HistoryStore::sqlError(const QString &what, const SqliteStatus &status) const
{
    return Error{tr("%1 (%2): %3").arg(what, m_path, status.message)};
}

void HistoryStore::close()
{
    m_db.close();
}

Result<OpenReport> HistoryStore::open(const QString &path, Mode mode, const OpenOptions &options)
{
    close();
    m_path = QFileInfo(path).absoluteFilePath();
    m_readOnly = mode == Mode::ReadOnly;
    auto report = m_readOnly ? openReadOnly(m_path, options) : openReadWrite(m_path, options, true);
    if (!report)
        close();
    return report;
}

QString HistoryStore::corruption(bool quickCheck, SqliteStatus *status)
{
    // Reading the header is where a file that is not a database fails.
    m_db.queryInt(QStringLiteral("PRAGMA schema_version"), status);
    if (!status->ok())
        return status->isCorrupt() ? status->message : QString();
    if (!quickCheck)
        return {};
    SqliteStatement check = m_db.prepare(QStringLiteral("PRAGMA quick_check(20)"), status);
    if (!status->ok())
        return status->isCorrupt() ? status->message : QString();
    QStringList problems;
    int code = SQLITE_ROW;
    while ((code = check.step()) == SQLITE_ROW) {
        const QString line = check.text(0);
        if (line != u"ok")
            problems.append(line);
    }
    if (code != SQLITE_DONE) {
        *status = m_db.status(code);
        return status->isCorrupt() ? status->message : QString();
    }
    return problems.join(u'\n');
}

Result<OpenReport> HistoryStore::openReadWrite(const QString &path, const OpenOptions &options, bool allowRecovery)
{
    OpenReport report;
    report.path = path;
    const QString dir = QFileInfo(path).absolutePath();
    if (!QDir().mkpath(dir))
        return Error{tr("Cannot create the folder %1 for the history database.").arg(dir)};
    if (!QFileInfo(dir).isWritable()) {
        return Error{tr("The folder %1 is read-only, so the history database cannot be written there. Choose "
                        "another data folder or make this one writable.")
                         .arg(dir)};
    }
    if (QFileInfo::exists(path) && !QFileInfo(path).isWritable())
        return Error{tr("The history database %1 is read-only.").arg(path)};

    QString corrupt = headerProblem(path);
    // Frames in a -wal are replayed by SQLite at open: whose they are is checked below.
    const bool replaysLog = QFileInfo(path + QStringLiteral("-wal")).size() > 32;
    SqliteStatus s;
    if (corrupt.isEmpty())
        s = m_db.open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    if (!s.ok() && s.isReadOnly())
        return Error{tr("Cannot open the history database %1 for writing: %2").arg(path, s.message)};
    if (corrupt.isEmpty() && s.ok()) {
        m_db.setBusyTimeout(options.busyTimeoutMs);
        corrupt = corruption(options.quickCheck, &s);
    } else if (corrupt.isEmpty() && s.isCorrupt()) {
        corrupt = s.message;
    }
    if (!corrupt.isEmpty()) {
        m_db.close();
        if (!allowRecovery)
            return Error{tr("The history database %1 is damaged: %2").arg(path, corrupt)};
        auto moved = moveAside(path, QStringLiteral("corrupt"));
        if (!moved)
            return Error{moved.error()};
        auto fresh = openReadWrite(path, options, false);
        if (!fresh)
            return fresh;
        OpenReport recovered = fresh.value();
        recovered.recreated = true;
        recovered.corruptionDetail = corrupt;
        recovered.movedAsideTo = moved.value();
        return recovered;
    }
    if (s.isBusy()) {
        return Error{tr("The history database %1 is locked by another program and did not become free within "
                        "%2 s.")
                         .arg(path)
                         .arg(options.busyTimeoutMs / 1000.0)};
    }
    if (!s.ok())
        return Error{tr("Cannot open the history database %1: %2").arg(path, s.message)};

    // Nothing is changed before the version check: a newer file is left exactly as it was.
    auto version = StoreSchema::version(m_db);
    if (!version)
        return Error{version.error()};
    if (version.value() > StoreSchema::kCurrentVersion)
        return Error{StoreSchema::migrate(m_db).error()};
    if (replaysLog && version.value() >= 4) {
        // Every commit rewrites the identity row, so a log of another history brings that
        // history's id (RELIABILITY F-10). It is set aside before anything could checkpoint it
        // into this file, which stays as it was.
        const QString known = knownIdentity(path);
        const auto id = StoreSchema::fileId(m_db);
        if (!known.isEmpty() && (!id || id.value() != known)) {
            sqlite3_db_config(m_db.handle(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
            m_db.close();
            auto moved = moveLogAside(path, QStringLiteral("foreign"));
            if (!moved)
                return Error{moved.error()};
            auto reopened = openReadWrite(path, options, allowRecovery);
            if (reopened)
                reopened.value().foreignLogMovedTo = moved.value();
            return reopened;
        }
    }
    s = m_db.exec("PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;");
    if (!s.ok())
        return sqlError(tr("Cannot prepare the history database"), s);
    if (version.value() < StoreSchema::kCurrentVersion) {
        report.migratedFrom = version.value();
        if (version.value() > 0) {
            QDir().mkpath(StoreBackups::folder(path));
            report.preMigrationBackup =
                QDir(StoreBackups::folder(path))
                    .filePath(QFileInfo(path).completeBaseName() +
                              QStringLiteral("-schema%1-%2.sqlite").arg(version.value()).arg(stamp()));
        }
        if (Status migrated = StoreSchema::migrate(m_db, StoreSchema::kCurrentVersion, report.preMigrationBackup);
            !migrated.ok())
            return Error{migrated.error()};
    }
    report.schemaVersion = StoreSchema::kCurrentVersion;
    if (const auto id = StoreSchema::fileId(m_db))
        rememberIdentity(path, id.value());
    report.interruptedRuns = markInterrupted();
    report.latestBackup = StoreBackups::latest(path);
    return report;
}

Result<OpenReport> HistoryStore::openReadOnly(const QString &path, const OpenOptions &options)
{
    OpenReport report;
    report.path = path;
    report.readOnly = true;
    if (!QFileInfo::exists(path))
        return Error{tr("There is no history database at %1.").arg(path)};
    SqliteStatus s = m_db.open(path, SQLITE_OPEN_READONLY);
    if (s.ok()) {
        m_db.setBusyTimeout(options.busyTimeoutMs);
        const QString corrupt = corruption(options.quickCheck, &s);
        if (!corrupt.isEmpty())
            return Error{tr("The history database %1 is damaged: %2").arg(path, corrupt)};
    }
    if (!s.ok())
        return Error{tr("Cannot open the history database %1: %2").arg(path, s.message)};
    auto version = StoreSchema::version(m_db);
    if (!version)
        return Error{version.error()};
    report.schemaVersion = version.value();
    report.latestBackup = StoreBackups::latest(path);
    return report;
}

QStringList HistoryStore::markInterrupted()
{
    // A live writer holds this lock for as long as it runs; if it can be taken, whoever left runs
    // `running` is gone.
    QLockFile lock(m_path + QStringLiteral(".writer-lock"));
    lock.setStaleLockTime(0);
    if (!lock.tryLock(0))
        return {};
    QStringList ids;
    SqliteStatement q =
        m_db.prepare(QStringLiteral("UPDATE runs SET state = 'interrupted' WHERE state = 'running' RETURNING uuid"));
    while (q.isValid() && q.step() == SQLITE_ROW)
        ids.append(q.text(0));
    return ids;
}

Result<qint64> HistoryStore::runKey(const QString &runId)
{
    SqliteStatus s;
    SqliteStatement q = m_db.prepare(QStringLiteral("SELECT id FROM runs WHERE uuid = ?"), &s);
    if (!s.ok())
        return sqlError(tr("Cannot read the history"), s);
    q.bind(1, runId);
    const int code = q.step();
    if (code == SQLITE_ROW)
        return q.int64(0);
    if (code == SQLITE_DONE)
        return Error{tr("There is no run %1 in the history.").arg(runId)};
    return sqlError(tr("Cannot read the history"), m_db.status(code));
}

Result<QString> HistoryStore::backupNow(int keep)
{
    return StoreBackups::write(m_db, m_path, keep);
}

Status HistoryStore::deleteRun(const QString &runId)
{
    auto key = runKey(runId);
    if (!key)
        return Error{key.error()};
    SqliteStatus s = m_db.exec("PRAGMA secure_delete = ON; BEGIN IMMEDIATE");
    const auto step = [&](const char *sql) {
        if (!s.ok())
            return;
        SqliteStatement q = m_db.prepare(QString::fromUtf8(sql), &s);
        if (!s.ok())
            return;
        q.bind(1, key.value());
        if (const int code = q.step(); code != SQLITE_DONE)
            s = m_db.status(code);
    };
    // Results before prompts: the search index's delete trigger reads the prompt.
    step("DELETE FROM results WHERE run_id = ?");
    step("DELETE FROM prompts WHERE run_id = ?");
    step("DELETE FROM case_tags WHERE run_id = ?");
    step("DELETE FROM human_ratings WHERE run_id = ?");
    step("DELETE FROM judge_verdicts WHERE run_id = ?");
    step("DELETE FROM arena_votes WHERE run_id = ?");
    step("DELETE FROM runs WHERE id = ?");
    if (s.ok())
        s = m_db.exec(StoreSchema::touchIdentitySql());
    if (s.ok())
        s = m_db.exec("COMMIT");
    if (!s.ok()) {
        m_db.exec("ROLLBACK");
        return sqlError(tr("Cannot delete the run"), s);
    }
    // The index keeps deleted words in older segments until they are merged, and the WAL keeps the
    // old pages until a checkpoint: both are done now, best effort (a reader may hold the WAL).
    m_db.exec("INSERT INTO results_fts (results_fts) VALUES ('optimize')");
    m_db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    return {};
}

Status HistoryStore::restoreBackup(const QString &backup, const QString &dbPath)
{
    {
        SqliteConnection check;
        SqliteStatus s = check.open(backup, SQLITE_OPEN_READONLY);
        std::optional<QString> verdict;
        if (s.ok())
            verdict = check.queryText(QStringLiteral("PRAGMA quick_check"), &s);
        if (!s.ok() || verdict.value_or(QString()) != u"ok")
            return Error{tr("The backup %1 is not a sound database.").arg(backup)};
    }
    if (QFileInfo::exists(dbPath)) {
        auto moved = moveAside(dbPath, QStringLiteral("replaced"));
        if (!moved)
            return Error{moved.error()};
    }
    if (!QFile::copy(backup, dbPath))
        return Error{tr("Cannot copy the backup %1 to %2.").arg(backup, dbPath)};
    QFile(dbPath).setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    return {};
}

QString HistoryStore::recoveryNotice(const OpenReport &report)
{
    if (!report.recreated && !report.foreignLogMovedTo.isEmpty()) {
        return tr("A write-ahead log beside the history database %1 was written by another history; it was "
                  "moved to %2 and not applied. The history itself is unchanged.")
            .arg(QDir::toNativeSeparators(report.path), QDir::toNativeSeparators(report.foreignLogMovedTo));
    }
    if (!report.recreated)
        return {};
    QString detail = report.corruptionDetail.section(u'\n', 0, 0);
    while (detail.endsWith(u'.'))
        detail.chop(1); // SQLite's sentences end in one; the notice closes its parenthesis with its own
    const QString damaged = tr("The history database %1 was damaged (%2). It was moved to %3 and a new, empty "
                               "history was started.")
                                .arg(QDir::toNativeSeparators(report.path), detail,
                                     QDir::toNativeSeparators(report.movedAsideTo));
    if (report.latestBackup.isEmpty())
        return damaged + u' ' + tr("There is no backup to restore.");
    const QString when = QLocale().toString(QFileInfo(report.latestBackup).lastModified(), QLocale::ShortFormat);
    return damaged + u' ' +
           tr("The latest backup, from %1, is %2.").arg(when, QDir::toNativeSeparators(report.latestBackup));
}

Result<QString> HistoryStore::integrityCheck()
{
    SqliteStatus s;
    SqliteStatement q = m_db.prepare(QStringLiteral("PRAGMA integrity_check"), &s);
    if (!s.ok())
        return sqlError(tr("Cannot check the history"), s);
    QStringList lines;
    int code = SQLITE_ROW;
    while ((code = q.step()) == SQLITE_ROW)
        lines.append(q.text(0));
    if (code != SQLITE_DONE)
        return sqlError(tr("Cannot check the history"), m_db.status(code));
    if (!m_readOnly) {
        // The check compares the index with every result: the unindexed tail is indexed first.
        if (auto indexed = SearchIndex::catchUpNow(m_db, 0); !indexed)
            lines.append(tr("search index: %1").arg(indexed.error()));
        s = m_db.exec("INSERT INTO results_fts (results_fts, rank) VALUES ('integrity-check', 1)");
        if (!s.ok())
            lines.append(tr("search index: %1").arg(s.message));
    }
    if (lines == QStringList{QStringLiteral("ok")})
        return QStringLiteral("ok");
    lines.removeAll(QStringLiteral("ok"));
    return lines.join(u'\n');
}

} // namespace Slopscope
