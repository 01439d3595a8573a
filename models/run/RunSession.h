#pragma once

#include "core/Result.h"
#include "engine/ChatRequest.h"
#include "engine/ProviderStatus.h"
#include "judge/BestPick.h"
#include "judge/JudgeGrade.h"
#include "metrics/PriceCatalogue.h"
#include "run/CellResult.h"
#include "run/RunSpec.h"
#include "run/SummaryPacer.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <memory>

namespace Slopscope {

class ChainDriver;
class CodeTestQueue;
class EmbeddedSimulator;
class RunScheduler;
struct CodeTestOutcome;

// One run from the user's point of view: expands a suite × targets × variants × repeats into
// jobs, starts the embedded simulator when a provider needs it, drives the engine, and turns each
// finished job into a graded, measured and priced CellResult plus per-target summaries.
// Lives in the GUI (or CLI) thread; the network work happens on the engine's worker threads.
//
// Judges: when an answer has llm-rubric, factuality or select-best assertions and the spec names a
// judge target, the session sends judge requests through the same scheduler (job ids "judge|…",
// never seen by cellStarted/cellContent, total(), done() or the targets' summaries), fills the
// grades from the verdicts and only then emits cellFinished: every cell is emitted exactly once,
// with its final grade. select-best waits until every target's answer to the same case, wording
// and repeat is in. Judge spend is part of spentUsd() (and of the spend cap) and reported apart
// in judgeSpentUsd(). A chain cell's turns are graded the same way once the chain is over: a turn's
// judge sees the turn's question and answer with the conversation before it; a turn's select-best
// compares that turn across the targets whose chains reached it; its code tests run on the turn's
// answer (RunSessionChains.cpp).
//
// Code tests: a code-tests assertion runs the answer's code block against the case's tests in a
// sandbox (CodeSandbox, a few at a time through a CodeTestQueue; child processes, so the GUI thread
// only hears their end). The cell waits for them as for its judges, and the run ends only after them;
// cancel() kills the sandboxes (those grades stay "not graded").
class RunSession final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunSession)

public:
    explicit RunSession(QObject *parent = nullptr);
    ~RunSession() override;

    // Fails without starting anything when the spec is unusable (unknown target, no cases, a run
    // already going, the simulator cannot start).
    Status start(const RunSpec &spec);
    void cancel();
    // For the runs started from now on, not kept in any RunSpec (which runs are recorded from):
    // proxy credentials the user typed after a 407, and the hosts allowed to get a key over
    // plain HTTP (RunOptions). The credentials stay in memory only.
    void setProxyCredentials(const QString &user, const QString &password);
    void setPlainHttpKeyHosts(const QStringList &hosts) { m_plainHttpKeyHosts = hosts; }
    [[nodiscard]] bool hasProxyCredentials() const { return !m_proxyUser.isEmpty(); }
    // Sends nothing new (cells, retries, judge calls) until releaseDispatch(); what is in flight
    // finishes and is reported as usual. `reason` is what the user is shown meanwhile; calling it
    // again while held only updates the reason. RunRecorder holds a run whose results cannot be
    // saved (a full disk), so that finished work is not piled up in memory.
    void holdDispatch(const QString &reason);
    void releaseDispatch();
    [[nodiscard]] bool isDispatchHeld() const { return m_dispatchHeld; }
    [[nodiscard]] const QString &dispatchHeldReason() const { return m_dispatchHeldReason; }

    [[nodiscard]] bool isRunning() const { return m_running; }
    [[nodiscard]] int total() const { return static_cast<int>(m_jobs.size()) + m_prior; }
    [[nodiscard]] int done() const { return m_done; }
    // Everything the run spent: the targets' answers and the judge calls.
    [[nodiscard]] double spentUsd() const { return m_spentUsd; }
    // The judge calls' part of spentUsd(); calls of unknown cost are counted in judgeUnknownCost().
    [[nodiscard]] double judgeSpentUsd() const { return m_judgeSpentUsd; }
    [[nodiscard]] int judgeUnknownCost() const { return m_judgeUnknownCost; }
    [[nodiscard]] int judgeCallsMade() const { return m_judgeCallsMade; }
    [[nodiscard]] const QList<CellResult> &results() const { return m_results; }
    // A chain cell's turns so far while it runs, the current one without its answer (streaming in
    // cellContent): what the live panes show above it. Empty unless `cellId` is a running chain.
    [[nodiscard]] QList<ChainTurnResult> chainTurnsSoFar(const QString &cellId) const;
    [[nodiscard]] QList<TargetSummary> summaries() const;
    [[nodiscard]] QString stopReason() const { return m_stopReason; }
    // Extra verdicts and picks that could not be asked, each with its reason ("case|…|target: no reference").
    [[nodiscard]] QStringList extraVerdictsSkipped() const { return m_extraSkipped; }
    [[nodiscard]] const RunSpec &spec() const { return m_spec; }
    // What each target pays, fixed at start (the workspace price over the catalogue's).
    [[nodiscard]] PriceSchedule priceSchedule(const QString &targetId) const { return m_schedules.value(targetId); }
    // The price catalogue the run used; its date belongs with the run's figures.
    [[nodiscard]] CatalogueInfo catalogueInfo() const { return m_catalogueInfo; }

    // Pure parts, public for tests.
    static Result<QList<ChatRequest>> expandJobs(const RunSpec &spec);
    // How thoroughly summarize() resamples for its intervals: Full (2,000 bootstrap iterations) for
    // every figure that is kept or shown as final; Live caps the work per target while a run goes
    // (SummaryPacer::liveBootstrapIterations), the same as Full up to 100 cases.
    enum class Bootstrap { Full, Live };
    static TargetSummary summarize(const QString &targetId, const QList<CellResult> &cells, const Price &price,
                                   Bootstrap bootstrap = Bootstrap::Full);
    // Each judged cell's verdict from its judge-graded assertions (JudgeGrade::judgePass), by job
    // id: the judge's side of judge–human agreement (HumanReview::judgeAgreement).
    static QHash<QString, bool> judgeVerdicts(const QList<CellResult> &cells);
    static bool isJudgeJob(const QString &jobId);
    // A target's prices: its workspace price, field by field over the catalogue's entry for its
    // provider and model. Targets answered by the simulator use only the workspace price (the
    // simulator's models are not the catalogue's). `catalogue` may be null.
    static PriceSchedule priceScheduleFor(const Workspace &workspace, const TargetConfig &target,
                                          const PriceCatalogue *catalogue);

