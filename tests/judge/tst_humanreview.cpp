#include "judge/HumanReview.h"

#include <QSet>
#include <QTest>

#include <cmath>

using namespace Slopscope;

class TestHumanReview final : public QObject
{
    Q_OBJECT

private slots:
    void ratingsAreValidated();
    void agreementOverCellsRatedByBoth();
    void lastRatingOfACellCounts();
    void arenaVotesRankTargets();
    void arenaSkipsWhatItCannotPlace();
    void arenaPairsAreBlindAndFair();
};

void TestHumanReview::ratingsAreValidated()
{
    QVERIFY(HumanRating::fromStars(QStringLiteral("c"), 5).ok());
    QVERIFY(HumanRating::fromStars(QStringLiteral("c"), 1).ok());
    QVERIFY(!HumanRating::fromStars(QStringLiteral("c"), 0).ok());
    QVERIFY(!HumanRating::fromStars(QStringLiteral("c"), 6).ok());
    QVERIFY(!HumanRating::passFail(QString(), true).ok());
    const auto r = HumanRating::fromStars(QStringLiteral("c"), 4, QStringLiteral("good, a bit long"));
    QCOMPARE(r.value().note, QStringLiteral("good, a bit long"));
    QVERIFY(r.value().passes());
    QVERIFY(!HumanRating::fromStars(QStringLiteral("c"), 3).value().passes());
    QVERIFY(HumanRating::fromStars(QStringLiteral("c"), 3).value().passes(3));
    QVERIFY(HumanRating::passFail(QStringLiteral("c"), true).value().passes());
    QVERIFY(!HumanRating::passFail(QStringLiteral("c"), false).value().passes());
}

void TestHumanReview::agreementOverCellsRatedByBoth()
{
    // Judge: c1..c6; humans: c1..c5 and c9 (which the judge did not grade).
    const QHash<QString, bool> judge{{QStringLiteral("c1"), true},  {QStringLiteral("c2"), true},
                                     {QStringLiteral("c3"), false}, {QStringLiteral("c4"), false},
                                     {QStringLiteral("c5"), true},  {QStringLiteral("c6"), true}};
    const QList<HumanRating> people{
        HumanRating::passFail(QStringLiteral("c1"), true).value(),
        HumanRating::fromStars(QStringLiteral("c2"), 2).value(), // a fail at the default 4 stars
        HumanRating::passFail(QStringLiteral("c3"), false).value(),
        HumanRating::fromStars(QStringLiteral("c4"), 1).value(),
        HumanRating::fromStars(QStringLiteral("c5"), 5).value(),
        HumanRating::passFail(QStringLiteral("c9"), true).value(),
    };
    const Stats::Agreement a = HumanReview::judgeAgreement(judge, people);
    QCOMPARE(a.n, 5);
    // Pairs (judge, human): (1,1) (1,0) (0,0) (0,0) (1,1): 4 of 5 agree.
    QCOMPARE(a.percent, 0.8);
    // Expected agreement: judge 3/5 pass, humans 2/5 pass → 0.6·0.4 + 0.4·0.6 = 0.48;
    // kappa = (0.8 − 0.48) / (1 − 0.48) = 0.615384…
    QVERIFY(std::abs(a.kappa - 0.32 / 0.52) < 1e-12);
    // Nothing in common: no figure.
    QCOMPARE(HumanReview::judgeAgreement(judge, {HumanRating::passFail(QStringLiteral("x"), true).value()}).n, 0);
}

void TestHumanReview::lastRatingOfACellCounts()
{
    const QHash<QString, bool> judge{{QStringLiteral("c1"), true}};
    const QList<HumanRating> people{HumanRating::passFail(QStringLiteral("c1"), false).value(),
                                    HumanRating::fromStars(QStringLiteral("c1"), 5).value()};
    const Stats::Agreement a = HumanReview::judgeAgreement(judge, people);
    QCOMPARE(a.n, 1);
    QCOMPARE(a.percent, 1.0);
}

