#pragma once

#include "core/Result.h"

#include <QString>

namespace Slopscope {

// A judge's select-best answer, in the contract {"best": "B", "reason": "…"}.
struct BestPick
{
    int index = -1; // position of the chosen answer in the order shown (A = 0)
    QString label;
    QString reason;

    // Strict, like JudgeVerdict::parse: "best" must be a string naming one of the `answerCount`
    // labels shown (A, B, … ; surrounding space and case are ignored); "reason", if present, a string.
    static Result<BestPick> parse(const QString &answer, qsizetype answerCount);

    friend bool operator==(const BestPick &, const BestPick &) = default;
};

} // namespace Slopscope
