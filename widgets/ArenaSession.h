#pragma once

#include "judge/HumanReview.h"
#include "run/CellResult.h"
#include "store/StoreTypes.h"

#include <QHash>
#include <QObject>
#include <QPointer>

#include <optional>

namespace Slopscope {

class HistoryWriter;
struct Suite;

// One sitting of the blind arena over a run's answers: the pairs to show (two answers to the same
// question from different targets, in a seeded order with random sides: HumanReview::arenaPairs),
// the votes cast, and the Bradley–Terry ranking they give. Votes go to the history through the
// HistoryWriter (queued, never blocking the GUI thread) when the run is recorded; otherwise they
// are kept for the sitting only. Nothing here that the voting side shows names a target.
class ArenaSession final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ArenaSession)

public:
    // What the voting side shows of the current pair: no ids, no target names.
    struct Question
    {
        QString prompt;
        QString leftText;
        QString rightText;
    };
    // More pairs than anyone votes in one sitting, and bounded so a huge run stays quick.
    static constexpr qsizetype kMaxPairs = 1000;

    explicit ArenaSession(QObject *parent = nullptr);
    ~ArenaSession() override;

    // Where votes are written; null (or an unrecorded run) keeps them for the sitting only.
    void setWriter(HistoryWriter *writer);
    [[nodiscard]] bool persistent() const;
    // The run to vote on: its answered cells and the suite its prompts come from. `earlier` are
    // the votes the history already holds for it: they count in the ranking, and their pairs are
    // not asked again.
    void setRun(const QString &runId, const QList<CellResult> &cells, const Suite &suite,
                const QList<StoredArenaVote> &earlier = {});
    [[nodiscard]] const QString &runId() const { return m_runId; }

    [[nodiscard]] qsizetype pairCount() const { return m_pairs.size(); }
    // The index of the pair on show; pairCount() once every pair was voted on or skipped.
    [[nodiscard]] qsizetype position() const { return m_position; }
    [[nodiscard]] bool atEnd() const { return m_position >= m_pairs.size(); }
    [[nodiscard]] std::optional<Question> current() const;
    [[nodiscard]] std::optional<ArenaPair> currentPair() const;

    void vote(ArenaVote::Choice choice, const QString &note = {});
    void skip();
    // Takes back the last vote of this sitting and shows its pair again.
    [[nodiscard]] bool canUndo() const { return !m_cast.isEmpty(); }
    void undo();

    // Every vote of the run: the history's, then this sitting's, oldest first.
    [[nodiscard]] QList<StoredArenaVote> votes() const;
    // What the ranking is computed from, a copy: rank() may run on another thread.
    struct RankingInput
    {
        QList<ArenaVote> votes;
        QHash<QString, QString> targetOf;
        std::uint64_t seed = 1;
    };
    [[nodiscard]] RankingInput rankingInput() const;
    // Bootstrapped Bradley–Terry: a fraction of a second for a few hundred votes of ten targets,
    // so the dialog runs it off the GUI thread.
    [[nodiscard]] static ArenaRanking rank(const RankingInput &input);
    [[nodiscard]] ArenaRanking ranking() const { return rank(rankingInput()); }
    [[nodiscard]] QString targetOf(const QString &cellId) const { return m_targetOf.value(cellId); }

    [[nodiscard]] static QString choiceName(ArenaVote::Choice choice);
    [[nodiscard]] static std::optional<ArenaVote::Choice> choiceFromName(const QString &name);

Q_SIGNALS:
    // A vote, a skip, an undo or a new run: the view shows current() and ranking() again.
    void changed();

private:
    struct Cast
    {
        StoredArenaVote vote;
        qsizetype pairIndex = 0;
    };
    struct Answer
    {
        QString caseId;
        QString variantId;
        QString text;
    };

    QPointer<HistoryWriter> m_writer;
    QString m_runId;
    QList<ArenaPair> m_pairs;
    qsizetype m_position = 0;
    QList<StoredArenaVote> m_earlier;
    QList<Cast> m_cast;                 // this sitting's votes, oldest first
    QHash<QString, QString> m_targetOf; // cell (job) id → target id
    QHash<QString, Answer> m_answers;   // cell (job) id → what it answered
    QHash<QString, QString> m_prompts;  // "case|variant" → prompt text
};

} // namespace Slopscope
