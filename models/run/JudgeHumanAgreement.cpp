#include "run/JudgeHumanAgreement.h"

#include "judge/JudgeGrade.h"

#include <QHash>
#include <QSet>

#include <algorithm>

namespace Slopscope {

std::optional<bool> JudgeHumanAgreement::judgePassBy(const CellResult &cell, const QString &judgeTargetId)
{
    std::optional<bool> out;
    for (qsizetype i = 0; i < cell.grade.grades.size(); ++i) {
        const Grade &g = cell.grade.grades.at(i);
        bool negated = false;
        if (g.needsJudge || JudgeGrade::kindOf(g.type, &negated) == JudgeGrade::Kind::None)
            continue;
        bool answered = false;
        bool failed = false;
        std::optional<bool> verdict;
        for (const JudgeCall &call : cell.judgeCalls) {
            if (call.assertionIndex != i || call.judgeTargetId != judgeTargetId)
                continue;
            answered = true;
            failed = failed || !call.error.isEmpty();
            if (call.verdict)
                verdict = verdict.value_or(true) && (call.verdict->pass != negated);
        }
        if (!answered || failed)
            continue;
        out = out.value_or(true) && verdict.value_or(g.pass);
    }
    return out;
}

QList<TargetAgreement> JudgeHumanAgreement::perTarget(const QList<CellResult> &cells, const QList<HumanRating> &ratings)
{
    QStringList targets;
    QHash<QString, QList<CellResult>> byTarget;
    for (const CellResult &c : cells) {
        if (!byTarget.contains(c.job.targetId))
            targets.append(c.job.targetId);
        byTarget[c.job.targetId].append(c);
    }
    QList<TargetAgreement> out;
    for (const QString &target : std::as_const(targets)) {
        const QList<CellResult> &own = byTarget[target];
        out.append({target, QString(), overall(own, ratings)});
        QSet<QString> judgeSet;
        for (const CellResult &c : own) {
            for (const JudgeCall &call : c.judgeCalls)
                judgeSet.insert(call.judgeTargetId);
        }
        if (judgeSet.size() < 2)
            continue;
        QStringList judges(judgeSet.cbegin(), judgeSet.cend());
        std::sort(judges.begin(), judges.end());
        for (const QString &judge : std::as_const(judges)) {
            QHash<QString, bool> verdicts;
            for (const CellResult &c : own) {
                if (const auto pass = judgePassBy(c, judge))
                    verdicts.insert(jobIdOf(c), *pass);
            }
            out.append({target, judge, HumanReview::judgeAgreement(verdicts, ratings)});
        }
    }
    return out;
}

Stats::Agreement JudgeHumanAgreement::overall(const QList<CellResult> &cells, const QList<HumanRating> &ratings)
{
    QHash<QString, bool> verdicts;
    for (const CellResult &c : cells) {
        if (const auto pass = JudgeGrade::judgePass(c.grade, c.judgeCalls))
            verdicts.insert(jobIdOf(c), *pass);
    }
    return HumanReview::judgeAgreement(verdicts, ratings);
}

std::optional<Stats::Agreement> JudgeHumanAgreement::forTarget(const QList<TargetAgreement> &rows,
                                                               const QString &targetId)
{
    for (const TargetAgreement &row : rows) {
        if (row.targetId == targetId && row.judgeTargetId.isEmpty())
            return row.agreement;
    }
    return std::nullopt;
}

} // namespace Slopscope
