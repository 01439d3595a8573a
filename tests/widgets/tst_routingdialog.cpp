#include "../routing/RoutingTestData.h"
#include "core/Workspace.h"
#include "MainWindow.h"
#include "QuadrantChart.h"
#include "routing/RoutingEvaluator.h"
#include "routing/RoutingSearch.h"
#include "RoutingComparisonModel.h"
#include "RoutingDialog.h"
#include "RoutingPolicyEditor.h"
#include "run/RunSession.h"
#include "TargetListWidget.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QChart>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QListWidget>
#include <QLocale>
#include <QPushButton>
#include <QScatterSeries>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace Slopscope;
using namespace Slopscope::RoutingTest;

namespace {

// Four cases; "cheap" is right on half of them, "strong" on all but one, at ten times the price.
// "mid" is in between. Case d is tagged critical.
struct Run
{
    Suite suite = suiteOf({{"a", {}}, {"b", {}}, {"c", {QStringLiteral("easy")}}, {"d", {QStringLiteral("critical")}}});
    QList<CellResult> cells;
    QStringList lineup{QStringLiteral("cheap"), QStringLiteral("mid"), QStringLiteral("strong")};

    Run()
    {
        const double cheap[] = {1.0, 0.0, 1.0, 0.0};
        const double mid[] = {1.0, 1.0, 0.0, 0.5};
        const double strong[] = {1.0, 1.0, 1.0, 0.5};
        const char *ids[] = {"a", "b", "c", "d"};
        for (int i = 0; i < 4; ++i) {
            cells << answer(ids[i], "cheap", cheap[i], 0.001, 100.0 + i);
            cells << answer(ids[i], "mid", mid[i], 0.004, 400.0 + i);
            cells << answer(ids[i], "strong", strong[i], 0.010, 1000.0 + 10 * i);
        }
    }
};

RoutingPolicy cheapThenStrong()
{
    return RoutingPolicy::cascade(QStringLiteral("cheap-then-strong"),
                                  {CascadeStage{QStringLiteral("cheap"), RoutingPolicy::kOracleValidator, 1.0},
                                   CascadeStage{QStringLiteral("strong"), {}, 0.5}});
}

bool sameRoute(RoutingPolicy a, RoutingPolicy b)
{
    a.name.clear();
    b.name.clear();
    a.description.clear();
    b.description.clear();
    return a == b;
}

QVariant figure(const RoutingComparisonModel *model, int row, int column)
{
    return model->index(row, column).data(RoutingComparisonModel::ValueRole);
}

void compareRow(const RoutingComparisonModel *model, int row, const RoutingEvaluation &e)
{
    QCOMPARE(model->index(row, RoutingComparisonModel::PolicyColumn).data().toString(), e.policy.name);
    QCOMPARE(figure(model, row, RoutingComparisonModel::QualityColumn).toDouble(), e.quality.value());
    QCOMPARE(figure(model, row, RoutingComparisonModel::IntervalColumn).toDouble(),
             e.qualityHigh.value() - e.qualityLow.value());
    QCOMPARE(figure(model, row, RoutingComparisonModel::CostColumn).toDouble(), e.costPer1000Cases.value());
    QCOMPARE(figure(model, row, RoutingComparisonModel::P50Column).toDouble(), e.latencyP50Ms.value());
    QCOMPARE(figure(model, row, RoutingComparisonModel::P95Column).toDouble(), e.latencyP95Ms.value());
    QCOMPARE(figure(model, row, RoutingComparisonModel::MissingColumn).toLongLong(),
             static_cast<qlonglong>(e.missingAnswers + e.missingVerdicts));
    // What is shown is those figures, formatted.
    const QLocale locale;
    QCOMPARE(model->index(row, RoutingComparisonModel::QualityColumn).data().toString(),
             locale.toString(*e.quality * 100.0, 'f', 1) + u'%');
    QCOMPARE(model->index(row, RoutingComparisonModel::CostColumn).data().toString(),
             u'$' + locale.toString(*e.costPer1000Cases, 'f', 4));
    QCOMPARE(model->index(row, RoutingComparisonModel::IntervalColumn).data().toString(),
             QStringLiteral("%1–%2%").arg(locale.toString(*e.qualityLow * 100.0, 'f', 1),
                                          locale.toString(*e.qualityHigh * 100.0, 'f', 1)));
}

} // namespace

