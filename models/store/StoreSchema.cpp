#include "store/StoreSchema.h"

#include <QFile>

namespace Slopscope {

namespace {

// Schema 1. Times are milliseconds since the epoch (UTC); engine stamps are nanoseconds of the
// monotonic clock of the process that ran the job. Enumerations are stored by name.
constexpr char kSchemaV1[] = R"sql(
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    suite_name TEXT NOT NULL,
    suite_json TEXT NOT NULL,
    targets_json TEXT NOT NULL,
    target_ids TEXT NOT NULL,
    settings_json TEXT NOT NULL,
    price_catalogue TEXT NOT NULL DEFAULT '',
    app_version TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    ended_at INTEGER,
    state TEXT NOT NULL CHECK (state IN ('running', 'completed', 'cancelled', 'interrupted')),
    stop_reason TEXT NOT NULL DEFAULT '',
    sessions INTEGER NOT NULL DEFAULT 1,
    planned_cells INTEGER NOT NULL DEFAULT 0,
    cell_count INTEGER NOT NULL DEFAULT 0,
    ok_count INTEGER NOT NULL DEFAULT 0,
    cost_usd REAL NOT NULL DEFAULT 0,
    unknown_cost_count INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX runs_started ON runs (started_at);

CREATE TABLE prompts (
    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    case_id TEXT NOT NULL,
    variant_id TEXT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (run_id, case_id, variant_id)
) WITHOUT ROWID;

CREATE TABLE case_tags (
    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    case_id TEXT NOT NULL,
    tag TEXT NOT NULL,
    PRIMARY KEY (run_id, case_id, tag)
) WITHOUT ROWID;
CREATE INDEX case_tags_tag ON case_tags (tag, run_id);

CREATE TABLE results (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    job_id TEXT NOT NULL,
    case_id TEXT NOT NULL,
    variant_id TEXT NOT NULL,
    repeat INTEGER NOT NULL,
    target TEXT NOT NULL,
    provider TEXT NOT NULL,
    recorded_at INTEGER NOT NULL,
    state TEXT NOT NULL,
    failure TEXT NOT NULL,
    error TEXT NOT NULL,
    outcome TEXT NOT NULL,
    text TEXT NOT NULL,
    reasoning_text TEXT NOT NULL,
    refusal TEXT NOT NULL,
    tool_calls_json TEXT,
    finish_reason TEXT NOT NULL,
    model_reported TEXT NOT NULL,
    response_id TEXT NOT NULL,
    provider_error_json TEXT,
    terminal_marker_seen INTEGER NOT NULL,
    result_streamed INTEGER NOT NULL,
    events INTEGER NOT NULL,
    content_events INTEGER NOT NULL,
    first_content_event_index INTEGER NOT NULL,
    keep_alives INTEGER NOT NULL,
    server_tokens_per_second REAL,
    usage_source TEXT NOT NULL CHECK (usage_source IN ('provider', 'none')),
    input_tokens INTEGER,
    output_tokens INTEGER,
    reasoning_tokens INTEGER,
    cached_input_tokens INTEGER,
    cache_creation_input_tokens INTEGER,
    total_tokens INTEGER,
    usage_cost_usd REAL,
    queue_wait_ns INTEGER,
    time_to_headers_ns INTEGER,
    time_to_first_byte_ns INTEGER,
    ttft_ns INTEGER,
    ttfat_ns INTEGER,
    e2e_ns INTEGER,
    total_ns INTEGER,
    metric_output_tokens REAL,
    streamed_tokens REAL,
    tokens_estimated INTEGER NOT NULL,
    decode_tokens_per_second REAL,
    itl_ns REAL,
    gap_p50_ns INTEGER,
    gap_p95_ns INTEGER,
    gap_max_ns INTEGER,
    stall_count INTEGER NOT NULL,
    stall_ns INTEGER NOT NULL,
    content_chunks INTEGER NOT NULL,
    bytes_received INTEGER NOT NULL,
    attempts INTEGER NOT NULL,
    streamed INTEGER NOT NULL,
    queued_ns INTEGER,
    ended_ns INTEGER,
    timeline BLOB,
    cost_usd REAL,
    cost_unknown_reason TEXT NOT NULL,
    cost_uncached_input_usd REAL NOT NULL,
    cost_cache_read_usd REAL NOT NULL,
    cost_cache_write_usd REAL NOT NULL,
    cost_output_usd REAL NOT NULL,
    cost_reasoning_usd REAL NOT NULL,
    price_input_per_mtok REAL,
    price_output_per_mtok REAL,
    price_cached_input_per_mtok REAL,
    price_cache_write_per_mtok REAL,
    price_reasoning_per_mtok REAL,
    reported_cost_usd REAL,
    score REAL NOT NULL,
    pass INTEGER NOT NULL,
    pending_judge INTEGER NOT NULL,
    grades_json TEXT NOT NULL,
    UNIQUE (run_id, job_id)
);

CREATE TABLE attempts (
    result_id INTEGER NOT NULL REFERENCES results (id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    wait_before_ms INTEGER NOT NULL,
    started_ns INTEGER,
    sent_ns INTEGER,
    headers_ns INTEGER,
    first_byte_ns INTEGER,
    end_ns INTEGER,
    http_status INTEGER NOT NULL,
    bytes_received INTEGER NOT NULL,
    failure TEXT NOT NULL,
    error TEXT NOT NULL,
    http2 INTEGER NOT NULL,
    deltas BLOB,
    PRIMARY KEY (result_id, idx)
) WITHOUT ROWID;

CREATE TABLE human_ratings (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    job_id TEXT NOT NULL,
    rater TEXT NOT NULL,
    kind TEXT NOT NULL,
    rating INTEGER NOT NULL,
    comment TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX human_ratings_job ON human_ratings (run_id, job_id);

-- One row per judge call made while grading a cell (CellResult::judgeCalls).
CREATE TABLE judge_verdicts (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    job_id TEXT NOT NULL,
    call_id TEXT NOT NULL,
    judge_target TEXT NOT NULL,
    assertion_type TEXT NOT NULL,
    assertion_index INTEGER NOT NULL,
    swapped INTEGER NOT NULL,
    answers_judged INTEGER NOT NULL,
    pass INTEGER,
    pass_given INTEGER,
    score REAL,
    reason TEXT,
    pick_index INTEGER,
    pick_label TEXT,
    pick_reason TEXT,
    picked_job_id TEXT NOT NULL,
    answer TEXT NOT NULL,
    cost_usd REAL,
    latency_ms REAL,
    error TEXT NOT NULL
);
CREATE INDEX judge_verdicts_job ON judge_verdicts (run_id, job_id);

-- Full-text search over each cell's prompt and answer. The index keeps no copy of the text: it
-- reads it back through this view, and triggers keep it in step with results.
CREATE VIEW search_source AS
    SELECT r.id AS id, coalesce(p.text, '') AS prompt, r.text AS answer
    FROM results r LEFT JOIN prompts p
        ON p.run_id = r.run_id AND p.case_id = r.case_id AND p.variant_id = r.variant_id;
CREATE VIRTUAL TABLE results_fts USING fts5 (
    prompt, answer, content = 'search_source', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER results_fts_insert AFTER INSERT ON results BEGIN
    INSERT INTO results_fts (rowid, prompt, answer) VALUES (new.id,
        coalesce((SELECT text FROM prompts p WHERE p.run_id = new.run_id AND p.case_id = new.case_id
                  AND p.variant_id = new.variant_id), ''),
        new.text);
END;
CREATE TRIGGER results_fts_delete AFTER DELETE ON results BEGIN
    INSERT INTO results_fts (results_fts, rowid, prompt, answer) VALUES ('delete', old.id,
        coalesce((SELECT text FROM prompts p WHERE p.run_id = old.run_id AND p.case_id = old.case_id
                  AND p.variant_id = old.variant_id), ''),
        old.text);
END;
)sql";

// Schema 2: the drift query reads one target across every run.
constexpr char kSchemaV2[] = R"sql(
CREATE INDEX results_target_run ON results (target, run_id);
)sql";

// Schema 3: whoever inserts results indexes them itself (StoreWriter, import, export). An insert
// trigger on results makes every INSERT a multi-row write with a statement journal, and opening a
// statement journal makes FTS5 (3.40) flush its pending terms: one index segment per result, and
// the merging after it, was most of the writer's time. Deletes are rare and keep their trigger.
constexpr char kSchemaV3[] = R"sql(
DROP TRIGGER results_fts_insert;
)sql";

// Schema 4: the file's identity. Every write transaction bumps `commits`, so the page holding this
// row is in every write-ahead log the file produces: after SQLite has replayed a -wal at open,
// a file_id other than the one this file had says the log was written by another history.
constexpr char kSchemaV4[] = R"sql(
CREATE TABLE store_identity (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    file_id TEXT NOT NULL,
    commits INTEGER NOT NULL DEFAULT 0
);
INSERT INTO store_identity (id, file_id) VALUES (1, lower(hex(randomblob(16))));
)sql";

// Schema 5: the search index's watermark (SearchIndex). Results are committed unindexed and the
// writer indexes them afterwards, in chunks, when idle: the index insert was half of a result's
// cost on the commit path. Every result up to indexed_to is in results_fts, none above it is; the
// delete trigger therefore removes only indexed words (a 'delete' of words FTS5 never received
// would corrupt it), and lowers the watermark to the highest remaining id, so the id SQLite gives
// the next result (one above the highest) can never fall at or below it.
constexpr char kSchemaV5[] = R"sql(
CREATE TABLE search_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    indexed_to INTEGER NOT NULL
);
INSERT INTO search_state (id, indexed_to) VALUES (1, (SELECT coalesce(max(id), 0) FROM results));
DROP TRIGGER results_fts_delete;
CREATE TRIGGER results_fts_delete AFTER DELETE ON results BEGIN
    INSERT INTO results_fts (results_fts, rowid, prompt, answer) SELECT 'delete', old.id,
        coalesce((SELECT text FROM prompts p WHERE p.run_id = old.run_id AND p.case_id = old.case_id
                  AND p.variant_id = old.variant_id), ''),
        old.text
    WHERE old.id <= (SELECT indexed_to FROM search_state WHERE id = 1);
    UPDATE search_state SET indexed_to = (SELECT coalesce(max(id), 0) FROM results)
    WHERE id = 1 AND indexed_to > (SELECT coalesce(max(id), 0) FROM results);
