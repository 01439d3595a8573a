#include "run/RunGate.h"

#include <QTest>

using namespace Slopscope;

namespace {

TargetSummary summary(const char *id, std::optional<double> quality, std::optional<double> low = std::nullopt)
{
    TargetSummary s;
    s.targetId = QString::fromLatin1(id);
    s.quality = quality;
    s.qualityLow = low;
    return s;
}

} // namespace

class TestRunGate final : public QObject
{
    Q_OBJECT

private slots:
    void parsesFiguresTargetsAndPercentages();
    void rejectsMalformedGatesWithTheirText();
    void parseAllKeepsOrderAndStopsAtTheFirstBadGate();
    void failsTargetsUnderTheMinimumAndThoseWithoutAFigure();
    void shardsSplitCasesDisjointlyAndStably();
};

void TestRunGate::parsesFiguresTargetsAndPercentages()
{
    auto plain = RunGate::parse(QStringLiteral("quality=0.8"));
    QVERIFY2(plain.ok(), qPrintable(plain.error()));
    QCOMPARE(plain.value().figure, QStringLiteral("quality"));
    QCOMPARE(plain.value().minimum, 0.8);
    QVERIFY(plain.value().targetId.isEmpty());
    auto percent = RunGate::parse(QStringLiteral(" fast:quality_ci_low = 75% "));
    QVERIFY2(percent.ok(), qPrintable(percent.error()));
    QCOMPARE(percent.value().targetId, QStringLiteral("fast"));
    QCOMPARE(percent.value().figure, QStringLiteral("quality_ci_low"));
    QCOMPARE(percent.value().minimum, 0.75);
}

void TestRunGate::rejectsMalformedGatesWithTheirText()
{
    for (const char *bad : {"quality", "speed=0.5", "quality=abc", "quality=1.5", ":quality=0.5", "quality=-0.1"}) {
        auto gate = RunGate::parse(QString::fromLatin1(bad));
        QVERIFY2(!gate.ok(), bad);
        QVERIFY2(gate.error().contains(QString::fromLatin1(bad)), qPrintable(gate.error()));
    }
}

void TestRunGate::parseAllKeepsOrderAndStopsAtTheFirstBadGate()
{
    auto both = RunGate::parseAll({QStringLiteral("quality=0.8"), QStringLiteral("fast:quality_ci_low=70%")});
    QVERIFY2(both.ok(), qPrintable(both.error()));
    QCOMPARE(both.value().size(), 2);
    QCOMPARE(both.value().at(1).targetId, QStringLiteral("fast"));
    QVERIFY(RunGate::parseAll({}).value().isEmpty());
    auto bad = RunGate::parseAll({QStringLiteral("quality=0.8"), QStringLiteral("speed=3")});
    QVERIFY(!bad.ok());
    QVERIFY2(bad.error().contains(QStringLiteral("speed=3")), qPrintable(bad.error()));
}

void TestRunGate::failsTargetsUnderTheMinimumAndThoseWithoutAFigure()
{
    const QList<TargetSummary> summaries{summary("good", 0.9, 0.85), summary("weak", 0.6, 0.5),
                                         summary("ungraded", std::nullopt)};
    const RunGate all = RunGate::parse(QStringLiteral("quality=0.8")).value();
    const QStringList failures = all.failures(summaries);
    QCOMPARE(failures.size(), 2);
    QVERIFY(failures.at(0).startsWith(QStringLiteral("weak:")));
    QVERIFY(failures.at(1).startsWith(QStringLiteral("ungraded:")));
    QVERIFY(RunGate::parse(QStringLiteral("good:quality=0.8")).value().failures(summaries).isEmpty());
    // The interval's low end is stricter than the estimate.
    QCOMPARE(RunGate::parse(QStringLiteral("good:quality_ci_low=0.88")).value().failures(summaries).size(), 1);
    // A gate on a target the run does not have cannot pass.
    QCOMPARE(RunGate::parse(QStringLiteral("nobody:quality=0.1")).value().failures(summaries).size(), 1);
}

void TestRunGate::shardsSplitCasesDisjointlyAndStably()
{
    QCOMPARE(parseShard(QStringLiteral("2/4")).value(), (std::pair{2, 4}));
    for (const char *bad : {"0/4", "5/4", "2", "a/b", "1/0"})
        QVERIFY2(!parseShard(QString::fromLatin1(bad)).ok(), bad);
    QList<int> perShard(4, 0);
    for (int c = 0; c < 400; ++c) {
        const QString id = QStringLiteral("case-%1").arg(c);
        int owners = 0;
        for (int shard = 1; shard <= 4; ++shard) {
            if (inShard(id, shard, 4)) {
                ++owners;
                ++perShard[shard - 1];
            }
        }
        QCOMPARE(owners, 1); // every case in exactly one shard
        QVERIFY(inShard(id, 1, 1));
    }
    for (int n : std::as_const(perShard))
        QVERIFY2(n > 60, qPrintable(QString::number(n))); // roughly even (100 expected each)
    // The assignment is FNV-1a of the id (computed independently: "case-0" → shard 3 of 4, 2 of 3),
    // so a CI matrix's machines agree whatever their Qt version or CPU.
    QVERIFY(inShard(QStringLiteral("case-0"), 3, 4));
    QVERIFY(inShard(QStringLiteral("case-0"), 2, 3));
}

QTEST_GUILESS_MAIN(TestRunGate)
#include "tst_rungate.moc"
