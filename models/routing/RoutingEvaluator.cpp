#include "routing/RoutingEvaluator.h"

#include "judge/JudgeGrade.h"
#include "quality/Statistics.h"

#include <QSet>

#include <algorithm>
#include <cmath>

namespace Slopscope {

namespace {

std::optional<double> latencyOf(const CellResult &cell)
{
    if (!cell.metrics.e2eNs)
        return std::nullopt;
    return static_cast<double>(*cell.metrics.e2eNs) / 1e6;
}

} // namespace

// Running totals of one replay.
struct RoutingEvaluator::Replay
{
    RoutedCase out;
    QList<MissingItem> missing;
    double cost = 0;
    bool costKnown = true;
    double latency = 0;
    bool latencyKnown = true;

    void addCost(std::optional<double> usd)
    {
        if (usd)
            cost += *usd;
        else
            costKnown = false;
    }
    void addLatency(std::optional<double> ms)
    {
        if (ms)
            latency += *ms;
        else
            latencyKnown = false;
    }
    void miss(MissingItem::Kind kind, const QString &target, const QString &forTarget = {})
    {
        missing.append(MissingItem{kind, out.caseId, out.repeat, target, forTarget, {}});
    }
    void finish(const CellResult &answer)
    {
        out.complete = true;
        out.finalTargetId = answer.job.targetId;
        if (JudgeGrade::hasScore(answer.grade))
            out.score = answer.grade.score;
        if (costKnown)
            out.costUsd = cost;
        if (latencyKnown)
            out.latencyMs = latency;
    }
};

RoutingEvaluator::RoutingEvaluator(const QList<CellResult> &cells, const Suite &suite)
    : RoutingEvaluator(cells, suite, Options{})
{}

RoutingEvaluator::RoutingEvaluator(const QList<CellResult> &cells, const Suite &suite, Options options)
    : m_suite(suite)
    , m_options(options)
{
    QSet<QString> validators;
    for (const CellResult &c : cells) {
        if (!c.variantId.isEmpty() || c.job.state == JobState::Cancelled || !suite.findCase(c.caseId))
            continue;
        const QString k = key(c.caseId, c.repeat, c.job.targetId);
        if (m_cells.contains(k))
            continue; // a duplicate (a merged or resumed run): the first one stands
        m_cells.insert(k, m_storage.size());
        m_storage.append(c);
        if (!m_targets.contains(c.job.targetId))
            m_targets.append(c.job.targetId);
        QList<int> &repeats = m_repeats[c.caseId];
        if (!repeats.contains(c.repeat)) {
            repeats.append(c.repeat);
            std::sort(repeats.begin(), repeats.end());
        }
        for (const JudgeCall &call : c.judgeCalls) {
            bool negated = false;
            const auto kind = JudgeGrade::kindOf(call.assertionType, &negated);
            if (call.verdict && !negated && kind != JudgeGrade::Kind::SelectBest &&
                call.judgeTargetId != c.job.targetId && !validators.contains(call.judgeTargetId)) {
                validators.insert(call.judgeTargetId);
                m_validators.append(call.judgeTargetId);
            }
        }
    }
}

QString RoutingEvaluator::key(const QString &caseId, int repeat, const QString &targetId)
{
    return caseId + u'|' + QString::number(repeat) + u'|' + targetId;
}

const CellResult *RoutingEvaluator::cell(const QString &caseId, int repeat, const QString &targetId) const
{
    const auto it = m_cells.constFind(key(caseId, repeat, targetId));
    return it == m_cells.cend() ? nullptr : &m_storage.at(*it);
}

QStringList RoutingEvaluator::tags() const
{
    QStringList out;
    for (const SuiteCase &c : m_suite.cases) {
        for (const QString &t : c.tags) {
            if (!out.contains(t))
                out.append(t);
        }
    }
    return out;
}

void RoutingEvaluator::routeCascade(const RoutingPolicy &policy, Replay &replay) const
{
    RoutedCase &out = replay.out;
    for (qsizetype i = 0; i < policy.stages.size(); ++i) {
        const CascadeStage &stage = policy.stages.at(i);
        const CellResult *answer = cell(out.caseId, out.repeat, stage.targetId);
        if (!answer) {
            replay.miss(MissingItem::Kind::Answer, stage.targetId);
            return;
        }
        out.answeredBy.append(stage.targetId);
        replay.addCost(answer->cost.usd);
        replay.addLatency(latencyOf(*answer));
        if (i == policy.stages.size() - 1) {
            replay.finish(*answer);
            return;
        }
        std::optional<double> verdict;
        if (stage.validatorId != RoutingPolicy::kOracleValidator) {
            // The validator's recorded llm-rubric / factuality verdicts on this very answer; several
            // are averaged. Their calls ran side by side, so the slowest one is the wait.
            double sum = 0;
            int n = 0;
            double callCost = 0;
            bool callCostKnown = true;
            // A flag beside the value rather than an optional: GCC 12 at -O3 warns about the
            // optional's payload (a false maybe-uninitialized) and the build treats that as an error.
            double slowestMs = 0;
            bool slowestKnown = true;
            for (const JudgeCall &call : answer->judgeCalls) {
                bool negated = false;
                const auto kind = JudgeGrade::kindOf(call.assertionType, &negated);
                if (call.judgeTargetId != stage.validatorId || negated || kind == JudgeGrade::Kind::None ||
                    kind == JudgeGrade::Kind::SelectBest)
                    continue;
                if (call.costUsd)
                    callCost += *call.costUsd;
                else
                    callCostKnown = false;
                if (call.latencyMs)
                    slowestMs = std::max(slowestMs, *call.latencyMs);
                else
                    slowestKnown = false;
                if (call.verdict) {
                    sum += call.verdict->score;
                    ++n;
                }
            }
            if (n > 0) {
                verdict = sum / n;
                replay.addCost(callCostKnown ? std::optional<double>(callCost) : std::nullopt);
                replay.addLatency(slowestKnown ? std::optional<double>(slowestMs) : std::nullopt);
                out.verdicts.append(VerdictSource::Recorded);
            } else {
                replay.miss(MissingItem::Kind::Verdict, stage.validatorId, stage.targetId);
                if (!m_options.oracleFallback)
                    return;
            }
        }
        if (!verdict) {
            // The oracle: free and instant, since it is only a replay's knowledge. An answer without
            // a score has nothing to vouch for it, so it is escalated.
            verdict = JudgeGrade::hasScore(answer->grade) ? answer->grade.score : 0.0;
            out.verdicts.append(VerdictSource::Oracle);
        }
        if (*verdict >= stage.threshold) {
            replay.finish(*answer);
            return;
        }
        out.escalated = true;
    }
}

void RoutingEvaluator::routeByTag(const RoutingPolicy &policy, Replay &replay) const
{
    const SuiteCase *c = m_suite.findCase(replay.out.caseId);
    QString target = policy.defaultTargetId;
    for (const TagRule &rule : policy.rules) {
        if (c && c->tags.contains(rule.tag)) {
            target = rule.targetId;
            break;
        }
    }
    replay.out.escalated = target != policy.defaultTargetId;
    const CellResult *answer = cell(replay.out.caseId, replay.out.repeat, target);
    if (!answer) {
        replay.miss(MissingItem::Kind::Answer, target);
        return;
    }
    replay.out.answeredBy.append(target);
    replay.addCost(answer->cost.usd);
    replay.addLatency(latencyOf(*answer));
    replay.finish(*answer);
}

void RoutingEvaluator::routeBestOfN(const RoutingPolicy &policy, Replay &replay) const
{
    RoutedCase &out = replay.out;
    QList<const CellResult *> answers;
    for (const QString &target : policy.candidateTargets) {
        const CellResult *answer = cell(out.caseId, out.repeat, target);
        if (!answer)
            replay.miss(MissingItem::Kind::Answer, target);
        answers.append(answer);
    }
    if (answers.contains(nullptr))
        return;
    // The candidates answer side by side: the slowest one is the wait.
    double slowestMs = 0;
    bool slowestKnown = true;
    for (const CellResult *a : std::as_const(answers)) {
        out.answeredBy.append(a->job.targetId);
        replay.addCost(a->cost.usd);
        if (const auto ms = latencyOf(*a))
            slowestMs = std::max(slowestMs, *ms);
        else
            slowestKnown = false;
    }
    replay.addLatency(slowestKnown ? std::optional<double>(slowestMs) : std::nullopt);

    // A recorded pick counts only when the judge compared exactly these candidates: a select-best
    // call of the judge over N answers that every candidate's cell carries. Calls over other
    // answers (a run with more targets) are not this policy's. Calls that picked agree on one
    // candidate; when they disagree (position bias) the judge had no preference, and the route
    // keeps the first candidate, as a production best-of-N without a preference would.
    QHash<QString, qsizetype> byJobId;
    for (qsizetype i = 0; i < answers.size(); ++i)
        byJobId.insert(jobIdOf(*answers.at(i)), i);
    QHash<QString, const JudgeCall *> calls;
    QHash<QString, int> carriedBy;
    for (const CellResult *a : std::as_const(answers)) {
        for (const JudgeCall &call : a->judgeCalls) {
            if (call.judgeTargetId != policy.judgeTargetId || call.answersJudged != answers.size() ||
                JudgeGrade::kindOf(call.assertionType) != JudgeGrade::Kind::SelectBest)
                continue;
            calls.insert(call.jobId, &call);
            ++carriedBy[call.jobId];
        }
    }
    std::optional<qsizetype> picked;
    bool agreed = true;
    QList<const JudgeCall *> used;
    for (auto it = calls.cbegin(); it != calls.cend(); ++it) {
        const JudgeCall &call = **it;
        const auto chosen = byJobId.constFind(call.pickedJobId);
        if (carriedBy.value(it.key()) != answers.size() || !call.pick || chosen == byJobId.cend())
            continue; // over other answers, or the ask failed
        used.append(&call);
        if (picked && *picked != *chosen)
            agreed = false;
        picked = *chosen;
    }
    if (picked) {
        double judgeCost = 0;
        bool judgeCostKnown = true;
        std::optional<double> judgeSlowest = 0.0;
        for (const JudgeCall *call : std::as_const(used)) {
            if (call->costUsd)
                judgeCost += *call->costUsd;
            else
                judgeCostKnown = false;
            judgeSlowest = (judgeSlowest && call->latencyMs)
                               ? std::optional<double>(std::max(*judgeSlowest, *call->latencyMs))
                               : std::nullopt;
        }
        replay.addCost(judgeCostKnown ? std::optional<double>(judgeCost) : std::nullopt);
        replay.addLatency(judgeSlowest);
        out.verdicts.append(VerdictSource::Recorded);
        replay.finish(*answers.at(agreed ? *picked : 0));
        return;
    }
    replay.miss(MissingItem::Kind::Pick, policy.judgeTargetId);
    replay.missing.last().candidates = policy.candidateTargets;
    if (!m_options.oracleFallback)
        return;
    // The oracle: the best recorded score, the first candidate on a tie; unscored answers last.
    qsizetype best = 0;
    for (qsizetype i = 1; i < answers.size(); ++i) {
        const CellResult &a = *answers.at(i);
        const CellResult &b = *answers.at(best);
        const double sa = JudgeGrade::hasScore(a.grade) ? a.grade.score : -1.0;
        const double sb = JudgeGrade::hasScore(b.grade) ? b.grade.score : -1.0;
        if (sa > sb)
            best = i;
    }
    out.verdicts.append(VerdictSource::Oracle);
    replay.finish(*answers.at(best));
}

RoutingEvaluation RoutingEvaluator::evaluate(const RoutingPolicy &policy) const
{
    RoutingEvaluation e;
    e.policy = policy;
    QList<double> caseScores;
    QList<double> caseCosts;
    QList<double> latencies;
    qsizetype complete = 0;
    for (const SuiteCase &c : m_suite.cases) {
        const QList<int> repeats = m_repeats.value(c.id);
        QList<double> scores;
        QList<double> costs;
        bool anyComplete = false;
        for (int repeat : repeats) {
            Replay replay;
            replay.out.caseId = c.id;
            replay.out.repeat = repeat;
            switch (policy.kind) {
            case RoutingPolicy::Kind::Cascade:
                routeCascade(policy, replay);
                break;
            case RoutingPolicy::Kind::ByTag:
                routeByTag(policy, replay);
                break;
            case RoutingPolicy::Kind::BestOfN:
                routeBestOfN(policy, replay);
                break;
            }
            for (const MissingItem &m : std::as_const(replay.missing)) {
                if (e.missing.contains(m))
                    continue;
                e.missing.append(m);
                ++(m.kind == MissingItem::Kind::Answer ? e.missingAnswers : e.missingVerdicts);
            }
            const RoutedCase &r = replay.out;
            if (r.complete) {
                anyComplete = true;
                ++complete;
                if (r.score)
                    scores.append(*r.score);
                else
                    ++e.unscored;
                if (r.costUsd)
                    costs.append(*r.costUsd);
                else
                    ++e.unknownCost;
                if (r.latencyMs)
                    latencies.append(*r.latencyMs);
                else
                    ++e.unknownLatency;
                if (r.escalated)
                    ++e.escalated;
                for (VerdictSource s : r.verdicts) {
                    if (s == VerdictSource::Recorded)
                        ++e.recordedVerdicts;
                    else if (s == VerdictSource::Oracle)
                        ++e.oracleVerdicts;
                }
            } else {
                ++e.incomplete;
            }
            e.routed.append(r);
        }
        if (anyComplete)
            ++e.cases;
        if (!scores.isEmpty())
            caseScores.append(Stats::weightedMean(scores));
        if (!costs.isEmpty())
            caseCosts.append(Stats::weightedMean(costs));
    }
    if (!caseScores.isEmpty()) {
        const Stats::Interval iv =
            Stats::bootstrapMean(caseScores, {}, Stats::stableSeed(policy.name + u'|' + policy.summary()));
        e.quality = iv.estimate;
        e.qualityLow = iv.low;
        e.qualityHigh = iv.high;
    }
    if (!caseCosts.isEmpty() && e.unknownCost == 0)
        e.costPer1000Cases = Stats::weightedMean(caseCosts) * 1000.0;
    e.latencyP50Ms = Stats::nearestRank(latencies, 0.5);
    e.latencyP95Ms = Stats::nearestRank(latencies, 0.95);
    if (complete > 0)
        e.escalatedShare = static_cast<double>(e.escalated) / static_cast<double>(complete);
    return e;
}

} // namespace Slopscope
