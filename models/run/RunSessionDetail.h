#pragma once

// Helpers RunSession's parts share (RunSession.cpp, RunSessionJudges.cpp, RunSummary.cpp); not an
// interface for anyone else.

#include "engine/ChatRequest.h"
#include "engine/JobResult.h"
#include "metrics/RequestMetrics.h"

#include <QLatin1StringView>
#include <QString>

#include <cstdint>
#include <optional>

namespace Slopscope::RunDetail {

constexpr auto kJudgePrefix = QLatin1StringView("judge|");

inline QString groupKeyOf(const ChatRequest &r)
{
    return QStringLiteral("%1|%2|%3").arg(r.caseId, r.variantId).arg(r.repeat);
}

inline std::optional<double> e2eMs(const RequestMetrics &m)
{
    if (!m.e2eNs)
        return std::nullopt;
    return static_cast<double>(*m.e2eNs) / 1e6;
}

} // namespace Slopscope::RunDetail
