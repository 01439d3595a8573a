#pragma once

#include "core/Result.h"
#include "core/Workspace.h"
#include "engine/ProviderStatus.h"
#include "quality/Suite.h"
#include "run/QuickExchange.h"
#include "stream/StreamTypes.h"

#include <QHash>
#include <QObject>
#include <QStringList>

#include <functional>
#include <optional>

namespace Slopscope {

class RunSession;
struct CellResult;
struct RunSpec;

// Quick compare: a chat sent to several targets at once, without a suite. Each target keeps its
// own conversation (its history holds its own answers, so the histories diverge), and each turn is
// one RunSession run whose single "case" per target is that target's whole conversation so far.
// Riding on RunSession (rather than a bare RunScheduler) gives quick compare the same keys, the
// embedded simulator, catalogue prices and metrics as suite runs, with no second copy of them.
//
// A failed or stopped answer keeps its partial text and its error, but neither it nor the user
// turn it answered joins that target's history: the next turn is sent to that target without
// the broken exchange, so the conversation still alternates user / assistant.
class QuickCompareSession final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(QuickCompareSession)

public:
    explicit QuickCompareSession(QObject *parent = nullptr);
    ~QuickCompareSession() override;

    void setWorkspace(const Workspace &workspace);
    [[nodiscard]] const Workspace &workspace() const { return m_workspace; }
    // The targets the next send() goes to (the lineup's checked ones), in display order.
    void setTargetIds(const QStringList &targetIds) { m_targetIds = targetIds; }
    [[nodiscard]] QStringList targetIds() const { return m_targetIds; }

    // Sends one user turn to every target, each with its own history. Fails, sending nothing,
    // while a turn is going, with nothing to send, no target or an unknown one.
    Status send(const QString &prompt, const QString &systemPrompt = {}, const QList<TextAttachment> &attachments = {});
    void cancel();
    // Forgets every conversation (stopping a turn that is going).
    void newChat();

    [[nodiscard]] bool isRunning() const { return m_running; }
    [[nodiscard]] const QList<QuickExchange> &exchanges() const { return m_exchanges; }
    // What the target's next request carries before the new user turn (no system prompt).
    [[nodiscard]] QList<ChatMessage> history(const QString &targetId) const { return m_histories.value(targetId); }
    [[nodiscard]] double spentUsd() const { return m_spentUsd; }
    // The most the chat may cost in all; nullopt: no cap. A turn stops when it reaches what is
    // left, and no turn is sent once the cap is spent (until it is raised or a new chat starts).
    void setMaxCostUsd(std::optional<double> cap) { m_maxCostUsd = cap; }
    [[nodiscard]] std::optional<double> maxCostUsd() const { return m_maxCostUsd; }

    // A suite case replaying exchange `exchange` (0-based) as `targetId` saw it: the system
    // prompt as a system message, that target's conversation before it and the user turn. With
    // `withReference`, a complete answer of the target becomes the case's reference.
    [[nodiscard]] Result<SuiteCase> caseFromExchange(int exchange, const QString &targetId,
                                                     bool withReference = true) const;

    // Called with the run session and its spec (kind kQuickCompareKind) just before each exchange
    // starts: the place to attach a RunRecorder and begin() it, so every exchange is a run in the
    // history. The session may be a new one after newChat(), hence handed over every time.
    using BeforeStart = std::function<void(RunSession &, const RunSpec &)>;
    void setBeforeStart(BeforeStart hook) { m_beforeStart = std::move(hook); }

    static QList<ChatMessage> requestMessages(const QString &systemPrompt, const QList<ChatMessage> &history,
                                              const QString &userMessage);

Q_SIGNALS:
    void exchangeStarted(int exchange);
    void answerStarted(int exchange, const QString &targetId, int attempt);
    void answerContent(int exchange, const QString &targetId, const QList<Slopscope::ContentDelta> &deltas);
    void answerFinished(int exchange, const QString &targetId);
    void exchangeFinished(int exchange);
    void providerStatusChanged(const Slopscope::ProviderStatus &status);
    void cleared();

private:
    void createRun();
    void onStarted(const QString &targetId, int attempt);
    void onContent(const QString &targetId, const QList<ContentDelta> &deltas);
    void onFinished(const CellResult &cell);
    void onRunFinished(bool cancelled);
    [[nodiscard]] QuickAnswer *currentAnswer(const QString &targetId);

    Workspace m_workspace;
    QStringList m_targetIds;
    RunSession *m_run = nullptr; // child; replaced when a new chat stops a turn that is going
    QList<QuickExchange> m_exchanges;
    QHash<QString, QList<ChatMessage>> m_histories;
    double m_spentUsd = 0;
    std::optional<double> m_maxCostUsd;
    bool m_running = false;
    BeforeStart m_beforeStart;
};

} // namespace Slopscope
