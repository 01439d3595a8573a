#pragma once

#include "core/Workspace.h"
#include "judge/JudgeTemplates.h"
#include "quality/CodeSandbox.h"
#include "quality/Suite.h"
#include "run/CellResult.h"

#include <QStringList>

#include <optional>

namespace Slopscope {

// A recorded answer to be judged by another target (RunSpec::extraVerdicts).
struct ExtraVerdict
{
    QString jobId;         // the cell, among RunSpec::completed
    QString judgeTargetId; // the validator
    friend bool operator==(const ExtraVerdict &, const ExtraVerdict &) = default;
};

// Recorded answers to one case (same wording and repeat) for a judge to pick the best of
// (RunSpec::extraPicks).
struct ExtraPick
{
    QStringList jobIds;    // the candidates' cells, among RunSpec::completed, in the policy's order
    QString judgeTargetId; // the judge
    friend bool operator==(const ExtraPick &, const ExtraPick &) = default;
};

// RunSpec::kind of one quick-compare exchange (QuickCompareSession): kept in the run's settings
// snapshot, so the history can tell it from a suite run without a column of its own.
inline constexpr QLatin1StringView kQuickCompareKind{"quick_compare"};

// What to run: a suite against some of a workspace's targets.
struct RunSpec
{
    Workspace workspace;
    // Empty: a suite run; kQuickCompareKind: a quick-compare exchange. `title` says what a run
    // without a suite of its own was about (the exchange's prompt, on one line).
    QString kind;
    QString title;
    Suite suite;
    QStringList targetIds; // empty: every target of the workspace
    QStringList caseIds;   // empty: every case of the suite
    int repeats = 1;
    bool variants = false; // also send each case's rewordings
    quint64 seed = 1;
    bool oneProviderAtATime = false;
    int globalConcurrency = 64;
    bool retryTruncated = false; // send again an answer that broke off (RunOptions::retryTruncated)
    bool preconnect = true;      // open the first wave's connections before sending (RunOptions::preconnect)
    std::optional<double> maxCostUsd; // stop dispatching once the run has spent this much (judges included)
    // Cells an earlier session of this run already answered (a resume): not sent again, but
    // counted in the results and summaries.
    QList<CellResult> completed;
    // Set: of the cells above, send only these job ids ("case|variant|repeat|target"), none when
    // it is empty. A routing replay's fetch of the answers it lacks (RoutingFetch), not the whole
    // rest of the run.
    std::optional<QStringList> onlyJobIds;
    // Recorded answers (in `completed`) judged again, each by the target named: its llm-rubric and
    // factuality checks, or a factuality check against the case's reference when it has none. The
    // verdicts join the cell's judge calls; its grade stays as recorded. A routing validator's
    // verdicts on a draft, fetched after the run.
    QList<ExtraVerdict> extraVerdicts;
    // Recorded answers compared by a judge, select-best style: two asks with the answers' positions
    // swapped. The calls join each candidate's judge calls; the grades stay as recorded. A routing
    // best-of-N pick, fetched after the run.
    QList<ExtraPick> extraPicks;
    // The target that grades llm-rubric, factuality and select-best: any workspace target. An
    // assertion whose "provider" names a workspace target is graded by that one instead. Empty:
    // those assertions are "not graded (no judge)" (docs/JUDGES.md).
    QString judgeTargetId;
    JudgeTemplates judgeTemplates = JudgeTemplates::defaults();
    // How code-tests assertions run their code (bubblewrap, limits, the unsandboxed opt-in).
    CodeSandboxSettings codeSandbox = CodeSandboxSettings::fromEnvironment();
};

} // namespace Slopscope
