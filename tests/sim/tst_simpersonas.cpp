#include "core/Workspace.h"
#include "sim/SimPersonas.h"

#include <QTest>

using namespace Slopscope;

class TestSimPersonas final : public QObject
{
    Q_OBJECT

private slots:
    void bundledLineupLoads();
    void lineupMirrorsTheMarket();
    void demoWorkspaceTargetsAreServed();
    void readsEveryField();
    void rejectsBadFiles_data();
    void rejectsBadFiles();
    void missingFileIsAnError();
};

void TestSimPersonas::bundledLineupLoads()
{
    const auto p = SimPersonas::defaults();
    QVERIFY2(p.ok(), qPrintable(p.error()));
    const QStringList expected{QStringLiteral("sim-gpt-oss-120b-cerebras"),
                               QStringLiteral("sim-gpt-oss-120b-groq"),
                               QStringLiteral("sim-o3-mini"),
                               QStringLiteral("sim-o4-mini"),
                               QStringLiteral("sim-claude-sonnet-4"),
                               QStringLiteral("sim-claude-opus-4.1"),
                               QStringLiteral("sim-gemini-2.5-flash"),
                               QStringLiteral("sim-qwen3-coder"),
                               QStringLiteral("sim-glm-4.5"),
                               QStringLiteral("sim-llama3.2"),
                               QStringLiteral("sim-sloptimized")};
    QCOMPARE(p.value().all().size(), expected.size());
    for (const QString &id : expected) {
        const SimPersona *persona = p.value().find(id);
        QVERIFY2(persona, qPrintable(id));
        QVERIFY2(persona->label.contains(QStringLiteral("simulated"), Qt::CaseInsensitive), qPrintable(persona->label));
        QVERIFY(persona->inputPerMTok.has_value() && persona->outputPerMTok.has_value());
    }
}

void TestSimPersonas::lineupMirrorsTheMarket()
{
    const SimPersonas p = SimPersonas::defaults().value();
    const SimPersona &cerebras = *p.find(QStringLiteral("sim-gpt-oss-120b-cerebras"));
    const SimPersona &groq = *p.find(QStringLiteral("sim-gpt-oss-120b-groq"));
    const SimPersona &o3 = *p.find(QStringLiteral("sim-o3-mini"));
    const SimPersona &opus = *p.find(QStringLiteral("sim-claude-opus-4.1"));
    const SimPersona &llama = *p.find(QStringLiteral("sim-llama3.2"));
    const SimPersona &slop = *p.find(QStringLiteral("sim-sloptimized"));
    QCOMPARE(cerebras.tokensPerSecond, 3000.0);
    QCOMPARE(groq.tokensPerSecond, 500.0);
    QVERIFY(cerebras.qualityFor({QStringLiteral("reasoning")}).canonical <
            o3.qualityFor({QStringLiteral("reasoning")}).canonical);
    QVERIFY(o3.thinkingTokens > 0 && !o3.thinkingVisible);
    // Only the sloptimized persona papers over failed tool calls.
    QVERIFY(slop.ignoresToolErrors);
    QVERIFY(!opus.ignoresToolErrors && !o3.ignoresToolErrors);
    QVERIFY(*opus.outputPerMTok > *o3.outputPerMTok);
    QVERIFY(opus.quality.canonical >= o3.quality.canonical);
    QCOMPARE(p.find(QStringLiteral("sim-gemini-2.5-flash"))->dialect, Dialect::Gemini);
    QCOMPARE(llama.dialect, Dialect::Ollama);
    QCOMPARE(*llama.outputPerMTok, 0.0);
    QVERIFY(llama.tokensPerSecond < groq.tokensPerSecond);
    const SimQuality bench = slop.qualityFor({QStringLiteral("benchmark")});
    QVERIFY(bench.canonical > 0.9 && bench.paraphrase < 0.2);
    // OpenAI-dialect personas answer on both OpenAI APIs.
    QVERIFY(o3.serves(Dialect::OpenAIChat) && o3.serves(Dialect::OpenAIResponses));
    QVERIFY(!o3.serves(Dialect::Anthropic));
}

void TestSimPersonas::demoWorkspaceTargetsAreServed()
{
    const SimPersonas p = SimPersonas::defaults().value();
    const Workspace ws = Workspace::demo();
    QVERIFY(!ws.targets.isEmpty());
    for (const TargetConfig &t : ws.targets) {
        const SimPersona *persona = p.find(t.model);
        QVERIFY2(persona, qPrintable(t.model));
        const ProviderConfig *provider = ws.provider(t.providerId);
        QVERIFY(provider);
        QVERIFY2(persona->serves(provider->dialect), qPrintable(t.model));
        // The workspace's price is the persona's price.
        QCOMPARE(t.price.inputPerMTok.value_or(-1), persona->inputPerMTok.value_or(-2));
        QCOMPARE(t.price.outputPerMTok.value_or(-1), persona->outputPerMTok.value_or(-2));
    }
}

