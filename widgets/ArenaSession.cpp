#include "ArenaSession.h"

#include "quality/Statistics.h"
#include "quality/Suite.h"
#include "store/HistoryWriter.h"

#include <QDateTime>
#include <QSet>
#include <QUuid>

namespace Slopscope {

namespace {

QString questionKey(const QString &caseId, const QString &variantId)
{
    return caseId + u'|' + variantId;
}

// The same pair whichever side each cell was on.
QString pairKey(const QString &a, const QString &b)
{
    return a < b ? a + u'\n' + b : b + u'\n' + a;
}

} // namespace

ArenaSession::ArenaSession(QObject *parent)
    : QObject(parent)
{}

ArenaSession::~ArenaSession() = default;

void ArenaSession::setWriter(HistoryWriter *writer)
{
    m_writer = writer;
}

bool ArenaSession::persistent() const
{
    return m_writer && m_writer->isStarted() && !m_runId.isEmpty();
}

void ArenaSession::setRun(const QString &runId, const QList<CellResult> &cells, const Suite &suite,
                          const QList<StoredArenaVote> &earlier)
{
    m_runId = runId;
    m_earlier = earlier;
    m_cast.clear();
    m_targetOf.clear();
    m_answers.clear();
    m_prompts.clear();
    QList<ArenaCell> arenaCells;
    for (const CellResult &cell : cells) {
        const QString id = jobIdOf(cell);
        m_targetOf.insert(id, cell.job.targetId);
        // A failed or empty answer has nothing to read: it is graded elsewhere, not compared here.
        if (cell.job.state != JobState::Completed || cell.job.result.text.trimmed().isEmpty())
            continue;
        const QString key = questionKey(cell.caseId, cell.variantId);
        arenaCells.append({id, cell.job.targetId, key});
        m_answers.insert(id, {cell.caseId, cell.variantId, cell.job.result.text});
        if (m_prompts.contains(key))
            continue;
        QString prompt;
        if (const SuiteCase *c = suite.findCase(cell.caseId)) {
            const CaseVariant *variant = nullptr;
            for (const CaseVariant &v : c->variants) {
                if (v.id == cell.variantId)
                    variant = &v;
            }
            QStringList parts;
            for (const ChatMessage &m : suite.messagesFor(*c, variant))
                parts.append(m.content);
            prompt = parts.join(QStringLiteral("\n\n"));
        }
        if (prompt.isEmpty())
            prompt = tr("(The prompt of case %1 is not in the run's suite.)").arg(cell.caseId);
        m_prompts.insert(key, prompt);
    }
    QSet<QString> voted;
    for (const StoredArenaVote &v : earlier)
        voted.insert(pairKey(v.leftJobId, v.rightJobId));
    // Seeded by the run: reopening it shows the pairs in the same order and on the same sides.
    const QList<ArenaPair> all = HumanReview::arenaPairs(arenaCells, Stats::stableSeed(runId), kMaxPairs);
    m_pairs.clear();
    for (const ArenaPair &p : all) {
        if (!voted.contains(pairKey(p.leftCellId, p.rightCellId)))
            m_pairs.append(p);
    }
    m_position = 0;
    Q_EMIT changed();
}

std::optional<ArenaPair> ArenaSession::currentPair() const
{
    if (atEnd())
        return std::nullopt;
    return m_pairs.at(m_position);
}

std::optional<ArenaSession::Question> ArenaSession::current() const
{
    const auto pair = currentPair();
    if (!pair)
        return std::nullopt;
    const Answer left = m_answers.value(pair->leftCellId);
    const Answer right = m_answers.value(pair->rightCellId);
    return Question{m_prompts.value(questionKey(left.caseId, left.variantId)), left.text, right.text};
}

void ArenaSession::vote(ArenaVote::Choice choice, const QString &note)
{
    const auto pair = currentPair();
    if (!pair)
        return;
    const Answer left = m_answers.value(pair->leftCellId);
    StoredArenaVote v;
    v.runId = m_runId;
    v.voteId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    v.caseId = left.caseId;
    v.variantId = left.variantId;
    v.leftJobId = pair->leftCellId;
    v.rightJobId = pair->rightCellId;
    v.choice = choiceName(choice);
    v.note = note.trimmed();
    v.votedAt = QDateTime::currentDateTimeUtc();
    m_cast.append({v, m_position});
    if (persistent())
        m_writer->addArenaVote(v);
    ++m_position;
    Q_EMIT changed();
}

void ArenaSession::skip()
{
    if (atEnd())
        return;
    ++m_position;
    Q_EMIT changed();
}

void ArenaSession::undo()
{
    if (m_cast.isEmpty())
        return;
    const Cast last = m_cast.takeLast();
    if (persistent())
        m_writer->retractArenaVote(m_runId, last.vote.voteId);
    // Back to the undone pair; pairs after it were only skipped (a vote after it would be the last).
    m_position = last.pairIndex;
    Q_EMIT changed();
}

QList<StoredArenaVote> ArenaSession::votes() const
{
    QList<StoredArenaVote> out = m_earlier;
    for (const Cast &c : m_cast)
        out.append(c.vote);
    return out;
}

ArenaSession::RankingInput ArenaSession::rankingInput() const
{
    RankingInput input;
    for (const StoredArenaVote &v : votes()) {
        if (const auto choice = choiceFromName(v.choice))
            input.votes.append({v.leftJobId, v.rightJobId, *choice, v.note});
    }
    input.targetOf = m_targetOf;
    input.seed = Stats::stableSeed(m_runId);
    return input;
}

ArenaRanking ArenaSession::rank(const RankingInput &input)
{
    // A small prior: with few votes a target that won (or lost) every one keeps a finite strength
    // and an interval, at a little shrinkage (BradleyTerryOptions::prior).
    BradleyTerry::Options options;
    options.prior = 0.5;
    return HumanReview::arenaRanking(input.votes, input.targetOf, input.seed, 400, options);
}

QString ArenaSession::choiceName(ArenaVote::Choice choice)
{
    switch (choice) {
    case ArenaVote::Choice::Left:
        return QStringLiteral("left");
    case ArenaVote::Choice::Right:
        return QStringLiteral("right");
    case ArenaVote::Choice::Tie:
        break;
    }
    return QStringLiteral("tie");
}

std::optional<ArenaVote::Choice> ArenaSession::choiceFromName(const QString &name)
{
    if (name == u"left")
        return ArenaVote::Choice::Left;
    if (name == u"right")
        return ArenaVote::Choice::Right;
    if (name == u"tie")
        return ArenaVote::Choice::Tie;
    return std::nullopt;
}

} // namespace Slopscope