class TestRoutingDialog final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void tableShowsTheEvaluatorsFigures();
    void replaysOffTheGuiThreadLatestWins();
    void missingDataIsListed();
    void searchAddsTheAnswer_data();
    void searchAddsTheAnswer();
    void badPolicyFileIsReported();
    void savedFileLoadsBack();
    void editorRoundTrips_data();
    void editorRoundTrips();
    void invalidEditIsRefused();
    void mainWindowDrawsPolicyPoints();
    void fetchAsksTheValidatorForWhatIsMissing();

private:
    Run m_run;
};

void TestRoutingDialog::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestRoutingDialog::tableShowsTheEvaluatorsFigures()
{
    RoutingDialog dialog;
    QVERIFY(!dialog.hasRun());
    QAbstractItemModelTester tester(dialog.comparisonModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy changed(&dialog, &RoutingDialog::evaluationsChanged);
    dialog.setPolicies({cheapThenStrong()});
    QVERIFY(dialog.policyEvaluations().isEmpty()); // no run: the policy waits
    dialog.setRun(m_run.cells, m_run.suite, m_run.lineup, QStringLiteral("the test run"));
    QVERIFY(dialog.hasRun());
    QTRY_VERIFY(!dialog.isReplaying());
    QVERIFY(changed.count() >= 2);
    QVERIFY(dialog.runText().contains(QStringLiteral("the test run")));

    const RoutingEvaluator evaluator(m_run.cells, m_run.suite);
    const RoutingEvaluation expected = evaluator.evaluate(cheapThenStrong());
    const RoutingComparisonModel *model = dialog.comparisonModel();
    QCOMPARE(model->rowCount(), 1 + 3);
    QVERIFY(model->isPolicyRow(0) && !model->isPolicyRow(1));
    compareRow(model, 0, expected);
    // The cascade escalated the two cases the draft got wrong: half of them, all by the oracle.
    QCOMPARE(figure(model, 0, RoutingComparisonModel::EscalatedColumn).toDouble(), expected.escalatedShare.value());
    QCOMPARE(expected.escalatedShare.value(), 0.5);
    QCOMPARE(model->index(0, RoutingComparisonModel::VerdictsColumn).data().toString(),
             QStringLiteral("0 recorded / 4 oracle"));
    for (int i = 0; i < m_run.lineup.size(); ++i)
        compareRow(model, 1 + i, evaluator.evaluate(RoutingPolicy::singleTarget(m_run.lineup.at(i))));

    // The same figures reach the main window through policyEvaluations().
    QCOMPARE(dialog.policyEvaluations().size(), 1);
    QCOMPARE(dialog.policyEvaluations().first().costPer1000Cases, expected.costPer1000Cases);
    // The search questions start from the run: the strongest target's quality, the dearest cost.
    QCOMPARE(dialog.qualityFloorBox()->value(), 87.5);
    QCOMPARE(dialog.costCeilingBox()->value(), 10.0);

    dialog.clearRun(QStringLiteral("gone"));
    QCOMPARE(model->rowCount(), 0);
    QCOMPARE(dialog.policies().size(), 1); // the policies stay for the next run
}

void TestRoutingDialog::replaysOffTheGuiThreadLatestWins()
{
    RoutingDialog dialog;
    QSignalSpy changed(&dialog, &RoutingDialog::evaluationsChanged);
    dialog.setRun(m_run.cells, m_run.suite, m_run.lineup, QStringLiteral("the test run"));
    // The replay is on its way, not done before setRun returns.
    QVERIFY(dialog.isReplaying());
    QVERIFY(dialog.policyEvaluations().isEmpty());
    QVERIFY(!dialog.fetchButton()->isEnabled());
    const RoutingPolicy first = RoutingPolicy::singleTarget(QStringLiteral("cheap"));
    const RoutingPolicy latest = cheapThenStrong();
    dialog.setPolicies({first});
    dialog.setPolicies({latest});
    QTRY_VERIFY(!dialog.isReplaying());
    // Only the latest replay is shown: the older ones, finished or not, are dropped.
    QCOMPARE(changed.count(), 1);
    QCOMPARE(dialog.policyEvaluations().size(), 1);
    QCOMPARE(dialog.policyEvaluations().first().policy, latest);
    QCOMPARE(dialog.comparisonModel()->rowCount(), 1 + 3);
    QCOMPARE(dialog.policyEvaluations().first().quality,
             RoutingEvaluator(m_run.cells, m_run.suite).evaluate(latest).quality);
}

void TestRoutingDialog::missingDataIsListed()
{
    RoutingDialog dialog;
    dialog.setRun(m_run.cells, m_run.suite, m_run.lineup, QStringLiteral("the test run"));
    // Escalating to a target the run did not have: the kept drafts need nothing, the others miss.
    const RoutingPolicy policy = RoutingPolicy::cascade(
        QStringLiteral("to-absent"), {CascadeStage{QStringLiteral("cheap"), RoutingPolicy::kOracleValidator, 1.0},
                                      CascadeStage{QStringLiteral("absent"), {}, 0.5}});
    dialog.addPolicy(policy);
    QTRY_VERIFY(!dialog.isReplaying());
    const RoutingEvaluation e = RoutingEvaluator(m_run.cells, m_run.suite).evaluate(policy);
    QCOMPARE(e.missingAnswers, 2);
    const RoutingComparisonModel *model = dialog.comparisonModel();
    QCOMPARE(model->index(0, RoutingComparisonModel::MissingColumn).data().toString(),
             QStringLiteral("2 answers, 0 verdicts"));
    dialog.comparisonView()->setCurrentIndex(dialog.comparisonView()->model()->index(0, 0));
    const QString missing = dialog.missingText();
    for (const MissingItem &m : e.missing) {
        QVERIFY2(missing.contains(QStringLiteral("case %1, repeat 0: absent").arg(m.caseId)), qPrintable(missing));
    }
    QCOMPARE(missing.count(u'\n'), 2); // a heading and one line per item
    // The editor offers the absent target, marked, rather than dropping it.
    QCOMPARE(dialog.editor()->policy().stages.last().targetId, QStringLiteral("absent"));
}

void TestRoutingDialog::searchAddsTheAnswer_data()
{
    QTest::addColumn<bool>("cheapest");
    QTest::addColumn<double>("limit");
    QTest::newRow("cheapest at 0.85") << true << 0.85;
    QTest::newRow("cheapest at 0.6") << true << 0.6;
    QTest::newRow("best under $5") << false << 5.0;
    QTest::newRow("best under $12") << false << 12.0;
}

void TestRoutingDialog::searchAddsTheAnswer()
{
    QFETCH(bool, cheapest);
    QFETCH(double, limit);
    RoutingDialog dialog;
    dialog.setRun(m_run.cells, m_run.suite, m_run.lineup, QStringLiteral("the test run"));
    const RoutingPolicy own = RoutingPolicy::singleTarget(QStringLiteral("mid"));
    dialog.setPolicies({own});
    QTRY_VERIFY(!dialog.isReplaying());

    // What the search must answer: the same question over the user's policies and the lineup's.
    const RoutingEvaluator evaluator(m_run.cells, m_run.suite);
    QList<RoutingPolicy> candidates{own};
    candidates += RoutingSearch::enumerate(evaluator, RoutingSearch::Options{});
    const QList<RoutingEvaluation> all = RoutingSearch::evaluateAll(evaluator, candidates);
    const auto pick = cheapest ? RoutingSearch::cheapestMeeting(all, limit) : RoutingSearch::bestUnder(all, limit);
    QVERIFY(pick);
    const RoutingPolicy expected = all.at(*pick).policy;

    QSignalSpy finished(&dialog, &RoutingDialog::searchFinished);
    if (cheapest)
        dialog.findCheapest(limit);
    else
        dialog.findBestUnder(limit);
    QVERIFY(dialog.isSearching());
    QVERIFY(finished.wait(30'000));
    QVERIFY(!dialog.isSearching());
    const QString name = finished.first().first().toString();
    QVERIFY(!name.isEmpty());
    const QList<RoutingPolicy> policies = dialog.policies();
    const auto found =
        std::find_if(policies.cbegin(), policies.cend(), [&name](const RoutingPolicy &p) { return p.name == name; });
    QVERIFY(found != policies.cend());
    QVERIFY2(sameRoute(*found, expected), qPrintable(found->summary() + u" vs " + expected.summary()));
    // An answer the list already had is selected, not added twice.
    QCOMPARE(policies.size(), sameRoute(expected, own) ? 1 : 2);
    QCOMPARE(dialog.policyList()->currentItem()->text(), name);
    QTRY_VERIFY(!dialog.isReplaying());
    const int row = dialog.comparisonModel()->rowOf(name, true);
    QVERIFY(row >= 0);
    if (cheapest)
        QVERIFY(dialog.comparisonModel()->evaluationAt(row).quality.value() >= limit);
    else
        QVERIFY(dialog.comparisonModel()->evaluationAt(row).costPer1000Cases.value() <= limit);
}

void TestRoutingDialog::badPolicyFileIsReported()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    RoutingDialog dialog;
    dialog.setRun(m_run.cells, m_run.suite, m_run.lineup, QStringLiteral("the test run"));
    dialog.setPolicies({cheapThenStrong()});
    const QString path = dir.filePath(QStringLiteral("routes.json"));
    const auto write = [&path](const QByteArray &bytes) {
        QFile f(path);
        return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
    };

    QVERIFY(write(R"({"version": 1, "policies": [{"name": "x", "kind": "cascade",
        "stages": [{"target": "cheap", "validator": "@oracle", "threshold": 2}, {"target": "strong"}]}]})"));
    Status loaded = dialog.loadFile(path);
    QVERIFY(!loaded.ok());
    QVERIFY2(loaded.error().contains(QStringLiteral("routes.json")), qPrintable(loaded.error()));
    QVERIFY2(loaded.error().contains(QStringLiteral("policies[0].stages[0].threshold")), qPrintable(loaded.error()));
    QVERIFY(dialog.messageText().contains(loaded.error()));
    QCOMPARE(dialog.policies(), QList<RoutingPolicy>{cheapThenStrong()}); // the list is kept

    QVERIFY(write("{ not json"));
    loaded = dialog.loadFile(path);
    QVERIFY(!loaded.ok());
    QVERIFY(dialog.messageText().contains(QStringLiteral("routes.json:1:")));
    QVERIFY(!dialog.loadFile(dir.filePath(QStringLiteral("none.json"))).ok());
    QCOMPARE(dialog.policies().size(), 1);
}

