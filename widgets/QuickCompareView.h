#pragma once

#include "core/Result.h"
#include "quality/Suite.h"
#include "run/TextAttachment.h"

#include <QPointer>
#include <QWidget>

#include <functional>

class QCheckBox;
class QComboBox;
class QHBoxLayout;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QToolButton;

namespace Slopscope {

class QuickCompareSession;
class StreamPaneGrid;

// Quick compare: a prompt (with an optional system prompt and plain-text attachments) sent to
// every checked target at once, the chat going on with all of them side by side. One live pane per
// target shows that target's conversation so far, with the usual badges; any exchange can be saved
// as a suite case. Model output is shown as plain text only.
class QuickCompareView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(QuickCompareView)

public:
    // Called before every send to give the session its workspace and targets; an error (the
    // keychain still loading, say) is shown and nothing is sent.
    using Prepare = std::function<Status(QuickCompareSession &)>;

    explicit QuickCompareView(QWidget *parent = nullptr);
    ~QuickCompareView() override;

    void setPrepare(Prepare prepare) { m_prepare = std::move(prepare); }
    [[nodiscard]] QuickCompareSession *session() const { return m_session; }
    [[nodiscard]] StreamPaneGrid *panes() const;
    [[nodiscard]] QPlainTextEdit *promptBox() const;
    [[nodiscard]] QPlainTextEdit *systemPromptBox() const;
    [[nodiscard]] QString statusText() const;

    // Sends the prompt box (as Send and Ctrl+Enter do); false, with the reason shown, when it cannot.
    bool send();
    // Adds a text file as an attachment chip; false, with the reason shown, when it is refused.
    bool attachFile(const QString &path);
    [[nodiscard]] QList<TextAttachment> attachments() const { return m_attachments; }
    void removeAttachment(int index);
    // Saves the exchange chosen below the panes (the latest by default) as a suite case.
    void saveCase();
    // Diffs the answers of the chosen exchange's two chosen targets (emits diffRequested).
    void diffAnswers();
    void newChat();
    // Sends these prompts one after the other, each once the previous turn is answered: a
    // scripted chat (the GUI's --prompt, for demos and screenshots).
    void sendPrompts(const QStringList &prompts);

Q_SIGNALS:
    // Save as Suite Case: the case to add to a suite (its id unique only within this chat).
    void caseSaved(const Slopscope::SuiteCase &suiteCase);
    // Diff: two answers of one exchange, for the window's diff view.
    void diffRequested(const QString &leftTitle, const QString &left, const QString &rightTitle, const QString &right);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void chooseAttachment();
    void rebuildChips();
    void onExchangeStarted(int exchange);
    void onAnswerStarted(int exchange, const QString &targetId, int attempt);
    void onAnswerFinished(int exchange, const QString &targetId);
    void onExchangeFinished(int exchange);
    void refreshSaveChoices();
    void refreshSaveTargets();
    void updateButtons();
    void showStatus(const QString &text);
    // The plain-text transcript of a target's earlier exchanges, shown above the answer streaming.
    [[nodiscard]] QString transcript(const QString &targetId, int upTo) const;

    QuickCompareSession *m_session = nullptr; // child
    Prepare m_prepare;
    QList<TextAttachment> m_attachments;
    QStringList m_scripted; // prompts sendPrompts still has to send
    QPointer<StreamPaneGrid> m_panes;
    QPointer<QToolButton> m_systemToggle;
    QPointer<QPlainTextEdit> m_system;
    QPointer<QPlainTextEdit> m_prompt;
    QPointer<QHBoxLayout> m_chips;
    QPointer<QWidget> m_chipsHolder;
    QPointer<QPushButton> m_attach;
    QPointer<QPushButton> m_send;
    QPointer<QPushButton> m_stop;
    QPointer<QPushButton> m_newChat;
    QPointer<QComboBox> m_saveExchange;
    QPointer<QComboBox> m_saveTarget;
    QPointer<QCheckBox> m_saveReference;
    QPointer<QPushButton> m_save;
    QPointer<QComboBox> m_diffTarget;
    QPointer<QPushButton> m_diff;
    QPointer<QLabel> m_status;
};

} // namespace Slopscope
