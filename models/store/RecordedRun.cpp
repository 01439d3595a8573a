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
    return RecordedRun{record.value(), spec.value(), cells.value(), RunSnapshot::schedules(record.value())};
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
