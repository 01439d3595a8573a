#include "tst_requesttools.h"

#include "engine/RequestBuilder.h"

#include <QTest>

#include <nlohmann/json.hpp>

using namespace Slopscope;

namespace {
// Expected JSON is written as raw strings with ` standing for an escaped quote (\"), so
// arguments-inside-a-string stay readable.
QString operator""_j(const char *text, std::size_t size)
{
    return QString::fromUtf8(text, qsizetype(size)).replace(u'`', QStringLiteral("\\\""));
}
} // namespace

namespace {

using ojson = nlohmann::ordered_json;

ProviderConfig provider(Dialect dialect)
{
    ProviderConfig p;
    p.id = QStringLiteral("p");
    p.dialect = dialect;
    p.baseUrl = QStringLiteral("https://example.com/v1");
    return p;
}

ToolSpec weatherTool()
{
    ToolSpec t;
    t.name = QStringLiteral("get_weather");
    t.description = QStringLiteral("Current weather");
    t.parameters =
        nlohmann::json::parse(R"({"type":"object","properties":{"city":{"type":"string"}},"required":["city"]})");
    return t;
}

ChatMessage msg(const char *role, const char *content)
{
    return ChatMessage{QString::fromUtf8(role), QString::fromUtf8(content)};
}

ChatMessage callTurn(const QString &arguments = QStringLiteral(R"({"city":"Paris"})"))
{
    ChatMessage m = msg("assistant", "");
    m.toolCalls = {{QStringLiteral("call_a"), QStringLiteral("get_weather"), arguments}};
    return m;
}

ChatMessage result(const char *id, const char *content, bool error = false)
{
    ChatMessage m = msg("tool", content);
    m.toolCallId = QString::fromUtf8(id);
    m.toolName = QStringLiteral("get_weather");
    m.toolError = error;
    return m;
}

ChatRequest request(QList<ChatMessage> messages, bool withTools = true)
{
    ChatRequest r;
    r.id = QStringLiteral("job");
    r.targetId = QStringLiteral("t");
    r.providerId = QStringLiteral("p");
    r.model = QStringLiteral("m-1");
    r.messages = std::move(messages);
    if (withTools)
        r.tools = {weatherTool()};
    return r;
}

ojson body(const ChatRequest &r, Dialect dialect)
{
    auto built = RequestBuilder::build(r, provider(dialect), SecretString(QStringLiteral("k")));
    if (!built) {
        qWarning("%s", qPrintable(built.error()));
        return {};
    }
    return ojson::parse(built.value().body.toStdString());
}

QByteArray rawBody(const ChatRequest &r, Dialect dialect)
{
    auto built = RequestBuilder::build(r, provider(dialect), SecretString(QStringLiteral("k")));
    return built ? built.value().body : QByteArray();
}

// The dialect's conversation array, compact, for exact comparison.
QString conversation(const ojson &b, Dialect dialect)
{
    const char *key = dialect == Dialect::OpenAIResponses ? "input"
                      : dialect == Dialect::Gemini        ? "contents"
                                                          : "messages";
    return QString::fromStdString(b.value(key, ojson()).dump());
}

QString field(const ojson &b, const char *key)
{
    return QString::fromStdString(b.value(key, ojson()).dump());
}

const QList<ChatMessage> kExchange = {msg("system", "Be brief."), msg("user", "Weather in Paris?"), callTurn(),
                                      result("call_a", R"({"temp":21})")};

} // namespace