void TestRoutingDialog::savedFileLoadsBack()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    RoutingDialog dialog;
    RoutingPolicy byTag;
    byTag.name = QStringLiteral("critical-to-strong");
    byTag.kind = RoutingPolicy::Kind::ByTag;
    byTag.rules = {TagRule{QStringLiteral("critical"), QStringLiteral("strong")}};
    byTag.defaultTargetId = QStringLiteral("cheap");
    dialog.setPolicies({cheapThenStrong(), byTag});
    const QString path = dir.filePath(QStringLiteral("routes.json"));
    QVERIFY(dialog.saveFile(path).ok());
    RoutingDialog other;
    QVERIFY(other.loadFile(path).ok());
    QCOMPARE(other.policies(), dialog.policies());
    QCOMPARE(other.policyList()->count(), 2);
}

void TestRoutingDialog::editorRoundTrips_data()
{
    QTest::addColumn<RoutingPolicy>("policy");
    RoutingPolicy three = RoutingPolicy::cascade(
        QStringLiteral("three stages"), {CascadeStage{QStringLiteral("cheap"), QStringLiteral("mid"), 0.75},
                                         CascadeStage{QStringLiteral("mid"), RoutingPolicy::kOracleValidator, 1.0},
                                         CascadeStage{QStringLiteral("strong"), {}, 0.5}});
    three.description = QStringLiteral("draft, check, escalate twice");
    QTest::newRow("cascade") << three;
    RoutingPolicy byTag;
    byTag.name = QStringLiteral("by tag");
    byTag.kind = RoutingPolicy::Kind::ByTag;
    byTag.rules = {TagRule{QStringLiteral("critical"), QStringLiteral("strong")},
                   TagRule{QStringLiteral("easy"), QStringLiteral("cheap")}};
    byTag.defaultTargetId = QStringLiteral("mid");
    QTest::newRow("by tag") << byTag;
    RoutingPolicy bestOf;
    bestOf.name = QStringLiteral("best of 2");
    bestOf.kind = RoutingPolicy::Kind::BestOfN;
    bestOf.candidateTargets = {QStringLiteral("cheap"), QStringLiteral("strong")};
    bestOf.judgeTargetId = QStringLiteral("mid");
    QTest::newRow("best of N") << bestOf;
}

