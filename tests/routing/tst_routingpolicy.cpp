#include "routing/RoutingPolicy.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Slopscope;

namespace {

QList<RoutingPolicy> threeKinds()
{
    RoutingPolicy cascade =
        RoutingPolicy::cascade(QStringLiteral("draft-validate-escalate"),
                               {CascadeStage{QStringLiteral("gpt-oss-groq"), QStringLiteral("gemini-flash"), 0.7},
                                CascadeStage{QStringLiteral("o4-mini"), RoutingPolicy::kOracleValidator, 1.0},
                                CascadeStage{QStringLiteral("sonnet"), {}, 0.5}});
    cascade.description = QStringLiteral("three stages");
    RoutingPolicy byTag;
    byTag.name = QStringLiteral("critical-to-opus");
    byTag.kind = RoutingPolicy::Kind::ByTag;
    byTag.rules = {TagRule{QStringLiteral("critical"), QStringLiteral("opus")},
                   TagRule{QStringLiteral("low-risk"), QStringLiteral("local-llama")}};
    byTag.defaultTargetId = QStringLiteral("gpt-oss-groq");
    RoutingPolicy best;
    best.name = QStringLiteral("best-of-3");
    best.kind = RoutingPolicy::Kind::BestOfN;
    best.candidateTargets = {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")};
    best.judgeTargetId = QStringLiteral("sonnet");
    return {cascade, byTag, best};
}

} // namespace

class TestRoutingPolicy final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTripsThroughJsonAndFiles();
    void readsTheDocumentedExample();
    void refusesBadFiles_data();
    void refusesBadFiles();
    void namesLineAndColumn();
    void describesPolicies();
};

void TestRoutingPolicy::roundTripsThroughJsonAndFiles()
{
    const QList<RoutingPolicy> policies = threeKinds();
    const auto back = RoutingPolicy::fromJson(RoutingPolicy::toJson(policies), QStringLiteral("mem.json"));
    QVERIFY2(back.ok(), qPrintable(back.error()));
    QCOMPARE(back.value().size(), 3);
    QVERIFY(back.value() == policies);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("routes.json"));
    const Status saved = RoutingPolicy::saveFile(path, policies);
    QVERIFY2(saved.ok(), qPrintable(saved.error()));
    const auto loaded = RoutingPolicy::fromFile(path);
    QVERIFY2(loaded.ok(), qPrintable(loaded.error()));
    QVERIFY(loaded.value() == policies);
    QVERIFY(RoutingPolicy::fromFile(dir.filePath(QStringLiteral("nope.json")))
                .error()
                .contains(QStringLiteral("nope.json")));
}

void TestRoutingPolicy::readsTheDocumentedExample()
{
    // The example in docs/ROUTING.md, kept in step with it.
    const QByteArray doc = R"({
  "version": 1,
  "policies": [
    {"name": "groq-then-sonnet", "kind": "cascade",
     "stages": [{"target": "gpt-oss-groq", "validator": "gemini-flash", "threshold": 0.7},
                {"target": "sonnet"}]},
    {"name": "critical-to-opus", "kind": "by-tag",
     "rules": [{"tag": "critical", "target": "opus"}], "default": "gpt-oss-groq"},
    {"name": "best-of-3", "kind": "best-of-n",
     "candidates": ["gpt-oss-groq", "gemini-flash", "qwen3-coder"], "judge": "sonnet"}
  ]
})";
    const auto parsed = RoutingPolicy::fromJson(doc, QStringLiteral("routes.json"));
    QVERIFY2(parsed.ok(), qPrintable(parsed.error()));
    const QList<RoutingPolicy> &p = parsed.value();
    QCOMPARE(p.size(), 3);
    QCOMPARE(p.at(0).stages.size(), 2);
    QCOMPARE(p.at(0).stages.at(0).threshold, 0.7);
    QCOMPARE(p.at(0).targetsUsed(),
             (QStringList{QStringLiteral("gpt-oss-groq"), QStringLiteral("gemini-flash"), QStringLiteral("sonnet")}));
    QCOMPARE(p.at(1).kind, RoutingPolicy::Kind::ByTag);
    QCOMPARE(p.at(1).defaultTargetId, QStringLiteral("gpt-oss-groq"));
    QCOMPARE(p.at(2).candidateTargets.size(), 3);
    QCOMPARE(p.at(2).judgeTargetId, QStringLiteral("sonnet"));
}