END;
)sql";

// Schema 6: blind arena votes (HumanReview::arenaRanking). Cells are named by job id, as ratings
// are, so a vote survives a resume replacing its cells. vote_id is the voter's own id for the
// vote, so an undo can take back exactly that one; the UNIQUE index also serves by-run reads.
constexpr char kSchemaV6[] = R"sql(
CREATE TABLE arena_votes (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    vote_id TEXT NOT NULL,
    case_id TEXT NOT NULL,
    variant_id TEXT NOT NULL,
    left_job_id TEXT NOT NULL,
    right_job_id TEXT NOT NULL,
    choice TEXT NOT NULL CHECK (choice IN ('left', 'right', 'tie')),
    rater TEXT NOT NULL,
    note TEXT NOT NULL,
    voted_at INTEGER NOT NULL,
    UNIQUE (run_id, vote_id)
);
)sql";

// Schema 7: a chain cell's turns (ChainTurnCodec's JSON); NULL for a one-question cell and for
// every cell written before, which therefore load with no turns.
constexpr char kSchemaV7[] = R"sql(
ALTER TABLE results ADD COLUMN chain_json TEXT;
)sql";

// Schema 9: what a thinking model must get back to go on from a cell's answer (ThoughtsCodec:
// thinking blocks with signatures, sealed reasoning items); NULL when it kept none and for every
// older row. Opaque, so search_source leaves it out.
constexpr char kSchemaV9[] = R"sql(
ALTER TABLE results ADD COLUMN thoughts_json TEXT;
)sql";

