#include "run/QuickCompareSession.h"

#include "run/CellResult.h"
#include "run/RunSession.h"
#include "run/RunSpec.h"

#include <QLocale>

namespace Slopscope {

namespace {

QString caseIdFor(int exchange, const QString &targetId)
{
    return QStringLiteral("quick-%1-%2").arg(exchange + 1).arg(targetId);
}

// The prompt's first line, short enough for a list row.
QString oneLine(const QString &prompt)
{
    const QString firstLine = prompt.section(u'\n', 0, 0).trimmed();
    return firstLine.size() > 80 ? firstLine.left(79) + QChar(0x2026) : firstLine;
}

// Why an answer that is not complete is not: the engine's error, or its state in words.
QString failureText(const JobResult &job)
{
    if (!job.error.isEmpty())
        return job.error;
    switch (job.state) {
    case JobState::Truncated:
        return QuickCompareSession::tr("the answer was cut off before its end");
    case JobState::Incomplete:
        return QuickCompareSession::tr("the provider stopped before the answer was complete");
    case JobState::Cancelled:
        return QuickCompareSession::tr("stopped");
    case JobState::Failed:
        return QuickCompareSession::tr("the request failed");
    case JobState::Completed:
    case JobState::Queued:
    case JobState::Running:
    case JobState::Waiting:
        break;
    }
    return {};
}

} // namespace

QuickCompareSession::QuickCompareSession(QObject *parent)
    : QObject(parent)
{
    createRun();
}

QuickCompareSession::~QuickCompareSession() = default;

void QuickCompareSession::createRun()
{
    delete m_run; // its destructor stops the streams before the simulator goes
    m_run = new RunSession(this);
    connect(m_run, &RunSession::cellStarted, this,
            [this](const QString &, const QString &targetId, const QString &, int attempt) {
                onStarted(targetId, attempt);
            });
    connect(m_run, &RunSession::cellContent, this,
            [this](const QString &, const QString &targetId, const QList<ContentDelta> &deltas) {
                onContent(targetId, deltas);
            });
    connect(m_run, &RunSession::cellFinished, this, &QuickCompareSession::onFinished);
    connect(m_run, &RunSession::providerStatusChanged, this, &QuickCompareSession::providerStatusChanged);
    connect(m_run, &RunSession::runFinished, this, &QuickCompareSession::onRunFinished);
}

void QuickCompareSession::setWorkspace(const Workspace &workspace)
{
    m_workspace = workspace;
}

QList<ChatMessage> QuickCompareSession::requestMessages(const QString &systemPrompt, const QList<ChatMessage> &history,
                                                        const QString &userMessage)
{
    QList<ChatMessage> out;
    if (!systemPrompt.trimmed().isEmpty())
        out.append({QStringLiteral("system"), systemPrompt});
    out.append(history);
    out.append({QStringLiteral("user"), userMessage});
    return out;
}

Status QuickCompareSession::send(const QString &prompt, const QString &systemPrompt,
                                 const QList<TextAttachment> &attachments)
{
    if (m_running)
        return Error{tr("The last prompt is still being answered: wait for it or stop it first.")};
    const QString userMessage = TextAttachment::fold(prompt.trimmed(), attachments);
    if (userMessage.isEmpty())
        return Error{tr("Type a prompt first.")};
    if (m_targetIds.isEmpty())
        return Error{tr("Check at least one target.")};
    if (m_maxCostUsd && m_spentUsd >= *m_maxCostUsd)
        return Error{tr("This chat has spent $%1, its spend cap of $%2: raise the cap or start a new chat.")
                         .arg(QLocale().toString(m_spentUsd, 'f', 4), QLocale().toString(*m_maxCostUsd, 'f', 2))};

    const int index = static_cast<int>(m_exchanges.size());
    QuickExchange exchange;
    exchange.prompt = prompt.trimmed();
    exchange.userMessage = userMessage;
    exchange.systemPrompt = systemPrompt.trimmed();
    exchange.targetIds = m_targetIds;
    for (const TextAttachment &a : attachments)
        exchange.attachmentNames.append(a.fileName);

    RunSpec spec;
    spec.workspace = m_workspace;
    spec.kind = kQuickCompareKind;
    spec.title = oneLine(exchange.prompt);
    spec.suite.name = tr("Quick compare");
    spec.targetIds = m_targetIds;
    QStringList jobIds;
    for (const QString &targetId : std::as_const(m_targetIds)) {
        if (!m_workspace.target(targetId))
            return Error{tr("The workspace has no target \"%1\".").arg(targetId)};
        // One case per target, holding that target's own conversation; onlyJobIds pairs each case
        // with its target instead of crossing every case with every target.
        SuiteCase c;
        c.id = caseIdFor(index, targetId);
        c.messages = requestMessages(exchange.systemPrompt, m_histories.value(targetId), userMessage);
        spec.suite.cases.append(c);
        jobIds.append(composeJobId(c.id, QString(), 0, targetId));
        QuickAnswer answer;
        answer.sent = c.messages;
        exchange.answers.insert(targetId, answer);
    }
    spec.onlyJobIds = jobIds;
    if (m_maxCostUsd)
        spec.maxCostUsd = *m_maxCostUsd - m_spentUsd; // this turn may spend what is left

    m_exchanges.append(exchange);
    m_running = true;
    if (m_beforeStart)
        m_beforeStart(*m_run, spec);
    if (Status started = m_run->start(spec); !started.ok()) {
        m_running = false;
        m_exchanges.removeLast();
        return started;
    }
    Q_EMIT exchangeStarted(index);
    return {};
}

void QuickCompareSession::cancel()
{
    if (m_running)
        m_run->cancel();
}

void QuickCompareSession::newChat()
{
    if (m_running) {
        // A fresh session rather than a cancel: the old turn's late results must not land in the
        // new chat, and deleting the session stops its streams at once.
        createRun();
        m_running = false;
    }
    m_exchanges.clear();
    m_histories.clear();
    m_spentUsd = 0;
    Q_EMIT cleared();
}

QuickAnswer *QuickCompareSession::currentAnswer(const QString &targetId)
{
    if (m_exchanges.isEmpty())
        return nullptr;
    auto &answers = m_exchanges.last().answers;
    const auto it = answers.find(targetId);
    return it == answers.end() ? nullptr : &*it;
}

void QuickCompareSession::onStarted(const QString &targetId, int attempt)
{
    QuickAnswer *answer = currentAnswer(targetId);
    if (!answer)
        return;
    // A retry streams the answer again from its start.
    answer->text.clear();
    answer->reasoning.clear();
    answer->state = JobState::Running;
    Q_EMIT answerStarted(static_cast<int>(m_exchanges.size()) - 1, targetId, attempt);
}

void QuickCompareSession::onContent(const QString &targetId, const QList<ContentDelta> &deltas)
{
    QuickAnswer *answer = currentAnswer(targetId);
    if (!answer)
        return;
    for (const ContentDelta &d : deltas) {
        if (d.kind == ContentKind::Reasoning)
            answer->reasoning += d.text;
        else if (d.kind == ContentKind::Answer || d.kind == ContentKind::Refusal)
            answer->text += d.text;
    }
    Q_EMIT answerContent(static_cast<int>(m_exchanges.size()) - 1, targetId, deltas);
}

void QuickCompareSession::onFinished(const CellResult &cell)
{
    const QString &targetId = cell.job.targetId;
    QuickAnswer *answer = currentAnswer(targetId);
    if (!answer)
        return;
    const StreamResult &result = cell.job.result;
    // The engine's text is the last attempt's whole answer; what streamed is the fallback.
    if (!result.text.isEmpty() || !result.refusal.isEmpty())
        answer->text = result.text.isEmpty() ? result.refusal : result.text;
    if (!result.reasoningText.isEmpty())
        answer->reasoning = result.reasoningText;
    answer->state = cell.job.state;
    answer->error = cell.job.state == JobState::Completed ? QString() : failureText(cell.job);
    answer->metrics = cell.metrics;
    answer->cost = cell.cost;
    answer->finished = true;
    if (cell.cost.usd)
        m_spentUsd += *cell.cost.usd;
    if (answer->joinsHistory()) {
        QList<ChatMessage> &history = m_histories[targetId];
        history.append({QStringLiteral("user"), m_exchanges.last().userMessage});
        history.append({QStringLiteral("assistant"), answer->text});
    }
    Q_EMIT answerFinished(static_cast<int>(m_exchanges.size()) - 1, targetId);
}

void QuickCompareSession::onRunFinished(bool cancelled)
{
    m_running = false;
    if (m_exchanges.isEmpty())
        return;
    QuickExchange &exchange = m_exchanges.last();
    exchange.finished = true;
    exchange.cancelled = cancelled;
    if (cancelled)
        exchange.stopReason = m_run->stopReason(); // "cancelled", or the spend cap that stopped it
    const int index = static_cast<int>(m_exchanges.size()) - 1;
    // A job stopped before it started reports nothing; it still needs its final word.
    for (auto it = exchange.answers.begin(); it != exchange.answers.end(); ++it) {
        if (it->finished)
            continue;
        it->finished = true;
        it->state = JobState::Cancelled;
        it->error = exchange.stopReason.isEmpty() ? tr("stopped") : tr("stopped: %1").arg(exchange.stopReason);
        Q_EMIT answerFinished(index, it.key());
    }
    Q_EMIT exchangeFinished(index);
}

Result<SuiteCase> QuickCompareSession::caseFromExchange(int exchange, const QString &targetId, bool withReference) const
{
    if (exchange < 0 || exchange >= m_exchanges.size())
        return Error{tr("There is no exchange %1 in this chat.").arg(exchange + 1)};
    const QuickExchange &e = m_exchanges.at(exchange);
    const auto it = e.answers.constFind(targetId);
    if (it == e.answers.cend())
        return Error{tr("The target \"%1\" did not take part in exchange %2.").arg(targetId).arg(exchange + 1)};
    SuiteCase c;
    c.id = QStringLiteral("quick-%1").arg(exchange + 1);
    c.description = oneLine(e.prompt);
    c.messages = it->sent;
    if (withReference && it->joinsHistory())
        c.reference = it->text;
    c.tags = {QStringLiteral("quick-compare")};
    c.metadata["source"] = "quick-compare";
    c.metadata["answered_by"] = targetId.toStdString();
    return c;
}

} // namespace Slopscope
