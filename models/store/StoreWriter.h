#pragma once

#include "run/CellResult.h"
#include "store/SqliteConnection.h"
#include "store/StoreTypes.h"

#include <QHash>
#include <QLockFile>
#include <QObject>
#include <QSet>
#include <QStringList>
#include <QTimer>

#include <map>
#include <memory>
#include <optional>
#include <variant>

namespace Slopscope {

// The one writer of the history file. Lives on its own thread (HistoryWriter owns it) with its own
// connection: WAL, synchronous=FULL, each batch in BEGIN IMMEDIATE ... COMMIT. Whatever is queued
// when a commit ends goes into the next one, so results are saved as soon as they arrive and
// batch by themselves under load. `committed` is emitted after COMMIT returned: from then on the
// results survive a crash of the process.
//
// Nothing is dropped on a transient failure: a locked file (SQLITE_BUSY), a full disk or size
// cap (SQLITE_FULL), a read-only file or an I/O error keep everything queued in memory, report the
// condition through problemChanged() and retry. Only an operation that can never succeed (a
// result for an unknown run) is dropped, and said so.
class StoreWriter final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StoreWriter)

public:
    struct Options
    {
        int retryIntervalMs = 1000;         // after a failed commit
        int busyTimeoutMs = 250;            // SQLite's own wait before a lock counts as busy
        int maxBatch = 2000;                // operations per transaction
        std::optional<qint64> maxPageCount; // a size cap; reaching it behaves as a full disk
        int backupIntervalHours = 24;       // 0: no automatic backup at start
        int keepBackups = 7;
        // Results added to the search index per transaction, when the queue is idle (SearchIndex).
        // 0: never (tests of the unindexed tail).
        int indexChunk = 2000;
        // Past this many unindexed results, each commit is followed by indexing back down to it
        // even under load: search indexes the tail for itself (about as costly per result), so
        // this bounds a search during a flood, at the price of the flood's insert rate. 2,000
        // keeps a search during a flood under 100 ms and the flood above 30,000 results/s on a
        // quiet machine (bench/README.md, issue #6).
        int maxIndexLag = 2'000;
    };

    StoreWriter(QString path, Options options, QObject *parent = nullptr);
    ~StoreWriter() override;

    // Everything below runs on the writer's thread.
    void open();
    void beginRun(const RunStart &start);
    void resumeRun(const QString &runId);
    void addResult(const QString &runId, const CellResult &cell);
    void endRun(const QString &runId, RunState state, const QString &stopReason, const QDateTime &endedAt);
    void addHumanRating(const StoredRating &rating);
    void addArenaVote(const StoredArenaVote &vote);
    // Removes the vote `voteId` of the run (an undo); nothing when there is none.
    void retractArenaVote(const QString &runId, const QString &voteId);
    void setMaxPageCount(qint64 pages);
    // One last attempt to save, then the connection closes.
    void shutdown();

Q_SIGNALS:
    void opened(bool ok, const QString &error);
    void committed(const QStringList &jobIds);
    void problemChanged(const Slopscope::StoreProblem &problem);
    // After each catch-up transaction of the search index: the watermark and the highest result id.
    void searchIndexed(qint64 indexedTo, qint64 lastResultId);

private:
    struct ResumeRun
    {
        QString runId;
    };
    struct AddResult
    {
        QString runId;
        CellResult cell;
        qint64 recordedAtMs = 0;
    };
    struct EndRun
    {
        QString runId;
        RunState state = RunState::Completed;
        QString stopReason;
        QDateTime endedAt;
    };
    struct RetractVote
    {
        QString runId;
        QString voteId;
    };
    using Operation = std::variant<RunStart, ResumeRun, AddResult, EndRun, StoredRating, StoredArenaVote, RetractVote>;
    struct Counters
    {
        int cells = 0;
        int ok = 0;
        double costUsd = 0;
        int unknownCost = 0;
    };

    void enqueue(Operation operation);
    void scheduleFlush();
    void flush();
    void scheduleIndex();
    void catchUpIndex(qint64 rows);
    SqliteStatus commit(qsizetype count, QStringList *jobIds);
    SqliteStatus apply(const Operation &operation, QHash<qint64, Counters> &counters);
    SqliteStatus applyRunStart(const RunStart &start);
    // Arena votes and their retraction (StoreWriterArena.cpp); {} for any other operation.
    SqliteStatus applyArena(const Operation &operation);
    SqliteStatus applyResult(const AddResult &add, QHash<qint64, Counters> &counters);
    // Deletes the run's earlier answer to `jobId` (a resumed cell sent again) and its judge calls.
    SqliteStatus replaceEarlier(qint64 key, const QString &jobId, Counters &c);
    SqliteStatus runKey(const QString &runId, qint64 *key);
    SqliteStatement &statement(int which, const char *sql);
    void setProblem(StoreProblem::Kind kind, const QString &message);
    [[nodiscard]] int queuedResults() const;
    void maybeBackup();

    QString m_path;
    Options m_options;
    SqliteConnection m_db;
    std::unique_ptr<QLockFile> m_lock;
    QList<Operation> m_queue;
    QHash<QString, qint64> m_runKeys;
    QHash<qint64, QSet<QString>> m_freshRuns; // runs begun by this writer, until ended: their jobs so far
    std::map<int, SqliteStatement> m_statements;
    QTimer *m_retryTimer = nullptr;
    QTimer *m_indexRetryTimer = nullptr;
    qint64 m_indexedTo = 0;    // the search index's watermark as last seen
    qint64 m_lastResultId = 0; // the highest result id as last seen
    StoreProblem m_problem;
    bool m_open = false;
    bool m_flushPending = false;
    bool m_indexPending = false;
};

} // namespace Slopscope
