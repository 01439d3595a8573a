#pragma once

#include "run/CellResult.h"

#include <QString>

#include <optional>

// Small builders for synthetic recorded cells: the routing tests write their arithmetic out by hand.
namespace Slopscope::RoutingTest {

inline QString jobId(const QString &caseId, int repeat, const QString &target)
{
    return caseId + u'|' + QString::number(repeat) + u'|' + target;
}

// A completed canonical answer with a recorded score, cost ($) and end-to-end latency (ms).
inline CellResult answer(const char *caseId, const char *target, double score, std::optional<double> usd,
                         std::optional<double> ms, int repeat = 0)
{
    CellResult c;
    c.caseId = QString::fromLatin1(caseId);
    c.repeat = repeat;
    c.job.targetId = QString::fromLatin1(target);
    c.job.jobId = jobId(c.caseId, repeat, c.job.targetId);
    c.job.state = JobState::Completed;
    c.grade.score = score;
    c.grade.pass = score >= 1.0;
    c.cost.usd = usd;
    if (ms)
        c.metrics.e2eNs = static_cast<qint64>(*ms * 1e6);
    return c;
}

// A recorded llm-rubric verdict by `judge` on the answer it is attached to.
inline JudgeCall verdict(const char *judge, double score, std::optional<double> usd, std::optional<double> ms)
{
    JudgeCall call;
    call.jobId = QStringLiteral("judge|") + QString::fromLatin1(judge) + u'|' + QString::number(score);
    call.judgeTargetId = QString::fromLatin1(judge);
    call.assertionType = QStringLiteral("llm-rubric");
    call.assertionIndex = 0;
    JudgeVerdict v;
    v.score = score;
    v.pass = score >= 0.5;
    call.verdict = v;
    call.costUsd = usd;
    call.latencyMs = ms;
    return call;
}

// One ask of a recorded select-best judgement over `answers` answers that picked `pickedJobId`.
inline JudgeCall pick(const char *judge, const QString &callId, const QString &pickedJobId, int answers,
                      std::optional<double> usd, std::optional<double> ms)
{
    JudgeCall call;
    call.jobId = callId;
    call.judgeTargetId = QString::fromLatin1(judge);
    call.assertionType = QStringLiteral("select-best");
    call.answersJudged = answers;
    BestPick p;
    p.index = 0;
    p.label = QStringLiteral("A");
    call.pick = p;
    call.pickedJobId = pickedJobId;
    call.costUsd = usd;
    call.latencyMs = ms;
    return call;
}

inline Suite suiteOf(std::initializer_list<std::pair<const char *, QStringList>> cases)
{
    Suite s;
    s.name = QStringLiteral("synthetic");
    for (const auto &[id, tags] : cases) {
        SuiteCase c;
        c.id = QString::fromLatin1(id);
        c.prompt = QStringLiteral("q");
        c.tags = tags;
        s.cases.append(c);
    }
    return s;
}

} // namespace Slopscope::RoutingTest
