#include "store/StoreWriter.h"

#include "store/CellCodec.h"
#include "store/SearchIndex.h"
#include "store/StoreBackups.h"
#include "store/StoreEnums.h"
#include "store/StoreSchema.h"

#include <QDateTime>
#include <QDebug>
#include <QFileInfo>

namespace Slopscope {

namespace {

enum StatementId {
    RunKey,
    InsertRun,
    InsertPrompt,
    InsertTag,
    ResumeRunSql,
    EndRunSql,
    FindResult,
    DeleteResult,
    InsertResult,
    InsertAttempt,
    UpdateCounters,
    InsertRating,
    FindJudgeCalls,
    DeleteJudgeCalls,
    InsertJudgeCall,
};

// Conditions that pass: retried with everything kept in memory.
bool isTransient(const SqliteStatus &s)
{
    switch (s.code) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_PROTOCOL:
    case SQLITE_NOMEM:
        return true;
    default:
        return false;
    }
}

QString placeholders(int count)
{
    QStringList marks;
    for (int i = 0; i < count; ++i)
        marks.append(QStringLiteral("?"));
    return marks.join(QStringLiteral(", "));
}

qint64 msOf(const QDateTime &t)
{
    return (t.isValid() ? t : QDateTime::currentDateTimeUtc()).toMSecsSinceEpoch();
}

} // namespace

StoreWriter::StoreWriter(QString path, Options options, QObject *parent)
    : QObject(parent)
    , m_path(std::move(path))
    , m_options(options)
    , m_retryTimer(new QTimer(this))
    , m_indexRetryTimer(new QTimer(this))
{
    m_retryTimer->setSingleShot(true);
    connect(m_retryTimer, &QTimer::timeout, this, &StoreWriter::flush);
    m_indexRetryTimer->setSingleShot(true);
    connect(m_indexRetryTimer, &QTimer::timeout, this, &StoreWriter::scheduleIndex);
}

StoreWriter::~StoreWriter()
{
    m_statements.clear();
    m_db.close();
}

void StoreWriter::open()
{
    m_lock = std::make_unique<QLockFile>(m_path + QStringLiteral(".writer-lock"));
    m_lock->setStaleLockTime(0);
    if (!m_lock->tryLock(0))
        m_lock.reset(); // another live writer: SQLite's locking keeps both safe

    const auto fail = [this](const QString &message) {
        m_db.close();
        Q_EMIT opened(false, message);
    };
    if (!QFileInfo::exists(m_path))
        return fail(tr("The history file %1 does not exist; open it with HistoryStore first.").arg(m_path));
    if (SqliteStatus s = m_db.open(m_path, SQLITE_OPEN_READWRITE); !s.ok())
        return fail(tr("Cannot open %1 for writing: %2").arg(m_path, s.message));
    m_db.setBusyTimeout(m_options.busyTimeoutMs);
    SqliteStatus s = m_db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;");
    if (!s.ok())
        return fail(tr("Cannot prepare %1 for writing: %2").arg(m_path, s.message));
    const auto version = StoreSchema::version(m_db);
    if (!version)
        return fail(version.error());
    if (version.value() != StoreSchema::kCurrentVersion) {
        return fail(tr("%1 has history schema %2, but this version of Slopscope writes schema %3.")
                        .arg(m_path)
                        .arg(version.value())
                        .arg(StoreSchema::kCurrentVersion));
    }
    if (m_options.maxPageCount)
        m_db.exec(QStringLiteral("PRAGMA max_page_count = %1").arg(*m_options.maxPageCount));
    m_open = true;
    maybeBackup();
    // Whatever a previous session left unindexed (it stopped or crashed first) is caught up now.
    SqliteStatus read;
    const auto mark = SearchIndex::indexedTo(m_db);
    m_indexedTo = mark ? mark.value().value_or(0) : 0;
    m_lastResultId = m_db.queryInt(QStringLiteral("SELECT coalesce(max(id), 0) FROM results"), &read).value_or(0);
    Q_EMIT opened(true, {});
    if (!m_queue.isEmpty())
        flush();
    scheduleIndex();
}