// Schema 8: search finds a chain cell by its follow-up turns. The view's `answer` is the cell's
// answer, then each turn's answer and every user message after the first (the first is the
// prompt), read from chain_json. FTS5's 'delete' must be given exactly the text that was indexed,
// so the delete trigger recomputes it from the deleted row with the same expression, and the
// migration takes each indexed chain row out with the old view before putting it back with the
// new one. The turns are walked by index (a recursive count and json_extract), not json_each:
// with a table-valued function in its content view, FTS5's integrity-check fails (SQLite 3.40).
// chain_json that is not a JSON array counts as no turns: a bad row must not make deletes fail.
QString chainSearchText(const char *row)
{
    return QStringLiteral(
               "coalesce((WITH RECURSIVE n(i, c) AS (SELECT 0, CASE WHEN json_valid(%1.chain_json) THEN CASE WHEN "
               "json_type(%1.chain_json) = 'array' THEN json_array_length(%1.chain_json) ELSE 0 END ELSE 0 END "
               "UNION ALL SELECT i + 1, c FROM n WHERE i + 1 < c) "
               "SELECT group_concat(nullif(trim(CASE WHEN i > 0 THEN coalesce(json_extract(%1.chain_json, '$[' || i "
               "|| '].user'), '') ELSE '' END || char(10) || coalesce(json_extract(%1.chain_json, '$[' || i || "
               "'].answer'), ''), char(10)), ''), char(10)) FROM n WHERE i < c), '')")
        .arg(QLatin1StringView(row));
}

