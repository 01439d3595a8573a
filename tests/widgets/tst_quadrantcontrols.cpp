#include "core/Workspace.h"
#include "MainWindow.h"
#include "QuadrantChart.h"
#include "QuadrantControls.h"
#include "routing/RoutingPolicy.h"
#include "RoutingDialog.h"
#include "run/RunSession.h"
#include "run/ScopedQuality.h"
#include "TargetListWidget.h"

#include <QAbstractAxis>
#include <QApplication>
#include <QChart>
#include <QCheckBox>
#include <QComboBox>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QFile>
#include <QLabel>
#include <QScatterSeries>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QtNumeric>

using namespace Slopscope;

namespace {

QuadrantPoint point(const char *id, double cost, double quality, double ttftMs)
{
    QuadrantPoint p;
    p.targetId = QString::fromLatin1(id);
    p.label = p.targetId;
    p.color = QStringLiteral("#0072B2");
    p.costPer1000Cases = cost;
    p.blendedPricePerMTok = cost * 2.0;
    p.medianTtftMs = ttftMs;
    p.decodeTokensPerSecond = 100.0;
    p.p95LatencyMs = ttftMs * 4.0;
    p.quality = quality;
    p.qualityLow = quality - 0.05;
    p.qualityHigh = quality + 0.05;
    p.n = 40;
    return p;
}

QString axisTitle(QuadrantChart &chart, Qt::Orientation orientation)
{
    const QList<QAbstractAxis *> axes = chart.chart()->axes(orientation);
    return axes.isEmpty() ? QString() : axes.first()->titleText();
}

// The y of a target's bubble, in percent: what the chart really plots.
double plottedQuality(QuadrantChart &chart, const QString &label)
{
    chart.flushPendingRedraw();
    const QList<QAbstractSeries *> all = chart.chart()->series();
    for (QAbstractSeries *s : all) {
        auto *dots = qobject_cast<QScatterSeries *>(s);
        if (dots && dots->name() == label && dots->count() == 1)
            return dots->at(0).y();
    }
    return qQNaN(); // not plotted: fails any comparison
}

// Two cases whose rewordings carry a check no answer passes, so the canonical and the variants
// quality must differ whatever the simulator answers.
Suite variantSuite()
{
    const QByteArray json = R"({"name": "Wordings", "cases": [
        {"id": "one", "prompt": "What is the capital of France?",
         "assert": [{"type": "not-contains", "value": "zq-never-said"}],
         "variants": [{"id": "p1", "kind": "paraphrase", "prompt": "Which city is the capital of France?",
                       "assert": [{"type": "contains", "value": "zq-never-said"}]}]},
        {"id": "two", "prompt": "What is 2 + 3?", "time_budget_ms": 1,
         "assert": [{"type": "not-contains", "value": "zq-never-said"}],
         "variants": [{"id": "p1", "kind": "paraphrase", "prompt": "Add two and three.",
                       "assert": [{"type": "contains", "value": "zq-never-said"}]}]}]})";
    auto suite = Suite::fromJson(json, QStringLiteral("<test>"));
    if (!suite)
        qFatal("%s", qPrintable(suite.error()));
    return suite.value();
}

} // namespace

class TestQuadrantControls final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void xFigureComboSwitchesTheAxis();
    void fixedDividersMoveTheDividers();
    void choicesPersistAcrossInstances();
    void labelsHaveBuddies();
    void tooltipShowsEveryFigureEscaped();
    void qualityToggleReplotsFromTheCells();

private:
    QTemporaryDir m_dir;
    [[nodiscard]] QString settingsPath() const { return m_dir.filePath(QStringLiteral("settings.ini")); }
};

void TestQuadrantControls::initTestCase()
{
    // MainWindow's bar uses the application's QSettings: keep it off the real profile.
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
}

void TestQuadrantControls::init()
{
    QFile::remove(settingsPath());
    QSettings(QSettings::UserScope).clear();
}

