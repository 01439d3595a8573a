#include "core/Workspace.h"
#include "quality/Suite.h"
#include "run/RunSpec.h"
#include "store/RunSnapshot.h"
#include "store/StoreTypes.h"

#include <QTest>

using namespace Slopscope;

// What a run records about itself so that it can be resumed, re-reported and compared: the
// suite, the targets and the settings, and never a secret.
class TestRunSnapshot final : public QObject
{
    Q_OBJECT

private slots:
    void runSettingsComeBackFromTheSnapshot();
    void snapshotsTheSuiteAndTargetsWithoutSecrets();
};

// The run's settings come back from the snapshot as they were given, so a resume runs the same
// way (the spend cap and "retry truncated" included; the latter is written only when on).
void TestRunSnapshot::runSettingsComeBackFromTheSnapshot()
{
    RunSpec spec;
    spec.workspace = Workspace::demo();
    auto suite = Suite::fromFile(QStringLiteral(":/slopscope/demo/suites/facts.json"));
    QVERIFY2(suite.ok(), qPrintable(suite.error()));
    spec.suite = suite.value();
    spec.repeats = 3;
    spec.variants = true;
    spec.seed = 42;
    spec.oneProviderAtATime = true;
    spec.globalConcurrency = 7;
    spec.maxCostUsd = 0.25;
    spec.retryTruncated = true;
    spec.preconnect = false;
    const RunStart start = RunSnapshot::fromSpec(spec, QStringLiteral("run-s"));
    RunRecord record;
    record.id = start.id;
    record.suiteJson = start.suiteJson;
    record.targetsJson = start.targetsJson;
    record.settingsJson = start.settingsJson;
    const auto back = RunSnapshot::toSpec(record);
    QVERIFY2(back.ok(), qPrintable(back.error()));
    QCOMPARE(back.value().repeats, 3);
    QVERIFY(back.value().variants);
    QCOMPARE(back.value().seed, quint64{42});
    QVERIFY(back.value().oneProviderAtATime);
    QCOMPARE(back.value().globalConcurrency, 7);
    QCOMPARE(back.value().maxCostUsd, std::optional<double>(0.25));
    QVERIFY(back.value().retryTruncated);
    QVERIFY(!back.value().preconnect);

    spec.retryTruncated = false;
    spec.preconnect = true;
    const RunStart plain = RunSnapshot::fromSpec(spec, QStringLiteral("run-p"));
    QVERIFY(!plain.settingsJson.contains(u"retry_truncated"));
    QVERIFY(!plain.settingsJson.contains(u"preconnect")); // older files, without it, preconnect
    record.settingsJson = plain.settingsJson;
    QVERIFY(!RunSnapshot::toSpec(record).value().retryTruncated);
    QVERIFY(RunSnapshot::toSpec(record).value().preconnect);
}

void TestRunSnapshot::snapshotsTheSuiteAndTargetsWithoutSecrets()
{
    RunSpec spec;
    spec.workspace = Workspace::demo();
    ProviderConfig &p = spec.workspace.providers.first();
    p.apiKeyEnv = QStringLiteral("SLOPSCOPE_TEST_KEY_NAME");
    p.headers.insert(QStringLiteral("X-Api-Key"), QStringLiteral("sk-very-secret-header"));
    p.baseUrl = QStringLiteral("https://user:sk-in-userinfo@api.example.com/v1?key=sk-in-query");
    auto suite = Suite::fromFile(QStringLiteral(":/slopscope/demo/suites/facts.json"));
    QVERIFY2(suite.ok(), qPrintable(suite.error()));
    spec.suite = suite.value();
    spec.repeats = 2;
    spec.caseIds = {spec.suite.cases.at(0).id, spec.suite.cases.at(1).id};
    spec.targetIds = {spec.workspace.targets.at(0).id};
    const RunStart start = RunSnapshot::fromSpec(spec, QStringLiteral("run-1"), QStringLiteral("catalogue-x"));
    QCOMPARE(start.targetIds, spec.targetIds);
    QCOMPARE(start.plannedCells, 4);
    QCOMPARE(start.prompts.size(), 2);
    QCOMPARE(start.priceCatalogue, QStringLiteral("catalogue-x"));
    const QString everything = start.suiteJson + start.targetsJson + start.settingsJson;
    for (const char *secret : {"sk-very-secret-header", "sk-in-userinfo", "sk-in-query", "SLOPSCOPE_TEST_KEY_NAME"})
        QVERIFY2(!everything.contains(QLatin1StringView(secret)), secret);
    QVERIFY(start.targetsJson.contains(QStringLiteral("api.example.com/v1")));
    QVERIFY(start.targetsJson.contains(QStringLiteral("\"model\"")));
    // The suite snapshot is a suite file again.
    auto back = Suite::fromJson(start.suiteJson.toUtf8(), QStringLiteral("snapshot"));
    QVERIFY2(back.ok(), qPrintable(back.error()));
    QCOMPARE(back.value().cases.size(), spec.suite.cases.size());
    for (qsizetype i = 0; i < spec.suite.cases.size(); ++i) {
        QCOMPARE(back.value().cases.at(i).id, spec.suite.cases.at(i).id);
        QCOMPARE(back.value().messagesFor(back.value().cases.at(i)), spec.suite.messagesFor(spec.suite.cases.at(i)));
        QCOMPARE(back.value().cases.at(i).tags, spec.suite.cases.at(i).tags);
        QCOMPARE(back.value().cases.at(i).assertions.size(), spec.suite.cases.at(i).assertions.size());
        QCOMPARE(back.value().cases.at(i).reference, spec.suite.cases.at(i).reference);
        QCOMPARE(back.value().cases.at(i).threshold, spec.suite.cases.at(i).threshold);
        QCOMPARE(back.value().cases.at(i).variants.size(), spec.suite.cases.at(i).variants.size());
        for (qsizetype v = 0; v < spec.suite.cases.at(i).variants.size(); ++v) {
            const CaseVariant &want = spec.suite.cases.at(i).variants.at(v);
            const CaseVariant &got = back.value().cases.at(i).variants.at(v);
            QCOMPARE(got.id, want.id);
            QCOMPARE(got.vars, want.vars);
            QCOMPARE(got.reference, want.reference);
            QCOMPARE(got.assertions.has_value(), want.assertions.has_value());
            QCOMPARE(back.value().messagesFor(back.value().cases.at(i), &got),
                     spec.suite.messagesFor(spec.suite.cases.at(i), &want));
        }
    }
    // The benchmark suite has rewordings with their own variables and answers.
    auto benchmark = Suite::fromFile(QStringLiteral(":/slopscope/demo/suites/benchmark.json"));
    QVERIFY(benchmark.ok());
    auto again = Suite::fromJson(RunSnapshot::suiteJson(benchmark.value()).toUtf8(), QStringLiteral("snapshot"));
    QVERIFY2(again.ok(), qPrintable(again.error()));
    QCOMPARE(RunSnapshot::suiteJson(again.value()), RunSnapshot::suiteJson(benchmark.value()));
}

QTEST_GUILESS_MAIN(TestRunSnapshot)

#include "tst_runsnapshot.moc"