void tst_RequestTools::toolsShape_data()
{
    QTest::addColumn<int>("dialect");
    QTest::addColumn<QString>("tools");
    const QString schema = R"({"properties":{"city":{"type":"string"}},"required":["city"],"type":"object"})"_j;
    QTest::newRow("openai-chat")
        << int(Dialect::OpenAIChat)
        << R"([{"type":"function","function":{"name":"get_weather","description":"Current weather","parameters":)"_j +
               schema + u"}}]";
    QTest::newRow("responses")
        << int(Dialect::OpenAIResponses)
        << R"([{"type":"function","name":"get_weather","description":"Current weather","parameters":)"_j + schema +
               u"}]";
    QTest::newRow("anthropic") << int(Dialect::Anthropic)
                               << R"([{"name":"get_weather","description":"Current weather","input_schema":)"_j +
                                      schema + u"}]";
    QTest::newRow("gemini")
        << int(Dialect::Gemini)
        << R"([{"functionDeclarations":[{"name":"get_weather","description":"Current weather","parameters":)"_j +
               schema + u"}]}]";
    QTest::newRow("ollama")
        << int(Dialect::Ollama)
        << R"([{"type":"function","function":{"name":"get_weather","description":"Current weather","parameters":)"_j +
               schema + u"}}]";
}
void tst_RequestTools::toolsShape()
{
    QFETCH(int, dialect);
    QFETCH(QString, tools);
    QCOMPARE(field(body(request({msg("user", "Hi")}), Dialect(dialect)), "tools"), tools);
}

void tst_RequestTools::callAndResult_data()
{
    QTest::addColumn<int>("dialect");
    QTest::addColumn<QString>("expected");
    QTest::newRow("openai-chat")
        << int(Dialect::OpenAIChat)
        << R"([{"role":"system","content":"Be brief."},{"role":"user","content":"Weather in Paris?"},)"
           R"({"role":"assistant","content":null,"tool_calls":[{"id":"call_a","type":"function","function":{"name":"get_weather","arguments":"{`city`:`Paris`}"}}]},)"
           R"({"role":"tool","tool_call_id":"call_a","content":"{`temp`:21}"}])"_j;
    QTest::newRow("responses")
        << int(Dialect::OpenAIResponses)
        << R"([{"role":"system","content":"Be brief."},{"role":"user","content":"Weather in Paris?"},)"
           R"({"type":"function_call","call_id":"call_a","name":"get_weather","arguments":"{`city`:`Paris`}"},)"
           R"({"type":"function_call_output","call_id":"call_a","output":"{`temp`:21}"}])"_j;
    QTest::newRow("anthropic")
        << int(Dialect::Anthropic)
        << R"([{"role":"user","content":"Weather in Paris?"},)"
           R"({"role":"assistant","content":[{"type":"tool_use","id":"call_a","name":"get_weather","input":{"city":"Paris"}}]},)"
           R"({"role":"user","content":[{"type":"tool_result","tool_use_id":"call_a","content":"{`temp`:21}","is_error":false}]}])"_j;
    QTest::newRow("gemini")
        << int(Dialect::Gemini)
        << R"([{"role":"user","parts":[{"text":"Weather in Paris?"}]},)"
           R"({"role":"model","parts":[{"functionCall":{"name":"get_weather","args":{"city":"Paris"}}}]},)"
           R"({"role":"user","parts":[{"functionResponse":{"name":"get_weather","response":{"temp":21}}}]}])"_j;
    QTest::newRow("ollama")
        << int(Dialect::Ollama)
        << R"([{"role":"system","content":"Be brief."},{"role":"user","content":"Weather in Paris?"},)"
           R"({"role":"assistant","content":"","tool_calls":[{"function":{"name":"get_weather","arguments":{"city":"Paris"}}}]},)"
           R"({"role":"tool","content":"{`temp`:21}","tool_name":"get_weather"}])"_j;
}
void tst_RequestTools::callAndResult()
{
    QFETCH(int, dialect);
    QFETCH(QString, expected);
    QCOMPARE(conversation(body(request(kExchange), Dialect(dialect)), Dialect(dialect)), expected);
}

// Text said alongside a call travels with it: a text block (Anthropic), a text part (Gemini),
// content (OpenAI chat), a message item before the call (Responses).
void tst_RequestTools::callWithText()
{
    ChatMessage turn = callTurn();
    turn.content = QStringLiteral("Checking.");
    const auto r = request({msg("user", "Weather?"), turn});
    QCOMPARE(conversation(body(r, Dialect::OpenAIChat), Dialect::OpenAIChat)
                 .contains(R"({"role":"assistant","content":"Checking.","tool_calls":)"_j),
             true);
    QVERIFY(conversation(body(r, Dialect::OpenAIResponses), Dialect::OpenAIResponses)
                .contains(R"({"role":"assistant","content":"Checking."},{"type":"function_call")"_j));
    QVERIFY(conversation(body(r, Dialect::Anthropic), Dialect::Anthropic)
                .contains(R"("content":[{"type":"text","text":"Checking."},{"type":"tool_use")"_j));
    QVERIFY(conversation(body(r, Dialect::Gemini), Dialect::Gemini)
                .contains(R"("parts":[{"text":"Checking."},{"functionCall")"_j));
}