void StoreWriter::maybeBackup()
{
    if (m_options.backupIntervalHours <= 0)
        return;
    const QDateTime last = StoreBackups::latestTime(m_path);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (last.isValid() && last.secsTo(now) < qint64(m_options.backupIntervalHours) * 3600)
        return;
    if (auto written = StoreBackups::write(m_db, m_path, m_options.keepBackups); !written)
        qWarning().noquote() << written.error();
}

void StoreWriter::beginRun(const RunStart &start)
{
    enqueue(start);
}

void StoreWriter::resumeRun(const QString &runId)
{
    enqueue(ResumeRun{runId});
}

void StoreWriter::addResult(const QString &runId, const CellResult &cell)
{
    enqueue(AddResult{runId, cell, QDateTime::currentMSecsSinceEpoch()});
}

void StoreWriter::endRun(const QString &runId, RunState state, const QString &stopReason, const QDateTime &endedAt)
{
    enqueue(EndRun{runId, state, stopReason, endedAt});
}

void StoreWriter::addHumanRating(const StoredRating &rating)
{
    enqueue(rating);
}

void StoreWriter::addArenaVote(const StoredArenaVote &vote)
{
    enqueue(vote);
}

void StoreWriter::retractArenaVote(const QString &runId, const QString &voteId)
{
    enqueue(RetractVote{runId, voteId});
}

void StoreWriter::setMaxPageCount(qint64 pages)
{
    m_options.maxPageCount = pages;
    if (m_open)
        m_db.exec(QStringLiteral("PRAGMA max_page_count = %1").arg(pages));
    // Room was made: try at once rather than at the next retry.
    if (m_open && !m_queue.isEmpty()) {
        m_retryTimer->stop();
        flush();
    }
}

void StoreWriter::shutdown()
{
    m_retryTimer->stop();
    m_indexRetryTimer->stop(); // what is not indexed yet is searched as the tail, and indexed at the next open
    if (m_open) {
        // Everything that can be saved is; a persistent failure loses what is still queued.
        for (int i = 0; i < 1000 && !m_queue.isEmpty(); ++i) {
            const qsizetype before = m_queue.size();
            flush();
            m_retryTimer->stop();
            if (m_queue.size() == before)
                break;
        }
    }
    if (!m_queue.isEmpty()) {
        qWarning().noquote()
            << tr("%n operation(s) could not be saved to %1 before closing.", "", int(m_queue.size())).arg(m_path);
    }
    m_queue.clear();
    m_statements.clear();
    m_db.close();
    m_open = false;
    m_lock.reset();
}

void StoreWriter::enqueue(Operation operation)
{
    m_queue.append(std::move(operation));
    // A pending retry saves everything queued; otherwise save as soon as the event loop is free.
    if (!m_retryTimer->isActive())
        scheduleFlush();
}

void StoreWriter::scheduleFlush()
{
    if (!m_open || m_flushPending)
        return;
    // A posted event, not a zero timer: it runs after every call already posted to this thread,
    // so what arrived during a commit goes into the next one together (a zero timer may fire
    // between posted events and commit them one by one, each with its own fsync).
    m_flushPending = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_flushPending = false;
            flush();
        },
        Qt::QueuedConnection);
}

void StoreWriter::scheduleIndex()
{
    if (!m_open || m_indexPending || m_options.indexChunk <= 0 || m_indexedTo >= m_lastResultId ||
        m_indexRetryTimer->isActive())
        return;
    // Posted behind whatever is already queued: results are committed first, indexing takes the
    // idle time between them (one chunk at most delays the next commit).
    m_indexPending = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_indexPending = false;
            if (!m_open || !m_queue.isEmpty() || m_retryTimer->isActive())
                return; // the next successful commit that empties the queue schedules it again
            catchUpIndex(m_options.indexChunk);
            scheduleIndex();
        },
        Qt::QueuedConnection);
}

