// tool_choice and parallel_tool_calls end to end: the engine encodes them per dialect, the
// simulator reads them back and its personas obey (none: never a call; required or a named tool:
// always that call; parallel off: one call at most), and the project's decoders see the effect.
#include "SimEngineExchange.h"

#include "engine/AssistantTurn.h"
#include "engine/RequestBuilder.h"
#include "quality/Suite.h"
#include "sim/SimAnswerer.h"
#include "sim/SimChatRequest.h"
#include "sim/SimPersonas.h"
#include "sim/SimServer.h"
#include "stream/StreamDecoder.h"

#include <QFile>
#include <QTest>

#include <nlohmann/json.hpp>

using namespace Slopscope;
using Mode = ToolChoice::Mode;

Q_DECLARE_METATYPE(Slopscope::Dialect)

class TestSimToolChoice final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void readBackFromTheWire_data();
    void readBackFromTheWire();
    void noneNeverCalls_data();
    void noneNeverCalls();
    void requiredAlwaysCalls_data();
    void requiredAlwaysCalls();
    void forcedToolIsCalled_data();
    void forcedToolIsCalled();
    void ollamaCannotRequire();
    void parallelOffKeepsOneCall();
    void thinkingHistoryAccepted_data();
    void thinkingHistoryAccepted();
    void responsesReasoningItemGoesBack();
    void responsesReasoningItemMalformed_data();
    void responsesReasoningItemMalformed();

private:
    StreamResult send(const ChatRequest &request, Dialect dialect);
    ChatRequest caseRequest(const QString &model, std::optional<ToolChoice> choice) const;
    ChatRequest genericRequest(const QString &model, std::optional<ToolChoice> choice) const;

    SimServer m_server;
    Suite m_suite;
};

namespace {

void dialectRows(bool withOllama)
{
    QTest::addColumn<Dialect>("dialect");
    QTest::addColumn<QString>("model");
    QTest::newRow("openai-chat") << Dialect::OpenAIChat << u"t-chat"_qs;
    QTest::newRow("responses") << Dialect::OpenAIResponses << u"t-chat"_qs;
    QTest::newRow("anthropic") << Dialect::Anthropic << u"t-claude"_qs;
    QTest::newRow("gemini") << Dialect::Gemini << u"t-gemini"_qs;
    if (withOllama)
        QTest::newRow("ollama") << Dialect::Ollama << u"t-ollama"_qs;
}

} // namespace

void TestSimToolChoice::initTestCase()
{
    QVERIFY(m_server.loadDefaults());
    QVERIFY(m_server.loadPersonasFile(QStringLiteral(SLOPSCOPE_TEST_DATA "/sim/personas_test.json")));
    QVERIFY(m_server.listen());
    auto suite = Suite::fromFile(QStringLiteral(":/slopscope/demo/suites/tools.json"));
    QVERIFY2(suite, qPrintable(suite ? QString() : suite.error()));
    m_suite = suite.value();
}

// The weather case: its personas call get_weather unless told otherwise.
ChatRequest TestSimToolChoice::caseRequest(const QString &model, std::optional<ToolChoice> choice) const
{
    const SuiteCase &c = m_suite.cases.first();
    ChatRequest r;
    r.id = c.id;
    r.targetId = QStringLiteral("t");
    r.providerId = QStringLiteral("sim");
    r.model = model;
    r.messages = m_suite.messagesFor(c);
    r.tools = m_suite.toolsFor(c);
    r.toolChoice = std::move(choice);
    return r;
}

// A prompt no suite knows, with the weather case's tools: answered with text unless a call is required.
ChatRequest TestSimToolChoice::genericRequest(const QString &model, std::optional<ToolChoice> choice) const
{
    ChatRequest r = caseRequest(model, std::move(choice));
    r.id = QStringLiteral("generic");
    r.messages = {ChatMessage{QStringLiteral("user"), QStringLiteral("Tell me about rivers in 20 words.")}};
    return r;
}

StreamResult TestSimToolChoice::send(const ChatRequest &request, Dialect dialect)
{
    return SimTest::sendThroughEngine(request, dialect, m_server.baseUrl());
}

