#include "QuickCompareView.h"

#include "views/ViewText.h"

#include "run/QuickCompareSession.h"
#include "StreamPane.h"
#include "StreamPaneGrid.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace Slopscope {

namespace {

StreamPane::Figures figuresOf(const QuickAnswer &answer)
{
    StreamPane::Figures f;
    if (answer.metrics.ttftNs)
        f.ttftMs = static_cast<double>(*answer.metrics.ttftNs) / 1e6;
    f.tokensPerSecond = answer.metrics.decodeTokensPerSecond;
    f.tokensPerSecondEstimated = answer.metrics.tokensEstimated;
    if (answer.metrics.outputTokens)
        f.outputTokens = static_cast<qint64>(*answer.metrics.outputTokens);
    f.costUsd = answer.cost.usd;
    return f;
}

// An error as a sentence: a provider's own message may already end with its punctuation.
QString asSentence(const QString &text)
{
    const QString t = text.trimmed();
    return t.isEmpty() || t.endsWith(u'.') || t.endsWith(u'!') || t.endsWith(u'?') ? t : t + u'.';
}

QString oneLine(const QString &text, int max)
{
    QString line = text.simplified();
    return line.size() > max ? line.left(max - 1) + QChar(0x2026) : line;
}

} // namespace

QuickCompareView::QuickCompareView(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("QuickCompareView"));
    m_session = new QuickCompareSession(this);
    connect(m_session, &QuickCompareSession::exchangeStarted, this, &QuickCompareView::onExchangeStarted);
    connect(m_session, &QuickCompareSession::answerStarted, this, &QuickCompareView::onAnswerStarted);
    connect(m_session, &QuickCompareSession::answerContent, this,
            [this](int, const QString &targetId, const QList<ContentDelta> &deltas) {
                StreamPane *pane = m_panes->pane(targetId);
                if (!pane)
                    return;
                if (pane->state() != StreamPane::State::Streaming)
                    pane->setState(StreamPane::State::Streaming);
                pane->appendDeltas(deltas);
            });
    connect(m_session, &QuickCompareSession::answerFinished, this, &QuickCompareView::onAnswerFinished);
    connect(m_session, &QuickCompareSession::exchangeFinished, this, &QuickCompareView::onExchangeFinished);
    connect(m_session, &QuickCompareSession::providerStatusChanged, this, [this](const ProviderStatus &status) {
        if (!status.message.isEmpty())
            showStatus(tr("%1: %2").arg(status.providerId, status.message));
    });
    connect(m_session, &QuickCompareSession::cleared, this, [this] {
        m_panes->setTargets({});
        m_panes->setCaseTitle(tr("New chat: type a prompt below and press Ctrl+Enter."));
        refreshSaveChoices();
        updateButtons();
    });

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    m_panes = new StreamPaneGrid(this);
    m_panes->setObjectName(QStringLiteral("quickPanes"));
    m_panes->setCaseTitle(tr("Type a prompt below and press Ctrl+Enter to send it to every checked target."));
    layout->addWidget(m_panes, 1);

    auto *saveRow = new QHBoxLayout;
    saveRow->addWidget(new QLabel(tr("Exchange:"), this));
    m_saveExchange = new QComboBox(this);
    m_saveExchange->setObjectName(QStringLiteral("saveExchange"));
    m_saveExchange->setMinimumContentsLength(24);
    m_saveExchange->setAccessibleName(tr("Exchange to save"));
    saveRow->addWidget(m_saveExchange, 1);
    saveRow->addWidget(new QLabel(tr("as seen by"), this));
    m_saveTarget = new QComboBox(this);
    m_saveTarget->setObjectName(QStringLiteral("saveTarget"));
    m_saveTarget->setAccessibleName(tr("Target whose conversation is saved"));
    m_saveTarget->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_saveTarget->setMinimumContentsLength(14);
    saveRow->addWidget(m_saveTarget);
    m_saveReference = new QCheckBox(tr("its answer as reference"), this);
    m_saveReference->setChecked(true);
    saveRow->addWidget(m_saveReference);
    m_save = new QPushButton(tr("Save as Suite Case"), this);
    m_save->setObjectName(QStringLiteral("saveCase"));
    m_save->setToolTip(tr("Adds this exchange, with the conversation before it, to the selected suite"));
    connect(m_save, &QPushButton::clicked, this, &QuickCompareView::saveCase);
    saveRow->addWidget(m_save);
    saveRow->addSpacing(12);
    saveRow->addWidget(new QLabel(tr("vs"), this));
    m_diffTarget = new QComboBox(this);
    m_diffTarget->setObjectName(QStringLiteral("diffTarget"));
    m_diffTarget->setAccessibleName(tr("Target whose answer is diffed"));
    m_diffTarget->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_diffTarget->setMinimumContentsLength(14);
    saveRow->addWidget(m_diffTarget);
    m_diff = new QPushButton(tr("Diff"), this);
    m_diff->setObjectName(QStringLiteral("diffAnswers"));
    m_diff->setToolTip(tr("Shows the two answers to this exchange side by side, the differing words marked"));
    connect(m_diff, &QPushButton::clicked, this, &QuickCompareView::diffAnswers);
    // An answer diffed against itself shows nothing: keep the other side on another target.
    connect(m_saveTarget, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (index >= 0 && m_diffTarget->currentIndex() == index && m_diffTarget->count() > 1)
            m_diffTarget->setCurrentIndex(index == 0 ? 1 : 0);
    });
    saveRow->addWidget(m_diff);
    connect(m_saveExchange, &QComboBox::currentIndexChanged, this, &QuickCompareView::refreshSaveTargets);
    layout->addLayout(saveRow);

    m_systemToggle = new QToolButton(this);
    m_systemToggle->setObjectName(QStringLiteral("systemToggle"));
    m_systemToggle->setText(tr("System prompt"));
    m_systemToggle->setCheckable(true);
    m_systemToggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_systemToggle->setArrowType(Qt::RightArrow);
    m_systemToggle->setAutoRaise(true);
    layout->addWidget(m_systemToggle);
    m_system = new QPlainTextEdit(this);
    m_system->setObjectName(QStringLiteral("systemPrompt"));
    m_system->setPlaceholderText(tr("Optional: instructions every target gets first (sent with every turn)"));
    m_system->setAccessibleName(tr("System prompt"));
    m_system->setMaximumHeight(60);
    m_system->setTabChangesFocus(true);
    m_system->hide();
    layout->addWidget(m_system);
    connect(m_systemToggle, &QToolButton::toggled, this, [this](bool open) {
        m_system->setVisible(open);
        m_systemToggle->setArrowType(open ? Qt::DownArrow : Qt::RightArrow);
    });

    m_prompt = new QPlainTextEdit(this);
    m_prompt->setObjectName(QStringLiteral("promptBox"));
    m_prompt->setPlaceholderText(tr("Ask every checked target… (Ctrl+Enter sends)"));
    m_prompt->setAccessibleName(tr("Prompt"));
    m_prompt->setMaximumHeight(80);
    m_prompt->setTabChangesFocus(true);
    m_prompt->installEventFilter(this);
    layout->addWidget(m_prompt);

    auto *buttons = new QHBoxLayout;
    m_attach = new QPushButton(tr("Attach Text File…"), this);
    m_attach->setObjectName(QStringLiteral("attachFile"));
    m_attach->setToolTip(tr("Plain-text files up to %1, folded into the prompt with their names")
                             .arg(QLocale().formattedDataSize(TextAttachment::kMaxBytes, 0)));
    connect(m_attach, &QPushButton::clicked, this, &QuickCompareView::chooseAttachment);
    buttons->addWidget(m_attach);
    m_chipsHolder = new QWidget(this);
    m_chips = new QHBoxLayout(m_chipsHolder);
    m_chips->setContentsMargins(0, 0, 0, 0);
    buttons->addWidget(m_chipsHolder);
    buttons->addStretch(1);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("quickStatus"));
    m_status->setTextFormat(Qt::PlainText); // it quotes provider errors
    buttons->addWidget(m_status, 3);
    m_newChat = new QPushButton(tr("New Chat"), this);
    m_newChat->setObjectName(QStringLiteral("newChat"));
    connect(m_newChat, &QPushButton::clicked, this, &QuickCompareView::newChat);
    buttons->addWidget(m_newChat);
    m_stop = new QPushButton(tr("Stop"), this);
    m_stop->setObjectName(QStringLiteral("stopQuick"));
    connect(m_stop, &QPushButton::clicked, m_session, &QuickCompareSession::cancel);
    buttons->addWidget(m_stop);
    m_send = new QPushButton(tr("Send"), this);
    m_send->setObjectName(QStringLiteral("sendQuick"));
    m_send->setToolTip(tr("Send to every checked target (Ctrl+Enter)"));
    m_send->setDefault(true);
    connect(m_send, &QPushButton::clicked, this, &QuickCompareView::send);
    buttons->addWidget(m_send);
    layout->addLayout(buttons);

    setFocusProxy(m_prompt);
    refreshSaveChoices();
    updateButtons();
}