void StoreWriter::catchUpIndex(qint64 rows)
{
    const auto progress = SearchIndex::catchUpNow(m_db, rows);
    if (!progress) {
        // Search covers the unindexed tail, so this only costs search time: retried quietly.
        qWarning().noquote() << progress.error();
        m_indexRetryTimer->start(m_options.retryIntervalMs); // nothing is scheduled meanwhile
        return;
    }
    m_indexedTo = progress.value().indexedTo;
    m_lastResultId = progress.value().lastId;
    Q_EMIT searchIndexed(m_indexedTo, m_lastResultId);
}

int StoreWriter::queuedResults() const
{
    int n = 0;
    for (const Operation &op : m_queue)
        n += std::holds_alternative<AddResult>(op) ? 1 : 0;
    return n;
}

void StoreWriter::setProblem(StoreProblem::Kind kind, const QString &message)
{
    const int queued = queuedResults();
    if (kind == m_problem.kind && message == m_problem.message && queued == m_problem.queued)
        return;
    m_problem = {kind, message, queued};
    Q_EMIT problemChanged(m_problem);
}

void StoreWriter::flush()
{
    if (!m_open || m_queue.isEmpty())
        return;
    const qsizetype count = std::min<qsizetype>(m_queue.size(), m_options.maxBatch);
    QStringList jobIds;
    SqliteStatus s = commit(count, &jobIds);
    if (s.ok()) {
        m_queue.remove(0, count);
        if (m_problem.kind != StoreProblem::Kind::None)
            setProblem(StoreProblem::Kind::None, {});
        if (!jobIds.isEmpty())
            Q_EMIT committed(jobIds);
        if (m_queue.isEmpty()) {
            scheduleIndex();
        } else {
            // Under a flood: back down to the bound, however much a batch added.
            const qint64 lag = m_lastResultId - m_indexedTo;
            if (m_options.indexChunk > 0 && lag > m_options.maxIndexLag && !m_indexRetryTimer->isActive())
                catchUpIndex(std::max<qint64>(m_options.indexChunk, lag - m_options.maxIndexLag));
            scheduleFlush();
        }
        return;
    }
    if (isTransient(s)) {
        const int queued = queuedResults();
        if (s.isBusy()) {
            setProblem(StoreProblem::Kind::Busy,
                       tr("The history file %1 is locked by another program; waiting to save %n result(s).", "", queued)
                           .arg(m_path));
        } else if (s.isFull()) {
            setProblem(StoreProblem::Kind::DiskFull,
                       tr("The disk holding %1 is full (or the history reached its size limit). %n finished "
                          "result(s) are kept in memory and saving is retried; free some space.",
                          "", queued)
                           .arg(m_path));
        } else if (s.code == SQLITE_READONLY) {
            setProblem(StoreProblem::Kind::ReadOnly,
                       tr("%1 has become read-only; %n result(s) are kept in memory and saving is retried.", "", queued)
                           .arg(m_path));
        } else {
            setProblem(
                StoreProblem::Kind::Failed,
                tr("Saving to %1 failed (%2); %n result(s) are kept in memory and saving is retried.", "", queued)
                    .arg(m_path, s.message));
        }
        m_retryTimer->start(m_options.retryIntervalMs);
        return;
    }
    // Something in the batch can never be saved: save the rest one by one and drop only it.
    QStringList saved;
    for (qsizetype i = 0; i < count; ++i) {
        QStringList one;
        const SqliteStatus single = commit(1, &one);
        if (!single.ok() && isTransient(single))
            break;
        if (!single.ok()) {
            setProblem(StoreProblem::Kind::Failed,
                       tr("An entry could not be saved to %1 and was dropped: %2").arg(m_path, single.message));
        }
        saved += one;
        m_queue.removeFirst();
    }
    if (!saved.isEmpty())
        Q_EMIT committed(saved);
    if (!m_queue.isEmpty())
        scheduleFlush();
    else
        scheduleIndex();
}

