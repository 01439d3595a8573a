#include "../routing/RoutingTestData.h"
#include "QuadrantChart.h"
#include "routing/RoutingEvaluator.h"

#include <QChart>
#include <QFile>
#include <QGraphicsRectItem>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QScatterSeries>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Slopscope;

namespace {
QuadrantPoint point(const char *id, double cost, double quality, double speed)
{
    QuadrantPoint p;
    p.targetId = QString::fromLatin1(id);
    p.label = p.targetId;
    p.color = QStringLiteral("#0072B2");
    p.costPer1000Cases = cost;
    p.quality = quality;
    p.qualityLow = quality - 0.05;
    p.qualityHigh = quality + 0.05;
    p.decodeTokensPerSecond = speed;
    p.medianTtftMs = 1000.0 / speed * 100.0;
    p.n = 40;
    return p;
}

QuadrantPolicyPoint policyPoint(const RoutingEvaluation &e)
{
    QuadrantPolicyPoint p;
    p.name = e.policy.name;
    p.summary = e.policy.summary();
    p.costPer1000Cases = e.costPer1000Cases;
    p.p95LatencyMs = e.latencyP95Ms;
    p.quality = e.quality;
    p.qualityLow = e.qualityLow;
    p.qualityHigh = e.qualityHigh;
    p.escalatedShare = e.escalatedShare;
    p.n = e.cases;
    return p;
}

QScatterSeries *seriesNamed(QuadrantChart &chart, const QString &name)
{
    const QList<QAbstractSeries *> all = chart.chart()->series();
    for (QAbstractSeries *s : all) {
        if (s->name() == name)
            return qobject_cast<QScatterSeries *>(s);
    }
    return nullptr;
}
} // namespace

class TestQuadrantChart final : public QObject
{
    Q_OBJECT

private slots:
    void plotsOnlyPointsWithBothFigures();
    void dividersAtMediansOrThresholds();
    void frontierFollowsTheXFigure();
    void updatesAreCoalesced();
    void quadrantLabelsNameTheCorners();
    void quadrantLabelsStayReadableOverPoints();
    void exportsPngSvgPdf();
    void policyPointSitsAtItsEvaluation();
    void policyJoinsTheFrontier();
    void policyNamesDoNotOverlap();
};

void TestQuadrantChart::plotsOnlyPointsWithBothFigures()
{
    QuadrantChart chart;
    chart.setPoint(point("a", 0.5, 0.6, 3000));
    QuadrantPoint noQuality = point("b", 1.0, 0.0, 100);
    noQuality.quality.reset();
    chart.setPoint(noQuality);
    QuadrantPoint noCost = point("c", 1.0, 0.7, 100);
    noCost.costPer1000Cases.reset(); // unknown cost is not plotted as free
    chart.setPoint(noCost);
    chart.flushPendingRedraw();
    QCOMPARE(chart.plottedTargetIds(), QStringList{QStringLiteral("a")});
    chart.removePoint(QStringLiteral("a"));
    chart.flushPendingRedraw();
    QVERIFY(chart.plottedTargetIds().isEmpty());
    QVERIFY(!chart.dividerX().has_value());
}

void TestQuadrantChart::dividersAtMediansOrThresholds()
{
    QuadrantChart chart;
    chart.setPoint(point("cheap", 0.1, 0.5, 3000));
    chart.setPoint(point("mid", 1.0, 0.8, 200));
    chart.setPoint(point("dear", 10.0, 0.9, 60));
    chart.flushPendingRedraw();
    QCOMPARE(chart.dividerX().value(), 1.0);
    QCOMPARE(chart.dividerY().value(), 80.0);
    chart.setThresholds(0.5, 0.75);
    chart.flushPendingRedraw();
    QCOMPARE(chart.dividerX().value(), 0.5);
    QCOMPARE(chart.dividerY().value(), 75.0);
}