void TestSimToolChoice::readBackFromTheWire_data()
{
    dialectRows(false);
}
// What the engine encodes, the simulator reads back as the same choice; parallelism too where the
// dialect carries it (Gemini has no such switch).
void TestSimToolChoice::readBackFromTheWire()
{
    QFETCH(Dialect, dialect);
    const ToolChoice choices[] = {{Mode::Auto}, {Mode::None}, {Mode::Required}, {Mode::Function, u"get_time"_qs}};
    for (const ToolChoice &choice : choices) {
        ChatRequest r = caseRequest(u"m"_qs, choice);
        r.parallelToolCalls = false;
        const auto built = RequestBuilder::build(r, SimTest::simProvider(dialect, u"http://127.0.0.1:1"_qs), {});
        QVERIFY(built);
        const auto read = SimChatRequest::parse(dialect, built.value().body, u"m"_qs, true);
        QVERIFY2(read, qPrintable(read ? QString() : read.error()));
        QCOMPARE(read.value().toolChoice, std::optional<ToolChoice>(choice));
        // Anthropic's "none" takes no disable_parallel_tool_use.
        const bool carriesParallel =
            dialect != Dialect::Gemini && !(dialect == Dialect::Anthropic && choice.mode == Mode::None);
        QCOMPARE(read.value().parallelToolCalls, carriesParallel ? std::optional<bool>(false) : std::nullopt);
    }
}

void TestSimToolChoice::noneNeverCalls_data()
{
    dialectRows(true);
}
void TestSimToolChoice::noneNeverCalls()
{
    QFETCH(Dialect, dialect);
    QFETCH(QString, model);
    // Without a choice the persona calls the tool; "none" turns that into a text answer.
    QVERIFY(!send(caseRequest(model, std::nullopt), dialect).toolCalls.isEmpty());
    const StreamResult result = send(caseRequest(model, ToolChoice{Mode::None}), dialect);
    QCOMPARE(result.outcome, StreamOutcome::Complete);
    QVERIFY(result.toolCalls.isEmpty());
    QVERIFY(!result.text.isEmpty());
}

void TestSimToolChoice::requiredAlwaysCalls_data()
{
    dialectRows(false);
}
void TestSimToolChoice::requiredAlwaysCalls()
{
    QFETCH(Dialect, dialect);
    QFETCH(QString, model);
    const StreamResult free = send(genericRequest(model, std::nullopt), dialect);
    QVERIFY(free.toolCalls.isEmpty());
    QVERIFY(!free.text.isEmpty());
    const StreamResult result = send(genericRequest(model, ToolChoice{Mode::Required}), dialect);
    QCOMPARE(result.outcome, StreamOutcome::Complete);
    QCOMPARE(result.toolCalls.size(), 1);
    QCOMPARE(result.toolCalls.first().name, u"get_weather"_qs);
    QVERIFY(result.text.isEmpty());
}

void TestSimToolChoice::forcedToolIsCalled_data()
{
    dialectRows(false);
}
// The weather case forced to get_time: the named tool is called, never the one the case expects.
void TestSimToolChoice::forcedToolIsCalled()
{
    QFETCH(Dialect, dialect);
    QFETCH(QString, model);
    const StreamResult result = send(caseRequest(model, ToolChoice{Mode::Function, u"get_time"_qs}), dialect);
    QCOMPARE(result.outcome, StreamOutcome::Complete);
    QCOMPARE(result.toolCalls.size(), 1);
    QCOMPARE(result.toolCalls.first().name, u"get_time"_qs);
    QVERIFY(result.toolCalls.first().arguments.contains(u"timezone"_qs));
}

// Ollama's API has no way to require a call (DialectToolChoice.h): the request goes out without
// it and the model answers freely.
void TestSimToolChoice::ollamaCannotRequire()
{
    const StreamResult result = send(genericRequest(u"t-ollama"_qs, ToolChoice{Mode::Required}), Dialect::Ollama);
    QCOMPARE(result.outcome, StreamOutcome::Complete);
    QVERIFY(result.toolCalls.isEmpty());
    QVERIFY(!result.text.isEmpty());
}