SqliteStatus StoreWriter::commit(qsizetype count, QStringList *jobIds)
{
    SqliteStatus s = m_db.exec("BEGIN IMMEDIATE");
    if (!s.ok())
        return s;
    QHash<qint64, Counters> counters;
    QHash<QString, qint64> knownBefore = m_runKeys;
    for (qsizetype i = 0; i < count && s.ok(); ++i) {
        s = apply(m_queue.at(i), counters);
        if (s.ok()) {
            if (const auto *add = std::get_if<AddResult>(&m_queue.at(i)))
                jobIds->append(add->cell.job.jobId);
        }
    }
    for (auto it = counters.cbegin(); it != counters.cend() && s.ok(); ++it) {
        SqliteStatement &u =
            statement(UpdateCounters, "UPDATE runs SET cell_count = cell_count + ?, ok_count = ok_count + ?, "
                                      "cost_usd = cost_usd + ?, unknown_cost_count = unknown_cost_count + ? "
                                      "WHERE id = ?");
        u.bind(1, it->cells);
        u.bind(2, it->ok);
        u.bind(3, it->costUsd);
        u.bind(4, it->unknownCost);
        u.bind(5, it.key());
        const int code = u.step();
        u.reset();
        if (code != SQLITE_DONE)
            s = m_db.status(code);
    }
    if (s.ok())
        s = m_db.exec(StoreSchema::touchIdentitySql());
    if (s.ok())
        s = m_db.exec("COMMIT");
    if (!s.ok()) {
        m_db.exec("ROLLBACK");
        m_runKeys = knownBefore; // keys of runs inserted by the rolled-back transaction are gone
        m_freshRuns.clear();     // and what they held is unknown: look every job up again
        jobIds->clear();
    }
    return s;
}

SqliteStatement &StoreWriter::statement(int which, const char *sql)
{
    auto it = m_statements.find(which);
    if (it == m_statements.end() || !it->second.isValid())
        it = m_statements.insert_or_assign(which, m_db.prepare(QString::fromUtf8(sql))).first;
    return it->second;
}

SqliteStatus StoreWriter::runKey(const QString &runId, qint64 *key)
{
    if (const auto it = m_runKeys.constFind(runId); it != m_runKeys.cend()) {
        *key = it.value();
        return {};
    }
    SqliteStatement &q = statement(RunKey, "SELECT id FROM runs WHERE uuid = ?");
    q.bind(1, runId);
    const int code = q.step();
    SqliteStatus s;
    if (code == SQLITE_ROW) {
        *key = q.int64(0);
        m_runKeys.insert(runId, *key);
    } else if (code == SQLITE_DONE) {
        s = {SQLITE_NOTFOUND, SQLITE_NOTFOUND, tr("no run %1 in the history").arg(runId)};
    } else {
        s = m_db.status(code);
    }
    q.reset();
    return s;
}