QString searchAnswer(const char *row)
{
    return QStringLiteral("%1.text || coalesce(char(10) || nullif(%2, ''), '')")
        .arg(QLatin1StringView(row), chainSearchText(row));
}

QByteArray schemaV8()
{
    const QString indexedChains =
        QStringLiteral("FROM search_source s JOIN results r ON r.id = s.id WHERE r.chain_json IS NOT NULL "
                       "AND s.id <= (SELECT indexed_to FROM search_state WHERE id = 1)");
    const QString prompt = QStringLiteral("coalesce((SELECT text FROM prompts p WHERE p.run_id = old.run_id AND "
                                          "p.case_id = old.case_id AND p.variant_id = old.variant_id), '')");
    QString sql;
    sql += u"INSERT INTO results_fts (results_fts, rowid, prompt, answer) SELECT 'delete', s.id, s.prompt, s.answer " +
           indexedChains + u";\n";
    sql += u"DROP VIEW search_source;\n"
           u"CREATE VIEW search_source AS SELECT r.id AS id, coalesce(p.text, '') AS prompt, " +
           searchAnswer("r") +
           u" AS answer FROM results r LEFT JOIN prompts p "
           u"ON p.run_id = r.run_id AND p.case_id = r.case_id AND p.variant_id = r.variant_id;\n";
    sql += u"INSERT INTO results_fts (rowid, prompt, answer) SELECT s.id, s.prompt, s.answer " + indexedChains + u";\n";
    // The schema 5 trigger, with the new answer text.
    sql += u"DROP TRIGGER results_fts_delete;\n"
           u"CREATE TRIGGER results_fts_delete AFTER DELETE ON results BEGIN\n"
           u"INSERT INTO results_fts (results_fts, rowid, prompt, answer) SELECT 'delete', old.id, " +
           prompt + u", " + searchAnswer("old") +
           u" WHERE old.id <= (SELECT indexed_to FROM search_state WHERE id = 1);\n"
           u"UPDATE search_state SET indexed_to = (SELECT coalesce(max(id), 0) FROM results) "
           u"WHERE id = 1 AND indexed_to > (SELECT coalesce(max(id), 0) FROM results);\n"
           u"END;\n";
    return sql.toUtf8();
}

} // namespace

const char *StoreSchema::touchIdentitySql()
{
    return "UPDATE store_identity SET commits = commits + 1 WHERE id = 1";
}

