#pragma once

#include "LongTextView.h"
#include "engine/JobResult.h"

#include <QFrame>
#include <QList>
#include <QPointer>

#include <optional>

class QPlainTextEdit;
class QTimer;
class QToolButton;

namespace Slopscope {

class ElidedLabel;
struct ChainTurnResult;
struct ContentDelta;

// One live answer: a header with the target's colour and name, badges for the measured figures,
// the reasoning (collapsible) and the answer text. Model output is shown as plain text only:
// it is untrusted and never interpreted as markup.
class StreamPane final : public QFrame
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StreamPane)

public:
    enum class State { Idle, Queued, Waiting, Streaming, Retrying, Done, Truncated, Failed, Cancelled };
    Q_ENUM(State)
    // How a job's state shows in a pane (the suite run's and Quick Compare's panes alike).
    [[nodiscard]] static State stateFor(JobState state);

    struct Figures
    {
        std::optional<double> ttftMs;
        std::optional<double> tokensPerSecond;
        bool tokensPerSecondEstimated = false;
        std::optional<qint64> outputTokens;
        std::optional<double> costUsd;
    };

    StreamPane(const QString &targetId, const QString &label, const QString &color, QWidget *parent = nullptr);

    [[nodiscard]] QString targetId() const { return m_targetId; }

    void clear();
    void appendAnswer(const QString &text);
    void appendReasoning(const QString &text);
    // A batch from the engine (one delta per token): the answer and refusal pieces and the
    // reasoning ones are held and inserted together at most every kFlushMs; tool-call pieces are
    // not shown. answerText() and reasoningText() include what is held.
    void appendDeltas(const QList<ContentDelta> &deltas);
    // Every kFlushMs, or up to kMaxFlushMs as the answer's paragraph gets costly to lay out.
    static constexpr int kFlushMs = 50;
    static constexpr int kMaxFlushMs = 200;
    // A chain cell's conversation so far (chainTranscript), shown above the answer streaming now so
    // earlier turns stay in view while the next request runs; empty hides it. clear() empties it.
    void setTranscript(const QString &text);
    [[nodiscard]] QString transcriptText() const;
    // `turns` (RunSession::chainTurnsSoFar) as compact plain text, one line per message, the last
    // turn marked as the one being answered. Untrusted model text, so never rendered as markup.
    [[nodiscard]] static QString chainTranscript(const QList<ChainTurnResult> &turns);
    // Longer messages are cut to this many characters in the transcript (the detail panel has them whole).
    static constexpr int kTranscriptLineChars = 240;
    void setState(State state, const QString &detail = {});
    void setFigures(const Figures &figures);

    [[nodiscard]] State state() const { return m_state; }
    [[nodiscard]] QString answerText() const;
    [[nodiscard]] QString reasoningText() const;
    [[nodiscard]] QString stateText() const;
    [[nodiscard]] QString figuresText() const;
    // The views of the answer and the reasoning (tests, and callers that need the document).
    [[nodiscard]] LongTextView *answerView() const { return m_answer; }
    [[nodiscard]] LongTextView *reasoningView() const { return m_reasoning; }

protected:
    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void updateReasoningToggle();
    // The state badge's colour, for the state and the palette (light or dark) the pane has.
    void colourStateBadge();
    // Inserts the text appendDeltas held back.
    void flushPending();

    QString m_targetId;
    State m_state = State::Idle;
    Figures m_lastFigures;
    QPointer<ElidedLabel> m_stateBadge;
    QPointer<ElidedLabel> m_figures;
    QPointer<QToolButton> m_reasoningToggle;
    QPointer<QPlainTextEdit> m_transcript;
    QPointer<LongTextView> m_reasoning;
    QPointer<LongTextView> m_answer;
    QTimer *m_flush = nullptr; // child, single-shot
    QString m_pendingAnswer;
    QString m_pendingReasoning;
};

} // namespace Slopscope