SqliteStatus StoreWriter::apply(const Operation &operation, QHash<qint64, Counters> &counters)
{
    if (const auto *start = std::get_if<RunStart>(&operation))
        return applyRunStart(*start);
    if (const auto *add = std::get_if<AddResult>(&operation))
        return applyResult(*add, counters);

    const auto run = [this](SqliteStatement &q) {
        const int code = q.step();
        q.reset();
        return code == SQLITE_DONE ? SqliteStatus{} : m_db.status(code);
    };
    if (const auto *resume = std::get_if<ResumeRun>(&operation)) {
        qint64 key = 0;
        if (SqliteStatus s = runKey(resume->runId, &key); !s.ok())
            return s;
        m_freshRuns.remove(key); // it holds answers from before
        SqliteStatement &q = statement(ResumeRunSql, "UPDATE runs SET state = 'running', ended_at = NULL, "
                                                     "stop_reason = '', sessions = sessions + 1 WHERE id = ?");
        q.bind(1, key);
        return run(q);
    }
    if (const auto *end = std::get_if<EndRun>(&operation)) {
        qint64 key = 0;
        if (SqliteStatus s = runKey(end->runId, &key); !s.ok())
            return s;
        m_freshRuns.remove(key);
        SqliteStatement &q = statement(EndRunSql, "UPDATE runs SET state = ?, ended_at = ?, stop_reason = ? "
                                                  "WHERE id = ?");
        q.bind(1, StoreEnums::runStateName(end->state));
        q.bind(2, msOf(end->endedAt));
        q.bind(3, end->stopReason);
        q.bind(4, key);
        return run(q);
    }
    if (const auto *rating = std::get_if<StoredRating>(&operation)) {
        qint64 key = 0;
        if (SqliteStatus s = runKey(rating->runId, &key); !s.ok())
            return s;
        SqliteStatement &q = statement(InsertRating, "INSERT INTO human_ratings (run_id, job_id, rater, kind, "
                                                     "rating, comment, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
        q.bind(1, key);
        q.bind(2, rating->jobId);
        q.bind(3, rating->rater);
        q.bind(4, rating->kind);
        q.bind(5, rating->rating);
        q.bind(6, rating->comment);
        q.bind(7, msOf(rating->createdAt));
        return run(q);
    }
    return applyArena(operation);
}

SqliteStatus StoreWriter::applyRunStart(const RunStart &start)
{
    SqliteStatement &q =
        statement(InsertRun, "INSERT INTO runs (uuid, suite_name, suite_json, targets_json, target_ids, "
                             "settings_json, price_catalogue, app_version, started_at, state, planned_cells) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'running', ?)");
    q.bind(1, start.id);
    q.bind(2, start.suiteName);
    q.bind(3, start.suiteJson);
    q.bind(4, start.targetsJson);
    q.bind(5, start.targetIds.join(u'\n'));
    q.bind(6, start.settingsJson);
    q.bind(7, start.priceCatalogue);
    q.bind(8, start.appVersion);
    q.bind(9, msOf(start.startedAt));
    q.bind(10, start.plannedCells);
    int code = q.step();
    q.reset();
    if (code != SQLITE_DONE)
        return m_db.status(code);
    const qint64 key = m_db.lastInsertRowId();
    m_runKeys.insert(start.id, key);
    m_freshRuns.insert(key, {});
    SqliteStatement &p = statement(InsertPrompt, "INSERT OR IGNORE INTO prompts (run_id, case_id, variant_id, text) "
                                                 "VALUES (?, ?, ?, ?)");
    for (const RunStart::Prompt &prompt : start.prompts) {
        p.bind(1, key);
        p.bind(2, prompt.caseId);
        p.bind(3, prompt.variantId);
        p.bind(4, prompt.text);
        code = p.step();
        p.reset();
        if (code != SQLITE_DONE)
            return m_db.status(code);
    }
    SqliteStatement &t =
        statement(InsertTag, "INSERT OR IGNORE INTO case_tags (run_id, case_id, tag) VALUES (?, ?, ?)");
    for (const RunStart::Tag &tag : start.tags) {
        t.bind(1, key);
        t.bind(2, tag.caseId);
        t.bind(3, tag.tag);
        code = t.step();
        t.reset();
        if (code != SQLITE_DONE)
            return m_db.status(code);
    }
    return {};
}

SqliteStatus StoreWriter::replaceEarlier(qint64 key, const QString &jobId, Counters &c)
{
    // A resumed run sends a failed cell again: the new answer replaces the old, never duplicates it.
    // Looked up before anything is deleted: a DELETE opens a statement journal, which makes FTS5
    // flush its pending terms to a new segment (StoreSchema, schema 3), and replacements are rare.
    SqliteStatement &f =
        statement(FindResult, "SELECT id, state, cost_usd FROM results WHERE run_id = ? AND job_id = ?");
    f.bind(1, key);
    f.bind(2, jobId);
    int code = f.step();
    std::optional<qint64> replaced;
    if (code == SQLITE_ROW) {
        replaced = f.int64(0);
        --c.cells;
        if (const auto state = StoreEnums::jobStateFromName(f.text(1)); state && CellCodec::isAnswered(*state))
            --c.ok;
        if (const auto usd = f.optionalReal(2))
            c.costUsd -= *usd;
        else
            --c.unknownCost;
        code = SQLITE_DONE; // (run_id, job_id) is unique
    }
    f.reset();
    if (code != SQLITE_DONE)
        return m_db.status(code);
    if (replaced) {
        // The delete trigger takes its words out of the search index; attempts go by cascade.
        SqliteStatement &d = statement(DeleteResult, "DELETE FROM results WHERE id = ?");
        d.bind(1, *replaced);
        code = d.step();
        d.reset();
        if (code != SQLITE_DONE)
            return m_db.status(code);
    }
    SqliteStatement &fj =
        statement(FindJudgeCalls, "SELECT EXISTS (SELECT 1 FROM judge_verdicts WHERE run_id = ? AND job_id = ?)");
    fj.bind(1, key);
    fj.bind(2, jobId);
    code = fj.step();
    const bool judged = code == SQLITE_ROW && fj.int64(0) != 0;
    fj.reset();
    if (code != SQLITE_ROW)
        return m_db.status(code);
    if (judged) {
        SqliteStatement &dj = statement(DeleteJudgeCalls, "DELETE FROM judge_verdicts WHERE run_id = ? AND job_id = ?");
        dj.bind(1, key);
        dj.bind(2, jobId);
        code = dj.step();
        dj.reset();
        if (code != SQLITE_DONE)
            return m_db.status(code);
    }

    return {};
}

SqliteStatus StoreWriter::applyResult(const AddResult &add, QHash<qint64, Counters> &counters)
{
    qint64 key = 0;
    if (SqliteStatus s = runKey(add.runId, &key); !s.ok())
        return s;
    Counters &c = counters[key];
    // A run this writer began holds only the jobs it wrote itself: for a new job the lookups of
    // an earlier answer would find nothing, and are skipped (a tenth of the commit path).
    const auto fresh = m_freshRuns.find(key);
    if (fresh == m_freshRuns.end() || fresh->contains(add.cell.job.jobId)) {
        if (SqliteStatus s = replaceEarlier(key, add.cell.job.jobId, c); !s.ok())
            return s;
    }
    int code = SQLITE_DONE;

    static const QByteArray insertSql =
        QStringLiteral("INSERT INTO results (%1) VALUES (%2)")
            .arg(CellCodec::resultColumns(), placeholders(CellCodec::resultColumnCount()))
            .toUtf8();
    SqliteStatement &insert = statement(InsertResult, insertSql.constData());
    CellCodec::bindResult(insert, key, add.cell, add.recordedAtMs);
    code = insert.step();
    insert.reset();
    if (code != SQLITE_DONE)
        return m_db.status(code);
    // Not indexed here: SearchIndex catches the index up after the commit (schema 5).
    const qint64 resultId = m_db.lastInsertRowId();
    m_lastResultId = std::max(m_lastResultId, resultId);
    if (fresh != m_freshRuns.end())
        fresh->insert(add.cell.job.jobId);
    ++c.cells;
    if (CellCodec::isAnswered(add.cell.job.state))
        ++c.ok;
    if (add.cell.cost.usd)
        c.costUsd += *add.cell.cost.usd;
    else
        ++c.unknownCost;

    static const QByteArray attemptSql =
        QStringLiteral("INSERT INTO attempts (%1) VALUES (%2)")
            .arg(CellCodec::attemptColumns(), placeholders(CellCodec::attemptColumnCount()))
            .toUtf8();
    const QList<AttemptRecord> &attempts = add.cell.job.timeline.attempts;
    for (qsizetype i = 0; i < attempts.size(); ++i) {
        SqliteStatement &attempt = statement(InsertAttempt, attemptSql.constData());
        CellCodec::bindAttempt(attempt, resultId, attempts.at(i), i == attempts.size() - 1);
        code = attempt.step();
        attempt.reset();
        if (code != SQLITE_DONE)
            return m_db.status(code);
    }
    static const QByteArray judgeSql = QStringLiteral("INSERT INTO judge_verdicts (%1) VALUES (%2)")
                                           .arg(CellCodec::judgeColumns(), placeholders(CellCodec::judgeColumnCount()))
                                           .toUtf8();
    for (const JudgeCall &call : add.cell.judgeCalls) {
        SqliteStatement &j = statement(InsertJudgeCall, judgeSql.constData());
        CellCodec::bindJudgeCall(j, key, add.cell.job.jobId, call);
        code = j.step();
        j.reset();
        if (code != SQLITE_DONE)
            return m_db.status(code);
    }
    return {};
}

} // namespace Slopscope
