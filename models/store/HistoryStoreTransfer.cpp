#include "store/HistoryStore.h"

#include "store/SearchIndex.h"
#include "store/StoreSchema.h"

#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>

namespace Slopscope {

namespace {

// The columns of `table` in schema `schema`, minus `skip`, comma-separated (optionally prefixed).
QString columnsOf(SqliteConnection &db, const QString &schema, const QString &table, const QStringList &skip = {},
                  const QString &prefix = {})
{
    SqliteStatement q = db.prepare(QStringLiteral("SELECT name FROM pragma_table_info(?1, ?2) ORDER BY cid"));
    q.bind(1, table);
    q.bind(2, schema);
    QStringList names;
    while (q.step() == SQLITE_ROW) {
        const QString name = q.text(0);
        if (!skip.contains(name))
            names.append(prefix + name);
    }
    return names.join(QStringLiteral(", "));
}

// Runs `sql` with ?1 (and ?2) bound; false with the status on failure.
bool execute(SqliteConnection &db, const QString &sql, qint64 first, std::optional<qint64> second, SqliteStatus *s)
{
    SqliteStatement q = db.prepare(sql, s);
    if (!s->ok())
        return false;
    q.bind(1, first);
    if (second)
        q.bind(2, *second);
    if (const int code = q.step(); code != SQLITE_DONE) {
        *s = db.status(code);
        return false;
    }
    return true;
}

} // namespace

Status HistoryStore::exportRun(const QString &runId, const QString &file)
{
    auto key = runKey(runId);
    if (!key)
        return Error{key.error()};
    if (QFileInfo::exists(file))
        return Error{tr("%1 already exists; choose another name.").arg(file)};
    SqliteConnection out;
    SqliteStatus s = out.open(file, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    if (!s.ok())
        return Error{tr("Cannot create %1: %2").arg(file, s.message)};
    if (Status created = StoreSchema::migrate(out); !created.ok()) {
        out.close();
        QFile::remove(file);
        return created;
    }
    SqliteStatement attach = out.prepare(QStringLiteral("ATTACH DATABASE ? AS src"), &s);
    if (s.ok()) {
        attach.bind(1, m_path);
        if (const int code = attach.step(); code != SQLITE_DONE)
            s = out.status(code);
    }
    attach = SqliteStatement(); // a live statement would keep the attached file from detaching
    if (s.ok())
        s = out.exec("BEGIN");
    // Copied by column name, so the order of columns in either file does not matter. The export is
    // indexed whole at the end (its watermark starts at 0), whatever this file had indexed yet.
    const auto copy = [&](const QString &table, const QString &where) {
        if (!s.ok())
            return;
        const QString columns = columnsOf(out, QStringLiteral("main"), table);
        const QString sql =
            QStringLiteral("INSERT INTO main.%1 (%2) SELECT %2 FROM src.%1 WHERE %3").arg(table, columns, where);
        execute(out, sql, key.value(), std::nullopt, &s);
    };
    copy(QStringLiteral("runs"), QStringLiteral("id = ?1"));
    copy(QStringLiteral("prompts"), QStringLiteral("run_id = ?1"));
    copy(QStringLiteral("case_tags"), QStringLiteral("run_id = ?1"));
    copy(QStringLiteral("results"), QStringLiteral("run_id = ?1"));
    copy(QStringLiteral("attempts"), QStringLiteral("result_id IN (SELECT id FROM src.results WHERE run_id = ?1)"));
    copy(QStringLiteral("human_ratings"), QStringLiteral("run_id = ?1"));
    copy(QStringLiteral("judge_verdicts"), QStringLiteral("run_id = ?1"));
    copy(QStringLiteral("arena_votes"), QStringLiteral("run_id = ?1"));
    if (s.ok()) {
        if (auto indexed = SearchIndex::catchUp(out, 0); !indexed)
            s = {SQLITE_ERROR, SQLITE_ERROR, indexed.error()};
    }
    if (s.ok())
        s = out.exec("COMMIT");
    if (!s.ok()) {
        out.close();
        QFile::remove(file);
        return Error{tr("Cannot export the run to %1: %2").arg(file, s.message)};
    }
    out.exec("DETACH DATABASE src");
    out.exec("PRAGMA journal_mode = DELETE"); // one self-contained file to share
    return {};
}

Result<QStringList> HistoryStore::importRuns(const QString &file)
{
    if (m_readOnly)
        return Error{tr("The history is open read-only.")};
    // An export from an older version is upgraded in a temporary copy, never in place.
    QTemporaryDir scratch;
    QString source = file;
    {
        SqliteConnection in;
        SqliteStatus s = in.open(file, SQLITE_OPEN_READONLY);
        auto version = s.ok() ? StoreSchema::version(in) : Result<int>(Error{s.message});
        if (!version)
            return Error{tr("%1 is not a Slopscope history file: %2").arg(file, version.error())};
        if (version.value() > StoreSchema::kCurrentVersion)
            return Error{
                tr("%1 was exported by a newer version of Slopscope; update Slopscope to import it.").arg(file)};
        if (version.value() < 1)
            return Error{tr("%1 is not a Slopscope history file.").arg(file)};
        if (version.value() < StoreSchema::kCurrentVersion) {
            source = scratch.filePath(QStringLiteral("import.sqlite"));
            in.close();
            SqliteConnection copy;
            if (!QFile::copy(file, source) || !copy.open(source, SQLITE_OPEN_READWRITE).ok())
                return Error{tr("Cannot read %1.").arg(file)};
            if (Status migrated = StoreSchema::migrate(copy); !migrated.ok())
                return Error{migrated.error()};
        }
    }
    SqliteStatus s;
    SqliteStatement attach = m_db.prepare(QStringLiteral("ATTACH DATABASE ? AS imp"), &s);
    if (s.ok()) {
        attach.bind(1, source);
        if (const int code = attach.step(); code != SQLITE_DONE)
            s = m_db.status(code);
    }
    attach = SqliteStatement();
    if (!s.ok())
        return Error{tr("Cannot read %1: %2").arg(file, s.message)};

    QStringList imported;
    QString refusal;
    s = m_db.exec("BEGIN IMMEDIATE");
    QList<std::pair<qint64, QString>> runs;
    if (s.ok()) {
        SqliteStatement q = m_db.prepare(QStringLiteral("SELECT i.id, i.uuid, EXISTS (SELECT 1 FROM main.runs m "
                                                        "WHERE m.uuid = i.uuid) FROM imp.runs i ORDER BY i.id"),
                                         &s);
        while (s.ok() && q.step() == SQLITE_ROW) {
            if (q.int64(2) != 0)
                refusal = tr("The run %1 is already in the history.").arg(q.text(1));
            runs.append({q.int64(0), q.text(1)});
        }
    }
    const QString main = QStringLiteral("main");
    const QString plain = columnsOf(m_db, main, QStringLiteral("runs"), {QStringLiteral("id")});
    const auto copyChild = [&](const QString &table, qint64 newKey, qint64 oldKey) {
        if (!s.ok())
            return;
        const QStringList skip{QStringLiteral("id"), QStringLiteral("run_id")};
        const QString columns = columnsOf(m_db, main, table, skip);
        execute(m_db,
                QStringLiteral("INSERT INTO main.%1 (run_id, %2) SELECT ?1, %2 FROM imp.%1 WHERE run_id = ?2%3")
                    .arg(table, columns, table == u"results" ? QStringLiteral(" ORDER BY id") : QString()),
                newKey, oldKey, &s);
    };
    for (const auto &[oldKey, uuid] : std::as_const(runs)) {
        if (!s.ok() || !refusal.isEmpty())
            break;
        if (!execute(m_db,
                     QStringLiteral("INSERT INTO main.runs (%1) SELECT %1 FROM imp.runs WHERE id = ?1").arg(plain),
                     oldKey, std::nullopt, &s))
            break;
        const qint64 newKey = m_db.lastInsertRowId();
        copyChild(QStringLiteral("prompts"), newKey, oldKey);
        copyChild(QStringLiteral("case_tags"), newKey, oldKey);
        copyChild(QStringLiteral("results"), newKey, oldKey);
        if (s.ok()) {
            const QStringList skip{QStringLiteral("result_id")};
            const QString from = columnsOf(m_db, main, QStringLiteral("attempts"), skip, QStringLiteral("a."));
            const QString into = columnsOf(m_db, main, QStringLiteral("attempts"), skip);
            execute(m_db,
                    QStringLiteral("INSERT INTO main.attempts (result_id, %1) SELECT r.id, %2 FROM imp.attempts a "
                                   "JOIN imp.results ir ON ir.id = a.result_id "
                                   "JOIN main.results r ON r.run_id = ?1 AND r.job_id = ir.job_id WHERE ir.run_id = ?2")
                        .arg(into, from),
                    newKey, oldKey, &s);
        }
        copyChild(QStringLiteral("human_ratings"), newKey, oldKey);
        copyChild(QStringLiteral("judge_verdicts"), newKey, oldKey);
        copyChild(QStringLiteral("arena_votes"), newKey, oldKey);
        // A run exported while it was going has no writer here.
        execute(m_db, QStringLiteral("UPDATE main.runs SET state = 'interrupted' WHERE id = ?1 AND state = 'running'"),
                newKey, std::nullopt, &s);
        imported.append(uuid);
    }
    // The imported results are above the watermark: index them (and whatever the writer had not
    // indexed yet) in this transaction, so an import is searchable through the index at once.
    if (s.ok() && refusal.isEmpty()) {
        if (auto indexed = SearchIndex::catchUp(m_db, 0); !indexed)
            s = {SQLITE_ERROR, SQLITE_ERROR, indexed.error()};
    }
    if (s.ok() && refusal.isEmpty())
        s = m_db.exec(StoreSchema::touchIdentitySql());
    if (s.ok() && refusal.isEmpty())
        s = m_db.exec("COMMIT");
    if (!s.ok() || !refusal.isEmpty())
        m_db.exec("ROLLBACK");
    m_db.exec("DETACH DATABASE imp");
    if (!refusal.isEmpty())
        return Error{refusal};
    if (!s.ok())
        return Error{tr("Cannot import %1: %2").arg(file, s.message)};
    return imported;
}

} // namespace Slopscope