void TestQuadrantControls::xFigureComboSwitchesTheAxis()
{
    QSettings settings(settingsPath(), QSettings::IniFormat);
    QuadrantChart chart;
    QuadrantControls controls(&settings);
    controls.attach(&chart);
    chart.setPoint(point("a", 0.5, 0.6, 400));
    chart.flushPendingRedraw();
    QCOMPARE(chart.xFigure(), QuadrantChart::XFigure::CostPer1000Cases);
    QVERIFY(axisTitle(chart, Qt::Horizontal).contains(QStringLiteral("Cost per 1,000 cases")));

    QComboBox *box = controls.xFigureBox();
    QCOMPARE(box->count(), 5);
    box->setCurrentIndex(box->findData(static_cast<int>(QuadrantChart::XFigure::MedianTtft)));
    QCOMPARE(chart.xFigure(), QuadrantChart::XFigure::MedianTtft);
    chart.flushPendingRedraw();
    QVERIFY(axisTitle(chart, Qt::Horizontal).contains(QStringLiteral("time to first token")));

    // Keyboard: Down in the focused combo picks the next figure.
    controls.show();
    QVERIFY(QTest::qWaitForWindowExposed(&controls));
    box->setFocus();
    QTest::keyClick(box, Qt::Key_Down);
    QCOMPARE(chart.xFigure(), QuadrantChart::XFigure::DecodeSpeed);
    chart.flushPendingRedraw();
    QVERIFY(axisTitle(chart, Qt::Horizontal).contains(QStringLiteral("Decode speed")));
}

void TestQuadrantControls::fixedDividersMoveTheDividers()
{
    QSettings settings(settingsPath(), QSettings::IniFormat);
    QuadrantChart chart;
    QuadrantControls controls(&settings);
    controls.attach(&chart);
    chart.setPoint(point("a", 0.1, 0.4, 300));
    chart.setPoint(point("b", 1.0, 0.6, 500));
    chart.setPoint(point("c", 10.0, 0.9, 900));
    chart.flushPendingRedraw();
    QCOMPARE(chart.dividerX().value_or(qQNaN()), 1.0); // the medians
    QCOMPARE(chart.dividerY().value_or(qQNaN()), 60.0);
    QVERIFY(!controls.xThresholdBox()->isEnabled());

    // Fixing them starts where the medians were: nothing jumps.
    controls.fixedDividersBox()->setChecked(true);
    QVERIFY(controls.xThresholdBox()->isEnabled());
    QCOMPARE(controls.xThreshold().value_or(qQNaN()), 1.0);
    QCOMPARE(controls.qualityThresholdBox()->value(), 60.0);

    controls.xThresholdBox()->setValue(0.25);
    controls.qualityThresholdBox()->setValue(75.0);
    chart.flushPendingRedraw();
    QCOMPARE(chart.dividerX().value_or(qQNaN()), 0.25);
    QCOMPARE(chart.dividerY().value_or(qQNaN()), 75.0);

    // Each figure has its own threshold, in its own unit.
    controls.setXFigure(QuadrantChart::XFigure::MedianTtft);
    QCOMPARE(controls.xThresholdBox()->suffix(), QStringLiteral(" ms"));
    controls.xThresholdBox()->setValue(450);
    chart.flushPendingRedraw();
    QCOMPARE(chart.dividerX().value_or(qQNaN()), 450.0);
    controls.setXFigure(QuadrantChart::XFigure::CostPer1000Cases);
    chart.flushPendingRedraw();
    QCOMPARE(chart.dividerX().value_or(qQNaN()), 0.25);
    // A log axis has no 0: the smallest divider is a hundredth of a cent per 1,000 cases.
    controls.xThresholdBox()->setValue(0.0);
    QCOMPARE(controls.xThreshold().value_or(qQNaN()), 0.0001);
    controls.xThresholdBox()->setValue(0.25);

    // Back to the medians.
    controls.setFixedDividers(false);
    chart.flushPendingRedraw();
    QCOMPARE(chart.dividerX().value_or(qQNaN()), 1.0);
    QCOMPARE(chart.dividerY().value_or(qQNaN()), 60.0);
}

