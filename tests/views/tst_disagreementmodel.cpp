#include "views/DisagreementModel.h"

#include <QAbstractItemModelTester>
#include <QTest>

using namespace Slopscope;

class TestDisagreementModel final : public QObject
{
    Q_OBJECT

private slots:
    void listsDisputedFactsWithLabels();
};

void TestDisagreementModel::listsDisputedFactsWithLabels()
{
    DisagreementModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 0);
    const Disagreement::Result r =
        Disagreement::compare({{QStringLiteral("a"), QStringLiteral("it is 330 m in Paris")},
                               {QStringLiteral("b"), QStringLiteral("it is 324 m in Paris")},
                               {QStringLiteral("c"), QStringLiteral("it is 330 m in Paris")}});
    model.setResult(r, {{QStringLiteral("a"), QStringLiteral("Alpha")}, {QStringLiteral("b"), QStringLiteral("Beta")}});
    // Paris is agreed and not listed; 330 and 324 are.
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.columnCount(), int(DisagreementModel::ColumnCount));
    QCOMPARE(model.index(0, DisagreementModel::KindColumn).data().toString(), QStringLiteral("Number"));
    QCOMPARE(model.index(0, DisagreementModel::ValueColumn).data().toString(), QStringLiteral("330"));
    // Labels where known, the id otherwise.
    QCOMPARE(model.index(0, DisagreementModel::StatedByColumn).data().toString(), QStringLiteral("Alpha, c"));
    QCOMPARE(model.index(0, DisagreementModel::OthersColumn).data().toString(), QStringLiteral("Beta"));
    QCOMPARE(model.index(1, DisagreementModel::ValueColumn).data().toString(), QStringLiteral("324"));
    const QString tip = model.index(1, DisagreementModel::ValueColumn).data(Qt::ToolTipRole).toString();
    QVERIFY2(tip.contains(QStringLiteral("stated by Beta")) && tip.contains(QStringLiteral("Alpha, c state")),
             qPrintable(tip));
    QCOMPARE(model.index(1, 0).data(Qt::AccessibleTextRole).toString(), tip);
    QCOMPARE(model.factAt(1).key, QStringLiteral("324"));
    model.setResult({}, {});
    QCOMPARE(model.rowCount(), 0);
}

QTEST_GUILESS_MAIN(TestDisagreementModel)
#include "tst_disagreementmodel.moc"
