#include "StreamPane.h"

#include "AppTheme.h"
#include "ElidedLabel.h"
#include "LongTextView.h"
#include "run/ChainTranscript.h"
#include "stream/StreamTypes.h"

#include <QElapsedTimer>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QResizeEvent>
#include <QScrollBar>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <utility>

namespace Slopscope {

namespace {

// Model output with control characters (ANSI colour codes, a bell, a NUL) shows them as the
// Unicode symbols for them (ESC as ␛), so what the model sent is visible and nothing is
// interpreted or silently dropped (RELIABILITY.md B-14). Line breaks and tabs stay as they are.
QString visibleControls(QString text)
{
    for (QChar &c : text) {
        const char16_t u = c.unicode();
        if ((u < 0x20 && u != u'\n' && u != u'\t' && u != u'\r'))
            c = QChar(static_cast<char16_t>(0x2400 + u));
        else if (u == 0x7F)
            c = QChar(u'\u2421');
    }
    return text;
}

void appendPlain(LongTextView *edit, const QString &rawText)
{
    // Follow the end only when the reader is already there, so scrolling up to read is not undone.
    QScrollBar *bar = edit->verticalScrollBar();
    const bool atEnd = bar->value() >= bar->maximum() - 4;
    // In short paragraphs: an insert lays its whole paragraph out again (B-14, #7).
    edit->appendText(visibleControls(rawText));
    if (atEnd)
        bar->setValue(bar->maximum());
}

QString stateName(StreamPane::State state)
{
    switch (state) {
    case StreamPane::State::Idle:
        return StreamPane::tr("idle");
    case StreamPane::State::Queued:
        return StreamPane::tr("queued");
    case StreamPane::State::Waiting:
        return StreamPane::tr("waiting for first token");
    case StreamPane::State::Streaming:
        return StreamPane::tr("streaming");
    case StreamPane::State::Retrying:
        return StreamPane::tr("retrying");
    case StreamPane::State::Done:
        return StreamPane::tr("done");
    case StreamPane::State::Truncated:
        return StreamPane::tr("truncated");
    case StreamPane::State::Failed:
        return StreamPane::tr("failed");
    case StreamPane::State::Cancelled:
        return StreamPane::tr("cancelled");
    }
    return {};
}

// Dark enough to read on a light pane; on a dark one, the same hues lightened.
QString stateColor(StreamPane::State state, bool dark)
{
    switch (state) {
    case StreamPane::State::Done:
        return dark ? QStringLiteral("#4ade80") : QStringLiteral("#1b7f3b");
    case StreamPane::State::Truncated:
    case StreamPane::State::Retrying:
        return dark ? QStringLiteral("#fbbf24") : QStringLiteral("#b26a00");
    case StreamPane::State::Failed:
        return dark ? QStringLiteral("#f87171") : QStringLiteral("#b00020");
    case StreamPane::State::Streaming:
    case StreamPane::State::Waiting:
        return dark ? QStringLiteral("#60a5fa") : QStringLiteral("#0b5cad");
    default:
        return dark ? QStringLiteral("#a1a1aa") : QStringLiteral("#555555");
    }
}

} // namespace

StreamPane::StreamPane(const QString &targetId, const QString &label, const QString &color, QWidget *parent)
    : QFrame(parent)
    , m_targetId(targetId)
{
    setObjectName(QStringLiteral("StreamPane_") + targetId);
    setFrameShape(QFrame::StyledPanel);
    setMinimumWidth(260);

    auto *swatch = new QLabel(this);
    swatch->setFixedSize(12, 12);
    swatch->setStyleSheet(QStringLiteral("background:%1; border-radius:6px;").arg(color));
    // Names and states outgrow narrow panes: they are cut with "…", whole in the tooltip.
    auto *title = new ElidedLabel(this);
    title->setObjectName(QStringLiteral("paneTitle"));
    title->setText(label);
    title->setToolTip(label == targetId ? label : QStringLiteral("%1 (%2)").arg(label, targetId));
    QFont bold = title->font();
    bold.setBold(true);
    title->setFont(bold);
    m_stateBadge = new ElidedLabel(this);
    m_stateBadge->setObjectName(QStringLiteral("paneState"));
    // A short state ("done: pass") is always shown whole; a long one is capped in resizeEvent.
    m_stateBadge->setSizePolicy(QSizePolicy::Minimum, QSizePolicy::Fixed);

    auto *header = new QHBoxLayout;
    header->addWidget(swatch);
    header->addWidget(title, 1);
    header->addWidget(m_stateBadge);

    m_figures = new ElidedLabel(this);
    m_figures->setObjectName(QStringLiteral("figures"));

    // Muted and capped in height: the earlier turns are context, the current answer is the news.
    m_transcript = new QPlainTextEdit(this);
    m_transcript->setObjectName(QStringLiteral("chainTranscript"));
    m_transcript->setReadOnly(true);
    m_transcript->setMaximumHeight(140);
    m_transcript->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_transcript->setVisible(false);
    m_transcript->setAccessibleName(tr("Chain so far"));

    m_reasoningToggle = new QToolButton(this);
    m_reasoningToggle->setCheckable(true);
    m_reasoningToggle->setAutoRaise(true);
    m_reasoningToggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_reasoningToggle->setArrowType(Qt::RightArrow);
    m_reasoning = new LongTextView(this);
    m_reasoning->setObjectName(QStringLiteral("reasoning"));
    m_reasoning->setMaximumHeight(120);
    m_reasoning->setVisible(false);
    QPalette muted = m_reasoning->palette();
    muted.setColor(QPalette::Text, muted.color(QPalette::PlaceholderText));
    m_reasoning->setPalette(muted);
    m_transcript->setPalette(muted);
    connect(m_reasoningToggle, &QToolButton::toggled, this, [this](bool open) {
        m_reasoning->setVisible(open);
        m_reasoningToggle->setArrowType(open ? Qt::DownArrow : Qt::RightArrow);
    });

    m_answer = new LongTextView(this);
    m_answer->setObjectName(QStringLiteral("answer"));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addLayout(header);
    layout->addWidget(m_figures);
    layout->addWidget(m_transcript);
    layout->addWidget(m_reasoningToggle);
    layout->addWidget(m_reasoning);
    layout->addWidget(m_answer, 1);

    m_flush = new QTimer(this);
    m_flush->setSingleShot(true);
    m_flush->setInterval(kFlushMs);
    connect(m_flush, &QTimer::timeout, this, &StreamPane::flushPending);

    setState(State::Idle);
    updateReasoningToggle();
}

void StreamPane::clear()
{
    m_flush->stop();
    m_flush->setInterval(kFlushMs);
    m_pendingAnswer.clear();
    m_pendingReasoning.clear();
    m_answer->clear();
    m_reasoning->clear();
    setTranscript({});
    m_lastFigures = {};
    setState(State::Idle);
    updateReasoningToggle();
}

void StreamPane::setTranscript(const QString &text)
{
    if (text == m_transcript->toPlainText())
        return;
    m_transcript->setPlainText(text);
    m_transcript->setVisible(!text.isEmpty());
    // The latest turn is the one that leads into the answer below.
    m_transcript->verticalScrollBar()->setValue(m_transcript->verticalScrollBar()->maximum());
}

QString StreamPane::transcriptText() const
{
    return m_transcript->toPlainText();
}

QString StreamPane::chainTranscript(const QList<ChainTurnResult> &turns)
{
    // One line per message, whitespace folded, long ones cut: a pane is narrow, and what matters
    // is following the chain, not rereading it (the cell detail panel has every word).
    const auto compact = [](const QString &text) {
        const QString line = text.simplified();
        return line.size() > kTranscriptLineChars ? line.left(kTranscriptLineChars - 1) + QChar(0x2026) : line;
    };
    QStringList out;
    qsizetype turn = 0;
    for (const ChainTranscript::Line &line : ChainTranscript::lines(turns)) {
        switch (line.kind) {
        case ChainTranscript::Kind::Turn:
            ++turn;
            // The last turn is still being answered: it has no verdict yet.
            out.append(turn == turns.size() ? tr("%1 · answering…").arg(line.label)
                                            : QStringLiteral("%1 · %2").arg(line.label, line.text));
            break;
        case ChainTranscript::Kind::ToolCall:
            out.append(QStringLiteral("  \u2192 %1").arg(compact(line.text)));
            break;
        case ChainTranscript::Kind::ToolResult:
            out.append(QStringLiteral("  \u2190 %1: %2").arg(line.label, compact(line.text)));
            break;
        case ChainTranscript::Kind::Assistant:
            if (line.text.isEmpty())
                break; // the current turn's answer: it streams below
            out.append(QStringLiteral("  %1: %2").arg(line.label, compact(line.text)));
            break;
        case ChainTranscript::Kind::User:
        case ChainTranscript::Kind::Note:
        case ChainTranscript::Kind::Check:
            out.append(QStringLiteral("  %1: %2").arg(line.label, compact(line.text)));
            break;
        }
    }
    return out.join(u'\n');
}

void StreamPane::appendAnswer(const QString &text)
{
    flushPending(); // what was held came first
    appendPlain(m_answer, text);
}

void StreamPane::appendReasoning(const QString &text)
{
    flushPending();
    appendPlain(m_reasoning, text);
    updateReasoningToggle();
}

void StreamPane::appendDeltas(const QList<ContentDelta> &deltas)
{
    // Each insert lays the whole paragraph out again (QPlainTextDocumentLayout::layoutBlock), so
    // one per token, or even one per 25 ms batch, with 8 streams at 3,000 tokens/s kept the event
    // loop from turning for up to a second (bench_gui_stall, #7). Held, they cost one per kFlushMs.
    for (const ContentDelta &d : deltas) {
        if (d.kind == ContentKind::Reasoning)
            m_pendingReasoning += d.text;
        else if (d.kind == ContentKind::Answer || d.kind == ContentKind::Refusal)
            m_pendingAnswer += d.text;
    }
    if ((!m_pendingAnswer.isEmpty() || !m_pendingReasoning.isEmpty()) && !m_flush->isActive())
        m_flush->start();
}

void StreamPane::flushPending()
{
    m_flush->stop();
    if (m_pendingReasoning.isEmpty() && m_pendingAnswer.isEmpty())
        return;
    QElapsedTimer took;
    took.start();
    if (!m_pendingReasoning.isEmpty()) {
        appendPlain(m_reasoning, std::exchange(m_pendingReasoning, {}));
        updateReasoningToggle();
    }
    if (!m_pendingAnswer.isEmpty())
        appendPlain(m_answer, std::exchange(m_pendingAnswer, {}));
    // An insert costs as much as the paragraph is long: as it grows, insert less often, so one
    // pane spends at most ~10 % of the thread on it and panes that flush in one turn cost less.
    m_flush->setInterval(static_cast<int>(std::clamp<qint64>(took.elapsed() * 10, kFlushMs, kMaxFlushMs)));
}

StreamPane::State StreamPane::stateFor(JobState state)
{
    switch (state) {
    case JobState::Completed:
        return StreamPane::State::Done;
    case JobState::Truncated:
    case JobState::Incomplete:
        return StreamPane::State::Truncated;
    case JobState::Cancelled:
        return StreamPane::State::Cancelled;
    case JobState::Failed:
        return StreamPane::State::Failed;
    case JobState::Waiting:
        return StreamPane::State::Retrying;
    case JobState::Queued:
        return StreamPane::State::Queued;
    case JobState::Running:
        return StreamPane::State::Streaming;
    }
    return StreamPane::State::Idle;
}

void StreamPane::setState(State state, const QString &detail)
{
    // A finished stream shows all its text now, not at the next flush.
    if (state == State::Done || state == State::Truncated || state == State::Failed || state == State::Cancelled)
        flushPending();
    m_state = state;
    const QString text = detail.isEmpty() ? stateName(state) : stateName(state) + QStringLiteral(": ") + detail;
    m_stateBadge->setText(text);
    m_stateBadge->setToolTip(text);
    colourStateBadge();
    setFigures(m_lastFigures);
}

void StreamPane::setFigures(const Figures &figures)
{
    m_lastFigures = figures;
    const QLocale locale;
    const QString none = QStringLiteral("–");
    const QString ttft = figures.ttftMs ? locale.toString(*figures.ttftMs, 'f', 0) : none;
    QString speed = figures.tokensPerSecond ? locale.toString(*figures.tokensPerSecond, 'f', 0) : none;
    if (figures.tokensPerSecond && figures.tokensPerSecondEstimated)
        speed = QStringLiteral("~") + speed;
    const QString tokens = figures.outputTokens ? locale.toString(*figures.outputTokens) : none;
    // Before the answer is finished a missing cost is simply not known yet; afterwards it is
    // "unknown" (no usage or no price), which must never read as free.
    const bool finished = m_state == State::Done || m_state == State::Truncated || m_state == State::Failed ||
                          m_state == State::Cancelled;
    const QString cost = figures.costUsd ? QStringLiteral("$") + locale.toString(*figures.costUsd, 'f', 6)
                         : finished      ? tr("unknown")
                                         : none;
    m_figures->setText(tr("TTFT %1 ms · %2 tok/s · %3 tokens · cost %4").arg(ttft, speed, tokens, cost));
    m_figures->setToolTip(figures.tokensPerSecondEstimated
                              ? m_figures->text() + u'\n' +
                                    tr("Tokens per second estimated from characters: the provider reported no usage.")
                              : m_figures->text());
}

QString StreamPane::answerText() const
{
    return m_answer->text() + visibleControls(m_pendingAnswer);
}

QString StreamPane::reasoningText() const
{
    return m_reasoning->text() + m_pendingReasoning;
}

QString StreamPane::stateText() const
{
    return m_stateBadge->text();
}

QString StreamPane::figuresText() const
{
    return m_figures->text();
}

void StreamPane::updateReasoningToggle()
{
    const int chars = m_reasoning->document()->characterCount() - 1;
    m_reasoningToggle->setVisible(chars > 0);
    m_reasoningToggle->setText(tr("Reasoning (%n character(s))", nullptr, chars));
}

} // namespace Slopscope

namespace Slopscope {

void StreamPane::changeEvent(QEvent *event)
{
    QFrame::changeEvent(event);
    // The badge's colour was picked for the palette the pane had; a theme change picks again.
    if (event->type() == QEvent::PaletteChange)
        colourStateBadge();
}

void StreamPane::resizeEvent(QResizeEvent *event)
{
    QFrame::resizeEvent(event);
    // A long state ("failed: HTTP 401: …") is cut before the target's name is: the name says
    // whose pane it is, the state's whole text is in its tooltip.
    m_stateBadge->setMaximumWidth(std::max(width() * 2 / 5, m_stateBadge->minimumSizeHint().width()));
}

void StreamPane::colourStateBadge()
{
    QPalette badge = m_stateBadge->palette();
    badge.setColor(QPalette::WindowText, QColor(stateColor(m_state, AppTheme::isDark(palette()))));
    m_stateBadge->setPalette(badge);
}

} // namespace Slopscope