void TestSimPersonas::readsEveryField()
{
    const QByteArray json = R"json({"personas": [{
        "id": "x", "label": "X (simulated)", "snapshot": "x-2025", "owned_by": "me", "dialect": "anthropic",
        "dialects": ["anthropic", "openai-chat"],
        "ttft_ms": {"median": 250, "spread": 0.4}, "tokens_per_second": 42.5,
        "thinking": {"tokens": 100, "spread": 0.2, "visible": true, "on_request": true},
        "price": {"input_per_mtok": 1.5, "output_per_mtok": 6},
        "answer_tokens": 33, "judge_pass_score": 0.75,
        "quality": {"canonical": 0.9, "paraphrase": 0.7, "categories": {"code": {"canonical": 0.2}}},
        "faults": [{"fault": "drop;after=3", "probability": 0.25}]}]})json";
    const auto r = SimPersonas::fromJson(json, QStringLiteral("t.json"));
    QVERIFY2(r.ok(), qPrintable(r.error()));
    const SimPersona &p = r.value().all().first();
    QCOMPARE(p.reportedModel(), QStringLiteral("x-2025"));
    QCOMPARE(p.ownedBy, QStringLiteral("me"));
    QCOMPARE(p.dialects, (QList<Dialect>{Dialect::Anthropic, Dialect::OpenAIChat}));
    QCOMPARE(p.ttftMedianMs, 250.0);
    QCOMPARE(p.ttftSpread, 0.4);
    QCOMPARE(p.tokensPerSecond, 42.5);
    QCOMPARE(p.thinkingTokens, 100);
    QVERIFY(p.thinkingVisible && p.thinkingOnRequest);
    QCOMPARE(*p.inputPerMTok, 1.5);
    QCOMPARE(p.answerTokens, 33);
    QCOMPARE(p.judgeStrictness, 0.75);
    QCOMPARE(p.qualityFor({QStringLiteral("facts")}).paraphrase, 0.7);
    // A category without a paraphrase figure uses its canonical one.
    QCOMPARE(p.qualityFor({QStringLiteral("misc"), QStringLiteral("code")}).paraphrase, 0.2);
    QCOMPARE(p.faults.size(), 1);
    QCOMPARE(p.faults.first().fault.kind, SimFault::Kind::Drop);
    QCOMPARE(p.faults.first().probability, 0.25);
}

void TestSimPersonas::rejectsBadFiles_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("fragment");
    const QByteArray base = R"("ttft_ms": {"median": 100}, "tokens_per_second": 10)";
    QTest::newRow("not json") << QByteArray("{personas") << QStringLiteral("t.json:1:");
    QTest::newRow("no array") << QByteArray(R"({"people": []})") << QStringLiteral("personas");
    QTest::newRow("empty") << QByteArray(R"({"personas": []})") << QStringLiteral("empty");
    QTest::newRow("no id") << QByteArray(R"({"personas": [{"dialect": "ollama", )" + base + "}]}")
                           << QStringLiteral("personas[0].id");
    QTest::newRow("bad dialect") << QByteArray(R"({"personas": [{"id": "a", "dialect": "smtp", )" + base + "}]}")
                                 << QStringLiteral("unknown dialect \"smtp\"");
    QTest::newRow("no ttft") << QByteArray(
                                    R"({"personas": [{"id": "a", "dialect": "ollama", "tokens_per_second": 5}]})")
                             << QStringLiteral("personas[0].ttft_ms");
    QTest::newRow("zero rate")
        << QByteArray(
               R"({"personas": [{"id": "a", "dialect": "ollama", "ttft_ms": {"median": 1}, "tokens_per_second": 0}]})")
        << QStringLiteral("tokens_per_second");
    QTest::newRow("probability") << QByteArray(R"({"personas": [{"id": "a", "dialect": "ollama", )" + base +
                                               R"(, "quality": {"canonical": 1.5}}]})")
                                 << QStringLiteral("between 0 and 1");
    QTest::newRow("bad fault") << QByteArray(R"({"personas": [{"id": "a", "dialect": "ollama", )" + base +
                                             R"(, "faults": [{"fault": "boom", "probability": 0.1}]}]})")
                               << QStringLiteral("personas[0].faults[0].fault: unknown fault \"boom\"");
    QTest::newRow("duplicate") << QByteArray(R"({"personas": [{"id": "a", "dialect": "ollama", )" + base +
                                             R"(}, {"id": "a", "dialect": "gemini", )" + base + "}]}")
                               << QStringLiteral("duplicate persona id \"a\"");
    QTest::newRow("negative price") << QByteArray(R"({"personas": [{"id": "a", "dialect": "ollama", )" + base +
                                                  R"(, "price": {"input_per_mtok": -1}}]})")
                                    << QStringLiteral("negative");
}

void TestSimPersonas::rejectsBadFiles()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, fragment);
    const auto r = SimPersonas::fromJson(json, QStringLiteral("t.json"));
    QVERIFY(!r.ok());
    QVERIFY2(r.error().startsWith(QStringLiteral("t.json")), qPrintable(r.error()));
    QVERIFY2(r.error().contains(fragment), qPrintable(r.error()));
}

void TestSimPersonas::missingFileIsAnError()
{
    const auto r = SimPersonas::fromFile(QStringLiteral("/nonexistent/personas.json"));
    QVERIFY(!r.ok());
    QVERIFY(r.error().contains(QStringLiteral("/nonexistent/personas.json")));
}

QTEST_GUILESS_MAIN(TestSimPersonas)
#include "tst_simpersonas.moc"