// A case that expects two calls gets both, unless parallel calls are off.
void TestSimToolChoice::parallelOffKeepsOneCall()
{
    QFile f(QStringLiteral(SLOPSCOPE_TEST_DATA "/sim/personas_test.json"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const auto personas = SimPersonas::fromJson(f.readAll(), f.fileName());
    QVERIFY(personas.ok());
    SimAnswerKey key;
    QVERIFY(key.addSuite(R"({"name": "p", "cases": [{"id": "two", "prompt": "Weather and time in Oslo, both please.",
        "tools": [{"name": "get_weather"}, {"name": "get_time"}],
        "assert": [{"type": "tool-call", "value": {"name": "get_weather", "arguments": {"city": "Oslo"}}},
                   {"type": "tool-call", "value": {"name": "get_time", "arguments": {"timezone": "Europe/Oslo"}}}]}]})",
                         u"p.json"_qs));
    const SimAnswerer answerer(&key);
    SimQuery q;
    q.persona = personas.value().find(u"t-chat"_qs);
    QVERIFY(q.persona);
    q.prompt = u"Weather and time in Oslo, both please."_qs;
    ToolSpec weather;
    weather.name = u"get_weather"_qs;
    ToolSpec time;
    time.name = u"get_time"_qs;
    q.tools = {weather, time};
    QCOMPARE(answerer.answer(q).toolCalls.size(), 2);
    q.parallelToolCalls = true;
    QCOMPARE(answerer.answer(q).toolCalls.size(), 2);
    q.parallelToolCalls = false;
    const SimAnswer one = answerer.answer(q);
    QCOMPARE(one.toolCalls.size(), 1);
    QCOMPARE(one.toolCalls.first().name, u"get_weather"_qs);
}

void TestSimToolChoice::thinkingHistoryAccepted_data()
{
    dialectRows(true);
}
// A conversation that carries thinking back (Anthropic thinking blocks, Gemini signatures) reads
// like any other: the call is found and the prompt is still the user's question.
void TestSimToolChoice::thinkingHistoryAccepted()
{
    QFETCH(Dialect, dialect);
    ChatRequest r = caseRequest(u"m"_qs, std::nullopt);
    ChatMessage turn{u"assistant"_qs, QString()};
    turn.toolCalls = {ChatToolCall{u"call_1"_qs, u"get_weather"_qs, u"{\"city\":\"Oslo\"}"_qs, u"c2ln"_qs}};
    turn.thinking = {ChatThinkingBlock{u"Think."_qs, u"c2ln"_qs}, ChatThinkingBlock{{}, {}, u"ZGF0YQ=="_qs, true}};
    ChatMessage result{u"tool"_qs, u"{\"temp\":-3}"_qs};
    result.toolCallId = u"call_1"_qs;
    result.toolName = u"get_weather"_qs;
    const QString question = r.messages.last().content;
    r.messages += {turn, result};
    const auto built = RequestBuilder::build(r, SimTest::simProvider(dialect, u"http://127.0.0.1:1"_qs), {});
    QVERIFY(built);
    const auto read = SimChatRequest::parse(dialect, built.value().body, u"m"_qs, true);
    QVERIFY2(read, qPrintable(read ? QString() : read.error()));
    QCOMPARE(read.value().prompt, question);
    QVERIFY(read.value().answersToolResult());
    const auto calls = std::count_if(read.value().messages.cbegin(), read.value().messages.cend(),
                                     [](const ChatMessage &m) { return !m.toolCalls.isEmpty(); });
    QCOMPARE(calls, 1);
}

