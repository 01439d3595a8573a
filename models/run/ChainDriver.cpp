#include "run/ChainDriver.h"

#include "run/ThoughtsCodec.h"

#include "engine/AssistantTurn.h"
#include "judge/JudgeGrade.h"

namespace Slopscope {

namespace {

// What the model is told of an interrupted call. Model-facing, so not translated.
constexpr auto kInterrupted = QLatin1StringView("interrupted: the user stopped this call before it returned");

template <typename T> void addTo(std::optional<T> &sum, const std::optional<T> &part, bool first)
{
    if (first)
        sum = part;
    else if (sum && part)
        *sum += *part;
    else
        sum.reset();
}

} // namespace

ChainDriver::ChainDriver(const Suite &suite, const SuiteCase &c, const CaseVariant *variant, ChatRequest first)
    : m_suite(suite)
    , m_case(c)
    , m_variant(variant)
    , m_cellId(first.id)
    , m_current(std::move(first))
{
    ChainTurnResult turn;
    for (auto it = m_current.messages.crbegin(); it != m_current.messages.crend(); ++it) {
        if (it->role == u"user") {
            turn.user = it->content;
            break;
        }
    }
    m_turns.append(turn);
}

QString ChainDriver::stepId(const QString &cellId, int n)
{
    return n <= 1 ? cellId : QStringLiteral("%1#%2").arg(cellId).arg(n);
}

void ChainDriver::account(ChainTurnResult &turn, const JobResult &job, const RequestMetrics &metrics,
                          const RequestCost &cost)
{
    const bool first = turn.requests == 0;
    if (const Thoughts thoughts = Thoughts::of(job.result); !thoughts.isEmpty())
        turn.thoughts.append(ChainThoughts{turn.requests, thoughts.thinking, thoughts.reasoningItems});
    ++turn.requests;
    if (first)
        turn.ttftNs = metrics.ttftNs;
    addTo(turn.e2eNs, metrics.e2eNs, first);
    const std::optional<Usage> &usage = job.result.usage;
    addTo(turn.inputTokens, usage ? usage->inputTokens : std::nullopt, first);
    addTo(turn.outputTokens, usage ? usage->outputTokens : std::nullopt, first);
    addTo(turn.costUsd, cost.usd, first);
}

std::optional<ChatRequest> ChainDriver::onAnswer(const JobResult &job, const RequestMetrics &metrics,
                                                 const RequestCost &cost)
{
    if (m_finished)
        return std::nullopt;
    ChainTurnResult &turn = m_turns[m_turn];
    account(turn, job, metrics, cost);
    const QList<ScriptedToolResult> &script = Chain::scriptFor(m_case, m_turn);
    if (!job.result.toolCalls.isEmpty() && !script.isEmpty()) {
        if (m_roundsThisTurn < m_case.maxToolRounds)
            return feedToolResults(turn, job);
        turn.toolRoundCapHit = true;
        for (const ToolCall &call : job.result.toolCalls)
            turn.toolCalls.append({call.id, call.name, call.arguments});
        gradeTurn(turn, job);
        // Unanswered calls cannot be followed by a user turn: the chain ends here.
        m_finished = true;
        return std::nullopt;
    }
    gradeTurn(turn, job);
    if (m_turn + 1 >= Chain::turnCount(m_case)) {
        m_finished = true;
        return std::nullopt;
    }
    // Only the answer's text goes back: calls nothing scripted would leave the next turn unanswerable.
    QList<ChatMessage> appended{{QStringLiteral("assistant"), job.result.text}};
    ++m_turn;
    m_roundsThisTurn = 0;
    m_callsPerTool.clear();
    m_wildcardCalls = 0;
    ChainTurnResult next;
    next.user = renderTemplate(m_case.turns.at(m_turn - 1).user, Suite::varsFor(m_case, m_variant));
    appended.append({QStringLiteral("user"), next.user});
    m_turns.append(next);
    return nextRequest(std::move(appended));
}

void ChainDriver::onFailure(const JobResult &job, const RequestMetrics &metrics, const RequestCost &cost)
{
    if (m_finished)
        return;
    ChainTurnResult &turn = m_turns[m_turn];
    account(turn, job, metrics, cost);
    turn.answer = job.result.text;
    turn.grade.pass = false;
    turn.grade.score = 0.0;
    m_finished = true;
}

ChatRequest ChainDriver::feedToolResults(ChainTurnResult &turn, const JobResult &job)
{
    ++m_roundsThisTurn;
    const QList<ScriptedToolResult> &script = Chain::scriptFor(m_case, m_turn);
    // Gemini and Ollama name no call: ids are made up, unique within the chain.
    const ChatMessage assistant = assistantTurnFrom(job.result, &m_madeUpIds);
    QList<ChatMessage> results;
    QStringList interjections;
    for (const ChatToolCall &call : assistant.toolCalls) {
        const QString &id = call.id;
        turn.toolCalls.append(call);
        bool wildcard = false;
        const qsizetype nth = m_callsPerTool.value(call.name);
        const ToolAnswer answer = Chain::answer(script, call.name, nth, m_wildcardCalls, &wildcard);
        m_callsPerTool.insert(call.name, nth + 1);
        if (wildcard)
            ++m_wildcardCalls;
        const QHash<QString, QString> vars = Suite::varsFor(m_case, m_variant);
        ChatMessage result{QStringLiteral("tool"), renderTemplate(answer.content, vars)};
        result.toolCallId = id;
        result.toolName = call.name;
        if (!answer.scripted) {
            result.content = QStringLiteral("error: there is no tool named \"%1\"").arg(call.name);
            result.toolError = true;
        } else if (answer.kind == ToolResultKind::Error) {
            result.toolError = true;
        } else if (answer.kind == ToolResultKind::Interrupt) {
            result.content = kInterrupted;
            result.toolError = true;
            interjections.append(renderTemplate(answer.content, vars));
        }
        turn.toolResults.append({id, call.name, answer.kind,
                                 answer.kind == ToolResultKind::Interrupt ? interjections.last() : result.content,
                                 answer.scripted});
        results.append(std::move(result));
    }
    // Every call's result must follow the assistant turn at once (OpenAI, Anthropic); the user's
    // interjections come after them.
    QList<ChatMessage> appended{assistant};
    appended += results;
    for (const QString &words : std::as_const(interjections))
        appended.append({QStringLiteral("user"), words});
    return nextRequest(std::move(appended));
}

ChainDriver::TurnChecks ChainDriver::checksFor(qsizetype turnIndex) const
{
    TurnChecks out;
    if (turnIndex == 0) {
        out.assertions = m_suite.assertionsFor(m_case, m_variant);
        out.reference = Suite::referenceFor(m_case, m_variant);
        out.threshold = m_case.threshold;
    } else if (turnIndex > 0 && turnIndex <= m_case.turns.size()) {
        out.assertions = m_suite.defaults.assertions + m_case.turns.at(turnIndex - 1).assertions;
    }
    return out;
}

void ChainDriver::gradeTurn(ChainTurnResult &turn, const JobResult &job)
{
    turn.answer = job.result.text;
    const TurnChecks checks = checksFor(m_turn);
    GradeInput input;
    input.answer = job.result.text;
    input.reference = checks.reference;
    if (turn.e2eNs)
        input.latencyMs = static_cast<double>(*turn.e2eNs) / 1e6;
    input.costUsd = turn.costUsd;
    input.toolCalls = job.result.toolCalls;
    // Model-graded checks and code tests stay waiting: RunSession has them judged and run once
    // the chain is over (select-best once every target's chain of the case is).
    turn.grade = Grader::gradeAll(checks.assertions, input, checks.threshold);
    settleTurn(turn, checks.threshold);
}

void ChainDriver::settleTurn(ChainTurnResult &turn, std::optional<double> threshold)
{
    turn.grade = JudgeGrade::finalGrade(turn.grade.grades, threshold);
    if (turn.toolRoundCapHit) {
        turn.grade.pass = false;
        turn.grade.score = 0.0;
    }
}

ChatRequest ChainDriver::nextRequest(QList<ChatMessage> appended)
{
    m_current.messages += appended;
    m_current.id = stepId(m_cellId, ++m_requests);
    return m_current;
}

CaseGrade ChainDriver::grade() const
{
    return combine(m_turns, Chain::turnCount(m_case), m_finished);
}

CaseGrade ChainDriver::combine(const QList<ChainTurnResult> &turns, qsizetype expectedTurns, bool finished)
{
    CaseGrade out;
    double sum = 0;
    out.pass = finished && turns.size() == expectedTurns;
    for (const ChainTurnResult &t : turns) {
        sum += t.grade.score;
        out.pass = out.pass && t.grade.pass && !t.toolRoundCapHit;
        out.pendingJudge = out.pendingJudge || t.grade.pendingJudge;
        out.grades += t.grade.grades;
    }
    out.score = expectedTurns > 0 ? sum / static_cast<double>(expectedTurns) : 0.0;
    return out;
}

} // namespace Slopscope
