#include "store/HistoryStore.h"

#include "core/JsonFields.h"
#include "quality/Statistics.h"
#include "run/RunSpec.h"
#include "store/CellCodec.h"
#include "store/SearchIndex.h"
#include "store/StoreEnums.h"

#include <QHash>
#include <QMap>
#include <QRegularExpression>
#include <QSet>
#include <QTimeZone>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

namespace Slopscope {

namespace {

QDateTime timeOf(const SqliteStatement &q, int column)
{
    if (q.isNull(column))
        return {};
    return QDateTime::fromMSecsSinceEpoch(q.int64(column), QTimeZone::utc());
}

// Each word a quoted phrase, all required: user text never reaches FTS5 as syntax.
QString ftsQuery(const QString &text)
{
    static const QRegularExpression space(QStringLiteral("\\s+"));
    QStringList terms;
    for (const QString &word : text.split(space, Qt::SkipEmptyParts))
        terms.append(u'"' + QString(word).replace(u'"', QStringLiteral("\"\"")) + u'"');
    return terms.join(QStringLiteral(" AND "));
}

// The figures of one target in one run, gathered row by row.
struct StatsBuilder
{
    TargetRunStats stats;
    QMap<QString, QList<double>> canonical; // case -> scores; sorted keys keep the bootstrap stable
    QHash<QString, double> caseCost;
    QSet<QString> unknownCostCases;
    QList<double> ttfts;
    QList<double> speeds;
    QSet<QString> models;

    void add(const SqliteStatement &q, int first)
    {
        // case_id, variant_id, state, score, ttft_ns, decode_tokens_per_second, cost_usd, model_reported
        const QString caseId = q.text(first);
        const auto state = StoreEnums::jobStateFromName(q.text(first + 2)).value_or(JobState::Failed);
        if (state == JobState::Cancelled)
            return;
        ++stats.cells;
        if (state != JobState::Completed)
            ++stats.failed;
        if (q.text(first + 1).isEmpty())
            canonical[caseId].append(q.real(first + 3));
        if (const auto ttft = q.optionalInt64(first + 4))
            ttfts.append(static_cast<double>(*ttft) / 1e6);
        if (const auto speed = q.optionalReal(first + 5))
            speeds.append(*speed);
        if (const auto usd = q.optionalReal(first + 6)) {
            caseCost[caseId] += *usd;
        } else {
            unknownCostCases.insert(caseId);
            ++stats.unknownCostCells;
        }
        if (const QString model = q.text(first + 7); !model.isEmpty())
            models.insert(model);
    }

