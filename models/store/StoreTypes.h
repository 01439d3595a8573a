#pragma once

#include "engine/JobResult.h"

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>

namespace Slopscope {

// The value types the history store reads and writes (the schema is in docs/STORE.md).

enum class RunState { Running, Completed, Cancelled, Interrupted };

// How much of each cell a run's load decodes. Matrix leaves out what only the selected cell's detail
// shows (the chunk timelines and attempts, chain turns, thoughts), so a run of 10,000 cells opens
// quickly (RELIABILITY L-5); HistoryStore::cellDetail reads one cell in full on demand.
enum class CellLoad { Full, Matrix };

// One row of the run list. Counts cover the cells recorded so far.
struct RunRecord
{
    QString id; // a UUID without braces, stable across export and import
    QString suiteName;
    QDateTime startedAt; // UTC
    QDateTime endedAt;   // invalid while running or when interrupted
    RunState state = RunState::Running;
    QString stopReason;
    QString appVersion;
    QString priceCatalogue; // the price catalogue's version/date the costs were computed with
    QStringList targetIds;
    int sessions = 1; // 1 + the times the run was resumed
    int plannedCells = 0;
    int cells = 0;
    int okCells = 0;    // Completed or Incomplete: these are not sent again on resume
    double costUsd = 0; // over the cells whose cost is known
    int unknownCostCells = 0;
    // From the settings snapshot (RunSpec::kind and title): empty for a suite run.
    QString kind;
    QString title;
    // Filled by HistoryStore::run() only (not by the list): the snapshots taken at the start.
    QString suiteJson;
    QString targetsJson;
    QString settingsJson;
};

// What the writer needs to record a new run (RunSnapshot builds it from a RunSpec).
struct RunStart
{
    QString id;
    QString suiteName;
    QString suiteJson;
    QString targetsJson;
    QStringList targetIds;
    QString settingsJson;
    QString priceCatalogue;
    QString appVersion;
    QDateTime startedAt;
    int plannedCells = 0;
    struct Prompt
    {
        QString caseId;
        QString variantId;
        QString text;
    };
    QList<Prompt> prompts; // the rendered prompt of every case and variant the run sends
    struct Tag
    {
        QString caseId;
        QString tag;
    };
    QList<Tag> tags;
};

// A person's grade of one answer, as kept (judge/HumanReview.h has the live form).
struct StoredRating
{
    QString runId;
    QString jobId;
    QString rater;
    // "pass_fail" (rating 1 or 0), "stars" (1 to 5), or "withdrawn": the person took their
    // rating of the cell back (the history only appends, so a withdrawal is a row of its own).
    QString kind = QStringLiteral("pass_fail");
    int rating = 0;
    QString comment;
    QDateTime createdAt;

    [[nodiscard]] bool withdrawn() const { return kind == u"withdrawn"; }
};

// A blind arena vote (judge/HumanReview.h's ArenaVote), as kept: which two cells of a run were
// shown on which side and which one the person preferred.
struct StoredArenaVote
{
    QString runId;
    QString voteId; // the voter's id for it (unique in the run), so an undo retracts just this one
    QString caseId;
    QString variantId;
    QString leftJobId;
    QString rightJobId;
    QString choice = QStringLiteral("tie"); // "left", "right" or "tie"
    QString rater;
    QString note;
    QDateTime votedAt;
};

// Full-text search with filters; every filter is optional. `text` is split into words and a cell
// matches when each word occurs in its prompt or its answer. No FTS5 syntax is interpreted, so
// any user input is safe.
struct SearchQuery
{
    QString text;
    QString suiteName;
    QString targetId;
    QDateTime from; // runs started at or after
    QDateTime to;   // runs started before
    QString tag;    // a case tag from the suite
    std::optional<JobState> cellState;
    std::optional<RunState> runState;
    int limit = 200;
};

struct SearchHit
{
    QString runId;
    QString suiteName;
    QDateTime runStartedAt;
    QString jobId;
    QString caseId;
    QString variantId;
    int repeat = 0;
    QString targetId;
    JobState state = JobState::Completed;
    double score = 0;
    // A piece of the answer (or the prompt) around the match, the matched words between
    // kHitStart and kHitEnd. Untrusted text: escape before rendering.
    QString snippet;
    static constexpr QChar kHitStart = QChar(0x2);
    static constexpr QChar kHitEnd = QChar(0x3);
};

// One target in one run: what drift and run comparison show.
struct TargetRunStats
{
    QString runId;
    QDateTime runStartedAt;
    QString suiteName;
    QString targetId;
    QString model;                 // as configured
    QStringList modelsReported;    // what the provider said it ran, distinct, sorted
    int cells = 0;                 // recorded, cancelled ones excluded
    int failed = 0;                // not Completed
    int cases = 0;                 // canonical cases with a score
    std::optional<double> quality; // mean over cases of their mean score (canonical wording)
    std::optional<double> qualityLow;
    std::optional<double> qualityHigh;
    std::optional<double> medianTtftMs;
    std::optional<double> medianDecodeTokensPerSecond;
    std::optional<double> costPerCaseUsd; // only when every case's cost is known
    int unknownCostCells = 0;
};

// How HistoryStore::open checks and waits.
struct StoreOpenOptions
{
    bool quickCheck = true; // PRAGMA quick_check at open; reads the whole file once
    int busyTimeoutMs = 5000;
};

// How opening the history file went.
struct OpenReport
{
    QString path;
    bool readOnly = false;
    int schemaVersion = 0;
    int migratedFrom = -1;       // the version before migrating, -1 when no migration ran
    QString preMigrationBackup;  // the copy written before migrating, if any
    bool recreated = false;      // the file was corrupt and a fresh one was created
    QString corruptionDetail;    // what quick_check or SQLite said
    QString movedAsideTo;        // where the corrupt file (and its -wal, -shm) went
    QString foreignLogMovedTo;   // a -wal written by another history, set aside unapplied
    QString latestBackup;        // the newest backup to offer, empty if none
    QStringList interruptedRuns; // runs found `running` from a process that died, now interrupted
};

// A condition that keeps the writer from saving; results stay queued in memory meanwhile.
struct StoreProblem
{
    enum class Kind { None, Busy, DiskFull, ReadOnly, Failed };
    Kind kind = Kind::None;
    QString message; // translated, names the file
    int queued = 0;  // results waiting in memory
};

} // namespace Slopscope

Q_DECLARE_METATYPE(Slopscope::StoreProblem)