// A reasoning model on the Responses API with store:false, through the engine's builder and
// decoder: the request asks for sealed reasoning, the answer's reasoning item carries it, and the
// follow-up after the tool result sends that item back first, where the simulator verifies it.
void TestSimToolChoice::responsesReasoningItemGoesBack()
{
    ChatRequest r = caseRequest(u"t-hidden"_qs, std::nullopt);
    r.params.reasoningEffort = u"low"_qs;
    const StreamResult first = send(r, Dialect::OpenAIResponses);
    QCOMPARE(first.outcome, StreamOutcome::Complete);
    QCOMPARE(first.toolCalls.size(), 1);
    QCOMPARE(first.reasoningItems.size(), 1);
    const ReasoningItem &item = first.reasoningItems.first();
    QVERIFY(item.id.startsWith(u"rs_"));
    QVERIFY(item.encryptedContent.startsWith(u"gAAAAAB"));

    const ChatMessage turn = assistantTurnFrom(first);
    ChatMessage result{u"tool"_qs, u"{\"temp\":-3}"_qs};
    result.toolCallId = turn.toolCalls.first().id;
    result.toolName = turn.toolCalls.first().name;
    r.messages += {turn, result};
    const auto built = RequestBuilder::build(r, SimTest::simProvider(Dialect::OpenAIResponses, u"http://127.0.0.1:1"_qs), {});
    QVERIFY(built);
    const auto body = nlohmann::json::parse(built.value().body.toStdString());
    // Before the function_call item, as the server produced them.
    QCOMPARE(QString::fromStdString(body["input"][1]["type"].get<std::string>()), u"reasoning"_qs);
    QStringList types;
    for (const auto &entry : body["input"])
        types.append(QString::fromStdString(entry.value("type", std::string("message"))));
    QVERIFY2(types.indexOf(u"function_call"_qs) > 1, qPrintable(types.join(u',')));
    const auto read = SimChatRequest::parse(Dialect::OpenAIResponses, built.value().body);
    QVERIFY(read);
    QCOMPARE(read.value().messages.at(1).reasoningItems.size(), 1);
    QCOMPARE(read.value().messages.at(1).reasoningItems.first().encryptedContent, item.encryptedContent);

    const qsizetype before = m_server.records().size();
    const StreamResult second = send(r, Dialect::OpenAIResponses);
    QCOMPARE(second.outcome, StreamOutcome::Complete);
    QVERIFY(!second.text.isEmpty());
    QTRY_VERIFY(m_server.records().size() > before);
    QCOMPARE(m_server.records().last().reasoningItemsCarried, 1);
}

void TestSimToolChoice::responsesReasoningItemMalformed_data()
{
    QTest::addColumn<QString>("sealed");
    QTest::addColumn<QString>("error");
    QTest::newRow("tampered") << u"gAAAAABnot-what-was-issued"_qs << u"could not be verified"_qs;
    QTest::newRow("missing with store false") << QString() << u"Items are not persisted"_qs;
}

// As the real API: an item sent back must carry the sealed content that was issued for its id.
void TestSimToolChoice::responsesReasoningItemMalformed()
{
    QFETCH(QString, sealed);
    QFETCH(QString, error);
    ChatRequest r = caseRequest(u"t-hidden"_qs, std::nullopt);
    ChatMessage turn{u"assistant"_qs, QString()};
    turn.toolCalls = {ChatToolCall{u"call_1"_qs, u"get_weather"_qs, u"{\"city\":\"Oslo\"}"_qs}};
    turn.reasoningItems = {ChatReasoningItem{u"rs_1"_qs, sealed}};
    ChatMessage result{u"tool"_qs, u"{\"temp\":-3}"_qs};
    result.toolCallId = u"call_1"_qs;
    result.toolName = u"get_weather"_qs;
    r.messages += {turn, result};
    auto built = RequestBuilder::build(r, SimTest::simProvider(Dialect::OpenAIResponses, u"http://127.0.0.1:1"_qs), {});
    QVERIFY(built);
    if (sealed.isEmpty()) {
        // The builder always sends encrypted_content; take it out as a client that drops it would.
        auto body = nlohmann::json::parse(built.value().body.toStdString());
        body["input"][1].erase("encrypted_content");
        built.value().body = QByteArray::fromStdString(body.dump());
    }
    const auto read = SimChatRequest::parse(Dialect::OpenAIResponses, built.value().body);
    QVERIFY(!read);
    QVERIFY2(read.error().contains(error), qPrintable(read.error()));
    const StreamResult answer = send(r, Dialect::OpenAIResponses);
    if (!sealed.isEmpty()) {
        QCOMPARE(answer.outcome, StreamOutcome::Error);
        QCOMPARE(answer.error->httpStatus, 400);
        QVERIFY(answer.error->message.contains(error));
    }
}

QTEST_GUILESS_MAIN(TestSimToolChoice)
#include "tst_simtoolchoice.moc"