void TestQuadrantControls::choicesPersistAcrossInstances()
{
    {
        QSettings settings(settingsPath(), QSettings::IniFormat);
        QuadrantControls controls(&settings);
        controls.setXFigure(QuadrantChart::XFigure::P95Latency);
        controls.setQualityScope(QualityScope::WithinBudget);
        controls.setFixedDividers(true);
        controls.xThresholdBox()->setValue(2500);
        controls.qualityThresholdBox()->setValue(82.5);
    }
    QSettings settings(settingsPath(), QSettings::IniFormat); // a new instance reads the file again
    QuadrantControls again(&settings);
    QCOMPARE(again.xFigure(), QuadrantChart::XFigure::P95Latency);
    QCOMPARE(again.qualityScope(), QualityScope::WithinBudget);
    QVERIFY(again.fixedDividersBox()->isChecked());
    QCOMPARE(again.xThreshold().value_or(qQNaN()), 2500.0);
    QCOMPARE(again.qualityThreshold().value_or(qQNaN()), 0.825);
    // And a chart attached to it starts with them.
    QuadrantChart chart;
    again.attach(&chart);
    chart.setPoint(point("a", 0.5, 0.6, 400));
    chart.flushPendingRedraw();
    QCOMPARE(chart.xFigure(), QuadrantChart::XFigure::P95Latency);
    QCOMPARE(chart.dividerX().value_or(qQNaN()), 2500.0);
    QCOMPARE(chart.dividerY().value_or(qQNaN()), 82.5);

    // Nothing stored: the defaults.
    QSettings empty(m_dir.filePath(QStringLiteral("empty.ini")), QSettings::IniFormat);
    QuadrantControls fresh(&empty);
    QCOMPARE(fresh.xFigure(), QuadrantChart::XFigure::CostPer1000Cases);
    QCOMPARE(fresh.qualityScope(), QualityScope::Canonical);
    QVERIFY(!fresh.xThreshold().has_value());
}

void TestQuadrantControls::labelsHaveBuddies()
{
    QSettings settings(settingsPath(), QSettings::IniFormat);
    QuadrantControls controls(&settings);
    QList<QWidget *> buddies;
    const QList<QLabel *> labels = controls.findChildren<QLabel *>();
    for (const QLabel *label : labels) {
        QVERIFY2(label->text().contains(u'&'), qPrintable(label->text()));
        buddies.append(label->buddy());
    }
    QVERIFY(buddies.contains(controls.xFigureBox()));
    QVERIFY(buddies.contains(controls.qualityBox()));
    QVERIFY(buddies.contains(controls.xThresholdBox()));
    QVERIFY(buddies.contains(controls.qualityThresholdBox()));
    QVERIFY(controls.fixedDividersBox()->text().contains(u'&'));
    // The mnemonics reach the boxes from the keyboard.
    controls.show();
    controls.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&controls));
    QTest::keyClick(&controls, Qt::Key_Q, Qt::AltModifier);
    QCOMPARE(QApplication::focusWidget(), controls.qualityBox());
    QTest::keyClick(&controls, Qt::Key_X, Qt::AltModifier);
    QCOMPARE(QApplication::focusWidget(), controls.xFigureBox());
    QTest::keyClick(&controls, Qt::Key_I, Qt::AltModifier); // Fixed d&ividers toggles
    QTRY_VERIFY(controls.fixedDividersBox()->isChecked()); // a mnemonic's click is animated
    QTest::keyClick(&controls, Qt::Key_A, Qt::AltModifier);
    QCOMPARE(QApplication::focusWidget(), controls.xThresholdBox());
    QTest::keyClick(&controls, Qt::Key_U, Qt::AltModifier);
    QCOMPARE(QApplication::focusWidget(), controls.qualityThresholdBox());
    for (QWidget *w : {static_cast<QWidget *>(controls.xFigureBox()), static_cast<QWidget *>(controls.qualityBox())}) {
        QVERIFY(!w->toolTip().isEmpty());
        QVERIFY(!w->accessibleName().isEmpty());
    }
}

void TestQuadrantControls::tooltipShowsEveryFigureEscaped()
{
    QuadrantChart chart;
    QuadrantPoint p = point("evil", 0.5, 0.6, 200);
    p.label = QStringLiteral("<img src=x> & <b>co</b>");
    chart.setPoint(p);
    const QString tip = chart.pointToolTip(QStringLiteral("evil"));
    QVERIFY(tip.contains(QStringLiteral("&lt;img src=x&gt; &amp; &lt;b&gt;co&lt;/b&gt;")));
    QVERIFY(!tip.contains(QStringLiteral("<img")));
    QVERIFY(!tip.contains(QStringLiteral("<b>")));
    for (const char *figure : {"quality 60.0%", "95% interval 55.0–65.0%", "n = 40", "cost per 1,000 cases $0.5000",
                               "blended $1.000 / Mtok", "TTFT p50 200 ms", "p95 latency 800 ms", "decode 100 tokens/s"})
        QVERIFY2(tip.contains(QString::fromUtf8(figure)), figure);
    QVERIFY(chart.pointToolTip(QStringLiteral("nobody")).isEmpty());
}

