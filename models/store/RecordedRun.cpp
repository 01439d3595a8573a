#include "store/RecordedRun.h"

#include "run/RunSession.h"
#include "store/HistoryStore.h"
#include "store/RunSnapshot.h"

namespace Slopscope {

Result<RecordedRun> RecordedRun::load(const QString &dbPath, const QString &runId, bool completedOnly,
                                      const StoreOpenOptions &options, CellLoad cellLoad)
{
    HistoryStore store;
    auto opened = store.open(dbPath, HistoryStore::Mode::ReadOnly, options);
    if (!opened)
        return Error{opened.error()};
    auto record = store.run(runId);
    if (!record)
        return Error{record.error()};
    auto spec = RunSnapshot::toSpec(record.value());
    if (!spec)
        return Error{spec.error()};
    auto cells = completedOnly ? store.completedCells(runId) : store.loadCells(runId, cellLoad);
    if (!cells)
        return Error{cells.error()};
    RecordedRun run{record.value(), spec.value(), cells.value(), completedOnly ? CellLoad::Full : cellLoad,
                    RunSnapshot::schedules(record.value()), {}, {}};
    // The reports set the judge against these; unreadable ratings cost the agreement figures,
    // not the run's answers and numbers.
    if (auto ratings = store.humanRatings(runId))
        run.ratings = ratings.value();
    else
        run.ratingsProblem = ratings.error();
    return run;
}

HumanRating RecordedRun::toHumanRating(const StoredRating &rating)
{
    HumanRating h;
    h.cellId = rating.jobId;
    h.kind = rating.kind == u"stars" ? HumanRating::Kind::Stars : HumanRating::Kind::PassFail;
    h.pass = rating.rating != 0;
    h.stars = rating.rating;
    h.note = rating.comment;
    h.rater = rating.rater;
    return h;
}

QList<HumanRating> RecordedRun::humanRatings() const
{
    // A cell whose latest row is a withdrawal is not rated at all; otherwise its latest wins.
    QHash<QString, bool> withdrawn;
    for (const StoredRating &r : ratings)
        withdrawn.insert(r.jobId, r.withdrawn());
    QList<HumanRating> out;
    out.reserve(ratings.size());
    for (const StoredRating &r : ratings) {
        if (!r.withdrawn() && !withdrawn.value(r.jobId))
            out.append(toHumanRating(r));
    }
    return out;
}

QList<TargetConfig> RecordedRun::lineup() const
{
    QList<TargetConfig> targets;
    for (const TargetConfig &t : spec.workspace.targets) {
        if (spec.targetIds.isEmpty() || spec.targetIds.contains(t.id))
            targets.append(t);
    }
    return targets;
}

QList<TargetSummary> RecordedRun::summaries() const
{
    QList<TargetSummary> out;
    const QList<TargetConfig> targets = lineup();
    for (const TargetConfig &t : targets) {
        QList<CellResult> own;
        for (const CellResult &c : cells) {
            if (c.job.targetId == t.id)
                own.append(c);
        }
        const auto schedule = schedules.constFind(t.id);
        out.append(
            RunSession::summarize(t.id, own, schedule != schedules.cend() ? schedule->at(std::nullopt) : t.price));
    }
    return out;
}

} // namespace Slopscope
