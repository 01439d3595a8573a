#include "routing/RoutingFetch.h"

#include <QCoreApplication>
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
        case MissingItem::Kind::Pick: {
            ExtraPick p{{}, m.targetId};
            for (const QString &candidate : m.candidates)
                p.jobIds.append(composeJobId(m.caseId, QString(), m.repeat, candidate));
            if (p.jobIds.size() < 2) {
                if (!out.notFetchable.contains(m))
                    out.notFetchable.append(m); // no candidates to compare: not a replay's item
            } else if (!out.picks.contains(p)) {
                out.picks.append(p);
            }
            break;
        }
        }
    }
    return out;
}

Result<RunSpec> RoutingFetch::spec(RunSpec recorded, const QList<CellResult> &recordedCells, const RoutingFetch &fetch,
                                   const Workspace &workspace)
{
    recorded.completed.clear();
    for (const CellResult &c : recordedCells) {
        // What a resume keeps: a failed or cancelled cell is no answer, and may be sent again.
        if (c.job.state == JobState::Completed || c.job.state == JobState::Incomplete)
            recorded.completed.append(c);
    }
    // Just these answers, none when there are none: the rest of an unfinished run is not the
    // replay's business.
    recorded.onlyJobIds = fetch.answerJobIds;
    recorded.extraVerdicts = fetch.verdicts;
    recorded.extraPicks = fetch.picks;

    // The lineup stays what the run compared even when a judge joins the workspace.
    if (recorded.targetIds.isEmpty()) {
        for (const TargetConfig &t : std::as_const(recorded.workspace.targets))
            recorded.targetIds.append(t.id);
    }
    QStringList judges;
    for (const ExtraVerdict &v : fetch.verdicts)
        judges.append(v.judgeTargetId);
    for (const ExtraPick &p : fetch.picks)
        judges.append(p.judgeTargetId);
    for (const QString &id : std::as_const(judges)) {
        if (recorded.workspace.target(id))
            continue;
        const TargetConfig *target = workspace.target(id);
        const ProviderConfig *provider = target ? workspace.provider(target->providerId) : nullptr;
        if (!provider)
            return Error{
                QCoreApplication::translate("RoutingFetch", "The workspace has no usable target \"%1\" to ask.")
                    .arg(id)};
        recorded.workspace.targets.append(*target);
        if (!recorded.workspace.provider(provider->id))
            recorded.workspace.providers.append(*provider);
    }
    return recorded;
}

} // namespace Slopscope
