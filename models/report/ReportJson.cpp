#include "report/ReportJson.h"

#include "report/ReportStatistics.h"
#include "run/ChainTurnCodec.h"

namespace Slopscope {

namespace {

using ojson = nlohmann::ordered_json;

ojson str(const QString &s)
{
    return s.toStdString();
}

ojson orNull(const QString &s)
{
    return s.isEmpty() ? ojson() : str(s);
}

template <typename T> ojson orNull(const std::optional<T> &v)
{
    return v ? ojson(*v) : ojson();
}

ojson nsToMs(const std::optional<qint64> &ns)
{
    return ns ? ojson(static_cast<double>(*ns) / 1e6) : ojson();
}

ojson nsToMs(const std::optional<double> &ns)
{
    return ns ? ojson(*ns / 1e6) : ojson();
}

std::optional<double> either(const std::optional<double> &first, const std::optional<double> &second)
{
    return first ? first : second;
}

ojson priceJson(const Price &p)
{
    ojson o = ojson::object();
    o["input_per_mtok"] = orNull(p.inputPerMTok);
    o["output_per_mtok"] = orNull(p.outputPerMTok);
    o["cached_input_per_mtok"] = orNull(p.cachedInputPerMTok);
    o["cache_write_per_mtok"] = orNull(p.cacheWritePerMTok);
    o["reasoning_per_mtok"] = orNull(p.reasoningPerMTok);
    return o;
}

std::string dump(const ojson &j, int indent)
{
    // Model text can hold anything; invalid UTF-8 never makes the export fail.
    return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace

QString ReportJson::failureKindName(FailureKind kind)
{
    switch (kind) {
    case FailureKind::None:
        return {};
    case FailureKind::Cancelled:
        return QStringLiteral("cancelled");
    case FailureKind::HttpStatus:
        return QStringLiteral("http_status");
    case FailureKind::InBandError:
        return QStringLiteral("in_band_error");
    case FailureKind::Incomplete:
        return QStringLiteral("incomplete");
    case FailureKind::Truncated:
        return QStringLiteral("truncated");
    case FailureKind::ConnectionLost:
        return QStringLiteral("connection_lost");
    case FailureKind::RemoteClosed:
        return QStringLiteral("remote_closed");
    case FailureKind::HostNotFound:
        return QStringLiteral("host_not_found");
    case FailureKind::ConnectionRefused:
        return QStringLiteral("connection_refused");
    case FailureKind::Tls:
        return QStringLiteral("tls");
    case FailureKind::Proxy:
        return QStringLiteral("proxy");
    case FailureKind::Network:
        return QStringLiteral("network");
    case FailureKind::ConnectTimeout:
        return QStringLiteral("connect_timeout");
    case FailureKind::FirstByteTimeout:
        return QStringLiteral("first_byte_timeout");
    case FailureKind::FirstTokenTimeout:
        return QStringLiteral("first_token_timeout");
    case FailureKind::IdleTimeout:
        return QStringLiteral("idle_timeout");
    case FailureKind::ContentIdleTimeout:
        return QStringLiteral("content_idle_timeout");
    case FailureKind::TotalTimeout:
        return QStringLiteral("total_timeout");
    case FailureKind::Redirect:
        return QStringLiteral("redirect");
    case FailureKind::ResponseTooLarge:
        return QStringLiteral("response_too_large");
    case FailureKind::NotSent:
        return QStringLiteral("not_sent");
    }
    return QStringLiteral("unknown");
}

nlohmann::ordered_json ReportJson::cellJson(const QString &runId, const CellResult &cell)
{
    const StreamResult &r = cell.job.result;
    const CellStatus status = ReportStatistics::status(cell);
    const std::optional<Usage> &usage = r.usage;
    const bool reported = usage && (usage->inputTokens || usage->outputTokens);

    ojson o = ojson::object();
    o["run_id"] = str(runId);
    o["case_id"] = str(cell.caseId);
    o["target_id"] = str(cell.job.targetId);
    o["variant"] = orNull(cell.variantId);
    o["repeat"] = cell.repeat;
    o["status"] = str(ReportStatistics::statusName(status));
    o["error_kind"] = orNull(failureKindName(cell.job.failure));
    o["error_message"] = orNull(cell.job.error);
    o["text"] = str(r.text);
    o["reasoning_text"] = orNull(r.reasoningText);
    o["finish_reason"] = orNull(r.finishReason);
    o["model_reported"] = orNull(r.model);
    o["input_tokens"] = usage ? orNull(usage->inputTokens) : ojson();
    if (usage && usage->outputTokens)
        o["output_tokens"] = *usage->outputTokens;
    else
        o["output_tokens"] = orNull(cell.metrics.outputTokens); // the character estimate, if any
    o["reasoning_tokens"] = usage ? orNull(usage->reasoningTokens) : ojson();
    o["cached_input_tokens"] = usage ? orNull(usage->cachedInputTokens) : ojson();
    // Token counts from the provider (its usage block, or counts on every chunk) are reported;
    // counts derived from characters are estimated.
    o["usage_source"] = reported || (cell.metrics.outputTokens && !cell.metrics.tokensEstimated) ? "reported"
                        : cell.metrics.outputTokens                                              ? "estimated"
                                                                                                 : "unknown";
    o["ttft_ms"] = nsToMs(cell.metrics.ttftNs);
    o["ttfat_ms"] = nsToMs(cell.metrics.ttfatNs);
    o["latency_ms"] = nsToMs(cell.metrics.e2eNs);
    o["decode_tokens_per_s"] = orNull(cell.metrics.decodeTokensPerSecond);
    o["itl_ms"] = nsToMs(cell.metrics.itlNs);
    o["attempts"] = cell.job.attempts() > 0 ? cell.job.attempts() : cell.metrics.attempts;
    o["cost_usd"] = orNull(cell.cost.usd);
    // A cancelled cell or one awaiting its judge has no verdict yet.
    const bool verdict = status != CellStatus::Cancelled && !cell.grade.pendingJudge;
    o["score"] = verdict ? ojson(cell.grade.score) : ojson();
    o["pass"] = verdict ? ojson(cell.grade.pass) : ojson();
    ojson grades = ojson::array();
    for (const Grade &g : cell.grade.grades) {
        ojson gj = ojson::object();
        gj["type"] = str(g.type);
        gj["pass"] = g.needsJudge ? ojson() : ojson(g.pass);
        gj["score"] = g.needsJudge ? ojson() : ojson(g.score);
        gj["weight"] = g.weight;
        gj["reason"] = orNull(g.reason);
        grades.push_back(std::move(gj));
    }
    o["grades"] = std::move(grades);
    if (!cell.turns.isEmpty()) // a chain: its turns, as the history keeps them (added later: last)
        o["turns"] = ojson::parse(ChainTurnCodec::toJson(cell.turns, ChainTurnCodec::Purpose::Report).dump());
    return o;
}

QByteArray ReportJson::jsonlLine(const QString &runId, const CellResult &cell)
{
    QByteArray line = QByteArray::fromStdString(dump(cellJson(runId, cell), -1));
    line += '\n';
    return line;
}

QByteArray ReportJson::jsonl(const ReportData &data)
{
    QByteArray out;
    for (const CellResult &cell : data.cells)
        out += jsonlLine(data.runId, cell);
    return out;
}

nlohmann::ordered_json ReportJson::summaryJson(const ReportData &data)
{
    ojson targets = ojson::array();
    ojson targetInfo = ojson::array();
    for (const ReportTarget &t : data.targets) {
        const TargetSummary &s = t.summary;
        ojson o = ojson::object();
        o["target_id"] = str(t.id);
        o["n"] = t.stats.n;
        o["n_ok"] = t.stats.nOk;
        o["quality"] = orNull(s.quality);
        o["quality_ci_low"] = orNull(s.qualityLow);
        o["quality_ci_high"] = orNull(s.qualityHigh);
        o["brittleness"] = orNull(s.brittleness);
        o["brittleness_ci_low"] = orNull(s.brittlenessLow);
        o["brittleness_ci_high"] = orNull(s.brittlenessHigh);
        // null unless the suite sets a time budget (time_budget_ms)
        const ScopedQuality budget = t.withinBudget.value_or(ScopedQuality{});
        o["quality_within_budget"] = orNull(budget.quality);
        o["quality_within_budget_ci_low"] = orNull(budget.low);
        o["quality_within_budget_ci_high"] = orNull(budget.high);
        o["cost_usd_total"] = orNull(t.stats.costUsdTotal);
        o["cost_per_1k_cases_usd"] = orNull(s.costPer1000Cases);
        o["ttft_ms_p50"] = orNull(either(s.medianTtftMs, t.stats.ttftP50Ms));
        o["ttft_ms_p95"] = orNull(t.stats.ttftP95Ms);
        o["decode_tokens_per_s_p50"] = orNull(either(s.medianDecodeTokensPerSecond, t.stats.decodeTokensPerSecondP50));
        o["latency_ms_p50"] = orNull(t.stats.latencyP50Ms);
        o["latency_ms_p95"] = orNull(either(s.p95LatencyMs, t.stats.latencyP95Ms));
        o["error_rate"] = orNull(t.stats.errorRate);
        targets.push_back(std::move(o));

        ojson info = ojson::object();
        info["target_id"] = str(t.id);
        info["label"] = str(t.label);
        info["provider"] = orNull(t.providerId);
        info["model"] = orNull(t.model);
        info["simulated"] = t.simulated;
        info["catalogue_key"] = orNull(t.catalogueKey);
        info["price"] = priceJson(t.price);
        targetInfo.push_back(std::move(info));
    }
    ojson pareto = ojson::array();
    for (const QString &id : data.pareto)
        pareto.push_back(str(id));

    const ReportConditions &c = data.conditions;
    ojson conditions = ojson::object();
    conditions["suite"] = str(data.suiteName);
    conditions["suite_description"] = orNull(data.suiteDescription);
    conditions["repeats"] = c.repeats;
    conditions["variants"] = c.variants;
    conditions["seed"] = c.seed;
    conditions["concurrency"] = c.concurrency;
    ojson perProvider = ojson::object();
    for (const auto &[id, cap] : c.providerConcurrency)
        perProvider[id.toStdString()] = cap;
    conditions["provider_concurrency"] = std::move(perProvider);
    conditions["order"] = c.oneProviderAtATime ? "one_provider_at_a_time" : "interleaved";
    conditions["max_cost_usd"] = orNull(c.maxCostUsd);
    conditions["started_at"] = c.startedAt.isValid() ? str(c.startedAt.toUTC().toString(Qt::ISODate)) : ojson();
    conditions["ended_at"] = c.endedAt.isValid() ? str(c.endedAt.toUTC().toString(Qt::ISODate)) : ojson();
    conditions["stop_reason"] = orNull(c.stopReason);
    conditions["app_version"] = str(data.appVersion);
    ojson catalogue = ojson::object();
    catalogue["source"] = orNull(data.catalogue.source);
    catalogue["commit"] = orNull(data.catalogue.commit);
    catalogue["date"] = orNull(data.catalogue.date);
    conditions["price_catalogue"] = std::move(catalogue);
    ojson overrides = ojson::array();
    for (const PriceOverride &po : data.priceOverrides) {
        ojson o = ojson::object();
        o["target_id"] = str(po.targetId);
        o["field"] = str(po.field);
        o["workspace"] = po.workspaceValue;
        o["catalogue"] = orNull(po.catalogueValue);
        overrides.push_back(std::move(o));
    }
    conditions["price_overrides"] = std::move(overrides);
    conditions["targets"] = std::move(targetInfo);

    ojson agreement = ojson::array();
    for (const TargetAgreement &a : data.agreement) {
        ojson o = ojson::object();
        o["target_id"] = str(a.targetId);
        o["judge_target_id"] = orNull(a.judgeTargetId); // null: the cell's verdict over all its judges
        o["n"] = a.agreement.n;
        const bool known = a.agreement.n > 0;
        o["agreement"] = known ? ojson(a.agreement.percent) : ojson();
        o["kappa"] = known ? ojson(a.agreement.kappa) : ojson();
        agreement.push_back(std::move(o));
    }

    ojson root = ojson::object();
    root["run_id"] = str(data.runId);
    root["targets"] = std::move(targets);
    root["pareto"] = std::move(pareto);
    root["conditions"] = std::move(conditions);
    root["judge_human_agreement"] = std::move(agreement); // added later: after the older keys
    return root;
}

QByteArray ReportJson::summary(const ReportData &data)
{
    QByteArray out = QByteArray::fromStdString(dump(summaryJson(data), 2));
    out += '\n';
    return out;
}

} // namespace Slopscope
