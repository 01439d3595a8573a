#pragma once

// Shared by the store tests: rich cells with every field set, a run start, and a field-by-field
// comparison (a helper with QCOMPARE; callers check QTest::currentTestFailed()).

#include "run/CellResult.h"
#include "store/HistoryStore.h"
#include "store/HistoryWriter.h"

#include <QSignalSpy>
#include <QTest>
#include <QUuid>

namespace StoreTest {

using namespace Slopscope;

inline QString jobId(const QString &caseId, const QString &variant, int repeat, const QString &target)
{
    return QStringLiteral("%1|%2|%3|%4").arg(caseId, variant).arg(repeat).arg(target);
}

struct CellSpec
{
    QString caseId = QStringLiteral("c1");
    QString variant;
    int repeat = 0;
    QString target = QStringLiteral("t1");
    JobState state = JobState::Completed;
    double score = 1.0;
    std::optional<double> usd = 0.001;
    qint64 ttftMs = 200;
    double tokensPerSecond = 100.0;
    QString text = QStringLiteral("The answer is 42.");
    QString model = QStringLiteral("model-a");
};

// Designated initialisers would leave fields out (a warning here): a builder instead,
// e.g. makeCell(Cell().caseId(QStringLiteral("c2")).state(JobState::Failed)).
class Cell
{
public:
    Cell &caseId(QString v)
    {
        m_spec.caseId = std::move(v);
        return *this;
    }
    Cell &variant(QString v)
    {
        m_spec.variant = std::move(v);
        return *this;
    }
    Cell &repeat(int v)
    {
        m_spec.repeat = std::move(v);
        return *this;
    }
    Cell &target(QString v)
    {
        m_spec.target = std::move(v);
        return *this;
    }
    Cell &state(JobState v)
    {
        m_spec.state = std::move(v);
        return *this;
    }
    Cell &score(double v)
    {
        m_spec.score = std::move(v);
        return *this;
    }
    Cell &usd(std::optional<double> v)
    {
        m_spec.usd = std::move(v);
        return *this;
    }
    Cell &ttftMs(qint64 v)
    {
        m_spec.ttftMs = std::move(v);
        return *this;
    }
    Cell &tokensPerSecond(double v)
    {
        m_spec.tokensPerSecond = std::move(v);
        return *this;
    }
    Cell &text(QString v)
    {
        m_spec.text = std::move(v);
        return *this;
    }
    Cell &model(QString v)
    {
        m_spec.model = std::move(v);
        return *this;
    }
    operator CellSpec() const { return m_spec; } // NOLINT(google-explicit-constructor)

private:
    CellSpec m_spec;
};

inline CellResult makeCell(const CellSpec &spec)
{
    CellResult c;
    c.caseId = spec.caseId;
    c.variantId = spec.variant;
    c.repeat = spec.repeat;
    JobResult &j = c.job;
    j.jobId = jobId(spec.caseId, spec.variant, spec.repeat, spec.target);
    j.targetId = spec.target;
    j.providerId = QStringLiteral("prov");
    j.state = spec.state;
    j.failure = spec.state == JobState::Completed ? FailureKind::None : FailureKind::ConnectionLost;
    j.error = spec.state == JobState::Completed ? QString() : QStringLiteral("the connection broke");
    StreamResult &r = j.result;
    r.outcome = spec.state == JobState::Completed ? StreamOutcome::Complete : StreamOutcome::Truncated;
    r.text = spec.text;
    r.reasoningText = QStringLiteral("thinking about ") + spec.caseId;
    r.refusal = QString();
    r.toolCalls = {{QStringLiteral("call_1"), QStringLiteral("lookup"), QStringLiteral("{\"q\":\"x\"}")}};
    r.finishReason = QStringLiteral("stop");
    r.model = spec.model;
    r.responseId = QStringLiteral("resp-") + spec.caseId;
    Usage u;
    u.inputTokens = 120;
    u.outputTokens = 40;
    u.reasoningTokens = 10;
    u.cachedInputTokens = 20;
    u.totalTokens = 160;
    r.usage = u;
    if (spec.state != JobState::Completed) {
        ProviderError e;
        e.httpStatus = 503;
        e.type = QStringLiteral("overloaded_error");
        e.message = QStringLiteral("busy");
        e.retryAfterSeconds = 2.5;
        r.error = e;
    }
    r.terminalMarkerSeen = spec.state == JobState::Completed;
    r.eventsDispatched = 12;
    r.contentEvents = 9;
    r.firstContentEventIndex = 2;
    r.keepAlives = 1;
    r.serverTokensPerSecond = 150.5;
    constexpr qint64 ms = 1'000'000;
    j.timeline.queuedNs = 5 * ms;
    AttemptRecord first;
    first.index = 0;
    first.startedNs = 6 * ms;
    first.sentNs = 7 * ms;
    first.headersNs = 50 * ms;
    first.endNs = 60 * ms;
    first.httpStatus = 503;
    first.bytesReceived = 80;
    first.failure = FailureKind::HttpStatus;
    first.error = QStringLiteral("503 from the provider");
    first.deltas = {{55 * ms, ContentKind::Reasoning, 3}};
    AttemptRecord second;
    second.index = 1;
    second.waitBeforeMs = 500;
    second.startedNs = 600 * ms;
    second.sentNs = 601 * ms;
    second.headersNs = 700 * ms;
    second.firstByteNs = 701 * ms;
    second.endNs = 1500 * ms;
    second.httpStatus = 200;
    second.bytesReceived = 4096;
    second.http2 = true;
    second.deltas = {{(601 + spec.ttftMs) * ms, ContentKind::Reasoning, 5},
                     {(620 + spec.ttftMs) * ms, ContentKind::Answer, 7},
                     {(900 + spec.ttftMs) * ms, ContentKind::Answer, 11}};
    j.timeline.attempts = {first, second};
    j.timeline.endNs = 1501 * ms;
    RequestMetrics &m = c.metrics;
    m.queueWaitNs = 1 * ms;
    m.timeToHeadersNs = 99 * ms;
    m.timeToFirstByteNs = 100 * ms;
    m.ttftNs = spec.ttftMs * ms;
    m.ttfatNs = (spec.ttftMs + 19) * ms;
    m.e2eNs = 900 * ms;
    m.totalNs = 1496 * ms;
    m.outputTokens = 40.0;
    m.streamedTokens = 30.0;
    m.tokensEstimated = true;
    m.decodeTokensPerSecond = spec.tokensPerSecond;
    m.itlNs = 12.5 * ms;
    m.gapP50Ns = 19 * ms;
    m.gapP95Ns = 280 * ms;
    m.gapMaxNs = 280 * ms;
    m.stallCount = 1;
    m.stallNs = 280 * ms;
    m.contentChunks = 3;
    m.bytesReceived = 4096;
    m.attempts = 2;
    m.streamed = true;
    RequestCost &cost = c.cost;
    cost.usd = spec.usd;
    cost.unknownReason = spec.usd ? QString() : QStringLiteral("no price for output tokens");
    cost.uncachedInputUsd = spec.usd ? 0.0004 : 0;
    cost.cacheReadUsd = spec.usd ? 0.0001 : 0;
    cost.outputUsd = spec.usd ? 0.0005 : 0;
    cost.appliedPrice.inputPerMTok = 3.0;
    cost.appliedPrice.outputPerMTok = 15.0;
    cost.reportedUsd = 0.00099;
    c.grade.score = spec.score;
    c.grade.pass = spec.score >= 1.0;
    c.grade.grades = {
        {QStringLiteral("contains"), spec.score >= 1.0, spec.score, QStringLiteral("looked for 42"), 2.0, false}};
    JudgeCall judged;
    judged.jobId = QStringLiteral("judge|") + j.jobId;
    judged.judgeTargetId = QStringLiteral("judge-model");
    judged.assertionType = QStringLiteral("llm-rubric");
    judged.assertionIndex = 0;
    JudgeVerdict verdict;
    verdict.reason = QStringLiteral("states the number");
    verdict.score = 0.75;
    verdict.pass = true;
    verdict.passGiven = true;
    judged.verdict = verdict;
    judged.answer = QStringLiteral("{\"score\": 0.75, \"pass\": true}");
    judged.costUsd = 0.0002;
    judged.latencyMs = 850.0;
    JudgeCall picked;
    picked.jobId = QStringLiteral("judge|best|") + spec.caseId;
    picked.judgeTargetId = QStringLiteral("judge-model");
    picked.assertionType = QStringLiteral("select-best");
    picked.assertionIndex = 1;
    picked.swapped = true;
    picked.answersJudged = 3;
    picked.pick = BestPick{1, QStringLiteral("B"), QStringLiteral("shorter")};
    picked.pickedJobId = j.jobId;
    picked.error = QString();
    JudgeCall broken;
    broken.jobId = QStringLiteral("judge|broken|") + spec.caseId;
    broken.judgeTargetId = QStringLiteral("judge-model");
    broken.assertionType = QStringLiteral("factuality");
    broken.answer = QStringLiteral("no json here");
    broken.error = QStringLiteral("the judge's answer holds no verdict");
    c.judgeCalls = {judged, picked, broken};
    return c;
}

// A two-turn chain cell whose words are each in one place only: "fjord" in the first turn's
// answer, "narwhals" in the second turn's user message, "sunny" in the last answer (the cell's).
inline CellResult makeChainCell(const CellSpec &spec)
{
    CellSpec s = spec;
    s.text = QStringLiteral("sunny tomorrow");
    CellResult c = makeCell(s);
    ChainTurnResult first;
    first.user = QStringLiteral("What is six times seven?");
    first.answer = QStringLiteral("drizzle over the fjord");
    first.requests = 1;
    ChainTurnResult second;
    second.user = QStringLiteral("and what about narwhals?");
    second.answer = c.job.result.text;
    second.requests = 1;
    c.turns = {first, second};
    return c;
}

inline RunStart makeRun(const QString &suiteName, const QStringList &targets,
                        const QDateTime &startedAt = QDateTime::currentDateTimeUtc())
{
    RunStart s;
    s.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    s.suiteName = suiteName;
    s.suiteJson = QStringLiteral("{\"name\":\"%1\",\"cases\":[]}").arg(suiteName);
    s.targetsJson = QStringLiteral("[]");
    s.targetIds = targets;
    s.settingsJson = QStringLiteral("{}");
    s.appVersion = QStringLiteral("test");
    s.startedAt = startedAt;
    s.prompts = {{QStringLiteral("c1"), QString(), QStringLiteral("What is six times seven?")},
                 {QStringLiteral("c2"), QString(), QStringLiteral("Name the capital of France.")},
                 {QStringLiteral("c3"), QString(), QStringLiteral("Write a haiku about autumn.")}};
    s.tags = {{QStringLiteral("c1"), QStringLiteral("math")}, {QStringLiteral("c2"), QStringLiteral("geo")}};
    return s;
}

// Waits until `jobIds` were all reported committed on `spy` (HistoryWriter::committed).
inline bool waitCommitted(QSignalSpy &spy, const QStringList &jobIds, int timeoutMs = 20'000)
{
    const auto all = [&] {
        QSet<QString> seen;
        for (const auto &args : std::as_const(spy)) {
            for (const QString &id : args.first().toStringList())
                seen.insert(id);
        }
        for (const QString &id : jobIds) {
            if (!seen.contains(id))
                return false;
        }
        return true;
    };
    QElapsedTimer timer;
    timer.start();
    while (!all()) {
        if (timer.elapsed() > timeoutMs)
            return false;
        spy.wait(100);
    }
    return true;
}

inline void compareCells(const CellResult &a, const CellResult &b)
{
    QCOMPARE(a.job.jobId, b.job.jobId);
    QCOMPARE(a.job.targetId, b.job.targetId);
    QCOMPARE(a.job.providerId, b.job.providerId);
    QCOMPARE(a.job.state, b.job.state);
    QCOMPARE(a.job.failure, b.job.failure);
    QCOMPARE(a.job.error, b.job.error);
    QCOMPARE(a.caseId, b.caseId);
    QCOMPARE(a.variantId, b.variantId);
    QCOMPARE(a.repeat, b.repeat);
    const StreamResult &x = a.job.result;
    const StreamResult &y = b.job.result;
    QCOMPARE(x.outcome, y.outcome);
    QCOMPARE(x.text, y.text);
    QCOMPARE(x.reasoningText, y.reasoningText);
    QCOMPARE(x.refusal, y.refusal);
    QCOMPARE(x.toolCalls.size(), y.toolCalls.size());
    for (qsizetype i = 0; i < x.toolCalls.size(); ++i) {
        QCOMPARE(x.toolCalls.at(i).id, y.toolCalls.at(i).id);
        QCOMPARE(x.toolCalls.at(i).name, y.toolCalls.at(i).name);
        QCOMPARE(x.toolCalls.at(i).arguments, y.toolCalls.at(i).arguments);
    }
    QCOMPARE(x.finishReason, y.finishReason);
    QCOMPARE(x.model, y.model);
    QCOMPARE(x.responseId, y.responseId);
    QCOMPARE(x.usage, y.usage);
    QCOMPARE(x.error.has_value(), y.error.has_value());
    if (x.error) {
        QCOMPARE(x.error->httpStatus, y.error->httpStatus);
        QCOMPARE(x.error->type, y.error->type);
        QCOMPARE(x.error->message, y.error->message);
        QCOMPARE(x.error->retryAfterSeconds, y.error->retryAfterSeconds);
    }
    QCOMPARE(x.terminalMarkerSeen, y.terminalMarkerSeen);
    QCOMPARE(x.eventsDispatched, y.eventsDispatched);
    QCOMPARE(x.contentEvents, y.contentEvents);
    QCOMPARE(x.firstContentEventIndex, y.firstContentEventIndex);
    QCOMPARE(x.keepAlives, y.keepAlives);
    QCOMPARE(x.serverTokensPerSecond, y.serverTokensPerSecond);
    const RequestTimeline &p = a.job.timeline;
    const RequestTimeline &q = b.job.timeline;
    QCOMPARE(p.queuedNs, q.queuedNs);
    QCOMPARE(p.endNs, q.endNs);
    QCOMPARE(p.attempts.size(), q.attempts.size());
    for (qsizetype i = 0; i < p.attempts.size(); ++i) {
        const AttemptRecord &s = p.attempts.at(i);
        const AttemptRecord &t = q.attempts.at(i);
        QCOMPARE(s.index, t.index);
        QCOMPARE(s.waitBeforeMs, t.waitBeforeMs);
        QCOMPARE(s.startedNs, t.startedNs);
        QCOMPARE(s.sentNs, t.sentNs);
        QCOMPARE(s.headersNs, t.headersNs);
        QCOMPARE(s.firstByteNs, t.firstByteNs);
        QCOMPARE(s.endNs, t.endNs);
        QCOMPARE(s.httpStatus, t.httpStatus);
        QCOMPARE(s.bytesReceived, t.bytesReceived);
        QCOMPARE(s.failure, t.failure);
        QCOMPARE(s.error, t.error);
        QCOMPARE(s.http2, t.http2);
        QCOMPARE(s.deltas.size(), t.deltas.size());
        for (qsizetype d = 0; d < s.deltas.size(); ++d) {
            QCOMPARE(s.deltas.at(d).atNs, t.deltas.at(d).atNs);
            QCOMPARE(s.deltas.at(d).kind, t.deltas.at(d).kind);
            QCOMPARE(s.deltas.at(d).chars, t.deltas.at(d).chars);
        }
    }
    const RequestMetrics &m = a.metrics;
    const RequestMetrics &n = b.metrics;
    QCOMPARE(m.queueWaitNs, n.queueWaitNs);
    QCOMPARE(m.timeToHeadersNs, n.timeToHeadersNs);
    QCOMPARE(m.timeToFirstByteNs, n.timeToFirstByteNs);
    QCOMPARE(m.ttftNs, n.ttftNs);
    QCOMPARE(m.ttfatNs, n.ttfatNs);
    QCOMPARE(m.e2eNs, n.e2eNs);
    QCOMPARE(m.totalNs, n.totalNs);
    QCOMPARE(m.outputTokens, n.outputTokens);
    QCOMPARE(m.streamedTokens, n.streamedTokens);
    QCOMPARE(m.tokensEstimated, n.tokensEstimated);
    QCOMPARE(m.decodeTokensPerSecond, n.decodeTokensPerSecond);
    QCOMPARE(m.itlNs, n.itlNs);
    QCOMPARE(m.gapP50Ns, n.gapP50Ns);
    QCOMPARE(m.gapP95Ns, n.gapP95Ns);
    QCOMPARE(m.gapMaxNs, n.gapMaxNs);
    QCOMPARE(m.stallCount, n.stallCount);
    QCOMPARE(m.stallNs, n.stallNs);
    QCOMPARE(m.contentChunks, n.contentChunks);
    QCOMPARE(m.bytesReceived, n.bytesReceived);
    QCOMPARE(m.attempts, n.attempts);
    QCOMPARE(m.streamed, n.streamed);
    QCOMPARE(a.cost.usd, b.cost.usd);
    QCOMPARE(a.cost.unknownReason, b.cost.unknownReason);
    QCOMPARE(a.cost.uncachedInputUsd, b.cost.uncachedInputUsd);
    QCOMPARE(a.cost.cacheReadUsd, b.cost.cacheReadUsd);
    QCOMPARE(a.cost.cacheWriteUsd, b.cost.cacheWriteUsd);
    QCOMPARE(a.cost.outputUsd, b.cost.outputUsd);
    QCOMPARE(a.cost.reasoningUsd, b.cost.reasoningUsd);
    QCOMPARE(a.cost.appliedPrice.inputPerMTok, b.cost.appliedPrice.inputPerMTok);
    QCOMPARE(a.cost.appliedPrice.outputPerMTok, b.cost.appliedPrice.outputPerMTok);
    QCOMPARE(a.cost.appliedPrice.cachedInputPerMTok, b.cost.appliedPrice.cachedInputPerMTok);
    QCOMPARE(a.cost.reportedUsd, b.cost.reportedUsd);
    QCOMPARE(a.grade.score, b.grade.score);
    QCOMPARE(a.grade.pass, b.grade.pass);
    QCOMPARE(a.grade.pendingJudge, b.grade.pendingJudge);
    QCOMPARE(a.judgeCalls.size(), b.judgeCalls.size());
    for (qsizetype i = 0; i < a.judgeCalls.size(); ++i) {
        const JudgeCall &s = a.judgeCalls.at(i);
        const JudgeCall &t = b.judgeCalls.at(i);
        QCOMPARE(s.jobId, t.jobId);
        QCOMPARE(s.judgeTargetId, t.judgeTargetId);
        QCOMPARE(s.assertionType, t.assertionType);
        QCOMPARE(s.assertionIndex, t.assertionIndex);
        QCOMPARE(s.swapped, t.swapped);
        QCOMPARE(s.answersJudged, t.answersJudged);
        QCOMPARE(s.verdict, t.verdict);
        QCOMPARE(s.pick, t.pick);
        QCOMPARE(s.pickedJobId, t.pickedJobId);
        QCOMPARE(s.answer, t.answer);
        QCOMPARE(s.costUsd, t.costUsd);
        QCOMPARE(s.latencyMs, t.latencyMs);
        QCOMPARE(s.error, t.error);
    }
    QCOMPARE(a.grade.grades.size(), b.grade.grades.size());
    for (qsizetype i = 0; i < a.grade.grades.size(); ++i) {
        QCOMPARE(a.grade.grades.at(i).type, b.grade.grades.at(i).type);
        QCOMPARE(a.grade.grades.at(i).pass, b.grade.grades.at(i).pass);
        QCOMPARE(a.grade.grades.at(i).score, b.grade.grades.at(i).score);
        QCOMPARE(a.grade.grades.at(i).reason, b.grade.grades.at(i).reason);
        QCOMPARE(a.grade.grades.at(i).weight, b.grade.grades.at(i).weight);
        QCOMPARE(a.grade.grades.at(i).needsJudge, b.grade.grades.at(i).needsJudge);
    }
}

} // namespace StoreTest
