#include "views/LeaderboardModel.h"
#include "views/LeaderboardSortProxy.h"
#include "ViewsFixture.h"

#include <QAbstractItemModelTester>
#include <QColor>
#include <QSignalSpy>
#include <QTest>

using namespace Slopscope;

namespace {

TargetSummary summary(const QString &id, std::optional<double> quality, double cost, double decode)
{
    TargetSummary s;
    s.targetId = id;
    s.cells = 10;
    s.cases = 10;
    s.quality = quality;
    if (quality) {
        s.qualityLow = *quality - 0.075;
        s.qualityHigh = *quality + 0.065;
    }
    s.costPer1000Cases = cost;
    s.medianTtftMs = 250.0;
    s.medianDecodeTokensPerSecond = decode;
    return s;
}

CellResult timedCell(const QString &target, int i, qint64 ttftMs)
{
    CellResult c = ViewsFixture::cell(target, QStringLiteral("c%1").arg(i), 1.0, true);
    c.metrics.ttftNs = ttftMs * 1'000'000;
    return c;
}

QString text(const QAbstractItemModel &m, int row, int column, int role = Qt::DisplayRole)
{
    return m.index(row, column).data(role).toString();
}

} // namespace

class TestLeaderboardModel final : public QObject
{
    Q_OBJECT

private slots:
    void rowsFollowTheLineupAndNewTargets();
    void showsSummaryFiguresWithIntervals();
    void computesTtftP95AndErrorRateFromCells();
    void tooltipsSayWhatFiguresRestOn();
    void updatesTouchOnlyTheirRow();
    void sortsByRawNumbersUnknownLast();
    void showsJudgeHumanAgreement();
};

void TestLeaderboardModel::rowsFollowTheLineupAndNewTargets()
{
    LeaderboardModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setTargets({ViewsFixture::target(QStringLiteral("a"), QStringLiteral("#E69F00")),
                      ViewsFixture::target(QStringLiteral("b"))});
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.columnCount(), int(LeaderboardModel::ColumnCount));
    QCOMPARE(text(model, 0, LeaderboardModel::TargetColumn), QStringLiteral("A"));
    QCOMPARE(model.index(0, 0).data(Qt::DecorationRole).value<QColor>(), QColor(0xE6, 0x9F, 0x00));
    // Nothing measured yet: a dash, and no number to sort by.
    QCOMPARE(text(model, 0, LeaderboardModel::QualityColumn), QStringLiteral("—"));
    QVERIFY(!model.index(0, LeaderboardModel::QualityColumn).data(LeaderboardModel::SortRole).isValid());

    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    model.updateSummary(summary(QStringLiteral("stranger"), 0.5, 1.0, 10));
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(inserted.first().at(1).toInt(), 2);
    QCOMPARE(model.targetIdAt(2), QStringLiteral("stranger"));
    QCOMPARE(text(model, 2, LeaderboardModel::TargetColumn), QStringLiteral("stranger"));
}

void TestLeaderboardModel::showsSummaryFiguresWithIntervals()
{
    QLocale::setDefault(QLocale::c());
    LeaderboardModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setTargets({ViewsFixture::target(QStringLiteral("a"))});
    TargetSummary s = summary(QStringLiteral("a"), 0.725, 0.0123, 612.4);
    s.brittleness = 0.08;
    s.brittlenessLow = 0.02;
    s.brittlenessHigh = 0.15;
    model.updateSummary(s);
    QCOMPARE(text(model, 0, LeaderboardModel::QualityColumn), QStringLiteral("72.5% (65.0–79.0)"));
    QCOMPARE(model.index(0, LeaderboardModel::QualityColumn).data(LeaderboardModel::SortRole).toDouble(), 0.725);
    QCOMPARE(text(model, 0, LeaderboardModel::BrittlenessColumn), QStringLiteral("8.0 pts (2.0 to 15.0)"));
    QCOMPARE(text(model, 0, LeaderboardModel::CostColumn), QStringLiteral("$0.0123"));
    QCOMPARE(text(model, 0, LeaderboardModel::DecodeColumn), QStringLiteral("612 tok/s"));
    QCOMPARE(text(model, 0, LeaderboardModel::TtftP50Column), QStringLiteral("250 ms"));
    QCOMPARE(text(model, 0, LeaderboardModel::CasesColumn), QStringLiteral("10"));
    QCOMPARE(text(model, 0, LeaderboardModel::ErrorRateColumn), QStringLiteral("0.0%"));
    // p95 comes from the cells only; none seen yet.
    QCOMPARE(text(model, 0, LeaderboardModel::TtftP95Column), QStringLiteral("—"));
}