void TestQuadrantChart::frontierFollowsTheXFigure()
{
    QuadrantChart chart;
    chart.setPoint(point("cheap", 0.1, 0.5, 3000));
    chart.setPoint(point("dominated", 5.0, 0.4, 100));
    chart.setPoint(point("dear", 10.0, 0.9, 60));
    chart.flushPendingRedraw();
    QCOMPARE(chart.frontierTargetIds(), (QStringList{QStringLiteral("cheap"), QStringLiteral("dear")}));
    // On speed, higher is better: the frontier runs from the fastest to the best.
    chart.setXFigure(QuadrantChart::XFigure::DecodeSpeed);
    chart.flushPendingRedraw();
    QCOMPARE(chart.frontierTargetIds(), (QStringList{QStringLiteral("cheap"), QStringLiteral("dear")}));
    chart.setPoint(point("fast-and-good", 10.0, 0.95, 4000));
    chart.flushPendingRedraw();
    QCOMPARE(chart.frontierTargetIds(), QStringList{QStringLiteral("fast-and-good")});
}

void TestQuadrantChart::updatesAreCoalesced()
{
    QuadrantChart chart;
    const int before = chart.redrawCount();
    for (int i = 0; i < 200; ++i)
        chart.setPoint(point("a", 0.1 + i * 0.01, 0.5, 3000));
    QTRY_COMPARE(chart.redrawCount(), before + 1);
    QTest::qWait(150);
    QCOMPARE(chart.redrawCount(), before + 1);
}

void TestQuadrantChart::quadrantLabelsNameTheCorners()
{
    QuadrantChart chart;
    QCOMPARE(chart.quadrantLabel(false, true), QStringLiteral("cheap & good"));
    QCOMPARE(chart.quadrantLabel(true, false), QStringLiteral("expensive & weak"));
    chart.setXFigure(QuadrantChart::XFigure::DecodeSpeed);
    QCOMPARE(chart.quadrantLabel(true, true), QStringLiteral("fast & good"));
    chart.setXFigure(QuadrantChart::XFigure::MedianTtft);
    QCOMPARE(chart.quadrantLabel(true, true), QStringLiteral("slow & good"));
}

// Whiskers and bubbles crossing a corner used to run through its label's letters: each label now
// sits on a nearly opaque plate stacked above every series (Qt Charts draws scatter series at z 9).
void TestQuadrantChart::quadrantLabelsStayReadableOverPoints()
{
    QuadrantChart chart;
    chart.resize(800, 500);
    chart.setPoint(point("cheap", 0.1, 0.5, 3000));
    chart.setPoint(point("dear", 10.0, 0.95, 60));
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    chart.flushPendingRedraw();
    QStringList readable;
    const QList<QGraphicsItem *> items = chart.scene()->items();
    for (QGraphicsItem *item : items) {
        auto *text = dynamic_cast<QGraphicsSimpleTextItem *>(item);
        auto *plate = text ? dynamic_cast<QGraphicsRectItem *>(text->parentItem()) : nullptr;
        if (!plate || !plate->isVisible())
            continue;
        QVERIFY(plate->zValue() > 9);
        QVERIFY(plate->brush().color().alpha() >= 200);
        QVERIFY(plate->rect().contains(text->mapRectToParent(text->boundingRect())));
        readable << text->text();
    }
    readable.sort();
    QCOMPARE(readable, (QStringList{QStringLiteral("cheap & good"), QStringLiteral("cheap & weak"),
                                    QStringLiteral("expensive & good"), QStringLiteral("expensive & weak")}));
}