Result<QString> StoreSchema::fileId(SqliteConnection &db)
{
    SqliteStatus s;
    SqliteStatement q = db.prepare(QStringLiteral("SELECT file_id FROM store_identity WHERE id = 1"), &s);
    if (!s.ok())
        return Error{s.message};
    const int code = q.step();
    if (code != SQLITE_ROW)
        return Error{code == SQLITE_DONE ? tr("the history has no identity row") : db.status(code).message};
    return q.text(0);
}

Result<int> StoreSchema::version(SqliteConnection &db)
{
    SqliteStatus s;
    const auto v = db.queryInt(QStringLiteral("PRAGMA user_version"), &s);
    if (!s.ok())
        return Error{tr("Cannot read the schema version of %1: %2").arg(db.path(), s.message)};
    return static_cast<int>(v.value_or(0));
}

QStringList StoreSchema::tables()
{
    return {QStringLiteral("runs"),          QStringLiteral("prompts"),  QStringLiteral("case_tags"),
            QStringLiteral("results"),       QStringLiteral("attempts"), QStringLiteral("human_ratings"),
            QStringLiteral("judge_verdicts"), QStringLiteral("arena_votes")};
}

const char *StoreSchema::indexResultSql()
{
    return "INSERT INTO results_fts (rowid, prompt, answer) VALUES (?1, "
           "coalesce((SELECT p.text FROM results r JOIN prompts p ON p.run_id = r.run_id AND p.case_id = r.case_id "
           "AND p.variant_id = r.variant_id WHERE r.id = ?1), ''), (SELECT text FROM results WHERE id = ?1))";
}

Status StoreSchema::migrate(SqliteConnection &db, int target, const QString &backupPath)
{
    auto current = version(db);
    if (!current)
        return Error{current.error()};
    const int from = current.value();
    if (from > kCurrentVersion) {
        return Error{tr("%1 was written by a newer version of Slopscope (history schema %2; this version knows up "
                        "to %3). It can be opened read-only; to change it, update Slopscope.")
                         .arg(db.path())
                         .arg(from)
                         .arg(kCurrentVersion)};
    }
    if (from >= target)
        return {};
    if (from > 0 && !backupPath.isEmpty()) {
        QFile::remove(backupPath);
        SqliteStatement vacuum = db.prepare(QStringLiteral("VACUUM INTO ?"));
        vacuum.bind(1, backupPath);
        if (const int code = vacuum.step(); code != SQLITE_DONE) {
            return Error{tr("Cannot back up %1 to %2 before upgrading it: %3")
                             .arg(db.path(), backupPath, db.status(code).message)};
        }
    }
    for (int to = from + 1; to <= target; ++to) {
        if (Status s = step(db, to); !s.ok())
            return s;
    }
    return {};
}

Status StoreSchema::step(SqliteConnection &db, int to)
{
    const char *sql = to == 1   ? kSchemaV1
                      : to == 2 ? kSchemaV2
                      : to == 3 ? kSchemaV3
                      : to == 4 ? kSchemaV4
                      : to == 5 ? kSchemaV5
                      : to == 6 ? kSchemaV6
                      : to == 7 ? kSchemaV7
                      : to == 9 ? kSchemaV9
                                : nullptr;
    const QByteArray built = to == 8 ? schemaV8() : QByteArray(); // built from shared expressions
    if (!sql && built.isEmpty())
        return Error{tr("No migration to history schema %1.").arg(to)};
    SqliteStatus s = db.exec("BEGIN IMMEDIATE");
    if (s.ok())
        s = db.exec(sql ? sql : built.constData());
    if (s.ok())
        s = db.exec(QStringLiteral("PRAGMA user_version = %1").arg(to));
    if (s.ok())
        s = db.exec("COMMIT");
    if (!s.ok()) {
        db.exec("ROLLBACK");
        return Error{tr("Cannot upgrade %1 to history schema %2: %3").arg(db.path()).arg(to).arg(s.message)};
    }
    return {};
}

} // namespace Slopscope
