#include "store/CellCodec.h"

#include "core/JsonFields.h"
#include "run/ChainTurnCodec.h"
#include "run/ThoughtsCodec.h"
#include "run/JobTimeline.h"
#include "store/StoreEnums.h"

#include <QCoreApplication>
#include <QStringList>

#include <nlohmann/json.hpp>

#include <array>
#include <utility>

namespace Slopscope {

namespace {

using json = nlohmann::json;
using JsonFields::putIfSet;
using JsonFields::utf8;

QString dump(const json &j)
{
    return QString::fromStdString(j.dump(-1, ' ', false, json::error_handler_t::replace));
}

json parse(const QString &text)
{
    if (text.isEmpty())
        return json();
    json j = json::parse(text.toStdString(), nullptr, false);
    return j.is_discarded() ? json() : j;
}

QString toolCallsJson(const QList<ToolCall> &calls)
{
    if (calls.isEmpty())
        return {};
    json j = json::array();
    for (const ToolCall &c : calls)
    {
        json call = {{"id", utf8(c.id)}, {"name", utf8(c.name)}, {"arguments", utf8(c.arguments)}};
        if (!c.thoughtSignature.isEmpty())
            call["thought_signature"] = utf8(c.thoughtSignature); // Gemini's, opaque
        j.push_back(std::move(call));
    }
    return dump(j);
}

QList<ToolCall> toolCallsFromJson(const QString &text)
{
    QList<ToolCall> out;
    const json j = parse(text);
    if (!j.is_array())
        return out;
    for (const json &c : j) {
        if (c.is_object())
            out.append({JsonFields::string(c, "id"), JsonFields::string(c, "name"), JsonFields::string(c, "arguments"),
                        JsonFields::string(c, "thought_signature")});
    }
    return out;
}

QString providerErrorJson(const std::optional<ProviderError> &e)
{
    if (!e)
        return {};
    json j{{"http_status", e->httpStatus}, {"type", utf8(e->type)}, {"message", utf8(e->message)},
           {"in_band", e->inBand},         {"code", utf8(e->code)}, {"client_side", e->clientSide}};
    putIfSet(j, "retry_after_seconds", e->retryAfterSeconds);
    return dump(j);
}

std::optional<ProviderError> providerErrorFromJson(const QString &text)
{
    const json j = parse(text);
    if (!j.is_object())
        return std::nullopt;
    ProviderError e;
    e.httpStatus = JsonFields::number<int>(j, "http_status").value_or(0);
    e.type = JsonFields::string(j, "type");
    e.message = JsonFields::string(j, "message");
    e.inBand = j.value("in_band", false);
    e.code = JsonFields::string(j, "code");
    e.clientSide = j.value("client_side", false);
    e.retryAfterSeconds = JsonFields::number<double>(j, "retry_after_seconds");
    return e;
}

QString gradesJson(const QList<Grade> &grades)
{
    json j = json::array();
    for (const Grade &g : grades) {
        j.push_back({{"type", utf8(g.type)},
                     {"pass", g.pass},
                     {"score", g.score},
                     {"reason", utf8(g.reason)},
                     {"weight", g.weight},
                     {"needs_judge", g.needsJudge}});
    }
    return dump(j);
}

QList<Grade> gradesFromJson(const QString &text)
{
    QList<Grade> out;
    if (text == u"[]")
        return out;
    const json j = parse(text);
    if (!j.is_array())
        return out;
    for (const json &g : j) {
        if (!g.is_object())
            continue;
        Grade grade;
        grade.type = JsonFields::string(g, "type");
        grade.pass = g.value("pass", false);
        grade.score = JsonFields::number<double>(g, "score").value_or(0.0);
        grade.reason = JsonFields::string(g, "reason");
        grade.weight = JsonFields::number<double>(g, "weight").value_or(1.0);
        grade.needsJudge = g.value("needs_judge", false);
        out.append(std::move(grade));
    }
    return out;
}

QByteArray deltasBlob(const QList<DeltaStamp> &deltas)
{
    if (deltas.isEmpty())
        return {};
    Timeline t;
    for (const DeltaStamp &d : deltas)
        t.addChunk(d.atNs, d.kind, static_cast<qint32>(d.chars));
    return t.serialize();
}

QList<DeltaStamp> deltasFromTimeline(const Timeline &t)
{
    QList<DeltaStamp> out;
    out.reserve(t.chunks.size());
    for (const TimelineChunk &c : t.chunks)
        out.append({c.t, c.kind, c.characters});
    return out;
}

QList<DeltaStamp> deltasFromBlob(const QByteArray &blob)
{
    if (blob.isEmpty())
        return {};
    auto t = Timeline::deserialize(blob);
    return t ? deltasFromTimeline(t.value()) : QList<DeltaStamp>{};
}

} // namespace

const QString &CellCodec::resultColumns()
{
    static const QString columns = QStringLiteral(
        "run_id, job_id, case_id, variant_id, repeat, target, provider, recorded_at, state, failure, error, "
        "outcome, text, reasoning_text, refusal, tool_calls_json, finish_reason, model_reported, response_id, "
        "provider_error_json, terminal_marker_seen, result_streamed, events, content_events, "
        "first_content_event_index, keep_alives, server_tokens_per_second, usage_source, input_tokens, output_tokens, "
        "reasoning_tokens, cached_input_tokens, cache_creation_input_tokens, total_tokens, usage_cost_usd, "
        "queue_wait_ns, time_to_headers_ns, time_to_first_byte_ns, ttft_ns, ttfat_ns, e2e_ns, total_ns, "
        "metric_output_tokens, streamed_tokens, tokens_estimated, decode_tokens_per_second, itl_ns, gap_p50_ns, "
        "gap_p95_ns, gap_max_ns, stall_count, stall_ns, content_chunks, bytes_received, attempts, streamed, "
        "queued_ns, ended_ns, timeline, cost_usd, cost_unknown_reason, cost_uncached_input_usd, "
        "cost_cache_read_usd, cost_cache_write_usd, cost_output_usd, cost_reasoning_usd, price_input_per_mtok, "
        "price_output_per_mtok, price_cached_input_per_mtok, price_cache_write_per_mtok, price_reasoning_per_mtok, "
        "reported_cost_usd, score, pass, pending_judge, grades_json, chain_json, thoughts_json");
    return columns;
}

const QString &CellCodec::resultColumns(CellLoad load)
{
    static const QString matrix = [] {
        QStringList columns = resultColumns().split(QStringLiteral(", "));
        for (const char *left :
             {"reasoning_text", "refusal", "response_id", "timeline", "chain_json", "thoughts_json"}) {
            const qsizetype at = columns.indexOf(QLatin1StringView(left));
            Q_ASSERT(at >= 0);
            columns[at] = QStringLiteral("NULL");
        }
        return columns.join(QStringLiteral(", "));
    }();
    return load == CellLoad::Matrix ? matrix : resultColumns();
}

QString CellCodec::damagedDetail(const SqliteStatement &s, int first)
{
    static const QStringList columns = resultColumns().split(QStringLiteral(", "));
    const auto at = [](const char *name) { return static_cast<int>(columns.indexOf(QLatin1StringView(name))); };
    static const int timeline = at("timeline");
    static const int chain = at("chain_json");
    static const int thoughts = at("thoughts_json");
    if (const QByteArray blob = s.blob(first + timeline); !blob.isEmpty()) {
        if (auto t = Timeline::deserialize(blob); !t)
            return QCoreApplication::translate("CellCodec", "its chunk timeline: %1").arg(t.error());
    }
    const auto unreadable = [&s, first](int index) {
        if (s.isNull(first + index))
            return false;
        const json j = json::parse(s.text(first + index).toStdString(), nullptr, false);
        return j.is_discarded() || !(j.is_array() || j.is_object());
    };
    if (unreadable(chain))
        return QCoreApplication::translate("CellCodec", "its chain turns are not valid JSON");
    if (unreadable(thoughts))
        return QCoreApplication::translate("CellCodec", "its thoughts are not valid JSON");
    return {};
}

int CellCodec::resultColumnCount()
{
    static const int count = static_cast<int>(resultColumns().count(u',')) + 1;
    return count;
}

const QString &CellCodec::attemptColumns()
{
    static const QString columns =
        QStringLiteral("result_id, idx, wait_before_ms, started_ns, sent_ns, headers_ns, first_byte_ns, end_ns, "
                       "http_status, bytes_received, failure, error, http2, deltas");
    return columns;
}

int CellCodec::attemptColumnCount()
{
    static const int count = static_cast<int>(attemptColumns().count(u',')) + 1;
    return count;
}

void CellCodec::bindResult(SqliteStatement &s, qint64 runKey, const CellResult &cell, qint64 recordedAtMs)
{
    const JobResult &job = cell.job;
    const StreamResult &r = job.result;
    const RequestMetrics &m = cell.metrics;
    const RequestCost &c = cell.cost;
    const std::optional<Usage> &u = r.usage;
    int i = 1;
    s.bind(i++, runKey);
    s.bind(i++, job.jobId);
    s.bind(i++, cell.caseId);
    s.bind(i++, cell.variantId);
    s.bind(i++, cell.repeat);
    s.bind(i++, job.targetId);
    s.bind(i++, job.providerId);
    s.bind(i++, recordedAtMs);
    s.bind(i++, StoreEnums::jobStateName(job.state));
    s.bind(i++, StoreEnums::failureName(job.failure));
    s.bind(i++, job.error);
    s.bind(i++, StoreEnums::outcomeName(r.outcome));
    s.bind(i++, r.text);
    s.bind(i++, r.reasoningText);
    s.bind(i++, r.refusal);
    const QString tools = toolCallsJson(r.toolCalls);
    tools.isEmpty() ? s.bindNull(i++) : s.bind(i++, tools);
    s.bind(i++, r.finishReason);
    s.bind(i++, r.model);
    s.bind(i++, r.responseId);
    const QString error = providerErrorJson(r.error);
    error.isEmpty() ? s.bindNull(i++) : s.bind(i++, error);
    s.bind(i++, r.terminalMarkerSeen);
    s.bind(i++, r.streamed);
    s.bind(i++, r.eventsDispatched);
    s.bind(i++, r.contentEvents);
    s.bind(i++, r.firstContentEventIndex);
    s.bind(i++, r.keepAlives);
    s.bind(i++, r.serverTokensPerSecond);
    s.bind(i++, u ? QStringLiteral("provider") : QStringLiteral("none"));
    const Usage none;
    const Usage &usage = u ? *u : none;
    s.bind(i++, usage.inputTokens);
    s.bind(i++, usage.outputTokens);
    s.bind(i++, usage.reasoningTokens);
    s.bind(i++, usage.cachedInputTokens);
    s.bind(i++, usage.cacheCreationInputTokens);
    s.bind(i++, usage.totalTokens);
    s.bind(i++, usage.costUsd);
    s.bind(i++, m.queueWaitNs);
    s.bind(i++, m.timeToHeadersNs);
    s.bind(i++, m.timeToFirstByteNs);
    s.bind(i++, m.ttftNs);
    s.bind(i++, m.ttfatNs);
    s.bind(i++, m.e2eNs);
    s.bind(i++, m.totalNs);
    s.bind(i++, m.outputTokens);
    s.bind(i++, m.streamedTokens);
    s.bind(i++, m.tokensEstimated);
    s.bind(i++, m.decodeTokensPerSecond);
    s.bind(i++, m.itlNs);
    s.bind(i++, m.gapP50Ns);
    s.bind(i++, m.gapP95Ns);
    s.bind(i++, m.gapMaxNs);
    s.bind(i++, m.stallCount);
    s.bind(i++, m.stallNs);
    s.bind(i++, m.contentChunks);
    s.bind(i++, m.bytesReceived);
    s.bind(i++, m.attempts);
    s.bind(i++, m.streamed);
    s.bind(i++, job.timeline.queuedNs);
    s.bind(i++, job.timeline.endNs);
    s.bindBlob(i++, jobTimeline(job).serialize());
    s.bind(i++, c.usd);
    s.bind(i++, c.unknownReason);
    s.bind(i++, c.uncachedInputUsd);
    s.bind(i++, c.cacheReadUsd);
    s.bind(i++, c.cacheWriteUsd);
    s.bind(i++, c.outputUsd);
    s.bind(i++, c.reasoningUsd);
    s.bind(i++, c.appliedPrice.inputPerMTok);
    s.bind(i++, c.appliedPrice.outputPerMTok);
    s.bind(i++, c.appliedPrice.cachedInputPerMTok);
    s.bind(i++, c.appliedPrice.cacheWritePerMTok);
    s.bind(i++, c.appliedPrice.reasoningPerMTok);
    s.bind(i++, c.reportedUsd);
    s.bind(i++, cell.grade.score);
    s.bind(i++, cell.grade.pass);
    s.bind(i++, cell.grade.pendingJudge);
    s.bind(i++, gradesJson(cell.grade.grades));
    // Last, so a file of schema 6 or older takes every column but this one (tests write such files).
    cell.turns.isEmpty() ? s.bindNull(i++) : s.bind(i++, dump(ChainTurnCodec::toJson(cell.turns)));
    // After it, thoughts_json (schema 9): a file of schema 8 or older takes every column but these.
    const Thoughts thoughts = Thoughts::of(r);
    thoughts.isEmpty() ? s.bindNull(i++) : s.bind(i++, dump(ThoughtsCodec::toJson(thoughts)));
    Q_ASSERT(i == resultColumnCount() + 1);
}

CellResult CellCodec::readResult(const SqliteStatement &s, int first, QList<DeltaStamp> *lastAttemptDeltas)
{
    CellResult cell;
    readResult(s, first, cell, lastAttemptDeltas);
    return cell;
}

void CellCodec::readResult(const SqliteStatement &s, int first, CellResult &cell, QList<DeltaStamp> *lastAttemptDeltas)
{
    JobResult &job = cell.job;
    StreamResult &r = job.result;
    RequestMetrics &m = cell.metrics;
    RequestCost &c = cell.cost;
    int i = first + 1; // run_id: the caller knows the run
    job.jobId = s.text(i++);
    cell.caseId = s.text(i++);
    cell.variantId = s.text(i++);
    cell.repeat = s.integer(i++);
    job.targetId = s.text(i++);
    job.providerId = s.text(i++);
    ++i; // recorded_at
    job.state = StoreEnums::jobStateFromName(s.text(i++)).value_or(JobState::Failed);
    job.failure = StoreEnums::failureFromName(s.text(i++));
    job.error = s.text(i++);
    r.outcome = StoreEnums::outcomeFromName(s.text(i++)).value_or(StreamOutcome::Pending);
    r.text = s.text(i++);
    r.reasoningText = s.text(i++);
    r.refusal = s.text(i++);
    r.toolCalls = toolCallsFromJson(s.text(i++));
    r.finishReason = s.text(i++);
    r.model = s.text(i++);
    r.responseId = s.text(i++);
    r.error = providerErrorFromJson(s.text(i++));
    r.terminalMarkerSeen = s.int64(i++) != 0;
    r.streamed = s.int64(i++) != 0;
    r.eventsDispatched = s.integer(i++);
    r.contentEvents = s.integer(i++);
    r.firstContentEventIndex = s.integer(i++);
    r.keepAlives = s.integer(i++);
    r.serverTokensPerSecond = s.optionalReal(i++);
    const bool hasUsage = s.text(i++) == u"provider";
    Usage usage;
    usage.inputTokens = s.optionalInt64(i++);
    usage.outputTokens = s.optionalInt64(i++);
    usage.reasoningTokens = s.optionalInt64(i++);
    usage.cachedInputTokens = s.optionalInt64(i++);
    usage.cacheCreationInputTokens = s.optionalInt64(i++);
    usage.totalTokens = s.optionalInt64(i++);
    usage.costUsd = s.optionalReal(i++);
    if (hasUsage)
        r.usage = usage;
    m.queueWaitNs = s.optionalInt64(i++);
    m.timeToHeadersNs = s.optionalInt64(i++);
    m.timeToFirstByteNs = s.optionalInt64(i++);
    m.ttftNs = s.optionalInt64(i++);
    m.ttfatNs = s.optionalInt64(i++);
    m.e2eNs = s.optionalInt64(i++);
    m.totalNs = s.optionalInt64(i++);
    m.outputTokens = s.optionalReal(i++);
    m.streamedTokens = s.optionalReal(i++);
    m.tokensEstimated = s.int64(i++) != 0;
    m.decodeTokensPerSecond = s.optionalReal(i++);
    m.itlNs = s.optionalReal(i++);
    m.gapP50Ns = s.optionalInt64(i++);
    m.gapP95Ns = s.optionalInt64(i++);
    m.gapMaxNs = s.optionalInt64(i++);
    m.stallCount = s.integer(i++);
    m.stallNs = s.int64(i++);
    m.contentChunks = s.integer(i++);
    m.bytesReceived = s.int64(i++);
    m.attempts = s.integer(i++);
    m.streamed = s.int64(i++) != 0;
    job.timeline.queuedNs = s.optionalInt64(i++);
    job.timeline.endNs = s.optionalInt64(i++);
    const QByteArray blob = s.blob(i++);
    if (lastAttemptDeltas) {
        auto t = blob.isEmpty() ? Result<Timeline>(Timeline{}) : Timeline::deserialize(blob);
        *lastAttemptDeltas = t ? deltasFromTimeline(t.value()) : QList<DeltaStamp>{};
    }
    c.usd = s.optionalReal(i++);
    c.unknownReason = s.text(i++);
    c.uncachedInputUsd = s.real(i++);
    c.cacheReadUsd = s.real(i++);
    c.cacheWriteUsd = s.real(i++);
    c.outputUsd = s.real(i++);
    c.reasoningUsd = s.real(i++);
    c.appliedPrice.inputPerMTok = s.optionalReal(i++);
    c.appliedPrice.outputPerMTok = s.optionalReal(i++);
    c.appliedPrice.cachedInputPerMTok = s.optionalReal(i++);
    c.appliedPrice.cacheWritePerMTok = s.optionalReal(i++);
    c.appliedPrice.reasoningPerMTok = s.optionalReal(i++);
    c.reportedUsd = s.optionalReal(i++);
    cell.grade.score = s.real(i++);
    cell.grade.pass = s.int64(i++) != 0;
    cell.grade.pendingJudge = s.int64(i++) != 0;
    cell.grade.grades = gradesFromJson(s.text(i++));
    cell.turns = ChainTurnCodec::fromJson(parse(s.text(i++))); // NULL (one question, or an older row): none
    ThoughtsCodec::fromJson(parse(s.text(i++))).applyTo(r);        // NULL: the answer kept none
    Q_ASSERT(i == first + resultColumnCount());
}

void CellCodec::bindAttempt(SqliteStatement &s, qint64 resultId, const AttemptRecord &a, bool last)
{
    int i = 1;
    s.bind(i++, resultId);
    s.bind(i++, a.index);
    s.bind(i++, a.waitBeforeMs);
    s.bind(i++, a.startedNs);
    s.bind(i++, a.sentNs);
    s.bind(i++, a.headersNs);
    s.bind(i++, a.firstByteNs);
    s.bind(i++, a.endNs);
    s.bind(i++, a.httpStatus);
    s.bind(i++, a.bytesReceived);
    s.bind(i++, StoreEnums::failureName(a.failure));
    s.bind(i++, a.error);
    s.bind(i++, a.http2);
    if (last)
        s.bindNull(i++);
    else
        s.bindBlob(i++, deltasBlob(a.deltas));
}

AttemptRecord CellCodec::readAttempt(const SqliteStatement &s, int first)
{
    AttemptRecord a;
    int i = first + 1; // result_id
    a.index = s.integer(i++);
    a.waitBeforeMs = s.int64(i++);
    a.startedNs = s.optionalInt64(i++);
    a.sentNs = s.optionalInt64(i++);
    a.headersNs = s.optionalInt64(i++);
    a.firstByteNs = s.optionalInt64(i++);
    a.endNs = s.optionalInt64(i++);
    a.httpStatus = s.integer(i++);
    a.bytesReceived = s.int64(i++);
    a.failure = StoreEnums::failureFromName(s.text(i++));
    a.error = s.text(i++);
    a.http2 = s.int64(i++) != 0;
    a.deltas = deltasFromBlob(s.blob(i++));
    return a;
}

const QString &CellCodec::judgeColumns()
{
    static const QString columns = QStringLiteral(
        "run_id, job_id, call_id, judge_target, assertion_type, assertion_index, swapped, answers_judged, pass, "
        "pass_given, score, reason, pick_index, pick_label, pick_reason, picked_job_id, answer, cost_usd, latency_ms, "
        "error");
    return columns;
}

int CellCodec::judgeColumnCount()
{
    static const int count = static_cast<int>(judgeColumns().count(u',')) + 1;
    return count;
}

void CellCodec::bindJudgeCall(SqliteStatement &s, qint64 runKey, const QString &cellJobId, const JudgeCall &call)
{
    int i = 1;
    s.bind(i++, runKey);
    s.bind(i++, cellJobId);
    s.bind(i++, call.jobId);
    s.bind(i++, call.judgeTargetId);
    s.bind(i++, call.assertionType);
    s.bind(i++, call.assertionIndex);
    s.bind(i++, call.swapped);
    s.bind(i++, call.answersJudged);
    if (call.verdict) {
        s.bind(i++, call.verdict->pass);
        s.bind(i++, call.verdict->passGiven);
        s.bind(i++, call.verdict->score);
        s.bind(i++, call.verdict->reason);
    } else {
        for (int n = 0; n < 4; ++n)
            s.bindNull(i++);
    }
    if (call.pick) {
        s.bind(i++, call.pick->index);
        s.bind(i++, call.pick->label);
        s.bind(i++, call.pick->reason);
    } else {
        for (int n = 0; n < 3; ++n)
            s.bindNull(i++);
    }
    s.bind(i++, call.pickedJobId);
    s.bind(i++, call.answer);
    s.bind(i++, call.costUsd);
    s.bind(i++, call.latencyMs);
    s.bind(i++, call.error);
    Q_ASSERT(i == judgeColumnCount() + 1);
}

JudgeCall CellCodec::readJudgeCall(const SqliteStatement &s, int first, QString *cellJobId)
{
    JudgeCall call;
    int i = first + 1; // run_id
    *cellJobId = s.text(i++);
    call.jobId = s.text(i++);
    call.judgeTargetId = s.text(i++);
    call.assertionType = s.text(i++);
    call.assertionIndex = s.integer(i++);
    call.swapped = s.int64(i++) != 0;
    call.answersJudged = s.integer(i++);
    if (!s.isNull(i)) {
        JudgeVerdict v;
        v.pass = s.int64(i) != 0;
        v.passGiven = s.int64(i + 1) != 0;
        v.score = s.real(i + 2);
        v.reason = s.text(i + 3);
        call.verdict = v;
    }
    i += 4;
    if (!s.isNull(i)) {
        BestPick p;
        p.index = s.integer(i);
        p.label = s.text(i + 1);
        p.reason = s.text(i + 2);
        call.pick = p;
    }
    i += 3;
    call.pickedJobId = s.text(i++);
    call.answer = s.text(i++);
    call.costUsd = s.optionalReal(i++);
    call.latencyMs = s.optionalReal(i++);
    call.error = s.text(i++);
    Q_ASSERT(i == first + judgeColumnCount());
    return call;
}

} // namespace Slopscope
