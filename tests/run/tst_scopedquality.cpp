#include "run/RunSession.h"
#include "run/ScopedQuality.h"

// The quadrant's quality toggle: canonical wording only, paraphrased variants only, or all.

#include <QTest>

using namespace Slopscope;

namespace {

CellResult cell(const char *target, const char *caseId, double score, const char *variant = "",
                JobState state = JobState::Completed)
{
    CellResult c;
    c.job.targetId = QString::fromLatin1(target);
    c.job.state = state;
    c.caseId = QString::fromLatin1(caseId);
    c.variantId = QString::fromLatin1(variant);
    c.grade.score = score;
    return c;
}

} // namespace

class TestScopedQuality final : public QObject
{
    Q_OBJECT

private slots:
    void scopesPickTheirWordings_data();
    void scopesPickTheirWordings();
    void canonicalEqualsTheSummary();
    void emptyScopeHasNoFigure();
};

void TestScopedQuality::scopesPickTheirWordings_data()
{
    QTest::addColumn<QualityScope>("scope");
    QTest::addColumn<double>("quality");
    QTest::addColumn<qsizetype>("cases");
    // Case a: canonical 1.0 and 0.0 (repeats) → 0.5; variants 0.0 → 0.0; all → 1/3.
    // Case b: canonical 1.0; variants 1.0 and 0.5 → 0.75; all → 2.5/3.
    // Case c: canonical only, 1.0.
    QTest::newRow("canonical") << QualityScope::Canonical << (0.5 + 1.0 + 1.0) / 3.0 << qsizetype(3);
    QTest::newRow("variants") << QualityScope::Variants << (0.0 + 0.75) / 2.0 << qsizetype(2);
    QTest::newRow("all") << QualityScope::All << (1.0 / 3.0 + 2.5 / 3.0 + 1.0) / 3.0 << qsizetype(3);
}

void TestScopedQuality::scopesPickTheirWordings()
{
    QFETCH(QualityScope, scope);
    QFETCH(double, quality);
    QFETCH(qsizetype, cases);
    const QList<CellResult> cells{
        cell("t", "a", 1.0),
        cell("t", "a", 0.0),
        cell("t", "a", 0.0, "v1"),
        cell("t", "b", 1.0),
        cell("t", "b", 1.0, "v1"),
        cell("t", "b", 0.5, "v2"),
        cell("t", "c", 1.0),
        // Neither another target's cells nor cancelled ones count.
        cell("other", "a", 0.0),
        cell("other", "b", 0.0, "v1"),
        cell("t", "c", 0.0, "v1", JobState::Cancelled),
    };
    const ScopedQuality q = scopedQuality(QStringLiteral("t"), cells, scope);
    QVERIFY(q.quality.has_value());
    QVERIFY(qAbs(*q.quality - quality) < 1e-9);
    QCOMPARE(q.cases, cases);
    QVERIFY(*q.low <= *q.quality && *q.quality <= *q.high);
}

void TestScopedQuality::canonicalEqualsTheSummary()
{
    const QList<CellResult> cells{cell("t", "a", 1.0),  cell("t", "a", 0.0, "v1"), cell("t", "b", 0.25),
                                  cell("t", "c", 0.75), cell("t", "d", 0.0),       cell("t", "d", 1.0, "v1")};
    const TargetSummary s = RunSession::summarize(QStringLiteral("t"), cells, Price{});
    const ScopedQuality q = scopedQuality(QStringLiteral("t"), cells, QualityScope::Canonical);
    QCOMPARE(q.quality, s.quality);
    QCOMPARE(q.low, s.qualityLow);
    QCOMPARE(q.high, s.qualityHigh);
    QCOMPARE(q.cases, s.cases);
    // The variants' mean is the summary's variant quality too.
    QCOMPARE(scopedQuality(QStringLiteral("t"), cells, QualityScope::Variants).quality, s.variantQuality);
}

void TestScopedQuality::emptyScopeHasNoFigure()
{
    const ScopedQuality q = scopedQuality(QStringLiteral("t"), {cell("t", "a", 1.0)}, QualityScope::Variants);
    QVERIFY(!q.quality.has_value());
    QVERIFY(!q.low.has_value());
    QCOMPARE(q.cases, 0);
}

QTEST_GUILESS_MAIN(TestScopedQuality)
#include "tst_scopedquality.moc"