void TestLeaderboardModel::computesTtftP95AndErrorRateFromCells()
{
    QLocale::setDefault(QLocale::c());
    LeaderboardModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setTargets({ViewsFixture::target(QStringLiteral("a"))});
    // 20 answers at 100, 200, ... 2000 ms: nearest-rank p95 is the 19th smallest, p50 the 10th.
    for (int i = 20; i >= 1; --i)
        model.addCell(timedCell(QStringLiteral("a"), i, i * 100));
    QCOMPARE(model.ttftP95Ms(QStringLiteral("a")), std::optional<double>(1900.0));
    QCOMPARE(text(model, 0, LeaderboardModel::TtftP95Column), QStringLiteral("1900 ms"));
    QCOMPARE(text(model, 0, LeaderboardModel::TtftP50Column), QStringLiteral("1000 ms"));
    // Failures count in the error rate and not in the timings.
    for (int i = 0; i < 5; ++i)
        model.addCell(
            ViewsFixture::failedCell(QStringLiteral("a"), QStringLiteral("x%1").arg(i), QStringLiteral("HTTP 500")));
    QCOMPARE(model.index(0, LeaderboardModel::ErrorRateColumn).data(LeaderboardModel::SortRole).toDouble(), 0.2);
    QCOMPARE(text(model, 0, LeaderboardModel::ErrorRateColumn), QStringLiteral("20.0%"));
    QCOMPARE(model.ttftP95Ms(QStringLiteral("a")), std::optional<double>(1900.0));
    QVERIFY(!model.ttftP95Ms(QStringLiteral("nobody")).has_value());
}

void TestLeaderboardModel::tooltipsSayWhatFiguresRestOn()
{
    LeaderboardModel model;
    model.setTargets({ViewsFixture::target(QStringLiteral("a"))});
    TargetSummary s = summary(QStringLiteral("a"), 0.5, 1.0, 10);
    s.cases = 37;
    model.updateSummary(s);
    QVERIFY(text(model, 0, LeaderboardModel::QualityColumn, Qt::ToolTipRole).contains(QStringLiteral("37 case")));
    QVERIFY(text(model, 0, LeaderboardModel::BrittlenessColumn, Qt::ToolTipRole).contains(QStringLiteral("Variants")));
    for (int i = 0; i < 3; ++i)
        model.addCell(timedCell(QStringLiteral("a"), i, 100));
    QVERIFY(text(model, 0, LeaderboardModel::TtftP95Column, Qt::ToolTipRole).contains(QStringLiteral("10 completed")));
}

void TestLeaderboardModel::updatesTouchOnlyTheirRow()
{
    LeaderboardModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setTargets({ViewsFixture::target(QStringLiteral("a")), ViewsFixture::target(QStringLiteral("b"))});
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.updateSummary(summary(QStringLiteral("b"), 0.9, 2.0, 50));
    model.addCell(timedCell(QStringLiteral("b"), 1, 300));
    QCOMPARE(changed.size(), 2);
    for (const QList<QVariant> &args : changed) {
        QCOMPARE(args.at(0).toModelIndex().row(), 1);
        QCOMPARE(args.at(1).toModelIndex().row(), 1);
    }
    QCOMPARE(inserted.size(), 0);
    QCOMPARE(reset.size(), 0);
}

void TestLeaderboardModel::sortsByRawNumbersUnknownLast()
{
    LeaderboardModel model;
    LeaderboardSortProxy proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setTargets({ViewsFixture::target(QStringLiteral("a")), ViewsFixture::target(QStringLiteral("b")),
                      ViewsFixture::target(QStringLiteral("c")), ViewsFixture::target(QStringLiteral("d"))});
    // Quality 0.9 displays "90.0%", 0.1 "10.0%": a text sort would put 10 > 9; raw numbers do not.
    model.updateSummary(summary(QStringLiteral("a"), 0.9, 12.0, 100));
    model.updateSummary(summary(QStringLiteral("b"), std::nullopt, 0.5, 900));
    model.updateSummary(summary(QStringLiteral("c"), 0.1, 3.0, 20));
    model.updateSummary(summary(QStringLiteral("d"), 0.45, 0.9, 300));

    const auto order = [&proxy] {
        QStringList ids;
        for (int r = 0; r < proxy.rowCount(); ++r)
            ids << proxy.index(r, 0).data(LeaderboardModel::TargetIdRole).toString();
        return ids.join(u',');
    };
    proxy.sort(LeaderboardModel::QualityColumn, Qt::DescendingOrder);
    QCOMPARE(order(), QStringLiteral("a,d,c,b"));
    proxy.sort(LeaderboardModel::QualityColumn, Qt::AscendingOrder);
    QCOMPARE(order(), QStringLiteral("c,d,a,b"));
    proxy.sort(LeaderboardModel::CostColumn, Qt::AscendingOrder);
    QCOMPARE(order(), QStringLiteral("b,d,c,a"));
    // Live: a new summary re-sorts (dynamic sort).
    model.updateSummary(summary(QStringLiteral("a"), 0.9, 0.1, 100));
    QCOMPARE(order(), QStringLiteral("a,b,d,c"));
}

