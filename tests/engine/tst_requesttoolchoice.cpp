#include "tst_requesttoolchoice.h"

#include "engine/RequestBuilder.h"

#include <QTest>

#include <nlohmann/json.hpp>

using namespace Slopscope;

namespace {

using ojson = nlohmann::ordered_json;
using Mode = ToolChoice::Mode;

ProviderConfig provider(Dialect dialect)
{
    ProviderConfig p;
    p.id = QStringLiteral("p");
    p.dialect = dialect;
    p.baseUrl = QStringLiteral("https://example.com/v1");
    return p;
}

ToolSpec tool(const char *name)
{
    ToolSpec t;
    t.name = QString::fromUtf8(name);
    t.parameters = nlohmann::json::parse(R"({"type":"object","properties":{}})");
    return t;
}

ChatRequest request(std::optional<ToolChoice> choice, std::optional<bool> parallel, bool withTools = true)
{
    ChatRequest r;
    r.id = QStringLiteral("job");
    r.targetId = QStringLiteral("t");
    r.providerId = QStringLiteral("p");
    r.model = QStringLiteral("m-1");
    r.messages = {ChatMessage{QStringLiteral("user"), QStringLiteral("Hi")}};
    if (withTools)
        r.tools = {tool("get_weather"), tool("get_time")};
    r.toolChoice = std::move(choice);
    r.parallelToolCalls = parallel;
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

// The fields a tool choice may touch, compact, absent ones left out.
QString choiceFields(const ojson &b)
{
    ojson out = ojson::object();
    for (const char *key : {"tool_choice", "parallel_tool_calls", "toolConfig"}) {
        if (b.contains(key))
            out[key] = b.at(key);
    }
    return QString::fromStdString(out.dump());
}

// Ollama has no choice field: what changes is which tools are sent.
QString ollamaToolNames(const ojson &b)
{
    QStringList names;
    if (!b.contains("tools"))
        return QStringLiteral("<no tools>");
    for (const auto &t : b.at("tools"))
        names.append(QString::fromStdString(t.at("function").at("name").get<std::string>()));
    return names.join(u',');
}

const ToolChoice kForced{Mode::Function, QStringLiteral("get_time")};

} // namespace

void tst_RequestToolChoice::encoded_data()
{
    QTest::addColumn<int>("dialect");
    QTest::addColumn<int>("mode"); // -1: unset
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("parallel"); // -1: unset
    QTest::addColumn<QString>("expected");
    const auto row = [](const char *name, Dialect d, std::optional<ToolChoice> c, std::optional<bool> p,
                        const char *expected) {
        QTest::newRow(name) << int(d) << (c ? int(c->mode) : -1) << (c ? c->name : QString())
                            << (p ? int(*p) : -1) << QString::fromUtf8(expected);
    };
    const auto none = std::optional<bool>();
    const ToolChoice autoChoice{Mode::Auto};
    const ToolChoice noneChoice{Mode::None};
    const ToolChoice required{Mode::Required};

    row("chat auto", Dialect::OpenAIChat, autoChoice, none, R"({"tool_choice":"auto"})");
    row("chat none", Dialect::OpenAIChat, noneChoice, none, R"({"tool_choice":"none"})");
    row("chat required", Dialect::OpenAIChat, required, false,
        R"({"tool_choice":"required","parallel_tool_calls":false})");
    row("chat forced", Dialect::OpenAIChat, kForced, true,
        R"({"tool_choice":{"type":"function","function":{"name":"get_time"}},"parallel_tool_calls":true})");
    row("chat parallel only", Dialect::OpenAIChat, std::nullopt, false, R"({"parallel_tool_calls":false})");

    row("responses none", Dialect::OpenAIResponses, noneChoice, none, R"({"tool_choice":"none"})");
    row("responses required", Dialect::OpenAIResponses, required, true,
        R"({"tool_choice":"required","parallel_tool_calls":true})");
    row("responses forced", Dialect::OpenAIResponses, kForced, false,
        R"({"tool_choice":{"type":"function","name":"get_time"},"parallel_tool_calls":false})");

    row("anthropic auto", Dialect::Anthropic, autoChoice, none, R"({"tool_choice":{"type":"auto"}})");
    row("anthropic none", Dialect::Anthropic, noneChoice, false, R"({"tool_choice":{"type":"none"}})");
    row("anthropic required", Dialect::Anthropic, required, false,
        R"({"tool_choice":{"type":"any","disable_parallel_tool_use":true}})");
    row("anthropic forced", Dialect::Anthropic, kForced, true,
        R"({"tool_choice":{"type":"tool","name":"get_time","disable_parallel_tool_use":false}})");
    row("anthropic parallel only", Dialect::Anthropic, std::nullopt, false,
        R"({"tool_choice":{"type":"auto","disable_parallel_tool_use":true}})");

    row("gemini auto", Dialect::Gemini, autoChoice, none, R"({"toolConfig":{"functionCallingConfig":{"mode":"AUTO"}}})");
    row("gemini none", Dialect::Gemini, noneChoice, none, R"({"toolConfig":{"functionCallingConfig":{"mode":"NONE"}}})");
    row("gemini required", Dialect::Gemini, required, false,
        R"({"toolConfig":{"functionCallingConfig":{"mode":"ANY"}}})");
    row("gemini forced", Dialect::Gemini, kForced, none,
        R"({"toolConfig":{"functionCallingConfig":{"mode":"ANY","allowedFunctionNames":["get_time"]}}})");
    row("gemini parallel only", Dialect::Gemini, std::nullopt, false, R"({})");

    // Ollama: no field is ever added; the tools sent change instead (see ollamaToolNames below).
    row("ollama required", Dialect::Ollama, required, false, R"({})");
}
void tst_RequestToolChoice::encoded()
{
    QFETCH(int, dialect);
    QFETCH(int, mode);
    QFETCH(QString, name);
    QFETCH(int, parallel);
    QFETCH(QString, expected);
    const auto choice = mode < 0 ? std::nullopt : std::optional<ToolChoice>(ToolChoice{Mode(mode), name});
    const auto parallelCalls = parallel < 0 ? std::nullopt : std::optional<bool>(parallel == 1);
    const ojson b = body(request(choice, parallelCalls), Dialect(dialect));
    QCOMPARE(choiceFields(b), expected);
    // The choice never costs the tools themselves, except on Ollama.
    if (Dialect(dialect) != Dialect::Ollama)
        QVERIFY(b.contains("tools"));
}

// Ollama's /api/chat has no tool_choice: "none" sends no tools, a forced tool is the only one
// offered, and "required" changes nothing.
void tst_RequestToolChoice::ollamaEmulation()
{
    QCOMPARE(ollamaToolNames(body(request(std::nullopt, std::nullopt), Dialect::Ollama)),
             QStringLiteral("get_weather,get_time"));
    QCOMPARE(ollamaToolNames(body(request(ToolChoice{Mode::None}, std::nullopt), Dialect::Ollama)),
             QStringLiteral("<no tools>"));
    QCOMPARE(ollamaToolNames(body(request(kForced, true), Dialect::Ollama)), QStringLiteral("get_time"));
    QCOMPARE(ollamaToolNames(body(request(ToolChoice{Mode::Required}, false), Dialect::Ollama)),
             QStringLiteral("get_weather,get_time"));
    QCOMPARE(ollamaToolNames(body(request(ToolChoice{Mode::Auto}, std::nullopt), Dialect::Ollama)),
             QStringLiteral("get_weather,get_time"));
}

// Anthropic rejects a forced tool while extended thinking is on: refused before sending, with
// auto and none still allowed.
void tst_RequestToolChoice::anthropicThinkingForbidsForcing()
{
    const auto build = [](std::optional<ToolChoice> choice) {
        ChatRequest r = request(std::move(choice), std::nullopt);
        r.params.reasoningEffort = QStringLiteral("low");
        r.params.maxTokens = 4096;
        return RequestBuilder::build(r, provider(Dialect::Anthropic), SecretString(QStringLiteral("k")));
    };
    const auto required = build(ToolChoice{Mode::Required});
    QVERIFY(!required);
    QVERIFY2(required.error().contains(u"tool_choice"_qs), qPrintable(required.error()));
    QVERIFY(!build(kForced));
    QVERIFY(build(ToolChoice{Mode::Auto}));
    QVERIFY(build(ToolChoice{Mode::None}));
    QVERIFY(build(std::nullopt));
    // Other dialects have no such rule.
    ChatRequest gemini = request(ToolChoice{Mode::Required}, std::nullopt);
    gemini.params.reasoningEffort = QStringLiteral("low");
    QVERIFY(RequestBuilder::build(gemini, provider(Dialect::Gemini), SecretString(QStringLiteral("k"))));
}

void tst_RequestToolChoice::notSentWithoutTools_data()
{
    QTest::addColumn<int>("dialect");
    QTest::newRow("chat") << int(Dialect::OpenAIChat);
    QTest::newRow("responses") << int(Dialect::OpenAIResponses);
    QTest::newRow("anthropic") << int(Dialect::Anthropic);
    QTest::newRow("gemini") << int(Dialect::Gemini);
    QTest::newRow("ollama") << int(Dialect::Ollama);
}
void tst_RequestToolChoice::notSentWithoutTools()
{
    QFETCH(int, dialect);
    const ojson b = body(request(ToolChoice{Mode::Required}, false, false), Dialect(dialect));
    QVERIFY(!b.is_null());
    QCOMPARE(choiceFields(b), QStringLiteral("{}"));
    QVERIFY(!b.contains("tools"));
}

void tst_RequestToolChoice::unsetSendsNothing_data()
{
    notSentWithoutTools_data();
}
void tst_RequestToolChoice::unsetSendsNothing()
{
    QFETCH(int, dialect);
    const ojson b = body(request(std::nullopt, std::nullopt), Dialect(dialect));
    QCOMPARE(choiceFields(b), QStringLiteral("{}"));
    QVERIFY(b.contains("tools"));
}
QTEST_GUILESS_MAIN(tst_RequestToolChoice)
