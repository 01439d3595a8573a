#include "HistoryFixture.h"
#include "views/DriftModel.h"
#include "views/RunComparisonModel.h"

#include <QAbstractItemModelTester>
#include <QTemporaryDir>
#include <QTest>

using namespace Slopscope;

// The run comparison and drift models over a real history file (HistoryFixture): values,
// deltas against the oldest run, significance, the model-changed flag and "—" for unknowns.
class TestRunComparisonModel final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void ordersRunsOldestFirstAndMatchesTargets();
    void flagsASignificantDropAndAModelSwap();
    void anOverlappingChangeIsNotSignificant();
    void unknownFiguresReadAsADash();
    void countsFailedAnswers();
    void driftListsOneRowPerRunInDateOrder();
    void formatsFiguresForReading();
    void escapesReportedModelsInToolTips();

private:
    [[nodiscard]] QVariant cell(const QString &target, int run, RunComparisonModel::Metric metric,
                                int role = Qt::DisplayRole) const;

    QTemporaryDir m_dir;
    HistoryFixture::History m_history;
    HistoryStore m_store;
    RunComparisonModel m_model;
};

void TestRunComparisonModel::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const QString path = m_dir.filePath(QStringLiteral("history.sqlite"));
    m_history = HistoryFixture::record(path);
    QCOMPARE(m_history.runIds.size(), 3);
    QVERIFY(m_store.open(path, HistoryStore::Mode::ReadOnly, StoreOpenOptions{.quickCheck = false}).ok());
    QList<RunComparisonModel::Run> runs;
    // Newest first, as the history browser lists them: the model puts the oldest first.
    for (qsizetype i = m_history.runIds.size() - 1; i >= 0; --i) {
        auto stats = m_store.targetStats(m_history.runIds.at(i));
        QVERIFY2(stats.ok(), qPrintable(stats.error()));
        runs.append({m_history.runIds.at(i), m_history.t0.addDays(7 * i), QStringLiteral("weekly"), stats.value()});
    }
    m_model.setRuns(runs);
}

QVariant TestRunComparisonModel::cell(const QString &target, int run, RunComparisonModel::Metric metric,
                                      int role) const
{
    const auto row = static_cast<int>(m_model.targetIds().indexOf(target));
    return m_model.index(row, RunComparisonModel::column(run, metric)).data(role);
}