void TestQuadrantChart::exportsPngSvgPdf()
{
    QuadrantChart chart;
    chart.resize(800, 500);
    chart.setPoint(point("cheap", 0.1, 0.5, 3000));
    chart.setPoint(point("mid", 1.2, 0.82, 400));
    chart.setPoint(point("dominated", 4.0, 0.55, 150));
    chart.setPoint(point("dear", 10.0, 0.9, 60));
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString png = dir.filePath(QStringLiteral("q.png"));
    QVERIFY(chart.exportTo(png));
    QImage image(png);
    QCOMPARE(image.size(), QSize(1600, 1000)); // twice the widget's size
    // Keep the picture for a person to look at when asked to.
    if (const QString keep = qEnvironmentVariable("SLOPSCOPE_TEST_ARTIFACTS"); !keep.isEmpty())
        QFile::copy(png, keep + QStringLiteral("/quadrant.png"));
    const QString svg = dir.filePath(QStringLiteral("q.svg"));
    QVERIFY(chart.exportTo(svg));
    QFile svgFile(svg);
    QVERIFY(svgFile.open(QIODevice::ReadOnly));
    QVERIFY(svgFile.readAll().contains("<svg"));
    const QString pdf = dir.filePath(QStringLiteral("q.pdf"));
    QVERIFY(chart.exportTo(pdf));
    QFile pdfFile(pdf);
    QVERIFY(pdfFile.open(QIODevice::ReadOnly));
    QVERIFY(pdfFile.read(5) == "%PDF-");
    QString error;
    QVERIFY(!chart.exportTo(dir.filePath(QStringLiteral("q.bmpx")), &error));
    QVERIFY(error.contains(QStringLiteral("bmpx")));
}

// A cascade replayed over synthetic cells lands where its evaluation says, as a diamond apart
// from the targets' bubbles; on a figure a policy lacks (decode speed) it is left off.
void TestQuadrantChart::policyPointSitsAtItsEvaluation()
{
    using namespace RoutingTest;
    const Suite suite = suiteOf({{"a", {}}, {"b", {}}, {"c", {}}});
    const QList<CellResult> cells{answer("a", "cheap", 1.0, 0.001, 100), answer("b", "cheap", 0.0, 0.001, 120),
                                  answer("c", "cheap", 1.0, 0.001, 140), answer("a", "dear", 1.0, 0.02, 900),
                                  answer("b", "dear", 1.0, 0.02, 950),   answer("c", "dear", 0.0, 0.02, 1000)};
    const RoutingEvaluation e = RoutingEvaluator(cells, suite)
                                    .evaluate(RoutingPolicy::cascade(
                                        QStringLiteral("cheap-then-dear"),
                                        {CascadeStage{QStringLiteral("cheap"), RoutingPolicy::kOracleValidator, 1.0},
                                         CascadeStage{QStringLiteral("dear"), {}, 0.5}}));
    QVERIFY(e.costPer1000Cases && e.quality && e.latencyP95Ms);

    QuadrantChart chart;
    chart.setPoint(point("cheap", 1.0, 0.67, 3000));
    chart.setPolicyPoints({policyPoint(e)});
    chart.flushPendingRedraw();
    QCOMPARE(chart.plottedPolicyNames(), QStringList{QStringLiteral("cheap-then-dear")});
    QCOMPARE(chart.plottedTargetIds(), QStringList{QStringLiteral("cheap")}); // a policy is not a target
    QScatterSeries *diamond = seriesNamed(chart, QStringLiteral("cheap-then-dear"));
    QVERIFY(diamond);
    QCOMPARE(diamond->markerShape(), QScatterSeries::MarkerShapeRotatedRectangle);
    QCOMPARE(chart.policyLabelTexts(), QStringList{QStringLiteral("cheap-then-dear")});
    QCOMPARE(diamond->points(), (QList<QPointF>{QPointF(*e.costPer1000Cases, *e.quality * 100.0)}));
    QCOMPARE(seriesNamed(chart, QStringLiteral("cheap"))->markerShape(), QScatterSeries::MarkerShapeCircle);

    chart.setXFigure(QuadrantChart::XFigure::P95Latency);
    chart.flushPendingRedraw();
    QCOMPARE(seriesNamed(chart, QStringLiteral("cheap-then-dear"))->points().first().x(), *e.latencyP95Ms);
    chart.setXFigure(QuadrantChart::XFigure::DecodeSpeed);
    chart.flushPendingRedraw();
    QVERIFY(chart.plottedPolicyNames().isEmpty());
    QVERIFY(!seriesNamed(chart, QStringLiteral("cheap-then-dear")));

    chart.setXFigure(QuadrantChart::XFigure::CostPer1000Cases);
    chart.clearPoints(); // a new run: the policies' figures belonged to the old one
    chart.flushPendingRedraw();
    QVERIFY(chart.plottedPolicyNames().isEmpty());
}