void TestHumanReview::arenaVotesRankTargets()
{
    // Cells of three targets; votes: x beats y 4-2 with 1 tie, x-z 3-3, y beats z 5-1 with 2 ties
    // (the example of tst_bradleyterry, checked there against an independent fit).
    const QHash<QString, QString> targetOf{{QStringLiteral("cx"), QStringLiteral("x")},
                                           {QStringLiteral("cy"), QStringLiteral("y")},
                                           {QStringLiteral("cz"), QStringLiteral("z")}};
    QList<ArenaVote> votes;
    auto add = [&votes](const char *left, const char *right, ArenaVote::Choice choice, int times) {
        for (int i = 0; i < times; ++i)
            votes.append(ArenaVote{QString::fromLatin1(left), QString::fromLatin1(right), choice, {}});
    };
    add("cx", "cy", ArenaVote::Choice::Left, 4);
    add("cy", "cx", ArenaVote::Choice::Left, 2); // sides swapped: y won
    add("cx", "cy", ArenaVote::Choice::Tie, 1);
    add("cz", "cx", ArenaVote::Choice::Right, 3);
    add("cz", "cx", ArenaVote::Choice::Left, 3);
    add("cy", "cz", ArenaVote::Choice::Left, 5);
    add("cy", "cz", ArenaVote::Choice::Right, 1);
    add("cz", "cy", ArenaVote::Choice::Tie, 2);
    const ArenaRanking r = HumanReview::arenaRanking(votes, targetOf, 3, 300);
    QCOMPARE(r.votes, 21);
    QCOMPARE(r.skipped, 0);
    QCOMPARE(r.standings.size(), 3);
    QCOMPARE(r.standings.at(0).targetId, QStringLiteral("x"));
    QCOMPARE(r.standings.at(1).targetId, QStringLiteral("y"));
    QCOMPARE(r.standings.at(2).targetId, QStringLiteral("z"));
    QVERIFY(std::abs(r.standings.at(0).strength.estimate - 0.402719879135188) < 1e-9);
    QVERIFY(std::abs(r.standings.at(2).strength.estimate - 0.216621212591977) < 1e-9);
    QCOMPARE(r.standings.at(0).wins, 7);
    QCOMPARE(r.standings.at(0).losses, 5);
    QCOMPARE(r.standings.at(0).ties, 1);
    QCOMPARE(r.standings.at(1).ties, 3);
    for (const ArenaStanding &s : r.standings)
        QVERIFY(s.strength.low <= s.strength.estimate && s.strength.estimate <= s.strength.high);
    QCOMPARE(r.standings.at(1).strength.n, 15);
}

void TestHumanReview::arenaSkipsWhatItCannotPlace()
{
    const QHash<QString, QString> targetOf{{QStringLiteral("a1"), QStringLiteral("a")},
                                           {QStringLiteral("a2"), QStringLiteral("a")},
                                           {QStringLiteral("b1"), QStringLiteral("b")}};
    const QList<ArenaVote> votes{{QStringLiteral("a1"), QStringLiteral("a2"), ArenaVote::Choice::Left, {}},
                                 {QStringLiteral("a1"), QStringLiteral("gone"), ArenaVote::Choice::Left, {}},
                                 {QStringLiteral("b1"), QStringLiteral("a1"), ArenaVote::Choice::Left, {}}};
    const ArenaRanking r = HumanReview::arenaRanking(votes, targetOf, 1, 50);
    QCOMPARE(r.votes, 1);
    QCOMPARE(r.skipped, 2);
    QCOMPARE(r.standings.first().targetId, QStringLiteral("b"));
}

void TestHumanReview::arenaPairsAreBlindAndFair()
{
    QList<ArenaCell> cells;
    for (const char *q : {"q1", "q2"}) {
        for (const char *t : {"t1", "t2", "t3"}) {
            const QString id = QString::fromLatin1(q) + u'|' + QString::fromLatin1(t);
            cells.append(ArenaCell{id, QString::fromLatin1(t), QString::fromLatin1(q)});
        }
    }
    cells.append(ArenaCell{QStringLiteral("q1|t1|again"), QStringLiteral("t1"), QStringLiteral("q1")});
    const QList<ArenaPair> all = HumanReview::arenaPairs(cells, 5, -1);
    // Per question, pairs of different targets: q1 has 4 cells (t1 twice) → 5 pairs; q2 → 3.
    QCOMPARE(all.size(), 8);
    QSet<QString> seen;
    int leftIsSmaller = 0;
    for (const ArenaPair &p : all) {
        QCOMPARE(p.leftCellId.section(u'|', 0, 0), p.rightCellId.section(u'|', 0, 0));  // same question
        QVERIFY(p.leftCellId.section(u'|', 1, 1) != p.rightCellId.section(u'|', 1, 1)); // other target
        const QString key = std::min(p.leftCellId, p.rightCellId) + u'~' + std::max(p.leftCellId, p.rightCellId);
        QVERIFY(!seen.contains(key));
        seen.insert(key);
        leftIsSmaller += p.leftCellId < p.rightCellId ? 1 : 0;
    }
    QVERIFY(leftIsSmaller > 0 && leftIsSmaller < all.size()); // sides are drawn, not fixed
    QCOMPARE(HumanReview::arenaPairs(cells, 5, 3).size(), 3);
    const auto again = HumanReview::arenaPairs(cells, 5, -1);
    QCOMPARE(again.first().leftCellId, all.first().leftCellId);
}

QTEST_GUILESS_MAIN(TestHumanReview)
#include "tst_humanreview.moc"
