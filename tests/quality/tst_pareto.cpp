#include "quality/Pareto.h"

#include <QTest>

using namespace Slopscope;

class TestPareto final : public QObject
{
    Q_OBJECT

private slots:
    void frontier_data();
    void frontier();
};

void TestPareto::frontier_data()
{
    QTest::addColumn<QList<TradeoffPoint>>("points");
    QTest::addColumn<QList<qsizetype>>("expected");
    QTest::newRow("empty") << QList<TradeoffPoint>{} << QList<qsizetype>{};
    QTest::newRow("one") << QList<TradeoffPoint>{{1, 0.5}} << QList<qsizetype>{0};
    // cheap+weak, mid+strong, dear+strongest, dear+weak (dominated), mid+weak (dominated)
    QTest::newRow("market") << QList<TradeoffPoint>{{0.1, 0.55}, {1.0, 0.85}, {20, 0.92}, {15, 0.6}, {1.0, 0.5}}
                            << QList<qsizetype>{0, 1, 2};
    QTest::newRow("equal cost keeps better") << QList<TradeoffPoint>{{1, 0.4}, {1, 0.8}} << QList<qsizetype>{1};
    QTest::newRow("exact tie keeps first") << QList<TradeoffPoint>{{1, 0.8}, {1, 0.8}} << QList<qsizetype>{0};
    QTest::newRow("cheaper and better dominates") << QList<TradeoffPoint>{{5, 0.5}, {1, 0.9}} << QList<qsizetype>{1};
}

void TestPareto::frontier()
{
    QFETCH(QList<TradeoffPoint>, points);
    QFETCH(QList<qsizetype>, expected);
    QCOMPARE(paretoFrontier(points), expected);
}

QTEST_GUILESS_MAIN(TestPareto)
#include "tst_pareto.moc"
