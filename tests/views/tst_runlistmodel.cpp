#include "views/RunListModel.h"

// The history browser's run list (S-9): names and stop reasons come from suite files and providers,
// so a tooltip never reads them as markup, and the display is the text as it is.

#include <QAbstractItemModelTester>
#include <QTest>

using namespace Slopscope;

class TestRunListModel final : public QObject
{
    Q_OBJECT

private slots:
    void tooltipsAreTextNotMarkup();
};

void TestRunListModel::tooltipsAreTextNotMarkup()
{
    const QString hostile = QStringLiteral("<img src=\"file:///etc/passwd\"><b>x</b>");
    RunRecord run;
    run.id = QStringLiteral("run-1");
    run.suiteName = hostile;
    run.state = RunState::Cancelled;
    run.stopReason = QStringLiteral("Stopped: <a href=\"javascript:alert(1)\">provider said</a>");
    run.targetIds = {QStringLiteral("<i>t</i>"), QStringLiteral("b")};
    RunListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setRuns({run});
    QCOMPARE(model.rowCount(), 1);
    // Views draw DisplayRole as plain text: it stays the text as recorded.
    QCOMPARE(model.index(0, RunListModel::SuiteColumn).data().toString(), hostile);
    for (int column = 0; column < RunListModel::ColumnCount; ++column) {
        const QString tip = model.index(0, column).data(Qt::ToolTipRole).toString();
        QVERIFY2(!tip.contains(u"<img") && !tip.contains(u"<a ") && !tip.contains(u"<i>"), qPrintable(tip));
    }
    const QString stateTip = model.index(0, RunListModel::StateColumn).data(Qt::ToolTipRole).toString();
    QVERIFY2(stateTip.contains(u"&lt;a href"), qPrintable(stateTip)); // shown, escaped, not dropped
    const QString targetsTip = model.index(0, RunListModel::TargetsColumn).data(Qt::ToolTipRole).toString();
    QVERIFY2(targetsTip.contains(u"&lt;i&gt;t&lt;/i&gt;, b"), qPrintable(targetsTip));
}

QTEST_GUILESS_MAIN(TestRunListModel)
#include "tst_runlistmodel.moc"
