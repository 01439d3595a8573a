#include "StreamPane.h"
#include "StreamPaneGrid.h"

#include <QTest>

using namespace Slopscope;

namespace {
QList<TargetConfig> targets(int n)
{
    QList<TargetConfig> list;
    for (int i = 0; i < n; ++i) {
        TargetConfig t;
        t.id = QStringLiteral("t%1").arg(i);
        t.label = QStringLiteral("Target %1").arg(i);
        t.color = QStringLiteral("#0072B2");
        list.append(t);
    }
    return list;
}
} // namespace

class TestStreamPaneGrid final : public QObject
{
    Q_OBJECT

private slots:
    void onePanePerTarget();
    void columnsFollowTheWidth();
    void replacingTargetsDropsOldPanes();
};

void TestStreamPaneGrid::onePanePerTarget()
{
    StreamPaneGrid grid;
    grid.setTargets(targets(6));
    QCOMPARE(grid.paneCount(), 6);
    QVERIFY(grid.pane(QStringLiteral("t5")));
    QVERIFY(!grid.pane(QStringLiteral("t6")));
    grid.pane(QStringLiteral("t2"))->appendAnswer(QStringLiteral("x"));
    grid.clearAll();
    QCOMPARE(grid.pane(QStringLiteral("t2"))->answerText(), QString());
    grid.setCaseTitle(QStringLiteral("c1: Capital of France?"));
}

void TestStreamPaneGrid::columnsFollowTheWidth()
{
    StreamPaneGrid grid;
    grid.resize(1400, 800);
    grid.setTargets(targets(8));
    grid.show();
    QVERIFY(QTest::qWaitForWindowExposed(&grid));
    QCOMPARE(grid.columnCount(), 4);
    grid.resize(600, 800);
    QTRY_COMPARE(grid.columnCount(), 2);
    grid.setTargets(targets(1));
    QCOMPARE(grid.columnCount(), 1);
}

void TestStreamPaneGrid::replacingTargetsDropsOldPanes()
{
    StreamPaneGrid grid;
    grid.setTargets(targets(3));
    QPointer<StreamPane> old = grid.pane(QStringLiteral("t0"));
    grid.setTargets(targets(2));
    QCOMPARE(grid.paneCount(), 2);
    QTRY_VERIFY(old.isNull());
}

QTEST_MAIN(TestStreamPaneGrid)
#include "tst_streampanegrid.moc"