void TestRoutingDialog::editorRoundTrips()
{
    QFETCH(RoutingPolicy, policy);
    RoutingPolicyEditor editor;
    editor.setChoices(m_run.lineup, {QStringLiteral("mid")}, {QStringLiteral("easy"), QStringLiteral("critical")});
    editor.setPolicy(policy);
    QCOMPARE(editor.policy(), policy);
    QVERIFY(editor.policy().validate().ok());
}

void TestRoutingDialog::invalidEditIsRefused()
{
    RoutingDialog dialog;
    dialog.setRun(m_run.cells, m_run.suite, m_run.lineup, QStringLiteral("the test run"));
    dialog.setPolicies({cheapThenStrong()});
    // A second stage added in the editor escalates further; Apply replays it.
    dialog.editor()->addStage();
    QVERIFY(dialog.applyEdit());
    QTRY_VERIFY(!dialog.isReplaying());
    QCOMPARE(dialog.policies().first().stages.size(), 3);
    QCOMPARE(dialog.policies().first().stages.at(1).validatorId, RoutingPolicy::kOracleValidator);
    QCOMPARE(dialog.policyEvaluations().first().policy, dialog.policies().first());
    // Best of N with a single candidate is refused with the field named; the policy is kept.
    const RoutingPolicy before = dialog.policies().first();
    dialog.editor()->kindBox()->setCurrentIndex(2);
    QListWidget *candidates = dialog.editor()->candidateList();
    for (int i = 0; i < candidates->count(); ++i)
        candidates->item(i)->setCheckState(i == 0 ? Qt::Checked : Qt::Unchecked);
    QVERIFY(!dialog.applyEdit());
    QVERIFY2(dialog.messageText().contains(QStringLiteral("candidates")), qPrintable(dialog.messageText()));
    QCOMPARE(dialog.policies().first(), before);
}

