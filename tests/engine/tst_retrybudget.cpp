// RetryBudget: the per-provider circuit breaker of RELIABILITY.md F-1, with explicit times.
#include "engine/RetryBudget.h"

#include <QTest>

using namespace Slopscope;

class tst_RetryBudget : public QObject
{
    Q_OBJECT

private slots:
    void withinTheFloorEveryRetryGoesAtOnce()
    {
        RetryBudget budget(3, 0.1, 1000);
        QCOMPARE(budget.book(0, 0), 0);
        QCOMPARE(budget.book(5, 0), 5);
        QCOMPARE(budget.book(9, 0), 9);
        QCOMPARE(budget.booked(9), 3);
    }

    void beyondItRetriesQueueBehindTheWindow()
    {
        RetryBudget budget(2, 0.0, 1000);
        QCOMPARE(budget.book(0, 10), 0);
        QCOMPARE(budget.book(100, 10), 100);
        QCOMPARE(budget.book(200, 10), 1000); // when the retry at 0 leaves the window
        QCOMPARE(budget.book(300, 10), 1100); // behind it, when the one at 100 leaves
        QCOMPARE(budget.book(400, 10), 2000); // behind the one released at 1000
        QCOMPARE(budget.booked(400), 5);
        // Once the window has passed, the budget is whole again.
        QCOMPARE(budget.booked(3000), 0);
        QCOMPARE(budget.book(3000, 10), 3000);
    }

    void theRatioGrowsTheAllowanceWithTraffic()
    {
        RetryBudget budget(2, 0.1, 60'000);
        QCOMPARE(budget.allowance(0), 2);
        QCOMPARE(budget.allowance(29), 2);
        QCOMPARE(budget.allowance(30), 3);
        QCOMPARE(budget.allowance(500), 50);
        for (int i = 0; i < 50; ++i)
            QCOMPARE(budget.book(i, 500), i);
        QCOMPARE(budget.book(50, 500), 60'000); // the 51st: "≤ 10 % of requests in any 60 s"
    }

    void offAndDegenerateSettings()
    {
        RetryBudget off(-1, 0.1, 1000);
        QVERIFY(!off.enabled());
        for (int i = 0; i < 100; ++i)
            QCOMPARE(off.book(7, 0), 7);
        QCOMPARE(off.booked(7), 0);
        // A zero budget still lets one retry through per window instead of holding it for ever.
        RetryBudget zero(0, 0.0, 1000);
        QCOMPARE(zero.book(0, 0), 0);
        QCOMPARE(zero.book(1, 0), 1000);
        RetryBudget defaultBudget;
        QVERIFY(!defaultBudget.enabled());
    }
};

QTEST_GUILESS_MAIN(tst_RetryBudget)
#include "tst_retrybudget.moc"