void TestRunComparisonModel::ordersRunsOldestFirstAndMatchesTargets()
{
    QAbstractItemModelTester tester(&m_model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(m_model.runs().size(), 3);
    for (int run = 0; run < 3; ++run) {
        QCOMPARE(m_model.runs().at(run).id, m_history.runIds.at(run));
        QCOMPARE(cell(QStringLiteral("t1"), run, RunComparisonModel::QualityMetric, RunComparisonModel::RunIdRole)
                     .toString(),
                 m_history.runIds.at(run));
    }
    QCOMPARE(m_model.targetIds(), (QStringList{QStringLiteral("t1"), QStringLiteral("t2"), QStringLiteral("t3")}));
    QCOMPARE(m_model.rowCount(), 3);
    QCOMPARE(m_model.columnCount(), 1 + 3 * RunComparisonModel::MetricCount);
    // The baseline has no delta.
    QVERIFY(!cell(QStringLiteral("t1"), 0, RunComparisonModel::QualityMetric, RunComparisonModel::DeltaRole).isValid());
    QCOMPARE(cell(QStringLiteral("t1"), 0, RunComparisonModel::QualityMetric).toString(),
             QStringLiteral("87.5% (%1–%2)")
                 .arg(QLocale().toString(*m_model.stats(0, 0)->qualityLow * 100.0, 'f', 1),
                      QLocale().toString(*m_model.stats(0, 0)->qualityHigh * 100.0, 'f', 1)));
}

void TestRunComparisonModel::flagsASignificantDropAndAModelSwap()
{
    using M = RunComparisonModel;
    const QString t1 = QStringLiteral("t1");
    QCOMPARE(cell(t1, 2, M::QualityMetric, M::ValueRole).toDouble(), 0.25);
    QCOMPARE(cell(t1, 2, M::QualityMetric, M::DeltaRole).toDouble(), 0.25 - 0.875);
    QCOMPARE(cell(t1, 2, M::QualityMetric, M::ChangeRole).toInt(), int(RunStatsText::Change::Drop));
    const QString quality = cell(t1, 2, M::QualityMetric).toString();
    QVERIFY2(quality.startsWith(QStringLiteral("25.0% (")) && quality.endsWith(QStringLiteral("▼ \u221262.5 pp")),
             qPrintable(quality));
    QVERIFY(cell(t1, 2, M::QualityMetric, Qt::BackgroundRole).isValid());
    QVERIFY(!cell(t1, 1, M::QualityMetric, Qt::BackgroundRole).isValid());

    // The reported model changed in week 2 only; the target's row says so too.
    QVERIFY(!cell(t1, 1, M::ModelMetric, M::ModelChangedRole).toBool());
    QVERIFY(cell(t1, 2, M::ModelMetric, M::ModelChangedRole).toBool());
    QCOMPARE(cell(t1, 2, M::ModelMetric).toString(), QStringLiteral("⚠ model-b"));
    QCOMPARE(cell(t1, 1, M::ModelMetric).toString(), QStringLiteral("model-a"));
    QVERIFY(cell(t1, 2, M::ModelMetric, Qt::ToolTipRole).toString().contains(QStringLiteral("model-a")));
    QVERIFY(m_model.index(0, M::TargetColumn).data(M::ModelChangedRole).toBool());
    QVERIFY(!m_model.index(1, M::TargetColumn).data(M::ModelChangedRole).toBool());

    // Faster after the swap: TTFT down, decode up, both with their change against week 0.
    const double ttftBefore = cell(t1, 0, M::TtftMetric, M::ValueRole).toDouble();
    const double ttftAfter = cell(t1, 2, M::TtftMetric, M::ValueRole).toDouble();
    QVERIFY(ttftAfter < ttftBefore);
    QCOMPARE(cell(t1, 2, M::TtftMetric, M::DeltaRole).toDouble(), ttftAfter - ttftBefore);
    QVERIFY2(cell(t1, 2, M::TtftMetric).toString().contains(QStringLiteral("(\u2212")),
             qPrintable(cell(t1, 2, M::TtftMetric).toString()));
    QVERIFY(cell(t1, 2, M::TokensPerSecondMetric, M::DeltaRole).toDouble() > 0);
    // The same prices each week: cost unchanged.
    QCOMPARE(cell(t1, 2, M::CostMetric, M::DeltaRole).toDouble(), 0.0);
}

void TestRunComparisonModel::anOverlappingChangeIsNotSignificant()
{
    using M = RunComparisonModel;
    // t1 in week 1 scored as in week 0; t2 the same in weeks 0 and 2.
    QCOMPARE(cell(QStringLiteral("t1"), 1, M::QualityMetric, M::ChangeRole).toInt(),
             int(RunStatsText::Change::NotSignificant));
    QCOMPARE(cell(QStringLiteral("t1"), 1, M::QualityMetric, M::DeltaRole).toDouble(), 0.0);
    QVERIFY(cell(QStringLiteral("t1"), 1, M::QualityMetric).toString().contains(QStringLiteral("≈ \u00b10.0 pp")));
    QCOMPARE(cell(QStringLiteral("t2"), 2, M::QualityMetric, M::ChangeRole).toInt(),
             int(RunStatsText::Change::NotSignificant));
    QVERIFY(!cell(QStringLiteral("t2"), 2, M::QualityMetric, Qt::FontRole).isValid());
    QVERIFY(!cell(QStringLiteral("t2"), 2, M::ModelMetric, M::ModelChangedRole).toBool());
}

void TestRunComparisonModel::unknownFiguresReadAsADash()
{
    using M = RunComparisonModel;
    const QString dash = QStringLiteral("—");
    // No known price: the cost is unknown, not $0, and has no delta.
    for (int run = 0; run < 3; ++run) {
        QCOMPARE(cell(QStringLiteral("t2"), run, M::CostMetric).toString(), dash);
        QVERIFY(!cell(QStringLiteral("t2"), run, M::CostMetric, M::ValueRole).isValid());
        QVERIFY(!cell(QStringLiteral("t2"), run, M::CostMetric, M::DeltaRole).isValid());
    }
    // t3 was not in week 1: every figure is unknown there, and week 2 compares with week 0.
    QVERIFY(!m_model.stats(2, 1));
    for (int metric = 0; metric < M::MetricCount; ++metric) {
        QCOMPARE(cell(QStringLiteral("t3"), 1, M::Metric(metric)).toString(), dash);
        QVERIFY(!cell(QStringLiteral("t3"), 1, M::Metric(metric), M::ValueRole).isValid());
    }
    QCOMPARE(cell(QStringLiteral("t3"), 2, M::QualityMetric, M::DeltaRole).toDouble(), 0.0);
    QCOMPARE(cell(QStringLiteral("t3"), 2, M::ModelMetric).toString(), QStringLiteral("model-z"));
}

void TestRunComparisonModel::countsFailedAnswers()
{
    using M = RunComparisonModel;
    QCOMPARE(cell(QStringLiteral("t2"), 1, M::FailedMetric).toString(), QStringLiteral("1/5"));
    QCOMPARE(cell(QStringLiteral("t2"), 1, M::FailedMetric, M::DeltaRole).toInt(), 1);
    QCOMPARE(cell(QStringLiteral("t2"), 0, M::FailedMetric).toString(), QStringLiteral("0/4"));
}

void TestRunComparisonModel::driftListsOneRowPerRunInDateOrder()
{
    auto drift = m_store.drift(QStringLiteral("t1"));
    QVERIFY2(drift.ok(), qPrintable(drift.error()));
    QList<TargetRunStats> reversed(drift.value().crbegin(), drift.value().crend());
    DriftModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setPoints(reversed);
    QCOMPARE(model.rowCount(), 3);
    for (int row = 0; row < 3; ++row) {
        QCOMPARE(model.index(row, 0).data(DriftModel::RunIdRole).toString(), m_history.runIds.at(row));
        QCOMPARE(model.index(row, DriftModel::StartedColumn).data(DriftModel::ValueRole).toDateTime(),
                 m_history.t0.addDays(7 * row));
    }
    QCOMPARE(model.index(2, DriftModel::QualityColumn).data(DriftModel::ValueRole).toDouble(), 0.25);
    QVERIFY(!model.modelChangedAt(1));
    QVERIFY(model.modelChangedAt(2));
    QCOMPARE(model.index(2, DriftModel::ModelColumn).data().toString(), QStringLiteral("⚠ model-b"));
    QVERIFY(model.index(2, DriftModel::ModelColumn).data(DriftModel::ModelChangedRole).toBool());

    // A target absent from a run has no row for it; an unknown cost reads "—".
    model.setPoints(m_store.drift(QStringLiteral("t3")).value());
    QCOMPARE(model.rowCount(), 2);
    model.setPoints(m_store.drift(QStringLiteral("t2")).value());
    QCOMPARE(model.index(0, DriftModel::CostColumn).data().toString(), QStringLiteral("—"));
}

void TestRunComparisonModel::formatsFiguresForReading()
{
    // A fraction of a cent keeps two significant digits instead of reading "$0.0000".
    QCOMPARE(RunStatsText::costPerCase(0.000042), QStringLiteral("$0.000042"));
    QCOMPARE(RunStatsText::costPerCase(0.0123), QStringLiteral("$0.0123"));
    QCOMPARE(RunStatsText::costPerCase(0.0), QStringLiteral("$0.0000"));
    QCOMPARE(RunStatsText::costPerCase(std::nullopt), QStringLiteral("—"));
    // What rounds to nothing is "±0", never "−0".
    QCOMPARE(RunStatsText::relative(100.0, 99.9), QStringLiteral("\u00b10%"));
    QCOMPARE(RunStatsText::relative(200.0, 150.0), QStringLiteral("\u221225%"));
    QCOMPARE(RunStatsText::relative(0.0, 1.0), QString()); // no base to compare with
    QCOMPARE(RunStatsText::points(-0.00001), QStringLiteral("\u00b10.0 pp"));
    QCOMPARE(RunStatsText::points(0.125), QStringLiteral("+12.5 pp"));
    // A model name is untrusted: control characters go, and only its first line is shown.
    TargetRunStats s;
    s.modelsReported = {QStringLiteral("evil\u202e-model\nsecond line")};
    QCOMPARE(RunStatsText::models(s), QStringLiteral("evil-model"));
}

void TestRunComparisonModel::escapesReportedModelsInToolTips()
{
    // What a provider says it ran is untrusted: a name with markup shows as text.
    TargetRunStats before;
    before.targetId = QStringLiteral("t1");
    before.quality = 0.5;
    before.modelsReported = {QStringLiteral("<b>model-a</b>")};
    TargetRunStats after = before;
    after.modelsReported = {QStringLiteral("<img src=x onerror=alert(1)>")};
    RunComparisonModel model;
    const QDateTime t = QDateTime::currentDateTimeUtc();
    model.setRuns({{QStringLiteral("r2"), t, QStringLiteral("<i>suite</i>"), {after}},
                   {QStringLiteral("r1"), t.addDays(-1), QStringLiteral("<i>suite</i>"), {before}}});
    const QModelIndex swapped = model.index(0, RunComparisonModel::column(1, RunComparisonModel::ModelMetric));
    QVERIFY(swapped.data(RunComparisonModel::ModelChangedRole).toBool());
    const QString tip = swapped.data(Qt::ToolTipRole).toString();
    QVERIFY2(tip.contains(QStringLiteral("&lt;img")) && !tip.contains(QStringLiteral("<img")), qPrintable(tip));
    QVERIFY2(tip.contains(QStringLiteral("&lt;b&gt;model-a")), qPrintable(tip));
    const QString header = model.headerData(1, Qt::Horizontal, Qt::ToolTipRole).toString();
    QVERIFY2(!header.contains(QStringLiteral("<i>")), qPrintable(header));
}

QTEST_GUILESS_MAIN(TestRunComparisonModel)
#include "tst_runcomparisonmodel.moc"