void TestRoutingDialog::mainWindowDrawsPolicyPoints()
{
    const QByteArray json = R"({"name": "Routing check", "cases": [
        {"id": "capital", "prompt": "What is the capital of France?", "reference": "Paris",
         "assert": [{"type": "icontains", "value": "Paris"}]},
        {"id": "sum", "prompt": "What is 2 + 3?", "reference": "5",
         "assert": [{"type": "contains", "value": "5"}]}]})";
    auto suite = Suite::fromJson(json, QStringLiteral("<test>"));
    QVERIFY(suite.ok());
    MainWindow window;
    window.setWorkspace(Workspace::demo());
    window.addSuite(suite.value());
    TargetListWidget *list = window.targetList();
    for (int i = 2; i < list->topLevelItemCount(); ++i)
        list->topLevelItem(i)->setCheckState(TargetListWidget::LabelColumn, Qt::Unchecked);
    const QStringList ids = list->checkedTargetIds();
    QCOMPARE(ids.size(), 2);

    const QAction *action = window.findChild<QAction *>(QStringLiteral("routingAction"));
    QVERIFY(action);
    QCOMPARE(action->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    RoutingDialog *dialog = window.routingDialog();
    QVERIFY(!dialog->hasRun());
    const RoutingPolicy policy =
        RoutingPolicy::cascade(QStringLiteral("route"), {CascadeStage{ids.at(0), RoutingPolicy::kOracleValidator, 1.0},
                                                         CascadeStage{ids.at(1), {}, 0.5}});
    dialog->setPolicies({policy});

    QVERIFY(window.startRun());
    QVERIFY(!dialog->hasRun()); // a run going has nothing to replay yet
    QTRY_VERIFY_WITH_TIMEOUT(!window.session()->isRunning(), 60'000);
    QVERIFY(dialog->hasRun());
    QTRY_VERIFY(!dialog->isReplaying());
    const RoutingEvaluation expected =
        RoutingEvaluator(window.session()->results(), window.session()->spec().suite).evaluate(policy);
    QVERIFY(expected.quality && expected.costPer1000Cases);

    QuadrantChart *chart = window.quadrant();
    chart->flushPendingRedraw();
    QCOMPARE(chart->plottedPolicyNames(), QStringList{QStringLiteral("route")});
    QScatterSeries *diamond = nullptr;
    const QList<QAbstractSeries *> series = chart->chart()->series();
    for (QAbstractSeries *s : series) {
        if (s->name() == u"route")
            diamond = qobject_cast<QScatterSeries *>(s);
    }
    QVERIFY(diamond);
    QCOMPARE(diamond->markerShape(), QScatterSeries::MarkerShapeRotatedRectangle);
    QCOMPARE(diamond->points().size(), 1);
    QCOMPARE(diamond->points().first().x(), *expected.costPer1000Cases);
    QCOMPARE(diamond->points().first().y(), *expected.quality * 100.0);

    // Removing the policies takes their points off the quadrant.
    dialog->setPolicies({});
    QTRY_VERIFY(!dialog->isReplaying());
    chart->flushPendingRedraw();
    QVERIFY(chart->plottedPolicyNames().isEmpty());
}

// A GUI run has no judge, so a cascade with a real validator lacks every verdict: Fetch asks the
// validator for just those, records them into the run and the replay then uses them.
void TestRoutingDialog::fetchAsksTheValidatorForWhatIsMissing()
{
    const QByteArray json = R"({"name": "Fetch check", "cases": [
        {"id": "capital", "prompt": "What is the capital of France?", "reference": "Paris",
         "assert": [{"type": "icontains", "value": "Paris"}]},
        {"id": "sum", "prompt": "What is 2 + 3?", "reference": "5",
         "assert": [{"type": "contains", "value": "5"}]}]})";
    auto suite = Suite::fromJson(json, QStringLiteral("<test>"));
    QVERIFY(suite.ok());
    QTemporaryDir dir;
    MainWindow window;
    window.setWorkspace(Workspace::demo());
    QVERIFY(window.setHistoryPath(dir.filePath(QStringLiteral("history.sqlite"))).ok());
    window.addSuite(suite.value());
    TargetListWidget *list = window.targetList();
    for (int i = 2; i < list->topLevelItemCount(); ++i)
        list->topLevelItem(i)->setCheckState(TargetListWidget::LabelColumn, Qt::Unchecked);
    const QStringList ids = list->checkedTargetIds();
    QCOMPARE(ids.size(), 2);
    RoutingDialog *dialog = window.routingDialog();
    const RoutingPolicy policy = RoutingPolicy::cascade(
        QStringLiteral("validated"), {CascadeStage{ids.at(0), ids.at(1), 0.5}, CascadeStage{ids.at(1), {}, 0.5}});
    dialog->setPolicies({policy});
    QVERIFY(!dialog->fetchButton()->isEnabled());

    QVERIFY(window.startRun());
    QTRY_VERIFY_WITH_TIMEOUT(!window.session()->isRunning(), 60'000);
    QVERIFY(dialog->hasRun());
    QTRY_VERIFY(!dialog->isReplaying());
    RoutingEvaluation lacking = dialog->policyEvaluations().first();
    QCOMPARE(lacking.missingVerdicts, 2);
    QCOMPARE(lacking.recordedVerdicts, 0);
    QCOMPARE(dialog->plannedFetch().verdicts.size(), 2);
    QVERIFY(dialog->plannedFetch().answerJobIds.isEmpty());
    QVERIFY(dialog->fetchButton()->isEnabled());

    dialog->fetchMissing();
    QVERIFY(dialog->isFetching());
    QVERIFY(!dialog->fetchButton()->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->isFetching(), 60'000);
    QVERIFY2(dialog->fetchStatusText().contains(QStringLiteral("2 judge call")), qPrintable(dialog->fetchStatusText()));
    QTRY_VERIFY(!dialog->isReplaying());
    // The window shows the run again from the history, verdicts included, and the replay uses them.
    QVERIFY(!window.shownRunId().isEmpty());
    const RoutingEvaluation filled = dialog->policyEvaluations().first();
    QVERIFY2(filled.missing.isEmpty(), qPrintable(dialog->missingText()));
    QCOMPARE(filled.recordedVerdicts, 2);
    QCOMPARE(filled.oracleVerdicts, 0);
    QVERIFY(!dialog->fetchButton()->isEnabled()); // nothing left to fetch
}

QTEST_MAIN(TestRoutingDialog)
#include "tst_routingdialog.moc"