void tst_RequestTools::errorResult_data()
{
    QTest::addColumn<int>("dialect");
    QTest::addColumn<QString>("expected");
    QTest::newRow("openai-chat") << int(Dialect::OpenAIChat)
                                 << R"({"role":"tool","tool_call_id":"call_a","content":"city not found"})"_j;
    QTest::newRow("responses") << int(Dialect::OpenAIResponses)
                               << R"({"type":"function_call_output","call_id":"call_a","output":"city not found"})"_j;
    QTest::newRow("anthropic")
        << int(Dialect::Anthropic)
        << R"({"role":"user","content":[{"type":"tool_result","tool_use_id":"call_a","content":"city not found","is_error":true}]})"_j;
    QTest::newRow("gemini")
        << int(Dialect::Gemini)
        << R"({"role":"user","parts":[{"functionResponse":{"name":"get_weather","response":{"error":"city not found"}}}]})"_j;
    QTest::newRow("ollama") << int(Dialect::Ollama)
                            << R"({"role":"tool","content":"city not found","tool_name":"get_weather"})"_j;
}
void tst_RequestTools::errorResult()
{
    QFETCH(int, dialect);
    QFETCH(QString, expected);
    const auto r = request({msg("user", "Weather?"), callTurn(), result("call_a", "city not found", true)});
    const ojson b = body(r, Dialect(dialect));
    const char *key = Dialect(dialect) == Dialect::OpenAIResponses ? "input"
                      : Dialect(dialect) == Dialect::Gemini        ? "contents"
                                                                   : "messages";
    QCOMPARE(QString::fromStdString(b[key].back().dump()), expected);
}

// A plain text result goes to Gemini under "output" (its response must be an object).
void tst_RequestTools::geminiTextResult()
{
    const auto r = request({msg("user", "Weather?"), callTurn(), result("call_a", "sunny")});
    QCOMPARE(
        QString::fromStdString(body(r, Dialect::Gemini)["contents"].back().dump()),
        R"({"role":"user","parts":[{"functionResponse":{"name":"get_weather","response":{"output":"sunny"}}}]})"_j);
}

// Anthropic rejects two user messages of results for one turn: they merge into one.
void tst_RequestTools::anthropicMergesResults()
{
    ChatMessage turn = msg("assistant", "");
    turn.toolCalls = {{u"call_a"_qs, u"get_weather"_qs, R"({"city":"Paris"})"_j},
                      {u"call_b"_qs, u"get_weather"_qs, R"({"city":"Rome"})"_j}};
    const auto r = request({msg("user", "Paris and Rome?"), turn, result("call_a", "21"),
                            result("call_b", "boom", true), msg("user", "And now?")});
    const ojson messages = body(r, Dialect::Anthropic)["messages"];
    QCOMPARE(messages.size(), std::size_t(4));
    QCOMPARE(
        QString::fromStdString(messages[2].dump()),
        R"({"role":"user","content":[{"type":"tool_result","tool_use_id":"call_a","content":"21","is_error":false},)"
        R"({"type":"tool_result","tool_use_id":"call_b","content":"boom","is_error":true}]})"_j);
    QCOMPARE(QString::fromStdString(messages[3].dump()), R"({"role":"user","content":"And now?"})"_j);
    // Gemini, likewise, answers one turn's calls in one user turn.
    const ojson contents = body(r, Dialect::Gemini)["contents"];
    QCOMPARE(contents.size(), std::size_t(4));
    QCOMPARE(contents[2]["parts"].size(), std::size_t(2));
}

