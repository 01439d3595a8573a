#pragma once

#include "report/ReportData.h"
#include "run/CellResult.h"

#include <QByteArray>
#include <QString>

#include <nlohmann/json.hpp>

namespace Slopscope {

// The machine-readable exports of issue #8: one JSONL line per result and the summary document.
// Field names are a published interface (CI jobs parse them): add fields, never rename. Every
// figure that is unknown is null, never 0.
class ReportJson final
{
public:
    // One result: run_id, case_id, target_id, variant (null for the canonical wording), repeat,
    // status (ok, error, truncated, cancelled), error_kind, error_message, text, reasoning_text,
    // finish_reason, model_reported, input_tokens, output_tokens, reasoning_tokens,
    // cached_input_tokens, usage_source (reported, estimated, unknown), ttft_ms, ttfat_ms,
    // latency_ms, decode_tokens_per_s, itl_ms, attempts, cost_usd, score, pass, grades.
    static nlohmann::ordered_json cellJson(const QString &runId, const CellResult &cell);
    // cellJson as one compact UTF-8 line, ending with '\n', ready to append to a .jsonl file.
    static QByteArray jsonlLine(const QString &runId, const CellResult &cell);
    // Every cell of the report, one line each.
    static QByteArray jsonl(const ReportData &data);

    // {"run_id", "targets": [...], "pareto": [target ids], "conditions": {...},
    // "judge_human_agreement": [...]} with, per target,
    // target_id, n, n_ok, quality, quality_ci_low, quality_ci_high, brittleness,
    // brittleness_ci_low, brittleness_ci_high, cost_usd_total, cost_per_1k_cases_usd, ttft_ms_p50,
    // ttft_ms_p95, decode_tokens_per_s_p50, latency_ms_p50, latency_ms_p95, error_rate; and per
    // agreement row (ReportData::agreement) target_id, judge_target_id (null: all judges), n,
    // agreement (0..1) and kappa, both null when n = 0.
    static nlohmann::ordered_json summaryJson(const ReportData &data);
    static QByteArray summary(const ReportData &data); // indented, ends with '\n'

    // snake_case name of an engine failure (http_status, idle_timeout, ...); empty for None.
    static QString failureKindName(FailureKind kind);
};

} // namespace Slopscope