    TargetRunStats finish()
    {
        QList<double> means;
        for (auto it = canonical.cbegin(); it != canonical.cend(); ++it)
            means.append(Stats::weightedMean(it.value()));
        stats.cases = static_cast<int>(means.size());
        if (!means.isEmpty()) {
            const Stats::Interval iv = Stats::bootstrapMean(means, {}, Stats::stableSeed(stats.targetId));
            stats.quality = iv.estimate;
            stats.qualityLow = iv.low;
            stats.qualityHigh = iv.high;
        }
        stats.medianTtftMs = Stats::nearestRank(ttfts, 0.5);
        stats.medianDecodeTokensPerSecond = Stats::nearestRank(speeds, 0.5);
        if (!caseCost.isEmpty() && unknownCostCases.isEmpty()) {
            double sum = 0;
            for (double v : std::as_const(caseCost))
                sum += v;
            stats.costPerCaseUsd = sum / static_cast<double>(caseCost.size());
        }
        stats.modelsReported = QStringList(models.cbegin(), models.cend());
        stats.modelsReported.sort();
        return stats;
    }
};

QString configuredModel(const QString &targetsJson, const QString &targetId)
{
    const auto targets = nlohmann::json::parse(targetsJson.toStdString(), nullptr, false);
    if (!targets.is_array())
        return {};
    const std::string id = targetId.toStdString();
    for (const auto &t : targets) {
        if (t.is_object() && t.value("id", std::string()) == id)
            return QString::fromStdString(t.value("model", std::string()));
    }
    return {};
}

constexpr char kStatsColumns[] = "u.uuid, u.started_at, u.suite_name, u.targets_json, r.target, r.case_id, "
                                 "r.variant_id, r.state, r.score, r.ttft_ns, r.decode_tokens_per_second, "
                                 "r.cost_usd, r.model_reported";

// Rows of kStatsColumns ordered by run then target: one TargetRunStats per (run, target).
QList<TargetRunStats> collectStats(SqliteStatement &q, int *code)
{
    QList<TargetRunStats> out;
    std::optional<StatsBuilder> current;
    QString targetsJson;
    while ((*code = q.step()) == SQLITE_ROW) {
        const QString runId = q.text(0);
        const QString target = q.text(4);
        if (!current || current->stats.runId != runId || current->stats.targetId != target) {
            if (current)
                out.append(current->finish());
            current.emplace();
            current->stats.runId = runId;
            current->stats.runStartedAt = timeOf(q, 1);
            current->stats.suiteName = q.text(2);
            current->stats.targetId = target;
            current->stats.model = configuredModel(q.text(3), target);
        }
        current->add(q, 5);
    }
    if (current)
        out.append(current->finish());
    return out;
}

} // namespace

Result<QList<RunRecord>> HistoryStore::listRuns()
{
    SqliteStatus s;
    SqliteStatement q = m_db.prepare(
        QStringLiteral("SELECT uuid, suite_name, started_at, ended_at, state, stop_reason, app_version, "
                       "price_catalogue, target_ids, sessions, planned_cells, cell_count, ok_count, cost_usd, "
                       "unknown_cost_count, settings_json FROM runs ORDER BY started_at DESC, id DESC"),
        &s);
    if (!s.ok())
        return sqlError(tr("Cannot list the runs"), s);
    QList<RunRecord> out;
    int code = SQLITE_ROW;
    while ((code = q.step()) == SQLITE_ROW) {
        RunRecord r;
        r.id = q.text(0);
        r.suiteName = q.text(1);
        r.startedAt = timeOf(q, 2);
        r.endedAt = timeOf(q, 3);
        r.state = StoreEnums::runStateFromName(q.text(4)).value_or(RunState::Interrupted);
        r.stopReason = q.text(5);
        r.appVersion = q.text(6);
        r.priceCatalogue = q.text(7);
        r.targetIds = q.text(8).split(u'\n', Qt::SkipEmptyParts);
        r.sessions = q.integer(9);
        r.plannedCells = q.integer(10);
        r.cells = q.integer(11);
        r.okCells = q.integer(12);
        r.costUsd = q.real(13);
        r.unknownCostCells = q.integer(14);
        // The kind lives in the settings snapshot (no column of its own, so no schema change).
        const auto settings = nlohmann::json::parse(q.text(15).toStdString(), nullptr, false);
        if (settings.is_object()) {
            r.kind = JsonFields::string(settings, "kind");
            r.title = JsonFields::string(settings, "title");
        }
        out.append(std::move(r));
    }
    if (code != SQLITE_DONE)
        return sqlError(tr("Cannot list the runs"), m_db.status(code));
    return out;
}

Result<RunRecord> HistoryStore::run(const QString &runId)
{
    auto all = listRuns();
    if (!all)
        return Error{all.error()};
    for (RunRecord &r : all.value()) {
        if (r.id != runId)
            continue;
        SqliteStatement q =
            m_db.prepare(QStringLiteral("SELECT suite_json, targets_json, settings_json FROM runs WHERE uuid = ?"));
        q.bind(1, runId);
        if (q.step() == SQLITE_ROW) {
            r.suiteJson = q.text(0);
            r.targetsJson = q.text(1);
            r.settingsJson = q.text(2);
        }
        return r;
    }
    return Error{tr("There is no run %1 in the history.").arg(runId)};
}

Result<QList<CellResult>> HistoryStore::loadCells(const QString &runId, CellLoad load)
{
    auto key = runKey(runId);
    if (!key)
        return Error{key.error()};
    SqliteStatus s;
    QList<CellResult> cells;
    // Sized once: growing a list of 10,000 CellResults moves every one of them a dozen times.
    cells.reserve(m_db.queryInt(QStringLiteral("SELECT count(*) FROM results WHERE run_id = %1").arg(key.value()), &s)
                      .value_or(0));
    if (!s.ok())
        return sqlError(tr("Cannot load the run"), s);
    SqliteStatement q = m_db.prepare(QStringLiteral("SELECT id, %1 FROM results WHERE run_id = ? ORDER BY id")
                                         .arg(CellCodec::resultColumns(load)),
                                     &s);
    if (!s.ok())
        return sqlError(tr("Cannot load the run"), s);
    q.bind(1, key.value());
    const bool full = load == CellLoad::Full;
    QList<QList<DeltaStamp>> lastDeltas;
    QHash<qint64, qsizetype> indexOf;
    int code = SQLITE_ROW;
    while ((code = q.step()) == SQLITE_ROW) {
        if (full)
            indexOf.insert(q.int64(0), cells.size());
        CellCodec::readResult(q, 1, cells.emplaceBack(), full ? &lastDeltas.emplaceBack() : nullptr);
    }
    if (code != SQLITE_DONE)
        return sqlError(tr("Cannot load the run"), m_db.status(code));

    if (full) {
        SqliteStatement a = m_db.prepare(
            QStringLiteral("SELECT %1 FROM attempts WHERE result_id IN "
                           "(SELECT id FROM results WHERE run_id = ?) ORDER BY result_id, idx")
                .arg(CellCodec::attemptColumns()),
            &s);
        if (!s.ok())
            return sqlError(tr("Cannot load the run"), s);
        a.bind(1, key.value());
        while ((code = a.step()) == SQLITE_ROW) {
            const auto it = indexOf.constFind(a.int64(0));
            if (it != indexOf.cend())
                cells[it.value()].job.timeline.attempts.append(CellCodec::readAttempt(a, 0));
        }
        if (code != SQLITE_DONE)
            return sqlError(tr("Cannot load the run"), m_db.status(code));
        for (qsizetype i = 0; i < cells.size(); ++i) {
            if (!cells.at(i).job.timeline.attempts.isEmpty())
                cells[i].job.timeline.attempts.last().deltas = lastDeltas.at(i);
        }
    }
    // Judge calls are small and the matrix shows their verdicts: both loads read them.
    SqliteStatement j = m_db.prepare(
        QStringLiteral("SELECT %1 FROM judge_verdicts WHERE run_id = ? ORDER BY id").arg(CellCodec::judgeColumns()),
        &s);
    if (!s.ok())
        return sqlError(tr("Cannot load the run"), s);
    j.bind(1, key.value());
    QHash<QString, qsizetype> byJob; // built at the first verdict: most runs have none
    while ((code = j.step()) == SQLITE_ROW) {
        if (byJob.isEmpty()) {
            for (qsizetype i = 0; i < cells.size(); ++i)
                byJob.insert(cells.at(i).job.jobId, i);
        }
        QString jobId;
        JudgeCall call = CellCodec::readJudgeCall(j, 0, &jobId);
        if (const auto it = byJob.constFind(jobId); it != byJob.cend())
            cells[it.value()].judgeCalls.append(std::move(call));
    }
    if (code != SQLITE_DONE)
        return sqlError(tr("Cannot load the run"), m_db.status(code));
    return cells;
}

Result<CellResult> HistoryStore::cellDetail(const QString &runId, const QString &jobId)
{
    auto key = runKey(runId);
    if (!key)
        return Error{key.error()};
    SqliteStatus s;
    SqliteStatement q = m_db.prepare(
        QStringLiteral("SELECT id, %1 FROM results WHERE run_id = ? AND job_id = ?").arg(CellCodec::resultColumns()),
        &s);
    if (!s.ok())
        return sqlError(tr("Cannot read the cell"), s);
    q.bind(1, key.value());
    q.bind(2, jobId);
    int code = q.step();
    if (code == SQLITE_DONE)
        return Error{tr("The run has no cell %1.").arg(jobId)};
    if (code != SQLITE_ROW)
        return sqlError(tr("Cannot read the cell"), m_db.status(code));
    // The full load takes a damaged column as empty; one cell asked for by name says what is wrong.
    if (const QString damaged = CellCodec::damagedDetail(q, 1); !damaged.isEmpty())
        return Error{tr("The recorded detail of cell %1 is damaged: %2.").arg(jobId, damaged)};
    const qint64 resultId = q.int64(0);
    QList<DeltaStamp> lastDeltas;
    CellResult cell = CellCodec::readResult(q, 1, &lastDeltas);

    SqliteStatement a = m_db.prepare(
        QStringLiteral("SELECT %1 FROM attempts WHERE result_id = ? ORDER BY idx").arg(CellCodec::attemptColumns()),
        &s);
    if (!s.ok())
        return sqlError(tr("Cannot read the cell"), s);
    a.bind(1, resultId);
    while ((code = a.step()) == SQLITE_ROW)
        cell.job.timeline.attempts.append(CellCodec::readAttempt(a, 0));
    if (code != SQLITE_DONE)
        return sqlError(tr("Cannot read the cell"), m_db.status(code));
    if (!cell.job.timeline.attempts.isEmpty())
        cell.job.timeline.attempts.last().deltas = lastDeltas;

    SqliteStatement j = m_db.prepare(QStringLiteral("SELECT %1 FROM judge_verdicts WHERE run_id = ? AND job_id = ? "
                                                    "ORDER BY id")
                                         .arg(CellCodec::judgeColumns()),
                                     &s);
    if (!s.ok())
        return sqlError(tr("Cannot read the cell"), s);
    j.bind(1, key.value());
    j.bind(2, jobId);
    while ((code = j.step()) == SQLITE_ROW) {
        QString cellJobId;
        cell.judgeCalls.append(CellCodec::readJudgeCall(j, 0, &cellJobId));
    }
    if (code != SQLITE_DONE)
        return sqlError(tr("Cannot read the cell"), m_db.status(code));
    return cell;
}

Result<QList<CellResult>> HistoryStore::completedCells(const QString &runId)
{
    auto cells = loadCells(runId);
    if (!cells)
        return cells;
    QList<CellResult> kept;
    for (const CellResult &c : std::as_const(cells.value())) {
        if (CellCodec::isAnswered(c.job.state))
            kept.append(c);
    }
    return kept;
}

Result<QList<SearchHit>> HistoryStore::search(const SearchQuery &query)
{
    const QString match = ftsQuery(query.text);
    QString sql;
    // Results the writer has not indexed yet (above the watermark) are matched in a temporary index
    // of their own with the same tokenizer: search finds every committed result, exactly as the
    // index will. The bound on the main index keeps a row the writer indexes meanwhile from
    // coming back twice.
    std::optional<qint64> watermark;
    if (!match.isEmpty()) {
        auto mark = SearchIndex::indexedTo(m_db);
        if (!mark)
            return Error{mark.error()};
        SqliteStatus s;
        const qint64 last = m_db.queryInt(QStringLiteral("SELECT coalesce(max(id), 0) FROM results"), &s).value_or(0);
        if (!s.ok())
            return sqlError(tr("Cannot search the history"), s);
        if (mark.value() && *mark.value() < last) {
            if (auto tail = SearchIndex::prepareTail(m_db, *mark.value()); !tail)
                return Error{tail.error()};
            watermark = mark.value();
        }
    }
    if (!match.isEmpty() && watermark) {
        sql = QStringLiteral("SELECT u.uuid, u.suite_name, u.started_at, r.job_id, r.case_id, r.variant_id, r.repeat, "
                             "r.target, r.state, r.score, m.snip FROM ("
                             "SELECT rowid AS id, rank AS rk, snippet(results_fts, -1, char(2), char(3), '…', 16) AS "
                             "snip FROM results_fts WHERE results_fts MATCH :match AND rowid <= :watermark "
                             "UNION ALL SELECT rowid, rank, snippet(search_tail, -1, char(2), char(3), '…', 16) "
                             "FROM temp.search_tail WHERE search_tail MATCH :match) m "
                             "JOIN results r ON r.id = m.id JOIN runs u ON u.id = r.run_id WHERE 1");
    } else if (!match.isEmpty()) {
        sql = QStringLiteral("SELECT u.uuid, u.suite_name, u.started_at, r.job_id, r.case_id, r.variant_id, r.repeat, "
                             "r.target, r.state, r.score, snippet(results_fts, -1, char(2), char(3), '…', 16) "
                             "FROM results_fts JOIN results r ON r.id = results_fts.rowid "
                             "JOIN runs u ON u.id = r.run_id WHERE results_fts MATCH :match");
    } else {
        sql = QStringLiteral("SELECT u.uuid, u.suite_name, u.started_at, r.job_id, r.case_id, r.variant_id, r.repeat, "
                             "r.target, r.state, r.score, substr(r.text, 1, 200) "
                             "FROM results r JOIN runs u ON u.id = r.run_id WHERE 1");
    }
    if (!query.suiteName.isEmpty())
        sql += QStringLiteral(" AND u.suite_name = :suite");
    if (!query.targetId.isEmpty())
        sql += QStringLiteral(" AND r.target = :target");
    if (query.from.isValid())
        sql += QStringLiteral(" AND u.started_at >= :from");
    if (query.to.isValid())
        sql += QStringLiteral(" AND u.started_at < :to");
    if (!query.tag.isEmpty()) {
        sql += QStringLiteral(" AND EXISTS (SELECT 1 FROM case_tags t WHERE t.run_id = r.run_id "
                              "AND t.case_id = r.case_id AND t.tag = :tag)");
    }
    if (query.cellState)
        sql += QStringLiteral(" AND r.state = :state");
    if (query.runState)
        sql += QStringLiteral(" AND u.state = :runstate");
    sql += match.isEmpty() ? QStringLiteral(" ORDER BY u.started_at DESC, r.id")
           : watermark     ? QStringLiteral(" ORDER BY m.rk")
                           : QStringLiteral(" ORDER BY rank");
    sql += QStringLiteral(" LIMIT :limit");

    SqliteStatus s;
    SqliteStatement q = m_db.prepare(sql, &s);
    if (!s.ok())
        return sqlError(tr("Cannot search the history"), s);
    const auto bind = [&q](const char *name, auto value) {
        if (const int index = sqlite3_bind_parameter_index(q.handle(), name); index > 0)
            q.bind(index, value);
    };
    bind(":match", match);
    bind(":watermark", watermark.value_or(0));
    bind(":suite", query.suiteName);
    bind(":target", query.targetId);
    bind(":from", query.from.toMSecsSinceEpoch());
    bind(":to", query.to.toMSecsSinceEpoch());
    bind(":tag", query.tag);
    bind(":state", query.cellState ? StoreEnums::jobStateName(*query.cellState) : QString());
    bind(":runstate", query.runState ? StoreEnums::runStateName(*query.runState) : QString());
    bind(":limit", qint64(std::max(query.limit, 1)));

    QList<SearchHit> hits;
    int code = SQLITE_ROW;
    while ((code = q.step()) == SQLITE_ROW) {
        SearchHit h;
        h.runId = q.text(0);
        h.suiteName = q.text(1);
        h.runStartedAt = timeOf(q, 2);
        h.jobId = q.text(3);
        h.caseId = q.text(4);
        h.variantId = q.text(5);
        h.repeat = q.integer(6);
        h.targetId = q.text(7);
        h.state = StoreEnums::jobStateFromName(q.text(8)).value_or(JobState::Failed);
        h.score = q.real(9);
        h.snippet = q.text(10);
        hits.append(std::move(h));
    }
    if (code != SQLITE_DONE)
        return sqlError(tr("Cannot search the history"), m_db.status(code));
    return hits;
}

Result<QList<TargetRunStats>> HistoryStore::drift(const QString &targetId, const QDateTime &from, const QDateTime &to)
{
    // Quick-compare exchanges are chats, not measurements of a suite: their kind is in the run's
    // settings snapshot (RunSpec::kind). Settings that are not JSON say nothing of the kind.
    QString sql = QStringLiteral("SELECT %1 FROM results r JOIN runs u ON u.id = r.run_id WHERE r.target = ?1 "
                                 "AND coalesce(CASE WHEN json_valid(u.settings_json) THEN "
                                 "json_extract(u.settings_json, '$.kind') END, '') <> '%2'")
                      .arg(QLatin1StringView(kStatsColumns), kQuickCompareKind);
    if (from.isValid())
        sql += QStringLiteral(" AND u.started_at >= ?2");
    if (to.isValid())
        sql += QStringLiteral(" AND u.started_at < ?3");
    sql += QStringLiteral(" ORDER BY u.started_at, u.id");
    SqliteStatus s;
    SqliteStatement q = m_db.prepare(sql, &s);
    if (!s.ok())
        return sqlError(tr("Cannot read the drift of %1").arg(targetId), s);
    q.bind(1, targetId);
    if (from.isValid())
        q.bind(2, from.toMSecsSinceEpoch());
    if (to.isValid())
        q.bind(3, to.toMSecsSinceEpoch());
    int code = SQLITE_DONE;
    QList<TargetRunStats> out = collectStats(q, &code);
    if (code != SQLITE_DONE)
        return sqlError(tr("Cannot read the drift of %1").arg(targetId), m_db.status(code));
    return out;
}

Result<QList<TargetRunStats>> HistoryStore::targetStats(const QString &runId)
{
    auto key = runKey(runId);
    if (!key)
        return Error{key.error()};
    SqliteStatus s;
    SqliteStatement q = m_db.prepare(QStringLiteral("SELECT %1 FROM results r JOIN runs u ON u.id = r.run_id "
                                                    "WHERE r.run_id = ? ORDER BY r.target")
                                         .arg(QLatin1StringView(kStatsColumns)),
                                     &s);
    if (!s.ok())
        return sqlError(tr("Cannot read the run"), s);
    q.bind(1, key.value());
    int code = SQLITE_DONE;
    QList<TargetRunStats> out = collectStats(q, &code);
    if (code != SQLITE_DONE)
        return sqlError(tr("Cannot read the run"), m_db.status(code));
    return out;
}

Result<QList<StoredRating>> HistoryStore::humanRatings(const QString &runId)
{
    SqliteStatus s;
    SqliteStatement q =
        m_db.prepare(QStringLiteral("SELECT h.job_id, h.rater, h.kind, h.rating, h.comment, h.created_at "
                                    "FROM human_ratings h JOIN runs u ON u.id = h.run_id "
                                    "WHERE u.uuid = ? ORDER BY h.id"),
                     &s);
    if (!s.ok())
        return sqlError(tr("Cannot read the ratings"), s);
    q.bind(1, runId);
    QList<StoredRating> out;
    while (q.step() == SQLITE_ROW)
        out.append({runId, q.text(0), q.text(1), q.text(2), q.integer(3), q.text(4), timeOf(q, 5)});
    return out;
}

Result<QList<StoredArenaVote>> HistoryStore::arenaVotes(const QString &runId)
{
    SqliteStatus s;
    SqliteStatement q = m_db.prepare(QStringLiteral("SELECT a.vote_id, a.case_id, a.variant_id, a.left_job_id, "
                                                    "a.right_job_id, a.choice, a.rater, a.note, a.voted_at "
                                                    "FROM arena_votes a JOIN runs u ON u.id = a.run_id "
                                                    "WHERE u.uuid = ? ORDER BY a.id"),
                                     &s);
    if (!s.ok())
        return sqlError(tr("Cannot read the arena votes"), s);
    q.bind(1, runId);
    QList<StoredArenaVote> out;
    while (q.step() == SQLITE_ROW) {
        out.append({runId, q.text(0), q.text(1), q.text(2), q.text(3), q.text(4), q.text(5), q.text(6), q.text(7),
                    timeOf(q, 8)});
    }
    return out;
}

} // namespace Slopscope
