#include "run/RunSession.h"

// Tool-call chains of reasoning models, end to end: a RunSession runs a case whose prompt makes
// the in-process simulator call a tool, and its ChainDriver must carry the sealed reasoning item
// of the call's answer into the request that sends the tool result back (OpenAI Responses with
// "store": false), where the simulator verifies it (SimRecord::reasoningItemsCarried).
//
// Anthropic is not covered: the simulator issues thinking blocks with random signatures and does
// not verify them when they come back, so there is nothing to assert on its side.

#include "sim/SimOpenAIResponsesEncoder.h"
#include "sim/SimServer.h"

#include <QSignalSpy>
#include <QTest>

using namespace Slopscope;

namespace {

constexpr auto kKeyEnv = "SLOPSCOPE_TST_SIMCHAINS_KEY";

// The demo tools suite's weather case (the simulator's answer key knows its prompt, and its
// personas answer it with a get_weather call), with a scripted result and a follow-up turn. The
// prompt's apostrophe is a JSON escape: moc's lexer reads a bare one in a raw string as a char
// literal and then finds no Q_OBJECT class in the file.
Suite weatherChainSuite()
{
    auto suite = Suite::fromJson(R"({"name": "sim-chains", "cases": [{"id": "weather",
        "prompt": "What\u0027s the weather in Oslo right now? Give me the temperature in Celsius.",
        "tools": [{"name": "get_weather", "description": "Current weather for a city.",
                   "parameters": {"type": "object", "required": ["city", "unit"],
                                  "properties": {"city": {"type": "string"}, "unit": {"type": "string"}}}},
                  {"name": "get_time", "description": "Current local time in an IANA time zone.",
                   "parameters": {"type": "object", "required": ["timezone"],
                                  "properties": {"timezone": {"type": "string"}}}}],
        "assert": [{"type": "icontains", "value": "According to get_weather"}],
        "tool_results": [{"tool": "get_weather", "kind": "result", "content": "-3 degrees Celsius, snow"}],
        "turns": [{"user": "Thanks. Should I wear a hat?"}]}]})",
                                 QStringLiteral("sim-chains.json"));
    if (!suite)
        qFatal("%s", qPrintable(suite.error()));
    return suite.value();
}

RunSpec simSpec(const QUrl &simBase, Dialect dialect, const QString &model, const QString &effort)
{
    RunSpec spec;
    ProviderConfig p;
    p.id = QStringLiteral("sim");
    p.dialect = dialect;
    p.baseUrl = simBase.toString() + u"/v1";
    p.apiKeyEnv = QString::fromLatin1(kKeyEnv);
    p.simulated = true;
    p.maxRetries = 0;
    spec.workspace.providers = {p};
    TargetConfig t;
    t.id = QStringLiteral("t");
    t.providerId = p.id;
    t.model = model;
    t.params.reasoningEffort = effort;
    spec.workspace.targets = {t};
    spec.suite = weatherChainSuite();
    return spec;
}

} // namespace

class TestRunSessionSimChains final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void responsesReasoningItemCarriedThroughToolCall();
    void nonReasoningTargetCarriesNothing_data();
    void nonReasoningTargetCarriesNothing();

private:
    // Runs the weather chain on `model` and returns its one cell; `records` gets what the
    // simulator saw of the run's requests, in order.
    CellResult runChain(const QString &model, const QString &effort, QList<SimRecord> &records);

    SimServer m_server;
};

void TestRunSessionSimChains::initTestCase()
{
    qputenv(kKeyEnv, "sk-test");
    QVERIFY(m_server.loadDefaults());
    QVERIFY(m_server.loadPersonasFile(QStringLiteral(SLOPSCOPE_TEST_DATA "/sim/personas_test.json")));
    QVERIFY(m_server.listen());
}