Q_SIGNALS:
    void runStarted(int total);
    void cellStarted(const QString &jobId, const QString &targetId, const QString &caseId, int attempt);
    void cellContent(const QString &jobId, const QString &targetId, const QList<Slopscope::ContentDelta> &deltas);
    void cellFinished(const Slopscope::CellResult &cell);
    void summaryChanged(const Slopscope::TargetSummary &summary);
    void providerStatusChanged(const Slopscope::ProviderStatus &status);
    void progress(int done, int total, double spentUsd);
    void runFinished(bool cancelled);
    // Dispatch was held or released (holdDispatch), or the reason changed; `reason` is empty when released.
    void dispatchHeldChanged(bool held, const QString &reason);

private:
    // A completed cell whose judge verdicts are still coming.
    struct AwaitingCell
    {
        CellResult cell;
        QList<Assertion> assertions; // grade i belongs to assertions[i]
        std::optional<double> threshold;
        QString question;    // what the judge is told was asked
        int outstanding = 0; // judge verdicts still missing
        // An extra verdict or pick (RunSpec::extraVerdicts, extraPicks): the recorded grade, kept, and how many judge
        // calls the cell had before; the calls after those are the new verdicts.
        std::optional<CaseGrade> keptGrade;
        qsizetype priorCalls = 0;
        // A chain cell (RunSessionChains.cpp): its turns' verdicts fill cell.turns[k].grade; when
        // all are in, those turns and then the cell are graded again.
        struct ChainGrading
        {
            std::optional<double> firstThreshold;   // the case's, for the first turn only
            QList<QList<Assertion>> turnAssertions; // turn t's grade i belongs to turnAssertions[t][i]
            QSet<qsizetype> judgedTurns;
            qsizetype expectedTurns = 0;
            bool finished = false; // the driver ran the chain to its end
            bool failed = false;   // its last request did not complete
        };
        std::optional<ChainGrading> chain;
    };
    // One code-tests run in flight: the grade it fills.
    struct CodeTestJob
    {
        QString cellId;
        int turnIndex = -1; // a chain turn's grade, else the cell's
        int assertionIndex = -1;
        bool negated = false;
    };
    // One judge request in flight: which grades of which cells it fills.
    struct JudgeJob
    {
        JudgeGrade::Kind kind = JudgeGrade::Kind::None;
        QString judgeTargetId;
        QStringList cellIds; // rubric / factuality: one; select-best: the answers, in the caller's order
        int assertionIndex = -1;
        // A chain turn's grade: cell.turns[turnIndex].grade.grades[assertionIndex]; the call is
        // recorded under callIndex, the grade's place in the cell's grades (all turns' in order).
        int turnIndex = -1;
        int callIndex = -1;
        bool negated = false;
        std::optional<double> threshold;
        QString bestOfKey; // select-best: the judgement (two asks) it belongs to
        bool swapped = false;
        QList<int> order; // select-best: position → index into cellIds
    };
    // A select-best judgement: two asks, positions swapped, combined when both answered.
    struct BestOfJudgement
    {
        QStringList cellIds;
        int turnIndex = -1; // a chain turn's select-best: the grades of cell.turns[turnIndex]
        int assertionIndex = -1;
        QString note; // added to every reason: the targets left out (their chains ended earlier)
        QList<int> firstOrder;
        QList<int> secondOrder;
        std::optional<Result<BestPick>> first;
        std::optional<Result<BestPick>> second;
        bool cancelled = false; // an ask was cancelled: not graded, rather than a judge error
    };

    void onJobFinished(const JobResult &job);
    // Chains (RunSessionChains.cpp): a driver per chain cell of the run, and the answers to their
    // requests, which go on with the chain or finish the cell.
    void prepareChains();
    [[nodiscard]] QString chainCellOf(const QString &jobId) const;
    void onChainAnswer(const QString &cellId, const JobResult &job);
    void finishChain(const QString &cellId, const JobResult &last);
    // Sends the judge requests of a finished chain's turns (select-best waits for the group);
    // false when it waits for none.
    bool requestChainJudging(AwaitingCell &awaiting, const ChatRequest &request, const ChainDriver &driver);
    // Every chain of a case, wording and repeat is over: one select-best judgement per turn and
    // select-best check, over the chains that reached that turn.
    void requestChainBestOf(const QString &groupKey, const QStringList &waiting);
    // A chain cell whose verdicts are all in: its judged turns, then the cell, graded again.
    static void settleChain(AwaitingCell &awaiting);
    void onJudgeFinished(const JobResult &job);
    // Prepares and sends the judge requests of a completed cell; false when it needs none.
    // `validator`: every check is judged by it (an extra verdict), select-best left out.
    bool requestJudging(AwaitingCell &awaiting, const ChatRequest &request, const QString &caseReference,
                        const TargetConfig *validator = nullptr);
    // One llm-rubric or factuality ask: what its judge is shown and which grade it fills.
    struct JudgeAsk
    {
        QString id; // the judge job's
        QString question;
        QString answer;
        QString reference;    // the case's (the assertion's value comes first)
        QString conversation; // a chain turn's conversation before the question (JudgeConversation)
        int assertionIndex = -1;
        int turnIndex = -1;
        int callIndex = -1;
    };
    // The judge call for grade `g`, added to `requests` and `jobs` (RunSessionJudges and
    // RunSessionChains share it); nothing, with `g` settled, when it cannot be judged.
    void addJudgeAsk(Grade &g, const Assertion &a, const TargetConfig &judge, const ChatRequest &cell,
                     const JudgeAsk &ask, QList<ChatRequest> &requests, QList<JudgeJob> &jobs) const;
    // Enqueues an awaiting cell's judge calls, or marks their grades not graded when the run stopped.
    void sendJudgeAsks(AwaitingCell &awaiting, const QList<ChatRequest> &requests, const QList<JudgeJob> &jobs);
    // The judge's prompt for an llm-rubric or factuality grade; nothing, with `g` settled, when the
    // assertion cannot be judged (no rubric, no reference).
    std::optional<QList<ChatMessage>> judgePrompt(Grade &g, JudgeGrade::Kind kind, const Assertion &a,
                                                  const JudgeAsk &ask) const;
    // The grade a rubric / factuality judge job fills in an awaiting cell; null when it is gone.
    static Grade *judgedGrade(AwaitingCell &awaiting, const JudgeJob &job);
    // Grade `assertionIndex` of the cell (turnIndex < 0) or of its turn; null when there is none.
    static Grade *gradeAt(AwaitingCell &awaiting, int turnIndex, int assertionIndex);
    // Where that grade stands among the cell's grades (a chain's: all its turns' in order).
    static int callIndexOf(const CellResult &cell, int turnIndex, int assertionIndex);
    // Sets up RunSpec::extraVerdicts and extraPicks and returns their judge calls, for the
    // scheduler's start.
    QList<ChatRequest> prepareExtraJudging();
    void prepareExtraVerdicts(const QHash<QString, const CellResult *> &recorded);
    void prepareExtraPicks(const QHash<QString, const CellResult *> &recorded);
    // An extra verdict's cell: its new judge calls join the cell already in the results.
    void finalizeExtraVerdict(const AwaitingCell &awaiting);
    void arrivedInGroup(const ChatRequest &request);
    void requestBestOf(const QString &groupKey);
    // Sends the two asks (positions swapped) of one select-best judgement over `cells` (keys of
    // m_awaiting); returns why it could not, or nothing.
    // `turnIndex` >= 0: a chain turn's judgement (its question, answers and conversation).
    QString askBestOf(const QStringList &cells, int assertionIndex, const Assertion &assertion,
                      const TargetConfig &judge, const QString &bestOfKey, const ChatRequest &context,
                      int turnIndex = -1, const QString &note = {});
    [[nodiscard]] const CellResult *awaitedCell(const QString &cellId) const;
    // Sends the code-tests runs of a completed cell; false when it waits for nothing (judges included).
    bool requestCodeTests(AwaitingCell &awaiting, const ChatRequest &request);
    // The code-tests runs of one list of grades: the cell's (turnIndex < 0) or a chain turn's.
    void queueCodeTests(AwaitingCell &awaiting, const ChatRequest &request, int turnIndex,
                        const QList<Assertion> &assertions, const QString &answer);
    void onCodeTestFinished(const QString &id, const CodeTestOutcome &outcome);
    // Kills the sandboxes and settles their grades as not graded.
    void cancelCodeTests();
    bool enqueueJudges(const QList<ChatRequest> &requests, const QList<JudgeJob> &jobs);
    void judgeDone(const QString &cellId);
    void finalizeCell(CellResult cell);
    void finalizeAwaiting(const QString &cellId);
    [[nodiscard]] const TargetConfig *judgeFor(const Assertion &assertion) const;
    ChatRequest judgeRequest(const TargetConfig &judge, const QString &id, const ChatRequest &cell,
                             const QList<ChatMessage> &messages) const;
    void checkSpendCap();
    void onRunFinished();
    void addCell(const CellResult &cell);
    // Summaries are recomputed (with their bootstrap) for the targets that changed, paced by
    // SummaryPacer so a long run does not spend the GUI thread on statistics. Live flushes (the
    // timer's) use Bootstrap::Live; the run's last flush is Full and covers every target a live
    // flush left approximate.
    void flushSummaries(Bootstrap bootstrap);

    RunSpec m_spec;
    std::unique_ptr<EmbeddedSimulator> m_simulator;
    RunScheduler *m_scheduler = nullptr;                   // child; replaced per run
    QHash<QString, ChatRequest> m_jobs;                    // the cells only
    QHash<QString, std::shared_ptr<ChainDriver>> m_chains; // by cell job id, while the chain runs
    QHash<QString, QString> m_chainSteps;                  // a chain's later request id → its cell's id
    // What a chain's requests added up to so far, for the cell's figures.
    struct ChainTally
    {
        JobResult first; // the first request's job: the cell's TTFT
        RequestCost cost;
        std::optional<qint64> e2eNs;
        Usage usage;
        bool usageKnown = true;
        int requests = 0;
    };
    QHash<QString, ChainTally> m_chainTally;         // by cell job id
    QHash<QString, AwaitingCell> m_awaiting;         // by cell job id
    QHash<QString, JudgeJob> m_judgeJobs;            // by judge job id
    QHash<QString, BestOfJudgement> m_bestOf;        // by "group|assertion index"
    CodeTestQueue *m_codeTests = nullptr;            // child; replaced per run
    QHash<QString, CodeTestJob> m_codeTestJobs;      // by "cell job id|assertion index"
    bool m_finishPending = false;                    // the scheduler is done; code tests are not
    QHash<QString, QStringList> m_groupMembers;      // "case|variant|repeat" → the cells of this session
    QHash<QString, QSet<QString>> m_groupArrived;    // … and those whose answer is in
    QList<ChatRequest> *m_collectedJudges = nullptr; // set while prepareExtraJudging runs
    QStringList m_extraSkipped;
    QList<CellResult> m_results;
    QHash<QString, QList<CellResult>> m_cellsByTarget;
    QHash<QString, PriceSchedule> m_schedules;
    CatalogueInfo m_catalogueInfo;
    QSet<QString> m_dirtyTargets;
    QSet<QString> m_liveTargets; // their last summary came from a live flush
    QTimer m_summaryTimer;
    SummaryPacer m_summaryPacer;
    int m_prior = 0; // cells answered by an earlier session of a resumed run
    int m_done = 0;
    double m_spentUsd = 0;
    double m_judgeSpentUsd = 0;
    int m_judgeUnknownCost = 0;
    int m_judgeCallsMade = 0;
    bool m_running = false;
    QString m_proxyUser;
    QString m_proxyPassword;
    QStringList m_plainHttpKeyHosts;
    bool m_cancelled = false;
    bool m_dispatchHeld = false;
    QString m_dispatchHeldReason;
    QString m_stopReason;
};

} // namespace Slopscope

Q_DECLARE_METATYPE(Slopscope::CellResult)
Q_DECLARE_METATYPE(Slopscope::TargetSummary)
