#pragma once

#include "judge/BestPick.h"
#include "judge/JudgeVerdict.h"

#include <QString>

#include <optional>

namespace Slopscope {

// One request to a judge made while grading a cell, kept with the cell so judge cost and latency
// stay apart from the target's own. A select-best call judges several cells at once: each of them
// lists it, with the whole call's cost (RunSession::judgeSpentUsd() counts it once).
struct JudgeCall
{
    QString jobId; // "judge|…": never a cell's id
    QString judgeTargetId;
    QString assertionType;               // as written in the suite ("llm-rubric", "not-factuality", "select-best")
    int assertionIndex = -1;             // the grade of CellResult::grade.grades this call filled
    bool swapped = false;                // select-best: the second ask, positions swapped
    int answersJudged = 1;               // select-best: how many answers the call compared
    std::optional<JudgeVerdict> verdict; // llm-rubric / factuality, when the answer parsed
    std::optional<BestPick> pick;        // select-best, when the answer parsed
    QString pickedJobId;                 // select-best: the cell the pick stands for
    QString answer;                // the judge's raw answer, cut to kMaxStoredAnswer (untrusted: escape before showing)
    std::optional<double> costUsd; // nullopt: unknown, never $0
    std::optional<double> latencyMs; // end to end, queueing excluded
    QString error;                   // empty when the call answered and the answer parsed

    static constexpr qsizetype kMaxStoredAnswer = 4096;
};

} // namespace Slopscope