void TestLeaderboardModel::showsJudgeHumanAgreement()
{
    LeaderboardModel model;
    LeaderboardSortProxy proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setTargets({ViewsFixture::target(QStringLiteral("a")), ViewsFixture::target(QStringLiteral("b")),
                      ViewsFixture::target(QStringLiteral("c"))});
    QCOMPARE(text(model, 0, LeaderboardModel::AgreementColumn), QStringLiteral("—"));
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setAgreement({
        {QStringLiteral("a"), QString(), Stats::Agreement{0.75, 0.5, 8}},
        {QStringLiteral("a"), QStringLiteral("judge-1"), Stats::Agreement{1.0, 1.0, 4}},
        {QStringLiteral("a"), QStringLiteral("judge-2"), Stats::Agreement{}},
        {QStringLiteral("b"), QString(), Stats::Agreement{}}, // nothing both graded: unknown, not 0%
        {QStringLiteral("c"), QString(), Stats::Agreement{0.9, 0.8, 10}},
        {QStringLiteral("stranger"), QString(), Stats::Agreement{1.0, 1.0, 1}},
    });
    QCOMPARE(changed.size(), 1);
    QCOMPARE(model.rowCount(), 3); // a rating never adds a target
    QCOMPARE(text(model, 0, LeaderboardModel::AgreementColumn), QStringLiteral("75.0%"));
    QCOMPARE(model.index(0, LeaderboardModel::AgreementColumn).data(LeaderboardModel::SortRole).toDouble(), 0.75);
    QCOMPARE(text(model, 1, LeaderboardModel::AgreementColumn), QStringLiteral("—"));
    QVERIFY(!model.index(1, LeaderboardModel::AgreementColumn).data(LeaderboardModel::SortRole).isValid());
    const QString tip = text(model, 0, LeaderboardModel::AgreementColumn, Qt::ToolTipRole);
    QVERIFY2(tip.contains(QStringLiteral("κ = 0.50")), qPrintable(tip));
    QVERIFY2(tip.contains(QStringLiteral("over 8 answer")), qPrintable(tip));
    QVERIFY2(tip.contains(QStringLiteral("Judge judge-1: 100.0% agreement, κ = 1.00, over 4 answer")), qPrintable(tip));
    QVERIFY2(tip.contains(QStringLiteral("Judge judge-2: no answer both graded")), qPrintable(tip));
    QVERIFY(text(model, 1, LeaderboardModel::AgreementColumn, Qt::ToolTipRole).contains(QStringLiteral("Unknown")));
    QCOMPARE(model.headerData(LeaderboardModel::AgreementColumn, Qt::Horizontal).toString(),
             QStringLiteral("Judge–human agreement"));

    const auto order = [&proxy] {
        QStringList ids;
        for (int r = 0; r < proxy.rowCount(); ++r)
            ids << proxy.index(r, 0).data(LeaderboardModel::TargetIdRole).toString();
        return ids.join(u',');
    };
    proxy.sort(LeaderboardModel::AgreementColumn, Qt::DescendingOrder);
    QCOMPARE(order(), QStringLiteral("c,a,b"));
    proxy.sort(LeaderboardModel::AgreementColumn, Qt::AscendingOrder);
    QCOMPARE(order(), QStringLiteral("a,c,b"));
    // A new run forgets the old run's agreement.
    model.clearResults();
    QCOMPARE(text(model, 2, LeaderboardModel::AgreementColumn), QStringLiteral("—"));
}

QTEST_GUILESS_MAIN(TestLeaderboardModel)
#include "tst_leaderboardmodel.moc"