CellResult TestRunSessionSimChains::runChain(const QString &model, const QString &effort, QList<SimRecord> &records)
{
    const qsizetype before = m_server.records().size();
    RunSession session;
    QSignalSpy finished(&session, &RunSession::runFinished);
    const Status started = session.start(simSpec(m_server.baseUrl(), Dialect::OpenAIResponses, model, effort));
    if (!started.ok()) {
        qWarning("%s", qPrintable(started.error()));
        return {};
    }
    if (!finished.wait(60'000) || session.results().size() != 1)
        return {};
    records = m_server.records().mid(before);
    return session.results().first();
}

// The call's answer brings a sealed reasoning item; the request with the tool result sends it
// back and the simulator verifies it. The follow-up turn keeps it in the history, once.
void TestRunSessionSimChains::responsesReasoningItemCarriedThroughToolCall()
{
    QList<SimRecord> records;
    const CellResult cell = runChain(QStringLiteral("t-hidden"), QStringLiteral("low"), records);
    QVERIFY2(cell.job.state == JobState::Completed, qPrintable(cell.job.error));
    QCOMPARE(cell.turns.size(), 2);
    const ChainTurnResult &first = cell.turns.first();
    QCOMPARE(first.requests, 2);
    QCOMPARE(first.toolCalls.size(), 1);
    QCOMPARE(first.toolCalls.first().name, QStringLiteral("get_weather"));
    QVERIFY2(first.answer.contains(QStringLiteral("According to get_weather")), qPrintable(first.answer));
    QVERIFY(first.grade.pass);

    QCOMPARE(records.size(), 3);
    for (const SimRecord &r : std::as_const(records))
        QCOMPARE(r.status, 200);
    QCOMPARE(records.at(0).reasoningItemsCarried, 0);
    QCOMPARE(records.at(1).reasoningItemsCarried, 1);
    QCOMPARE(records.at(2).reasoningItemsCarried, 1);

    // The thoughts of both requests are kept, the call's first, sealed as the simulator issued them.
    QCOMPARE(first.thoughts.size(), 2);
    const ChainThoughts &ofCall = first.thoughts.first();
    QCOMPARE(ofCall.request, 0);
    QVERIFY(ofCall.thinking.isEmpty());
    QCOMPARE(ofCall.reasoningItems.size(), 1);
    const ChatReasoningItem &item = ofCall.reasoningItems.first();
    QVERIFY(item.id.startsWith(u"rs_"));
    QVERIFY(item.encryptedContent.startsWith(u"gAAAAAB"));
    QVERIFY(SimOpenAIResponsesEncoder::reasoningSealValid(item.id, item.encryptedContent));
    QCOMPARE(first.thoughts.at(1).request, 1);
    QCOMPARE(first.thoughts.at(1).reasoningItems.size(), 1);
}

void TestRunSessionSimChains::nonReasoningTargetCarriesNothing_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("effort");
    // A persona that does not think: no item to carry.
    QTest::newRow("no thinking") << QStringLiteral("t-chat") << QStringLiteral("low");
    // It thinks, but no effort asks for sealed reasoning: the item comes unsealed and must be
    // dropped, as with "store": false the server could not resolve its id (a 400 otherwise).
    QTest::newRow("thinking, not sealed") << QStringLiteral("t-hidden") << QString();
}

// The negative control: the same chain completes, and the simulator saw no item come back.
void TestRunSessionSimChains::nonReasoningTargetCarriesNothing()
{
    QFETCH(QString, model);
    QFETCH(QString, effort);
    QList<SimRecord> records;
    const CellResult cell = runChain(model, effort, records);
    QVERIFY2(cell.job.state == JobState::Completed, qPrintable(cell.job.error));
    QCOMPARE(cell.turns.size(), 2);
    QCOMPARE(cell.turns.first().requests, 2);
    QCOMPARE(cell.turns.first().toolCalls.size(), 1);
    QVERIFY(cell.turns.first().thoughts.isEmpty());
    QCOMPARE(records.size(), 3);
    for (const SimRecord &r : std::as_const(records)) {
        QCOMPARE(r.status, 200);
        QCOMPARE(r.reasoningItemsCarried, 0);
    }
}

QTEST_GUILESS_MAIN(TestRunSessionSimChains)
#include "tst_runsessionsimchains.moc"
