#include "routing/RoutingFetch.h"

#include <QSet>

namespace Slopscope {

RoutingFetch RoutingFetch::plan(const QList<MissingItem> &missing, const QStringList &lineup)
{
    RoutingFetch out;
    QSet<QString> answers;
    QSet<QString> verdicts;
    for (const MissingItem &m : missing) {
        switch (m.kind) {
        case MissingItem::Kind::Answer: {
            if (!lineup.contains(m.targetId)) {
                if (!out.notFetchable.contains(m))
                    out.notFetchable.append(m);
                break;
            }
            const QString id = composeJobId(m.caseId, QString(), m.repeat, m.targetId);
            if (!answers.contains(id)) {
                answers.insert(id);
                out.answerJobIds.append(id);
            }
            break;
        }
        case MissingItem::Kind::Verdict: {
            const ExtraVerdict v{composeJobId(m.caseId, QString(), m.repeat, m.forTargetId), m.targetId};
            const QString key = v.judgeTargetId + u'|' + v.jobId;
            if (!verdicts.contains(key)) {
                verdicts.insert(key);
                out.verdicts.append(v);
            }
            break;
        }
        case MissingItem::Kind::Pick:
            // A best-of-N pick compares every candidate's answer in one call, shown twice in swapped
            // order: the run's own select-best assertions ask it, a fetch does not.
            if (!out.notFetchable.contains(m))
                out.notFetchable.append(m);
            break;
        }
    }
    return out;
}

RunSpec RoutingFetch::spec(RunSpec recorded, const QList<CellResult> &recordedCells, const RoutingFetch &fetch)
{
    recorded.completed.clear();
    for (const CellResult &c : recordedCells) {
        // What a resume keeps: a failed or cancelled cell is no answer, and may be sent again.
        if (c.job.state == JobState::Completed || c.job.state == JobState::Incomplete)
            recorded.completed.append(c);
    }
    recorded.onlyJobIds = fetch.answerJobIds;
    recorded.extraVerdicts = fetch.verdicts;
    return recorded;
}

} // namespace Slopscope
