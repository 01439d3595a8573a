#include "run/RunSession.h"
#include "run/ScopedQuality.h"

// The quadrant's quality toggle: canonical wording only, paraphrased variants only, all, or the
// canonical wording within each case's time budget.

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
    void withinBudgetFailsLateAnswers();
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

void TestScopedQuality::withinBudgetFailsLateAnswers()
{
    // Default budget 1 s; case b allows 5 s; case c sets none of its own, so the default holds.
    auto suite = Suite::fromJson(R"({"name": "s", "defaults": {"time_budget_ms": 1000}, "cases": [
        {"id": "a", "prompt": "p"}, {"id": "b", "prompt": "p", "time_budget_ms": 5000}, {"id": "c", "prompt": "p"}]})",
                                 QStringLiteral("budget.json"));
    QVERIFY2(suite.ok(), qPrintable(suite.error()));
    QVERIFY(suite.value().hasTimeBudgets());
    const auto timed = [](CellResult c, qint64 e2eMs) {
        c.metrics.e2eNs = e2eMs * 1'000'000;
        return c;
    };
    const QList<CellResult> cells{
        timed(cell("t", "a", 1.0), 1500),       // late: counts 0
        timed(cell("t", "a", 1.0), 900),        // in time: 1 → case a 0.5
        timed(cell("t", "b", 1.0), 4000),       // within b's own 5 s
        cell("t", "c", 1.0),                    // no latency (not measured): not judged late
        timed(cell("t", "c", 0.0, "v1"), 100),  // a variant: not in this scope
        timed(cell("t", "c", 1.0), 1000),       // exactly the budget is in time
    };
    QVERIFY(overTimeBudget(cells.at(0), suite.value()));
    QVERIFY(!overTimeBudget(cells.at(2), suite.value()));
    QVERIFY(!overTimeBudget(cells.at(5), suite.value()));
    const ScopedQuality q = scopedQuality(QStringLiteral("t"), cells, QualityScope::WithinBudget, &suite.value());
    QVERIFY(q.quality.has_value());
    QVERIFY(qAbs(*q.quality - (0.5 + 1.0 + 1.0) / 3.0) < 1e-9);
    QCOMPARE(q.cases, 3);
    // Without the budgets (no suite, or a suite without any) it is the canonical quality.
    const ScopedQuality canonical = scopedQuality(QStringLiteral("t"), cells, QualityScope::Canonical);
    QCOMPARE(canonical.quality, std::optional<double>(1.0));
    QCOMPARE(scopedQuality(QStringLiteral("t"), cells, QualityScope::WithinBudget).quality, canonical.quality);
    Suite unbudgeted = suite.value();
    unbudgeted.defaults.timeBudgetMs.reset();
    unbudgeted.cases[1].timeBudgetMs.reset();
    QVERIFY(!unbudgeted.hasTimeBudgets());
    QCOMPARE(scopedQuality(QStringLiteral("t"), cells, QualityScope::WithinBudget, &unbudgeted).quality,
             canonical.quality);
}

QTEST_GUILESS_MAIN(TestScopedQuality)
#include "tst_scopedquality.moc"
