#pragma once

#include "core/Result.h"
#include "run/CellResult.h"
#include "store/SqliteConnection.h"
#include "store/StoreTypes.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QString>

namespace Slopscope {

// A connection to the history file for reading and for maintenance: opening (creating,
// migrating, recovering), listing and loading runs, search, drift, backups, delete, export and
// import. Results are written by HistoryWriter on its own thread; each thread that reads opens its
// own HistoryStore. Not thread-safe; cheap to open.
//
// Implemented in HistoryStore.cpp (open, recovery, maintenance), HistoryStoreQueries.cpp
// (reads) and HistoryStoreTransfer.cpp (export, import).
class HistoryStore final
{
    Q_DECLARE_TR_FUNCTIONS(HistoryStore)

public:
    enum class Mode { ReadWrite, ReadOnly };
    using OpenOptions = StoreOpenOptions;

    HistoryStore() = default;
    ~HistoryStore() = default;
    HistoryStore(const HistoryStore &) = delete;
    HistoryStore &operator=(const HistoryStore &) = delete;

    // GenericDataLocation + "/Slopscope/history.sqlite", shared by slopscope and slopscope-cli
    // (~/.local/share/Slopscope/history.sqlite on Linux).
    static QString defaultPath();

    // ReadWrite creates the file and its folder, moves a corrupt file aside (with its -wal and -shm)
    // and starts afresh, migrates an older schema (after a backup), refuses a newer one, and marks
    // runs left `running` by a process that died as interrupted. ReadOnly changes nothing and
    // accepts a newer schema.
    Result<OpenReport> open(const QString &path, Mode mode = Mode::ReadWrite, const OpenOptions &options = {});
    void close();
    [[nodiscard]] bool isOpen() const { return m_db.isOpen(); }
    [[nodiscard]] const QString &path() const { return m_path; }
    [[nodiscard]] bool isReadOnly() const { return m_readOnly; }

    // Reads.
    Result<QList<RunRecord>> listRuns();
    Result<RunRecord> run(const QString &runId); // with its snapshots
    // Every cell with its attempts and judge calls, in the order they were recorded. CellLoad::Matrix
    // leaves out the detail (attempts, chunk timelines, chain turns, thoughts): cellDetail() has it.
    Result<QList<CellResult>> loadCells(const QString &runId, CellLoad load = CellLoad::Full);
    // One cell in full, as loadCells(runId) has it; an error naming the cell when a detail column
    // is damaged (the run's other cells still load).
    Result<CellResult> cellDetail(const QString &runId, const QString &jobId);
    // The cells a resumed run keeps (Completed or Incomplete): everything else is sent again.
    Result<QList<CellResult>> completedCells(const QString &runId);
    Result<QList<SearchHit>> search(const SearchQuery &query);
    // One target across runs, oldest first (drift: a provider that quietly changed its model).
    Result<QList<TargetRunStats>> drift(const QString &targetId, const QDateTime &from = {}, const QDateTime &to = {});
    // Every target of one run (to compare runs side by side).
    Result<QList<TargetRunStats>> targetStats(const QString &runId);
    Result<QList<StoredRating>> humanRatings(const QString &runId);
    // The run's arena votes, oldest first.
    Result<QList<StoredArenaVote>> arenaVotes(const QString &runId);

    // Maintenance.
    Result<QString> backupNow(int keep = 7);
    // Deletes the run and everything recorded for it, overwriting the freed pages
    // (secure_delete) and merging the search index so its words do not linger.
    Status deleteRun(const QString &runId);
    // A small SQLite file with the same schema holding just this run.
    Status exportRun(const QString &runId, const QString &file);
    // Adds the runs of an exported file; returns their ids. A run already present is refused.
    Result<QStringList> importRuns(const QString &file);
    // Puts `backup` in place of `dbPath` (whose current file is moved aside); no connection to
    // dbPath may be open.
    static Status restoreBackup(const QString &backup, const QString &dbPath);
    // What the user must be told after open() replaced a damaged file (`report.recreated`): what
    // was wrong, where the damaged file went and which backup can be restored; or that a -wal of
    // another history was set aside (`report.foreignLogMovedTo`). Empty otherwise.
    static QString recoveryNotice(const OpenReport &report);
    // "ok", or what PRAGMA integrity_check and the search index's own check found.
    Result<QString> integrityCheck();

    // For tests and benchmarks.
    SqliteConnection &connection() { return m_db; }

private:
    Result<OpenReport> openReadWrite(const QString &path, const OpenOptions &options, bool allowRecovery);
    Result<OpenReport> openReadOnly(const QString &path, const OpenOptions &options);
    // Empty when the file looks sound; else what is wrong with it.
    QString corruption(bool quickCheck, SqliteStatus *status);
    QStringList markInterrupted();
    Result<qint64> runKey(const QString &runId);
    Error sqlError(const QString &what, const SqliteStatus &status) const;

    SqliteConnection m_db;
    QString m_path;
    bool m_readOnly = false;
};

} // namespace Slopscope