void TestQuadrantControls::qualityToggleReplotsFromTheCells()
{
    MainWindow window;
    window.setWorkspace(Workspace::demo());
    window.addSuite(variantSuite());
    TargetListWidget *list = window.targetList();
    for (int i = 1; i < list->topLevelItemCount(); ++i)
        list->topLevelItem(i)->setCheckState(TargetListWidget::LabelColumn, Qt::Unchecked);
    const QString targetId = list->checkedTargetIds().constFirst();
    const QString label = window.workspace().targets.constFirst().label;
    QCheckBox *variants = nullptr;
    const QList<QCheckBox *> boxes = window.findChildren<QCheckBox *>();
    for (QCheckBox *box : boxes) {
        if (box->text() == QStringLiteral("Variants"))
            variants = box;
    }
    QVERIFY(variants);
    variants->setChecked(true);
    // A routing policy: its replay grades the canonical wording only.
    RoutingDialog *routing = window.routingDialog();
    routing->setPolicies({RoutingPolicy::cascade(QStringLiteral("route"), {CascadeStage{targetId, {}, 0.5}})});
    QVERIFY(window.startRun());
    QTRY_VERIFY_WITH_TIMEOUT(!window.session()->isRunning(), 60'000);
    QCOMPARE(window.session()->done(), 4);
    QTest::qWait(300); // a coalesced summary still on its way lands

    QuadrantChart *chart = window.quadrant();
    QuadrantControls *controls = window.quadrantControls();
    QVERIFY(controls);
    // The bar sits in the quadrant's dock, above the chart.
    const auto *dock = window.findChild<QDockWidget *>(QStringLiteral("quadrantDock"));
    QVERIFY(dock && dock->isAncestorOf(controls) && dock->isAncestorOf(chart));
    const QList<CellResult> &cells = window.session()->results();
    const ScopedQuality canonical = scopedQuality(targetId, cells, QualityScope::Canonical);
    QCOMPARE(canonical.quality.value_or(qQNaN()), 1.0); // the canonical wording always passes, the rewordings never
    QCOMPARE(plottedQuality(*chart, label), 100.0);
    QCOMPARE(axisTitle(*chart, Qt::Vertical), QuadrantControls::qualityTitle(QualityScope::Canonical));
    QTRY_VERIFY(!routing->isReplaying());
    chart->flushPendingRedraw();
    QCOMPARE(chart->plottedPolicyNames(), QStringList{QStringLiteral("route")});

    controls->qualityBox()->setCurrentIndex(controls->qualityBox()->findData(static_cast<int>(QualityScope::Variants)));
    QCOMPARE(plottedQuality(*chart, label), 0.0);
    QCOMPARE(axisTitle(*chart, Qt::Vertical), QuadrantControls::qualityTitle(QualityScope::Variants));
    QVERIFY(chart->pointToolTip(targetId).contains(QStringLiteral("n = 2")));
    QVERIFY(chart->plottedPolicyNames().isEmpty()); // hidden beside a quality it was not graded on

    controls->setQualityScope(QualityScope::All);
    QCOMPARE(plottedQuality(*chart, label), 50.0);
    QCOMPARE(axisTitle(*chart, Qt::Vertical), QuadrantControls::qualityTitle(QualityScope::All));
    QVERIFY(QuadrantControls::qualityTitle(QualityScope::All) !=
            QuadrantControls::qualityTitle(QualityScope::Variants));

    // A new summary (another cell arriving) keeps the chosen wordings.
    controls->setQualityScope(QualityScope::Variants);
    const QList<TargetSummary> summaries = window.session()->summaries();
    Q_EMIT window.session()->summaryChanged(summaries.constFirst());
    QCOMPARE(plottedQuality(*chart, label), 0.0);

    // Case two allows 1 ms, which no answer meets: within the budget only case one still passes.
    controls->setQualityScope(QualityScope::WithinBudget);
    QCOMPARE(plottedQuality(*chart, label), 50.0);
    QCOMPARE(axisTitle(*chart, Qt::Vertical), QuadrantControls::qualityTitle(QualityScope::WithinBudget));
    QVERIFY(chart->pointToolTip(targetId).contains(QStringLiteral("n = 2")));

    controls->setQualityScope(QualityScope::Canonical);
    QCOMPARE(plottedQuality(*chart, label), 100.0);
    QCOMPARE(chart->plottedPolicyNames(), QStringList{QStringLiteral("route")});
}

QTEST_MAIN(TestQuadrantControls)
#include "tst_quadrantcontrols.moc"
