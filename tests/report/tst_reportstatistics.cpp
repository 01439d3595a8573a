#include "report/ReportStatistics.h"
#include "ReportFixture.h"

#include <QTest>

using namespace Slopscope;

class TestReportStatistics final : public QObject
{
    Q_OBJECT

private slots:
    void nearestRank_data();
    void nearestRank();
    void nearestRankOfNothingIsUnknown();
    void statusNames_data();
    void statusNames();
    void figuresOfATargetByHand();
    void unknownCostMakesTheTotalUnknown();
    void onlyCancelledCellsLeaveEveryFigureUnknown();
};

void TestReportStatistics::nearestRank_data()
{
    QTest::addColumn<QList<double>>("values");
    QTest::addColumn<double>("q");
    QTest::addColumn<double>("expected");
    const QList<double> five{5, 1, 4, 2, 3};
    QTest::newRow("median of five: 3rd") << five << 0.5 << 3.0;
    QTest::newRow("p95 of five: 5th") << five << 0.95 << 5.0;
    QTest::newRow("p20 of five: 1st") << five << 0.2 << 1.0;
    QTest::newRow("p0 clamps to the smallest") << five << 0.0 << 1.0;
    QList<double> twenty;
    for (int i = 20; i >= 1; --i)
        twenty.append(i);
    QTest::newRow("p95 of 20: 19th") << twenty << 0.95 << 19.0;
    QTest::newRow("p50 of four: 2nd") << QList<double>{40, 10, 30, 20} << 0.5 << 20.0;
}

void TestReportStatistics::nearestRank()
{
    QFETCH(QList<double>, values);
    QFETCH(double, q);
    QFETCH(double, expected);
    QCOMPARE(ReportStatistics::nearestRank(values, q), std::optional<double>(expected));
}

void TestReportStatistics::nearestRankOfNothingIsUnknown()
{
    QVERIFY(!ReportStatistics::nearestRank({}, 0.5).has_value());
}

void TestReportStatistics::statusNames_data()
{
    QTest::addColumn<JobState>("state");
    QTest::addColumn<QString>("name");
    QTest::newRow("completed") << JobState::Completed << QStringLiteral("ok");
    QTest::newRow("failed") << JobState::Failed << QStringLiteral("error");
    QTest::newRow("truncated") << JobState::Truncated << QStringLiteral("truncated");
    QTest::newRow("incomplete") << JobState::Incomplete << QStringLiteral("truncated");
    QTest::newRow("cancelled") << JobState::Cancelled << QStringLiteral("cancelled");
    QTest::newRow("never finished") << JobState::Running << QStringLiteral("error");
}

void TestReportStatistics::statusNames()
{
    QFETCH(JobState, state);
    QFETCH(QString, name);
    CellResult c;
    c.job.state = state;
    QCOMPARE(ReportStatistics::statusName(ReportStatistics::status(c)), name);
}

void TestReportStatistics::figuresOfATargetByHand()
{
    // alpha: TTFT 100, 300, 200 ms; latency 1000, 2000, 500, 1500 ms; one of four failed.
    const ReportTargetStats s = ReportStatistics::forTarget(QStringLiteral("alpha"), ReportFixture::cells());
    QCOMPARE(s.n, 4);
    QCOMPARE(s.nOk, 3);
    QCOMPARE(s.cancelled, 0);
    QCOMPARE(s.errorRate, std::optional<double>(0.25));
    QVERIFY(s.costUsdTotal.has_value());
    QVERIFY(qAbs(*s.costUsdTotal - 0.0045) < 1e-12);
    QCOMPARE(s.unknownCost, 0);
    QCOMPARE(s.ttftP50Ms, std::optional<double>(200.0));     // 2nd of 3
    QCOMPARE(s.ttftP95Ms, std::optional<double>(300.0));     // ⌈2.85⌉ = 3rd of 3
    QCOMPARE(s.latencyP50Ms, std::optional<double>(1000.0)); // 2nd of 4
    QCOMPARE(s.latencyP95Ms, std::optional<double>(2000.0)); // ⌈3.8⌉ = 4th of 4
    QCOMPARE(s.decodeTokensPerSecondP50, std::optional<double>(50.0));
}

void TestReportStatistics::unknownCostMakesTheTotalUnknown()
{
    // beta: 0.01 + unknown + 0.01; the truncated answer counts as an error.
    const ReportTargetStats s = ReportStatistics::forTarget(QStringLiteral("beta"), ReportFixture::cells());
    QCOMPARE(s.n, 3);
    QCOMPARE(s.nOk, 2);
    QVERIFY(qAbs(*s.errorRate - 1.0 / 3.0) < 1e-12);
    QVERIFY(!s.costUsdTotal.has_value());
    QVERIFY(qAbs(s.knownCostUsd - 0.02) < 1e-12);
    QCOMPARE(s.unknownCost, 1);
    QCOMPARE(s.ttftP95Ms, std::optional<double>(900.0));
    QVERIFY(!s.latencyP50Ms.has_value()); // no cell measured it: unknown, not 0
}

void TestReportStatistics::onlyCancelledCellsLeaveEveryFigureUnknown()
{
    const ReportTargetStats s = ReportStatistics::forTarget(QStringLiteral("gamma"), ReportFixture::cells());
    QCOMPARE(s.n, 0);
    QCOMPARE(s.cancelled, 1);
    QVERIFY(!s.errorRate.has_value());
    QVERIFY(!s.costUsdTotal.has_value());
    QVERIFY(!s.ttftP50Ms.has_value());
}

QTEST_GUILESS_MAIN(TestReportStatistics)
#include "tst_reportstatistics.moc"
