#include "judge/PairwiseJudgement.h"

#include <QSet>
#include <QTest>

using namespace Slopscope;

namespace {

Result<BestPick> pick(int index)
{
    BestPick p;
    p.index = index;
    p.label = QString(QChar(u'A' + index));
    p.reason = QStringLiteral("because %1").arg(p.label);
    return p;
}

} // namespace

class TestPairwiseJudgement final : public QObject
{
    Q_OBJECT

private slots:
    void swappedPositionsMapBackToTheSameAnswer();
    void flippingWithThePositionIsInconsistent();
    void anErrorInEitherAskIsAnError();
    void ordersAreSeededPermutations();
};

void TestPairwiseJudgement::swappedPositionsMapBackToTheSameAnswer()
{
    // Two answers, x (0) and y (1). First ask shows [y, x]; the swapped ask [x, y].
    const QList<int> first{1, 0};
    const QList<int> second = PairwiseJudgement::swapped(first);
    QCOMPARE(second, (QList<int>{0, 1}));
    // The judge picks A first (= y) and B second (= y): consistent, y wins.
    const auto outcome = PairwiseJudgement::combine(first, pick(0), second, pick(1));
    QVERIFY(outcome.ok());
    QVERIFY(outcome.value().consistent);
    QCOMPARE(outcome.value().winner, 1);
    QCOMPARE(outcome.value().firstPick, 1);
    QCOMPARE(outcome.value().secondPick, 1);
    QCOMPARE(outcome.value().firstReason, QStringLiteral("because A"));
    QCOMPARE(outcome.value().secondReason, QStringLiteral("because B"));
}

void TestPairwiseJudgement::flippingWithThePositionIsInconsistent()
{
    // A judge that always says "A" (position bias) picks y, then x: no verdict.
    const QList<int> first{1, 0};
    const auto biased = PairwiseJudgement::combine(first, pick(0), PairwiseJudgement::swapped(first), pick(0));
    QVERIFY(biased.ok());
    QVERIFY(!biased.value().consistent);
    QCOMPARE(biased.value().winner, -1);
    QCOMPARE(biased.value().firstPick, 1);
    QCOMPARE(biased.value().secondPick, 0);
    // Three answers: reversed order, the middle one keeps its position.
    const QList<int> three{2, 0, 1};
    QCOMPARE(PairwiseJudgement::swapped(three), (QList<int>{1, 0, 2}));
    const auto middle = PairwiseJudgement::combine(three, pick(1), PairwiseJudgement::swapped(three), pick(1));
    QVERIFY(middle.value().consistent);
    QCOMPARE(middle.value().winner, 0);
    const auto lastThenFirst = PairwiseJudgement::combine(three, pick(2), PairwiseJudgement::swapped(three), pick(0));
    QVERIFY(lastThenFirst.value().consistent); // answer 1 both times
    QCOMPARE(lastThenFirst.value().winner, 1);
}

void TestPairwiseJudgement::anErrorInEitherAskIsAnError()
{
    const QList<int> order{0, 1};
    const Result<BestPick> broken = Error{QStringLiteral("no JSON verdict")};
    const auto a = PairwiseJudgement::combine(order, broken, PairwiseJudgement::swapped(order), pick(0));
    QVERIFY(!a.ok());
    QVERIFY(a.error().contains(QStringLiteral("first ask: no JSON verdict")));
    const auto b = PairwiseJudgement::combine(order, pick(0), PairwiseJudgement::swapped(order), broken);
    QVERIFY(!b.ok());
    QVERIFY(b.error().contains(QStringLiteral("swapped ask")));
    // A pick outside the answers shown cannot be mapped back.
    QVERIFY(!PairwiseJudgement::combine(order, pick(5), order, pick(0)).ok());
}

void TestPairwiseJudgement::ordersAreSeededPermutations()
{
    for (qsizetype n : {2, 3, 7}) {
        const QList<int> order = PairwiseJudgement::firstOrder(n, 42);
        QCOMPARE(order.size(), n);
        QCOMPARE(QSet<int>(order.cbegin(), order.cend()).size(), n);
        QCOMPARE(PairwiseJudgement::firstOrder(n, 42), order); // same seed, same order
    }
    // Over many seeds, each of two answers goes first about half the time.
    int firstIsZero = 0;
    for (quint64 seed = 0; seed < 1000; ++seed)
        firstIsZero += PairwiseJudgement::firstOrder(2, seed).first() == 0 ? 1 : 0;
    QVERIFY2(firstIsZero > 400 && firstIsZero < 600, qPrintable(QString::number(firstIsZero)));
}

QTEST_GUILESS_MAIN(TestPairwiseJudgement)
#include "tst_pairwisejudgement.moc"