void TestRoutingPolicy::refusesBadFiles_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expected");
    const auto row = [](const char *name, const char *policy, const char *expected) {
        QTest::newRow(name) << (QByteArray(R"({"version": 1, "policies": [)") + policy + "]}")
                            << QString::fromUtf8(expected);
    };
    QTest::newRow("not json") << QByteArray("{\"version\": 1,") << QStringLiteral("bad.json:1:");
    QTest::newRow("not an object") << QByteArray("[]") << QStringLiteral("must be a JSON object");
    QTest::newRow("no version") << QByteArray(R"({"policies": []})") << QStringLiteral("version: missing");
    QTest::newRow("newer version") << QByteArray(R"({"version": 2, "policies": []})")
                                   << QStringLiteral("version: 2 is newer");
    QTest::newRow("unknown top key") << QByteArray(R"({"version": 1, "policies": [], "extra": 1})")
                                     << QStringLiteral("extra: unknown key");
    row("unknown kind", R"({"name": "p", "kind": "lottery"})", "policies[0].kind: unknown kind \"lottery\"");
    row("no name", R"({"kind": "cascade", "stages": [{"target": "a"}]})", "policies[0].name: missing");
    row("empty name", R"({"name": " ", "kind": "cascade", "stages": [{"target": "a"}]})",
        "policies[0].name: a policy needs a name");
    row("no stages", R"({"name": "p", "kind": "cascade", "stages": []})", "policies[0].stages: a cascade needs");
    row("threshold out of range",
        R"({"name": "p", "kind": "cascade", "stages": [{"target": "a", "validator": "v", "threshold": 1.5}, {"target": "b"}]})",
        "policies[0].stages[0].threshold: must be between 0 and 1");
    row("threshold not a number",
        R"({"name": "p", "kind": "cascade", "stages": [{"target": "a", "validator": "v", "threshold": "high"}, {"target": "b"}]})",
        "policies[0].stages[0].threshold: expected a number");
    row("no validator before escalation",
        R"({"name": "p", "kind": "cascade", "stages": [{"target": "a"}, {"target": "b"}]})",
        "policies[0].stages[0].validator: missing");
    row("validator on the last stage",
        R"({"name": "p", "kind": "cascade", "stages": [{"target": "a", "validator": "v"}]})",
        "policies[0].stages[0].validator: the last stage has nothing to escalate to");
    row("unknown stage key", R"({"name": "p", "kind": "cascade", "stages": [{"target": "a", "model": "x"}]})",
        "policies[0].stages[0].model: unknown key");
    row("key of another kind", R"({"name": "p", "kind": "cascade", "stages": [{"target": "a"}], "judge": "j"})",
        "policies[0].judge: not used by a cascade policy");
    row("by-tag without default", R"({"name": "p", "kind": "by-tag", "rules": []})", "policies[0].default: missing");
    row("by-tag duplicate tag",
        R"({"name": "p", "kind": "by-tag", "default": "a", "rules": [{"tag": "x", "target": "a"}, {"tag": "x", "target": "b"}]})",
        "policies[0].rules[1].tag: tag \"x\" already has a rule");
    row("by-tag rule without target", R"({"name": "p", "kind": "by-tag", "default": "a", "rules": [{"tag": "x"}]})",
        "policies[0].rules[0].target: missing");
    row("best-of-n one candidate", R"({"name": "p", "kind": "best-of-n", "candidates": ["a"], "judge": "j"})",
        "policies[0].candidates: best-of-n needs at least two candidates");
    row("best-of-n duplicate", R"({"name": "p", "kind": "best-of-n", "candidates": ["a", "a"], "judge": "j"})",
        "policies[0].candidates[1]: \"a\" is already a candidate");
    row("best-of-n candidate not a string",
        R"({"name": "p", "kind": "best-of-n", "candidates": ["a", 3], "judge": "j"})",
        "policies[0].candidates[1]: expected a target id");
    row("best-of-n without judge", R"({"name": "p", "kind": "best-of-n", "candidates": ["a", "b"]})",
        "policies[0].judge: missing");
    QTest::newRow("duplicate names")
        << QByteArray(R"({"version": 1, "policies": [{"name": "p", "kind": "cascade", "stages": [{"target": "a"}]},
                      {"name": "p", "kind": "cascade", "stages": [{"target": "b"}]}]})")
        << QStringLiteral("policies[1].name: duplicate policy name \"p\"");
}

void TestRoutingPolicy::refusesBadFiles()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);
    const auto parsed = RoutingPolicy::fromJson(json, QStringLiteral("bad.json"));
    QVERIFY(!parsed.ok());
    QVERIFY2(parsed.error().contains(expected), qPrintable(parsed.error()));
    QVERIFY2(parsed.error().startsWith(QStringLiteral("bad.json")), qPrintable(parsed.error()));
}

void TestRoutingPolicy::namesLineAndColumn()
{
    // The bad threshold sits on line 5, column 54.
    const QByteArray json = "{\n"
                            "  \"version\": 1,\n"
                            "  \"policies\": [\n"
                            "    {\"name\": \"p\", \"kind\": \"cascade\", \"stages\": [\n"
                            "      {\"target\": \"a\", \"validator\": \"v\", \"threshold\": -1},\n"
                            "      {\"target\": \"b\"}]}\n"
                            "  ]\n"
                            "}\n";
    const auto parsed = RoutingPolicy::fromJson(json, QStringLiteral("routes.json"));
    QVERIFY(!parsed.ok());
    QVERIFY2(parsed.error().startsWith(QStringLiteral("routes.json:5:54: ")), qPrintable(parsed.error()));
    QVERIFY2(parsed.error().contains(QStringLiteral("policies[0].stages[0].threshold")), qPrintable(parsed.error()));
}

void TestRoutingPolicy::describesPolicies()
{
    const QList<RoutingPolicy> p = threeKinds();
    QCOMPARE(p.at(0).summary(), QStringLiteral("gpt-oss-groq [gemini-flash ≥ 0.7] → o4-mini [@oracle ≥ 1] → sonnet"));
    QCOMPARE(p.at(1).summary(), QStringLiteral("critical: opus, low-risk: local-llama, *: gpt-oss-groq"));
    QCOMPARE(p.at(2).summary(), QStringLiteral("best of {a, b, c} by sonnet"));
    // The oracle is no target: it never appears among the targets a policy needs.
    QCOMPARE(p.at(0).targetsUsed(), (QStringList{QStringLiteral("gpt-oss-groq"), QStringLiteral("gemini-flash"),
                                                 QStringLiteral("o4-mini"), QStringLiteral("sonnet")}));
    QCOMPARE(RoutingPolicy::kindFromName(QStringLiteral("best-of-n")), RoutingPolicy::Kind::BestOfN);
    QVERIFY(!RoutingPolicy::kindFromName(QStringLiteral("Cascade")));
}

QTEST_GUILESS_MAIN(TestRoutingPolicy)
#include "tst_routingpolicy.moc"
