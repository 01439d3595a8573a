#include "judge/HumanReview.h"

#include <QCoreApplication>
#include <QMap>

#include <algorithm>

namespace Slopscope {

Result<HumanRating> HumanRating::passFail(const QString &cellId, bool pass, const QString &note)
{
    if (cellId.isEmpty())
        return Error{QCoreApplication::translate("HumanReview", "A rating needs the answer it rates.")};
    HumanRating r;
    r.cellId = cellId;
    r.kind = Kind::PassFail;
    r.pass = pass;
    r.note = note;
    return r;
}

Result<HumanRating> HumanRating::fromStars(const QString &cellId, int stars, const QString &note)
{
    if (cellId.isEmpty())
        return Error{QCoreApplication::translate("HumanReview", "A rating needs the answer it rates.")};
    if (stars < 1 || stars > 5)
        return Error{QCoreApplication::translate("HumanReview", "A rating has 1 to 5 stars, not %1.").arg(stars)};
    HumanRating r;
    r.cellId = cellId;
    r.kind = Kind::Stars;
    r.stars = stars;
    r.note = note;
    return r;
}

bool HumanRating::passes(int passAtStars) const
{
    return kind == Kind::PassFail ? pass : stars >= passAtStars;
}

Stats::Agreement HumanReview::judgeAgreement(const QHash<QString, bool> &judgePass, const QList<HumanRating> &ratings,
                                             int passAtStars)
{
    QMap<QString, bool> human; // ordered, so the pairs come out the same on every run
    for (const HumanRating &r : ratings) {
        if (r.kind == HumanRating::Kind::Stars && (r.stars < 1 || r.stars > 5))
            continue; // not a rating
        human.insert(r.cellId, r.passes(passAtStars));
    }
    QList<int> judge;
    QList<int> people;
    for (auto it = human.cbegin(); it != human.cend(); ++it) {
        const auto j = judgePass.constFind(it.key());
        if (j == judgePass.cend())
            continue;
        judge.append(j.value() ? 1 : 0);
        people.append(it.value() ? 1 : 0);
    }
    return Stats::agreement(judge, people);
}

ArenaRanking HumanReview::arenaRanking(const QList<ArenaVote> &votes, const QHash<QString, QString> &targetOfCell,
                                       std::uint64_t seed, int iterations, const BradleyTerry::Options &options)
{
    ArenaRanking out;
    QStringList targets;
    for (const ArenaVote &v : votes) {
        for (const QString &cell : {v.leftCellId, v.rightCellId}) {
            const QString t = targetOfCell.value(cell);
            if (!t.isEmpty() && !targets.contains(t))
                targets.append(t);
        }
    }
    targets.sort(); // players in a stable order: same votes, same intervals
    QList<Comparison> comparisons;
    QList<ArenaStanding> standings(targets.size());
    for (qsizetype i = 0; i < targets.size(); ++i)
        standings[i].targetId = targets.at(i);
    for (const ArenaVote &v : votes) {
        const QString left = targetOfCell.value(v.leftCellId);
        const QString right = targetOfCell.value(v.rightCellId);
        if (left.isEmpty() || right.isEmpty() || left == right) {
            ++out.skipped;
            continue;
        }
        Comparison c;
        c.a = static_cast<int>(targets.indexOf(left));
        c.b = static_cast<int>(targets.indexOf(right));
        ArenaStanding &l = standings[c.a];
        ArenaStanding &r = standings[c.b];
        switch (v.choice) {
        case ArenaVote::Choice::Left:
            c.scoreA = 1.0;
            ++l.wins;
            ++r.losses;
            break;
        case ArenaVote::Choice::Right:
            c.scoreA = 0.0;
            ++l.losses;
            ++r.wins;
            break;
        case ArenaVote::Choice::Tie:
            c.scoreA = 0.5;
            ++l.ties;
            ++r.ties;
            break;
        }
        comparisons.append(c);
        ++out.votes;
    }
    const QList<Stats::Interval> strengths =
        BradleyTerry::bootstrap(static_cast<int>(targets.size()), comparisons, seed, iterations, 0.95, options);
    for (qsizetype i = 0; i < standings.size(); ++i)
        standings[i].strength = strengths.value(i);
    std::stable_sort(standings.begin(), standings.end(), [](const ArenaStanding &a, const ArenaStanding &b) {
        return a.strength.estimate > b.strength.estimate;
    });
    out.standings = standings;
    return out;
}

QList<ArenaPair> HumanReview::arenaPairs(const QList<ArenaCell> &cells, std::uint64_t seed, qsizetype maxPairs)
{
    QMap<QString, QList<const ArenaCell *>> byQuestion;
    for (const ArenaCell &c : cells)
        byQuestion[c.questionKey].append(&c);
    QList<ArenaPair> all;
    for (const auto &group : std::as_const(byQuestion)) {
        for (qsizetype i = 0; i < group.size(); ++i) {
            for (qsizetype j = i + 1; j < group.size(); ++j) {
                if (group.at(i)->targetId != group.at(j)->targetId)
                    all.append(ArenaPair{group.at(i)->cellId, group.at(j)->cellId});
            }
        }
    }
    Stats::SeededRandom rng(seed);
    for (qsizetype i = all.size() - 1; i > 0; --i) {
        const auto j = static_cast<qsizetype>(rng.below(static_cast<std::uint64_t>(i + 1)));
        std::swap(all[i], all[j]);
    }
    if (maxPairs >= 0 && all.size() > maxPairs)
        all.resize(maxPairs);
    for (ArenaPair &p : all) {
        if (rng.below(2) == 1)
            std::swap(p.leftCellId, p.rightCellId);
    }
    return all;
}

} // namespace Slopscope