void TestQuadrantChart::policyJoinsTheFrontier()
{
    QuadrantChart chart;
    chart.setPoint(point("cheap", 0.1, 0.5, 3000));
    chart.setPoint(point("dear", 10.0, 0.9, 60));
    QuadrantPolicyPoint route;
    route.name = QStringLiteral("route");
    route.costPer1000Cases = 1.0;
    route.quality = 0.92; // better and cheaper than "dear": it takes its place on the frontier
    QuadrantPolicyPoint dominated = route;
    dominated.name = QStringLiteral("dominated");
    dominated.costPer1000Cases = 5.0;
    dominated.quality = 0.6;
    chart.setPolicyPoints({route, dominated});
    chart.flushPendingRedraw();
    QCOMPARE(chart.frontierTargetIds(), QStringList{QStringLiteral("cheap")});
    QCOMPARE(chart.frontierPolicyNames(), QStringList{QStringLiteral("route")});
    // The dividers stay at the targets' medians: policies do not move the lineup's quadrants.
    QCOMPARE(chart.dividerY().value(), 70.0);
    route.quality = 0.85;
    chart.setPolicyPoints({route});
    chart.flushPendingRedraw();
    QCOMPARE(chart.frontierTargetIds(), (QStringList{QStringLiteral("cheap"), QStringLiteral("dear")}));
    QCOMPARE(chart.frontierPolicyNames(), QStringList{QStringLiteral("route")});
}

// Policies with the same or close figures (a cascade and its oracle twin) each keep a readable
// name: beside its own diamond, over no other name and no other diamond.
void TestQuadrantChart::policyNamesDoNotOverlap()
{
    QuadrantChart chart;
    chart.resize(900, 600);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    chart.setPoint(point("cheap", 0.1, 0.5, 3000));
    chart.setPoint(point("dear", 10.0, 0.9, 60));
    QList<QuadrantPolicyPoint> policies;
    const char *names[] = {"groq, sonnet validates", "groq, oracle", "groq, o4-mini validates", "nearby"};
    for (int i = 0; i < 4; ++i) {
        QuadrantPolicyPoint p;
        p.name = QString::fromLatin1(names[i]);
        p.costPer1000Cases = i < 3 ? 1.0 : 1.05;
        p.quality = i < 3 ? 0.8 : 0.81;
        policies.append(p);
    }
    chart.setPolicyPoints(policies);
    chart.flushPendingRedraw();
    QCoreApplication::processEvents();
    QCOMPARE(chart.policyLabelTexts().size(), 4);
    const QList<QRectF> rects = chart.policyLabelRects();
    QCOMPARE(rects.size(), 4);
    for (qsizetype i = 0; i < rects.size(); ++i) {
        QVERIFY(!rects.at(i).isEmpty());
        for (qsizetype j = i + 1; j < rects.size(); ++j)
            QVERIFY2(!rects.at(i).intersects(rects.at(j)),
                     qPrintable(QStringLiteral("%1 and %2 overlap")
                                    .arg(chart.policyLabelTexts().at(i), chart.policyLabelTexts().at(j))));
    }
    // Each name stays close to where its diamond is drawn.
    QScatterSeries *diamond = seriesNamed(chart, QStringLiteral("groq, oracle"));
    QVERIFY(diamond);
    const QPointF at = chart.chart()->mapToPosition(diamond->points().first(), diamond);
    const QRectF name = rects.at(chart.policyLabelTexts().indexOf(QStringLiteral("groq, oracle")));
    QVERIFY2(QLineF(at, name.center()).length() < 150, qPrintable(QString::number(QLineF(at, name.center()).length())));
}

QTEST_MAIN(TestQuadrantChart)
#include "tst_quadrantchart.moc"