void tst_RequestTools::brokenArguments_data()
{
    QTest::addColumn<int>("dialect");
    QTest::addColumn<QString>("expected");
    QTest::newRow("openai-chat") << int(Dialect::OpenAIChat) << R"("arguments":"{`city`: `Par")"_j;
    QTest::newRow("responses") << int(Dialect::OpenAIResponses) << R"("arguments":"{`city`: `Par")"_j;
    QTest::newRow("anthropic") << int(Dialect::Anthropic) << R"("input":{})"_j;
    QTest::newRow("gemini") << int(Dialect::Gemini) << R"("args":{})"_j;
    QTest::newRow("ollama") << int(Dialect::Ollama) << R"("arguments":{})"_j;
}
void tst_RequestTools::brokenArguments()
{
    QFETCH(int, dialect);
    QFETCH(QString, expected);
    for (const QString &args : {QStringLiteral("{\"city\": \"Par"), QStringLiteral("[\"Paris\"]")}) {
        const auto r = request({msg("user", "Weather?"), callTurn(args)});
        const QByteArray raw = rawBody(r, Dialect(dialect));
        QVERIFY2(!raw.isEmpty(), "the body must still build");
        const ojson b = ojson::parse(raw.toStdString(), nullptr, false);
        QVERIFY(!b.is_discarded());
        if (args.startsWith(u'{'))
            QVERIFY2(conversation(b, Dialect(dialect)).contains(expected),
                     qPrintable(conversation(b, Dialect(dialect))));
        else if (Dialect(dialect) != Dialect::OpenAIChat && Dialect(dialect) != Dialect::OpenAIResponses)
            QVERIFY(conversation(b, Dialect(dialect)).contains(expected));
    }
}

// Empty arguments (a call without parameters) go as "{}", never "".
void tst_RequestTools::emptyArguments()
{
    const auto r = request({msg("user", "Time?"), callTurn(QString())});
    QVERIFY(conversation(body(r, Dialect::OpenAIChat), Dialect::OpenAIChat).contains(R"("arguments":"{}")"_j));
}

// Requests without tools are exactly what they were before tools existed.
void tst_RequestTools::noToolsUnchanged_data()
{
    QTest::addColumn<int>("dialect");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("openai-chat")
        << int(Dialect::OpenAIChat)
        << QByteArray(
               R"({"model":"m-1","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"},)"
               R"({"role":"assistant","content":"Hello"},{"role":"user","content":"Bye"}],"stream":true,"stream_options":{"include_usage":true}})");
    QTest::newRow("responses")
        << int(Dialect::OpenAIResponses)
        << QByteArray(
               R"({"model":"m-1","input":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"},)"
               R"({"role":"assistant","content":"Hello"},{"role":"user","content":"Bye"}],"stream":true,"store":false})");
    QTest::newRow("anthropic")
        << int(Dialect::Anthropic)
        << QByteArray(
               R"({"model":"m-1","max_tokens":4096,"system":"Be brief.","messages":[{"role":"user","content":"Hi"},)"
               R"({"role":"assistant","content":"Hello"},{"role":"user","content":"Bye"}],"stream":true})");
    QTest::newRow("gemini")
        << int(Dialect::Gemini)
        << QByteArray(
               R"({"contents":[{"role":"user","parts":[{"text":"Hi"}]},{"role":"model","parts":[{"text":"Hello"}]},)"
               R"({"role":"user","parts":[{"text":"Bye"}]}],"systemInstruction":{"parts":[{"text":"Be brief."}]}})");
    QTest::newRow("ollama")
        << int(Dialect::Ollama)
        << QByteArray(
               R"({"model":"m-1","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"},)"
               R"({"role":"assistant","content":"Hello"},{"role":"user","content":"Bye"}],"stream":true})");
}
void tst_RequestTools::noToolsUnchanged()
{
    QFETCH(int, dialect);
    QFETCH(QByteArray, expected);
    const auto r =
        request({msg("system", "Be brief."), msg("user", "Hi"), msg("assistant", "Hello"), msg("user", "Bye")}, false);
    QCOMPARE(rawBody(r, Dialect(dialect)), expected);
}

// Offered tools count towards the estimate used against tokens/minute limits.
void tst_RequestTools::toolsCountInEstimate()
{
    const auto without = request({msg("user", "Hi")}, false);
    const auto with = request({msg("user", "Hi")});
    QVERIFY(RequestBuilder::estimateTokens(with) > RequestBuilder::estimateTokens(without));
}

QTEST_GUILESS_MAIN(tst_RequestTools)