QuickCompareView::~QuickCompareView() = default;

StreamPaneGrid *QuickCompareView::panes() const
{
    return m_panes;
}

QPlainTextEdit *QuickCompareView::promptBox() const
{
    return m_prompt;
}

QPlainTextEdit *QuickCompareView::systemPromptBox() const
{
    return m_system;
}

QString QuickCompareView::statusText() const
{
    return m_status->text();
}

void QuickCompareView::showStatus(const QString &text)
{
    m_status->setText(text);
    m_status->setToolTip(ViewText::html(text)); // it quotes provider errors: escaped
}

bool QuickCompareView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_prompt.data() && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if ((key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) &&
            key->modifiers().testFlag(Qt::ControlModifier)) {
            send();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

bool QuickCompareView::send()
{
    if (m_prepare) {
        if (const Status ready = m_prepare(*m_session); !ready.ok()) {
            showStatus(ready.error());
            return false;
        }
    }
    const QString system = m_systemToggle->isChecked() ? m_system->toPlainText() : QString();
    if (const Status sent = m_session->send(m_prompt->toPlainText(), system, m_attachments); !sent.ok()) {
        showStatus(sent.error());
        return false;
    }
    // The turn is in the chat now; the box is free for the next one.
    m_prompt->clear();
    m_attachments.clear();
    rebuildChips();
    return true;
}

void QuickCompareView::chooseAttachment()
{
    const QStringList paths = QFileDialog::getOpenFileNames(
        this, tr("Attach Text File"), QString(),
        tr("Text files (*.txt *.md *.csv *.json *.log *.xml *.yaml *.yml);;All files (*)"));
    for (const QString &path : paths)
        attachFile(path);
}

bool QuickCompareView::attachFile(const QString &path)
{
    auto loaded = TextAttachment::fromFile(path);
    if (!loaded) {
        showStatus(loaded.error());
        return false;
    }
    m_attachments.append(std::move(loaded).value());
    rebuildChips();
    showStatus(QString());
    return true;
}

void QuickCompareView::removeAttachment(int index)
{
    if (index < 0 || index >= m_attachments.size())
        return;
    m_attachments.removeAt(index);
    rebuildChips();
}

void QuickCompareView::rebuildChips()
{
    while (QLayoutItem *item = m_chips->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    for (int i = 0; i < m_attachments.size(); ++i) {
        auto *chip = new QToolButton(m_chipsHolder);
        chip->setObjectName(QStringLiteral("attachmentChip"));
        chip->setText(tr("%1  ✕").arg(m_attachments.at(i).fileName));
        chip->setToolTip(tr("Remove %1 from the prompt").arg(m_attachments.at(i).fileName));
        connect(chip, &QToolButton::clicked, this, [this, i] { removeAttachment(i); });
        m_chips->addWidget(chip);
    }
}

QString QuickCompareView::transcript(const QString &targetId, int upTo) const
{
    QString out;
    const QList<QuickExchange> &exchanges = m_session->exchanges();
    for (int i = 0; i < upTo && i < exchanges.size(); ++i) {
        const QuickExchange &e = exchanges.at(i);
        const auto it = e.answers.constFind(targetId);
        if (it == e.answers.cend())
            continue;
        out += tr("▶ You: %1").arg(e.prompt);
        if (!e.attachmentNames.isEmpty())
            out += QStringLiteral("\n") + tr("(attached: %1)").arg(e.attachmentNames.join(QStringLiteral(", ")));
        out += QStringLiteral("\n\n") + it->text + QStringLiteral("\n");
        if (!it->joinsHistory())
            out += tr("[Not part of the conversation (%1): the next turns were sent to this target without "
                      "this exchange.]")
                       .arg(it->error) +
                   QStringLiteral("\n");
        out += QStringLiteral("\n────────\n\n");
    }
    return out;
}

void QuickCompareView::onExchangeStarted(int exchange)
{
    const QuickExchange &e = m_session->exchanges().at(exchange);
    QList<TargetConfig> lineup;
    for (const QString &id : e.targetIds) {
        if (const TargetConfig *t = m_session->workspace().target(id))
            lineup.append(*t);
    }
    m_panes->setTargets(lineup);
    m_panes->setCaseTitle(tr("Turn %1: %2").arg(exchange + 1).arg(oneLine(e.prompt, 160)));
    for (const QString &id : e.targetIds) {
        StreamPane *pane = m_panes->pane(id);
        if (!pane)
            continue;
        pane->appendAnswer(transcript(id, exchange) + tr("▶ You: %1").arg(e.prompt) + QStringLiteral("\n\n"));
        pane->setState(StreamPane::State::Queued);
    }
    showStatus(tr("Sending turn %1 to %n target(s)…", nullptr, static_cast<int>(e.targetIds.size())).arg(exchange + 1));
    refreshSaveChoices();
    updateButtons();
}

void QuickCompareView::onAnswerStarted(int exchange, const QString &targetId, int attempt)
{
    StreamPane *pane = m_panes->pane(targetId);
    if (!pane)
        return;
    if (attempt > 0) {
        // A retry streams the answer again: show the conversation without the abandoned attempt.
        const QuickExchange &e = m_session->exchanges().at(exchange);
        pane->clear();
        pane->appendAnswer(transcript(targetId, exchange) + tr("▶ You: %1").arg(e.prompt) + QStringLiteral("\n\n"));
    }
    pane->setState(attempt > 0 ? StreamPane::State::Retrying : StreamPane::State::Waiting,
                   attempt > 0 ? tr("attempt %1").arg(attempt + 1) : QString());
}

void QuickCompareView::onAnswerFinished(int exchange, const QString &targetId)
{
    StreamPane *pane = m_panes->pane(targetId);
    if (!pane)
        return;
    const QuickAnswer answer = m_session->exchanges().at(exchange).answers.value(targetId);
    pane->setState(StreamPane::stateFor(answer.state), answer.error);
    pane->setFigures(figuresOf(answer));
    if (!answer.joinsHistory())
        pane->appendAnswer(QStringLiteral("\n") +
                           tr("[%1 This answer stays out of the conversation: the next turn is sent to "
                              "this target without this exchange.]")
                               .arg(asSentence(answer.error)));
}

void QuickCompareView::onExchangeFinished(int exchange)
{
    const QuickExchange &e = m_session->exchanges().at(exchange);
    int failed = 0;
    for (const QuickAnswer &a : e.answers)
        failed += a.joinsHistory() ? 0 : 1;
    QString spent = tr("spent $%1 in this chat").arg(QLocale().toString(m_session->spentUsd(), 'f', 4));
    if (e.cancelled && !e.stopReason.isEmpty())
        spent = tr("Stopped: %1; %2").arg(e.stopReason, spent);
    showStatus(failed == 0 ? tr("Turn %1 answered. %2").arg(exchange + 1).arg(spent)
                           : tr("Turn %1: %n answer(s) incomplete. %2", nullptr, failed).arg(exchange + 1).arg(spent));
    refreshSaveChoices();
    updateButtons();
    if (!m_scripted.isEmpty()) {
        m_prompt->setPlainText(m_scripted.takeFirst());
        if (!send())
            m_scripted.clear();
    }
}

void QuickCompareView::sendPrompts(const QStringList &prompts)
{
    m_scripted = prompts;
    if (m_scripted.isEmpty() || m_session->isRunning())
        return; // the turn going on sends the first one when it ends
    m_prompt->setPlainText(m_scripted.takeFirst());
    if (!send())
        m_scripted.clear();
}

void QuickCompareView::refreshSaveChoices()
{
    const QList<QuickExchange> &exchanges = m_session->exchanges();
    QSignalBlocker blocker(m_saveExchange);
    m_saveExchange->clear();
    for (int i = 0; i < exchanges.size(); ++i)
        m_saveExchange->addItem(tr("%1. %2").arg(i + 1).arg(oneLine(exchanges.at(i).prompt, 60)));
    m_saveExchange->setCurrentIndex(static_cast<int>(exchanges.size()) - 1);
    blocker.unblock();
    refreshSaveTargets();
}

void QuickCompareView::refreshSaveTargets()
{
    const QString keep = m_saveTarget->currentData().toString();
    const QString keepOther = m_diffTarget->currentData().toString();
    m_saveTarget->clear();
    m_diffTarget->clear();
    const int index = m_saveExchange->currentIndex();
    if (index >= 0 && index < m_session->exchanges().size()) {
        for (const QString &id : m_session->exchanges().at(index).targetIds) {
            m_saveTarget->addItem(id, id);
            m_diffTarget->addItem(id, id);
        }
    }
    const int found = m_saveTarget->findData(keep);
    if (found >= 0)
        m_saveTarget->setCurrentIndex(found);
    // Two different answers by default: the second target's against the first's.
    const int other = m_diffTarget->findData(keepOther);
    const int left = m_saveTarget->currentIndex();
    m_diffTarget->setCurrentIndex(other >= 0 && other != left ? other
                                  : left == 0                 ? std::min(1, m_diffTarget->count() - 1)
                                                              : 0);
    updateButtons();
}

void QuickCompareView::updateButtons()
{
    const bool running = m_session->isRunning();
    m_send->setEnabled(!running);
    m_stop->setEnabled(running);
    m_newChat->setEnabled(!m_session->exchanges().isEmpty() || running);
    const int index = m_saveExchange->currentIndex();
    const bool answered =
        index >= 0 && index < m_session->exchanges().size() && m_session->exchanges().at(index).finished;
    m_save->setEnabled(answered && m_saveTarget->count() > 0);
    m_diff->setEnabled(answered && m_diffTarget->count() > 1);
}

void QuickCompareView::saveCase()
{
    const int index = m_saveExchange->currentIndex();
    const QString targetId = m_saveTarget->currentData().toString();
    const auto c = m_session->caseFromExchange(index, targetId, m_saveReference->isChecked());
    if (!c) {
        showStatus(c.error());
        return;
    }
    Q_EMIT caseSaved(c.value());
}

void QuickCompareView::diffAnswers()
{
    const int index = m_saveExchange->currentIndex();
    if (index < 0 || index >= m_session->exchanges().size())
        return;
    const QuickExchange &e = m_session->exchanges().at(index);
    const QString left = m_saveTarget->currentData().toString();
    const QString right = m_diffTarget->currentData().toString();
    const auto title = [this](const QString &id) {
        const TargetConfig *t = m_session->workspace().target(id);
        return t && !t->label.isEmpty() ? t->label : id;
    };
    Q_EMIT diffRequested(title(left), e.answers.value(left).text, title(right), e.answers.value(right).text);
}

void QuickCompareView::newChat()
{
    m_scripted.clear();
    m_session->newChat();
    showStatus(tr("New chat."));
    m_prompt->setFocus();
}

} // namespace Slopscope
