#include "core/Workspace.h"
#include "MainWindow.h"
#include "TargetListWidget.h"

#include <QTest>

using namespace Slopscope;

class TestMainWindow final : public QObject
{
    Q_OBJECT

private slots:
    void showsTheDemoLineup();
    void uncheckedTargetsLeaveTheRun();
};

void TestMainWindow::showsTheDemoLineup()
{
    MainWindow window;
    const Workspace demo = Workspace::demo();
    window.setWorkspace(demo);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.windowTitle().contains(demo.name));
    TargetListWidget *list = window.targetList();
    QCOMPARE(list->topLevelItemCount(), demo.targets.size());
    QCOMPARE(list->topLevelItem(0)->text(TargetListWidget::LabelColumn), demo.targets.first().label);
    QCOMPARE(list->checkedTargetIds().size(), demo.targets.size());
    // Prices from the workspace, formatted; a target without prices would say "unknown".
    QVERIFY(list->topLevelItem(0)->text(TargetListWidget::PriceColumn).contains(QStringLiteral("0.35")));
}

void TestMainWindow::uncheckedTargetsLeaveTheRun()
{
    MainWindow window;
    window.setWorkspace(Workspace::demo());
    TargetListWidget *list = window.targetList();
    list->topLevelItem(1)->setCheckState(TargetListWidget::LabelColumn, Qt::Unchecked);
    const QStringList ids = list->checkedTargetIds();
    QCOMPARE(ids.size(), list->topLevelItemCount() - 1);
    QVERIFY(!ids.contains(window.workspace().targets.at(1).id));
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
