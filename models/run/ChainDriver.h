#pragma once

#include "engine/ChatRequest.h"
#include "engine/JobResult.h"
#include "metrics/CostCalculator.h"
#include "metrics/RequestMetrics.h"
#include "quality/Chain.h"
#include "run/ChainTurnResult.h"

#include <QHash>
#include <QList>

#include <optional>

namespace Slopscope {

// Runs one chain cell live (Chain.h), without any network of its own: given each answer, it says
// what to send next. An answer with tool calls, in a turn that scripts tool results, is answered
// from the script (the assistant turn with its calls, one "tool" message per call, and the user's
// words after an interrupt) and sent again; any other answer is graded with the turn's
// assertions, and the next user turn is sent. Pure, so the exact requests are testable; the
// turns' model-graded and code-tests grades are left waiting for RunSession.
class ChainDriver final
{
public:
    // `first`: the cell's request (the case's first turn, already expanded by RunSession).
    ChainDriver(const Suite &suite, const SuiteCase &c, const CaseVariant *variant, ChatRequest first);

    // The answer to the request last handed out (a completed job), with what it measured and
    // cost. Returns the next request to send; nothing when the chain is over.
    std::optional<ChatRequest> onAnswer(const JobResult &job, const RequestMetrics &metrics, const RequestCost &cost);
    // A request that did not complete (failed, cancelled, truncated): its figures join the turn,
    // and the chain is over; the turns so far are kept.
    void onFailure(const JobResult &job, const RequestMetrics &metrics, const RequestCost &cost);

    [[nodiscard]] const ChatRequest &current() const { return m_current; }
    [[nodiscard]] const QList<ChainTurnResult> &turns() const { return m_turns; }
    [[nodiscard]] bool finished() const { return m_finished; }
    [[nodiscard]] int requestsSent() const { return m_requests; }
    [[nodiscard]] qsizetype turnCount() const { return Chain::turnCount(m_case); }
    // The cell's grade: it passes only when every turn ran and passed; its score is the mean of
    // the turn scores, a turn never reached counting 0.
    [[nodiscard]] CaseGrade grade() const;
    // The id of the chain's n-th request (1: the cell's own id).
    [[nodiscard]] static QString stepId(const QString &cellId, int n);

    // What turn `turnIndex` (0: the first) is graded with: grade i of the turn belongs to
    // assertions[i]; only the first turn has the case's reference and threshold.
    struct TurnChecks
    {
        QList<Assertion> assertions;
        QString reference;
        std::optional<double> threshold;
    };
    [[nodiscard]] TurnChecks checksFor(qsizetype turnIndex) const;
    // The turn's grade from its assertions' grades, once a judge filled some of them: it cannot
    // pass with a grade still not graded, nor after the tool round cap.
    static void settleTurn(ChainTurnResult &turn, std::optional<double> threshold);
    // The cell's grade from its turns (see grade()); `expectedTurns`: the case's turn count.
    [[nodiscard]] static CaseGrade combine(const QList<ChainTurnResult> &turns, qsizetype expectedTurns, bool finished);

private:
    void account(ChainTurnResult &turn, const JobResult &job, const RequestMetrics &metrics, const RequestCost &cost);
    ChatRequest feedToolResults(ChainTurnResult &turn, const JobResult &job);
    void gradeTurn(ChainTurnResult &turn, const JobResult &job);
    ChatRequest nextRequest(QList<ChatMessage> appended);

    const Suite &m_suite;
    const SuiteCase &m_case;
    const CaseVariant *m_variant;
    QString m_cellId;
    ChatRequest m_current;
    QList<ChainTurnResult> m_turns;
    qsizetype m_turn = 0;                     // index of the turn being run
    int m_roundsThisTurn = 0;                 // tool rounds fed back in the current turn
    QHash<QString, qsizetype> m_callsPerTool; // calls per tool name in the current turn
    qsizetype m_wildcardCalls = 0;            // of which answered by "*"
    int m_madeUpIds = 0;
    int m_requests = 1;
    bool m_finished = false;
};

} // namespace Slopscope
