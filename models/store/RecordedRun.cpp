#include "store/RecordedRun.h"

#include "run/RunSession.h"
#include "store/HistoryStore.h"
#include "store/RunSnapshot.h"

namespace Slopscope {

Result<RecordedRun> RecordedRun::load(const QString &dbPath, const QString &runId, bool completedOnly)
{
    HistoryStore store;
    auto opened = store.open(dbPath, HistoryStore::Mode::ReadOnly);
    if (!opened)
        return Error{opened.error()};
    auto record = store.run(runId);
    if (!record)
        return Error{record.error()};
    auto spec = RunSnapshot::toSpec(record.value());
    if (!spec)
        return Error{spec.error()};
    auto cells = completedOnly ? store.completedCells(runId) : store.loadCells(runId);
    if (!cells)
        return Error{cells.error()};
    // The reports set the judge against these: a run without ratings simply has none.
    auto ratings = store.humanRatings(runId);
    if (!ratings)
        return Error{ratings.error()};
    return RecordedRun{record.value(), spec.value(), cells.value(), RunSnapshot::schedules(record.value()),
                       ratings.value()};
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
    QList<HumanRating> out;
    out.reserve(ratings.size());
    for (const StoredRating &r : ratings)
        out.append(toHumanRating(r));
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
