#include "SimTestClient.h"

#include "sim/SimServer.h"
#include "sim/SimTokenizer.h"

#include <QRegularExpression>
#include <QTest>

using namespace Slopscope;
using SimTest::json;

namespace {

const QByteArray kBearer = "Authorization: Bearer sk-test";
const QByteArray kAnthropicKey = "x-api-key: sk-ant-test";
const QByteArray kAnthropicVersion = "anthropic-version: 2023-06-01";
const QByteArray kGoogKey = "x-goog-api-key: test";

QByteArray chatBody(const char *model, const char *prompt, bool stream, bool usage = true)
{
    nlohmann::json b;
    b["model"] = model;
    b["messages"] = nlohmann::json::array(
        {{{"role", "system"}, {"content", "Be brief."}}, {{"role", "user"}, {"content", prompt}}});
    b["stream"] = stream;
    if (usage)
        b["stream_options"] = {{"include_usage", true}};
    return QByteArray::fromStdString(b.dump());
}

// The text between JSON tokens carries no spaces (OpenAI/Anthropic/Ollama compact style).
bool isCompact(const QByteArray &jsonText)
{
    bool inString = false;
    bool escaped = false;
    for (const char c : jsonText) {
        if (inString) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (c == ' ' || c == '\n') {
            return false;
        }
    }
    return true;
}

} // namespace

class TestSimDialects final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void openAIChatStream();
    void openAIChatWithoutUsage();
    void openAIChatReasoning();
    void openAIChatWholeBody();
    void openAIChatLengthLimit();
    void responsesStream();
    void responsesIncompleteAndWhole();
    void anthropicStream();
    void anthropicThinking();
    void anthropicWholeBody();
    void geminiStream();
    void geminiWholeAndThoughts();
    void ollamaStream();
    void ollamaWholeBody();
    void listings();
    void authErrors_data();
    void authErrors();
    void unknownModel_data();
    void unknownModel();
    void badRequests();
    void keepAliveAndPipelining();
    void deterministicBytes();
    void groundTruthRecords();

private:
    SimTest::Response send(const QByteArray &request) { return SimTest::exchange(m_server.serverPort(), request); }
    SimServer m_server;
};

void TestSimDialects::initTestCase()
{
    QVERIFY(m_server.loadDefaults());
    QVERIFY(m_server.loadPersonasFile(QStringLiteral(SLOPSCOPE_TEST_DATA "/sim/personas_test.json")));
    QVERIFY(m_server.listen());
    QVERIFY(m_server.serverPort() > 0);
    QCOMPARE(m_server.baseUrl().host(), QStringLiteral("127.0.0.1"));
}

void TestSimDialects::openAIChatStream()
{
    const auto r =
        send(SimTest::post("/v1/chat/completions", chatBody("t-chat", "Tell me about tea.", true), {kBearer}));
    QVERIFY(r.ok && r.terminated);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("content-type"), QByteArray("text/event-stream; charset=utf-8"));
    QCOMPARE(r.header("transfer-encoding"), QByteArray("chunked"));
    QCOMPARE(r.header("openai-version"), QByteArray("2020-10-01"));
    QVERIFY(r.header("x-request-id").startsWith("req_"));
    const auto events = SimTest::sseEvents(r.body);
    QCOMPARE(events.size(), 1 + 12 + 1 + 1 + 1); // role, 12 tokens, finish, usage, [DONE]
    QCOMPARE(events.last().data, QByteArray("[DONE]"));
    QVERIFY(r.body.endsWith("data: [DONE]\n\n"));
    const auto role = json(events.first().data);
    QStringList keys;
    for (auto it = role.begin(); it != role.end(); ++it)
        keys.append(QString::fromStdString(it.key()));
    QCOMPARE(keys,
             (QStringList{QStringLiteral("id"), QStringLiteral("object"), QStringLiteral("created"),
                          QStringLiteral("model"), QStringLiteral("service_tier"), QStringLiteral("system_fingerprint"),
                          QStringLiteral("choices"), QStringLiteral("usage"), QStringLiteral("obfuscation")}));
    QVERIFY(QByteArray::fromStdString(role["id"].get<std::string>()).startsWith("chatcmpl-"));
    SIM_JCOMPARE(role["object"], "chat.completion.chunk");
    SIM_JCOMPARE(role["choices"][0]["delta"],
                 nlohmann::ordered_json::parse(R"({"role":"assistant","content":"","refusal":null})"));
    QString text;
    for (int i = 1; i <= 12; ++i) {
        QVERIFY(isCompact(events[i].data));
        const auto c = json(events[i].data);
        SIM_JCOMPARE(c["id"], role["id"]);
        QVERIFY(c["usage"].is_null());
        SIM_JCOMPARE(c["choices"][0]["finish_reason"], nullptr);
        const QByteArray piece = QByteArray::fromStdString(c["choices"][0]["delta"]["content"].get<std::string>());
        QCOMPARE(SimTokenizer::count(piece), 1); // one event per token
        text += QString::fromUtf8(piece);
    }
    const auto finish = json(events[13].data);
    SIM_JCOMPARE(finish["choices"][0]["delta"], nlohmann::ordered_json::object());
    SIM_JCOMPARE(finish["choices"][0]["finish_reason"], "stop");
    const auto usage = json(events[14].data);
    QVERIFY(usage["choices"].is_array() && usage["choices"].empty());
    SIM_JCOMPARE(usage["usage"]["completion_tokens"], 12);
    SIM_JCOMPARE(usage["usage"]["prompt_tokens"], SimTokenizer::count("Be brief.\nTell me about tea."));
    SIM_JCOMPARE(usage["usage"]["total_tokens"], usage["usage"]["prompt_tokens"].get<int>() + 12);
    SIM_JCOMPARE(usage["usage"]["completion_tokens_details"]["reasoning_tokens"], 0);
    QCOMPARE(SimTokenizer::count(text.toUtf8()), 12);
}

void TestSimDialects::openAIChatWithoutUsage()
{
    const auto r =
        send(SimTest::post("/v1/chat/completions", chatBody("t-chat", "Tell me about tea.", true, false), {kBearer}));
    QVERIFY(r.ok);
    QVERIFY(!r.body.contains("\"usage\""));
    const auto events = SimTest::sseEvents(r.body);
    QCOMPARE(events.size(), 1 + 12 + 1 + 1);
    SIM_JCOMPARE(json(events[13].data)["choices"][0]["finish_reason"], "stop");
}

void TestSimDialects::openAIChatReasoning()
{
    // Visible (gpt-oss style delta.reasoning) and hidden (counted only).
    auto r = send(SimTest::post("/v1/chat/completions", chatBody("t-think", "Tell me about tea.", true), {kBearer}));
    auto events = SimTest::sseEvents(r.body);
    int reasoning = 0;
    int content = 0;
    for (const auto &e : events) {
        const auto j = json(e.data);
        if (j.is_discarded() || !j.contains("choices") || j["choices"].empty())
            continue;
        const auto &d = j["choices"][0]["delta"];
        reasoning += d.contains("reasoning") ? 1 : 0;
        content += d.contains("content") && !d.contains("role") ? 1 : 0;
    }
    QCOMPARE(reasoning, 8);
    QCOMPARE(content, 12);
    auto usage = json(events[events.size() - 2].data)["usage"];
    SIM_JCOMPARE(usage["completion_tokens"], 20);
    SIM_JCOMPARE(usage["completion_tokens_details"]["reasoning_tokens"], 8);

    r = send(SimTest::post("/v1/chat/completions", chatBody("t-hidden", "Tell me about tea.", true), {kBearer}));
    QVERIFY(!r.body.contains("\"reasoning\""));
    events = SimTest::sseEvents(r.body);
    QCOMPARE(events.size(), 1 + 12 + 3);
    usage = json(events[events.size() - 2].data)["usage"];
    SIM_JCOMPARE(usage["completion_tokens"], 20);
    SIM_JCOMPARE(usage["completion_tokens_details"]["reasoning_tokens"], 8);
    // The hidden reasoning takes its time before the first visible token.
    const SimRecord &rec = m_server.records().last();
    QCOMPARE(rec.reasoningTokens, 8);
    QVERIFY(rec.plannedFirstContentMs >= rec.bodyCompleteMs + rec.plannedTtftMs + 8 * 0.5 - 0.001);
    QVERIFY(rec.firstContentMs >= rec.plannedFirstContentMs);
}

void TestSimDialects::openAIChatWholeBody()
{
    const auto r = send(SimTest::post(
        "/v1/chat/completions", chatBody("t-chat", "What is the capital of France? Answer with the city name.", false),
        {kBearer}));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("content-type"), QByteArray("application/json"));
    QVERIFY(r.header("content-length").toInt() > 0);
    QVERIFY(r.body.startsWith("{\n  \"id\": \"chatcmpl-")); // pretty, 2-space
    const auto b = json(r.body);
    SIM_JCOMPARE(b["object"], "chat.completion");
    SIM_JCOMPARE(b["choices"][0]["finish_reason"], "stop");
    const QString content = QString::fromStdString(b["choices"][0]["message"]["content"].get<std::string>());
    QVERIFY2(content.contains(QStringLiteral("Paris")), qPrintable(content));
    SIM_JCOMPARE(b["usage"]["completion_tokens"], SimTokenizer::count(content.toUtf8()));
}

void TestSimDialects::openAIChatLengthLimit()
{
    nlohmann::json b = nlohmann::json::parse(chatBody("t-chat", "Tell me about tea.", true).toStdString());
    b["max_completion_tokens"] = 5;
    const auto r = send(SimTest::post("/v1/chat/completions", QByteArray::fromStdString(b.dump()), {kBearer}));
    const auto events = SimTest::sseEvents(r.body);
    QCOMPARE(events.size(), 1 + 5 + 3);
    SIM_JCOMPARE(json(events[6].data)["choices"][0]["finish_reason"], "length");
    SIM_JCOMPARE(json(events[7].data)["usage"]["completion_tokens"], 5);
}

void TestSimDialects::responsesStream()
{
    nlohmann::json b{
        {"model", "t-hidden"}, {"instructions", "Be brief."}, {"input", "Tell me about tea."}, {"stream", true}};
    const auto r = send(SimTest::post("/v1/responses", QByteArray::fromStdString(b.dump()), {kBearer}));
    QCOMPARE(r.status, 200);
    const auto events = SimTest::sseEvents(r.body);
    QStringList names;
    QString deltas;
    for (int i = 0; i < events.size(); ++i) {
        const auto j = json(events[i].data);
        QCOMPARE(QByteArray::fromStdString(j["type"].get<std::string>()), events[i].event); // type repeats the name
        SIM_JCOMPARE(j["sequence_number"], i);
        if (events[i].event == "response.output_text.delta")
            deltas += QString::fromStdString(j["delta"].get<std::string>());
        else
            names.append(QString::fromLatin1(events[i].event));
    }
    QCOMPARE(names,
             (QStringList{QStringLiteral("response.created"), QStringLiteral("response.in_progress"),
                          QStringLiteral("response.output_item.added"), QStringLiteral("response.output_item.done"),
                          QStringLiteral("response.output_item.added"), QStringLiteral("response.content_part.added"),
                          QStringLiteral("response.output_text.done"), QStringLiteral("response.content_part.done"),
                          QStringLiteral("response.output_item.done"), QStringLiteral("response.completed")}));
    QCOMPARE(events.size(), 10 + 12);
    const auto created = json(events.first().data);
    SIM_JCOMPARE(created["response"]["status"], "in_progress");
    QVERIFY(created["response"]["usage"].is_null());
    SIM_JCOMPARE(created["response"]["instructions"], "Be brief.");
    const auto done = json(events[events.size() - 4].data);
    QCOMPARE(QString::fromStdString(done["text"].get<std::string>()), deltas);
    const auto completed = json(events.last().data)["response"];
    SIM_JCOMPARE(completed["status"], "completed");
    SIM_JCOMPARE(completed["usage"]["output_tokens"], 20);
    SIM_JCOMPARE(completed["usage"]["output_tokens_details"]["reasoning_tokens"], 8);
    SIM_JCOMPARE(completed["usage"]["input_tokens"], SimTokenizer::count("Be brief.\nTell me about tea."));
    SIM_JCOMPARE(completed["output"].size(), 2u);
    SIM_JCOMPARE(completed["output"][0]["type"], "reasoning");
    QCOMPARE(QString::fromStdString(completed["output"][1]["content"][0]["text"].get<std::string>()), deltas);
}

void TestSimDialects::responsesIncompleteAndWhole()
{
    nlohmann::json b{{"model", "t-chat"},
                     {"input", nlohmann::json::array({{{"role", "user"}, {"content", "Tell me about tea."}}})},
                     {"stream", true},
                     {"max_output_tokens", 4}};
    auto r = send(SimTest::post("/v1/responses", QByteArray::fromStdString(b.dump()), {kBearer}));
    auto events = SimTest::sseEvents(r.body);
    QCOMPARE(events.last().event, QByteArray("response.incomplete"));
    const auto resp = json(events.last().data)["response"];
    SIM_JCOMPARE(resp["status"], "incomplete");
    SIM_JCOMPARE(resp["incomplete_details"]["reason"], "max_output_tokens");
    SIM_JCOMPARE(resp["usage"]["output_tokens"], 4);

    b["stream"] = false;
    b.erase("max_output_tokens");
    r = send(SimTest::post("/v1/responses", QByteArray::fromStdString(b.dump()), {kBearer}));
    QCOMPARE(r.status, 200);
    const auto whole = json(r.body);
    SIM_JCOMPARE(whole["object"], "response");
    SIM_JCOMPARE(whole["status"], "completed");
    SIM_JCOMPARE(whole["usage"]["output_tokens"], 12);
}

void TestSimDialects::anthropicStream()
{
    nlohmann::json b{{"model", "t-claude"},
                     {"max_tokens", 100},
                     {"system", "Be brief."},
                     {"messages", nlohmann::json::array({{{"role", "user"}, {"content", "Tell me about tea."}}})},
                     {"stream", true}};
    const auto r =
        send(SimTest::post("/v1/messages", QByteArray::fromStdString(b.dump()), {kAnthropicKey, kAnthropicVersion}));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("content-type"), QByteArray("text/event-stream; charset=utf-8"));
    QVERIFY(r.header("request-id").startsWith("req_"));
    const auto events = SimTest::sseEvents(r.body);
    QStringList names;
    for (const auto &e : events) {
        if (e.event != "content_block_delta")
            names.append(QString::fromLatin1(e.event));
        const auto j = json(e.data);
        QVERIFY(!j.is_discarded());
        QCOMPARE(QByteArray::fromStdString(j["type"].get<std::string>()), e.event);
    }
    QCOMPARE(names, (QStringList{QStringLiteral("message_start"), QStringLiteral("content_block_start"),
                                 QStringLiteral("ping"), QStringLiteral("content_block_stop"),
                                 QStringLiteral("message_delta"), QStringLiteral("message_stop")}));
    QCOMPARE(events.size(), 6 + 12);
    QCOMPARE(events[2].data, QByteArray("{\"type\": \"ping\"}"));
    // Compact JSON padded with spaces before the last brace, as the live API sends it.
    static const QRegularExpression padded(QStringLiteral("^\\{\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
                                                          "\\{\"type\":\"text_delta\",\"text\":\".*\"\\} *\\}$"));
    bool somePadding = false;
    for (int i = 3; i < 15; ++i) {
        QVERIFY2(padded.match(QString::fromUtf8(events[i].data)).hasMatch(), events[i].data.constData());
        somePadding = somePadding || events[i].data.endsWith(" }");
    }
    QVERIFY(somePadding);
    const auto start = json(events[0].data)["message"];
    SIM_JCOMPARE(start["model"], "t-claude-20250101");
    QVERIFY(QByteArray::fromStdString(start["id"].get<std::string>()).startsWith("msg_01"));
    SIM_JCOMPARE(start["usage"]["input_tokens"], SimTokenizer::count("Be brief.\nTell me about tea."));
    SIM_JCOMPARE(start["usage"]["output_tokens"], 1);
    const auto delta = json(events[16].data);
    SIM_JCOMPARE(delta["delta"]["stop_reason"], "end_turn");
    SIM_JCOMPARE(delta["usage"]["output_tokens"], 12);
    SIM_JCOMPARE(delta["usage"]["input_tokens"], start["usage"]["input_tokens"]);
}

void TestSimDialects::anthropicThinking()
{
    nlohmann::json b{{"model", "t-claude"},
                     {"max_tokens", 100},
                     {"thinking", {{"type", "enabled"}, {"budget_tokens", 1024}}},
                     {"messages", nlohmann::json::array({{{"role", "user"}, {"content", "Tell me about tea."}}})},
                     {"stream", true}};
    const auto r =
        send(SimTest::post("/v1/messages", QByteArray::fromStdString(b.dump()), {kAnthropicKey, kAnthropicVersion}));
    const auto events = SimTest::sseEvents(r.body);
    SIM_JCOMPARE(json(events[1].data)["content_block"]["type"], "thinking");
    int thinking = 0;
    int text = 0;
    int signature = -1;
    int textStart = -1;
    for (int i = 0; i < events.size(); ++i) {
        const auto j = json(events[i].data);
        if (events[i].event == "content_block_delta") {
            const auto type = j["delta"]["type"].get<std::string>();
            if (type == "thinking_delta" && !j["delta"]["thinking"].get<std::string>().empty())
                ++thinking;
            if (type == "text_delta") {
                ++text;
                SIM_JCOMPARE(j["index"], 1);
            }
            if (type == "signature_delta")
                signature = i;
        }
        if (events[i].event == "content_block_start" && j["index"] == 1)
            textStart = i;
    }
    QCOMPARE(thinking, 6);
    QCOMPARE(text, 12);
    QVERIFY(signature > 0 && signature + 2 == textStart); // signature, stop(0), start(1)
    SIM_JCOMPARE(json(events[signature - 1].data)["delta"]["thinking"], "");
    SIM_JCOMPARE(json(events[events.size() - 2].data)["usage"]["output_tokens"], 18);
}

void TestSimDialects::anthropicWholeBody()
{
    nlohmann::json b{
        {"model", "t-claude"},
        {"max_tokens", 100},
        {"messages",
         nlohmann::json::array(
             {{{"role", "user"},
               {"content", nlohmann::json::array({{{"type", "text"}, {"text", "Tell me about tea."}}})}}})}};
    const auto r =
        send(SimTest::post("/v1/messages", QByteArray::fromStdString(b.dump()), {kAnthropicKey, kAnthropicVersion}));
    QCOMPARE(r.status, 200);
    QVERIFY(isCompact(r.body));
    const auto m = json(r.body);
    SIM_JCOMPARE(m["type"], "message");
    SIM_JCOMPARE(m["content"][0]["type"], "text");
    SIM_JCOMPARE(m["stop_reason"], "end_turn");
    SIM_JCOMPARE(m["usage"]["output_tokens"], 12);
    SIM_JCOMPARE(m["usage"]["input_tokens"], SimTokenizer::count("Tell me about tea."));
}

void TestSimDialects::geminiStream()
{
    const QByteArray body =
        R"({"contents":[{"role":"user","parts":[{"text":"Tell me about tea."}]}],"systemInstruction":{"parts":[{"text":"Be brief."}]}})";
    const auto r = send(SimTest::post("/v1beta/models/t-gemini:streamGenerateContent?alt=sse", body, {kGoogKey}));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("content-type"), QByteArray("text/event-stream"));
    QVERIFY(!r.body.contains("[DONE]"));
    QVERIFY(r.body.endsWith("\r\n\r\n"));
    QVERIFY(!QByteArray(r.body).replace("\r\n", "").contains('\n')); // CRLF only
    const auto events = SimTest::sseEvents(r.body, true);
    QCOMPARE(events.size(), 12 + 1);
    QVERIFY(events.first().data.startsWith(R"({"candidates": [{"content": {"parts": [{"text": )"));
    const int prompt = SimTokenizer::count("Be brief.\nTell me about tea.");
    for (int i = 0; i < events.size(); ++i) {
        const auto j = json(events[i].data);
        const auto &u = j["usageMetadata"];
        SIM_JCOMPARE(u["promptTokenCount"], prompt);
        SIM_JCOMPARE(u["candidatesTokenCount"], std::min(i + 1, 12)); // cumulative on every chunk
        SIM_JCOMPARE(u["thoughtsTokenCount"], 7);
        SIM_JCOMPARE(u["totalTokenCount"], prompt + std::min(i + 1, 12) + 7);
        SIM_JCOMPARE(j["modelVersion"], "t-gemini");
        SIM_JCOMPARE(j["candidates"][0]["content"]["role"], "model");
        SIM_JCOMPARE(j["candidates"][0].contains("finishReason"), i == 12);
    }
    SIM_JCOMPARE(json(events.last().data)["candidates"][0]["finishReason"], "STOP");
}

void TestSimDialects::geminiWholeAndThoughts()
{
    const QByteArray body =
        R"({"contents":[{"parts":[{"text":"Tell me about tea."}]}],"generationConfig":{"thinkingConfig":{"includeThoughts":true},"maxOutputTokens":3}})";
    auto r = send(SimTest::post("/v1beta/models/t-gemini:streamGenerateContent?alt=sse&key=abc", body, {}));
    QCOMPARE(r.status, 200);
    const auto events = SimTest::sseEvents(r.body, true);
    QCOMPARE(events.size(), 7 + 3 + 1);
    SIM_JCOMPARE(json(events[0].data)["candidates"][0]["content"]["parts"][0]["thought"], true);
    SIM_JCOMPARE(json(events.last().data)["candidates"][0]["finishReason"], "MAX_TOKENS");

    r = send(SimTest::post("/v1beta/models/t-gemini:generateContent", body, {kGoogKey}));
    QCOMPARE(r.status, 200);
    QVERIFY(r.body.startsWith("{\n  \"candidates\": [\n"));
    const auto whole = json(r.body);
    SIM_JCOMPARE(whole["candidates"][0]["content"]["parts"].size(), 2u);
    SIM_JCOMPARE(whole["usageMetadata"]["candidatesTokenCount"], 3);
    SIM_JCOMPARE(whole["usageMetadata"]["thoughtsTokenCount"], 7);

    r = send(SimTest::post("/v1beta/models/t-gemini:streamGenerateContent", body, {kGoogKey}));
    QCOMPARE(r.status, 400);
    SIM_JCOMPARE(json(r.body)["error"]["status"], "INVALID_ARGUMENT");
}

void TestSimDialects::ollamaStream()
{
    const QByteArray body =
        R"({"model":"t-ollama","messages":[{"role":"user","content":"What is the capital of France? Answer with the city name. <b>"}]})";
    const auto r = send(SimTest::post("/api/chat", body, {}));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("content-type"), QByteArray("application/x-ndjson"));
    const QList<QByteArray> lines = r.body.split('\n');
    QVERIFY(lines.last().isEmpty()); // each line ends with LF
    QString text;
    static const QRegularExpression stamp(QStringLiteral("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,9})?Z$"));
    for (int i = 0; i + 1 < lines.size(); ++i) {
        QVERIFY(isCompact(lines[i]));
        const auto j = json(lines[i]);
        SIM_JCOMPARE(j["model"], "t-ollama");
        QVERIFY(stamp.match(QString::fromStdString(j["created_at"].get<std::string>())).hasMatch());
        if (i + 2 < lines.size()) {
            SIM_JCOMPARE(j["done"], false);
            text += QString::fromStdString(j["message"]["content"].get<std::string>());
        }
    }
    QVERIFY(text.contains(QStringLiteral("Paris")));
    const auto done = json(lines[lines.size() - 2]);
    SIM_JCOMPARE(done["done"], true);
    SIM_JCOMPARE(done["done_reason"], "stop");
    SIM_JCOMPARE(done["eval_count"], lines.size() - 2);
    SIM_JCOMPARE(done["prompt_eval_count"],
                 SimTokenizer::count("What is the capital of France? Answer with the city name. <b>"));
    QVERIFY(done["eval_duration"].get<qint64>() > 0 && done["total_duration"] >= done["eval_duration"]);
    QStringList keys;
    for (auto it = done.begin(); it != done.end(); ++it)
        keys.append(QString::fromStdString(it.key()));
    QCOMPARE(keys.mid(0, 6),
             (QStringList{QStringLiteral("model"), QStringLiteral("created_at"), QStringLiteral("message"),
                          QStringLiteral("done"), QStringLiteral("done_reason"), QStringLiteral("total_duration")}));
}

void TestSimDialects::ollamaWholeBody()
{
    const QByteArray body =
        R"({"model":"t-ollama:latest","stream":false,"messages":[{"role":"user","content":"Say <tag> & more"}],"options":{"num_predict":4}})";
    const auto r = send(SimTest::post("/api/chat", body, {}));
    QCOMPARE(r.status, 200);
    const auto j = json(r.body);
    SIM_JCOMPARE(j["model"], "t-ollama:latest");
    SIM_JCOMPARE(j["done"], true);
    SIM_JCOMPARE(j["done_reason"], "length");
    SIM_JCOMPARE(j["eval_count"], 4);
}

void TestSimDialects::listings()
{
    auto r = send(SimTest::get("/v1/models", {kBearer}));
    QCOMPARE(r.status, 200);
    auto j = json(r.body);
    SIM_JCOMPARE(j["object"], "list");
    QStringList ids;
    for (const auto &m : j["data"]) {
        SIM_JCOMPARE(m["object"], "model");
        ids.append(QString::fromStdString(m["id"].get<std::string>()));
    }
    QVERIFY(ids.contains(QStringLiteral("t-chat")));
    QVERIFY(!ids.contains(QStringLiteral("t-claude")) && !ids.contains(QStringLiteral("t-ollama")));

    r = send(SimTest::get("/v1/models/t-chat", {kBearer}));
    SIM_JCOMPARE(json(r.body)["id"], "t-chat");
    r = send(SimTest::get("/v1/models/nope", {kBearer}));
    QCOMPARE(r.status, 404);

    r = send(SimTest::get("/v1/models", {kAnthropicKey, kAnthropicVersion}));
    j = json(r.body);
    SIM_JCOMPARE(j["data"].size(), 1u);
    SIM_JCOMPARE(j["data"][0]["type"], "model");
    SIM_JCOMPARE(j["has_more"], false);

    r = send(SimTest::get("/api/tags"));
    j = json(r.body);
    SIM_JCOMPARE(j["models"].size(), 1u);
    SIM_JCOMPARE(j["models"][0]["name"], "t-ollama:latest");
    SIM_JCOMPARE(j["models"][0]["details"]["format"], "gguf");

    r = send(SimTest::get("/v1beta/models", {kGoogKey}));
    j = json(r.body);
    SIM_JCOMPARE(j["models"][0]["name"], "models/t-gemini");

    r = send(SimTest::get("/v1/models"));
    QCOMPARE(r.status, 401);
    r = send(SimTest::post("/v1/models", "{}", {kBearer}));
    QCOMPARE(r.status, 405);
}

void TestSimDialects::authErrors_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("pointer");
    QTest::addColumn<QString>("value");
    QTest::newRow("openai chat") << SimTest::post("/v1/chat/completions", chatBody("t-chat", "hi", true), {}) << 401
                                 << QStringLiteral("/error/type") << QStringLiteral("invalid_request_error");
    QTest::newRow("openai empty bearer") << SimTest::post("/v1/chat/completions", chatBody("t-chat", "hi", true),
                                                          {"Authorization: Bearer "})
                                         << 401 << QStringLiteral("/error/type")
                                         << QStringLiteral("invalid_request_error");
    QTest::newRow("responses") << SimTest::post("/v1/responses", R"({"model":"t-chat","input":"hi"})",
                                                {"x-api-key: wrong-place"})
                               << 401 << QStringLiteral("/error/type") << QStringLiteral("invalid_request_error");
    QTest::newRow("anthropic key") << SimTest::post("/v1/messages", "{}", {kAnthropicVersion}) << 401
                                   << QStringLiteral("/error/type") << QStringLiteral("authentication_error");
    QTest::newRow("anthropic empty key") << SimTest::post("/v1/messages", "{}",
                                                          {"x-api-key: ", "Authorization: Bearer ", kAnthropicVersion})
                                         << 401 << QStringLiteral("/error/type")
                                         << QStringLiteral("authentication_error");
    // The current official SDK sends the key as a bearer token: accepted, so the empty body is next.
    QTest::newRow("anthropic bearer") << SimTest::post("/v1/messages", "{}", {kBearer, kAnthropicVersion}) << 400
                                      << QStringLiteral("/error/type") << QStringLiteral("invalid_request_error");
    QTest::newRow("anthropic version") << SimTest::post("/v1/messages", "{}", {kAnthropicKey}) << 400
                                       << QStringLiteral("/error/message")
                                       << QStringLiteral("anthropic-version: header is required");
    QTest::newRow("gemini") << SimTest::post("/v1beta/models/t-gemini:generateContent", "{}", {kBearer}) << 401
                            << QStringLiteral("/error/status") << QStringLiteral("UNAUTHENTICATED");
}

void TestSimDialects::authErrors()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    QFETCH(QString, pointer);
    QFETCH(QString, value);
    const auto r = send(request);
    QCOMPARE(r.status, status);
    const auto j = json(r.body);
    QVERIFY(!j.is_discarded());
    QCOMPARE(
        QString::fromStdString(j.at(nlohmann::ordered_json::json_pointer(pointer.toStdString())).get<std::string>()),
        value);
    if (request.contains("/v1/messages"))
        SIM_JCOMPARE(j["type"], "error");
}

void TestSimDialects::unknownModel_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("openai") << SimTest::post("/v1/chat/completions", chatBody("gpt-9", "hi", true), {kBearer})
                            << QByteArray("\"code\": \"model_not_found\"");
    QTest::newRow("wrong dialect") << SimTest::post("/v1/chat/completions", chatBody("t-claude", "hi", true), {kBearer})
                                   << QByteArray("The model `t-claude` does not exist");
    QTest::newRow("anthropic") << SimTest::post("/v1/messages", R"({"model":"nope","max_tokens":5,"messages":[]})",
                                                {kAnthropicKey, kAnthropicVersion})
                               << QByteArray(R"("error":{"type":"not_found_error","message":"model: nope"})");
    QTest::newRow("gemini") << SimTest::post("/v1beta/models/nope:generateContent", R"({"contents":[]})", {kGoogKey})
                            << QByteArray("\"status\": \"NOT_FOUND\"");
    QTest::newRow("ollama") << SimTest::post("/api/chat", R"({"model":"llama3.3:70b","messages":[]})", {})
                            << QByteArray(R"({"error":"model 'llama3.3:70b' not found"})");
}

void TestSimDialects::unknownModel()
{
    QFETCH(QByteArray, request);
    QFETCH(QByteArray, expected);
    const auto r = send(request);
    QCOMPARE(r.status, 404);
    QVERIFY2(r.body.contains(expected), r.body.constData());
}

void TestSimDialects::badRequests()
{
    auto r = send("\x16\x03\x01 garbage\r\n\r\n");
    QCOMPARE(r.status, 400);
    QVERIFY(r.closed);
    r = send("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 999999999\r\n\r\n");
    QCOMPARE(r.status, 413);
    r = send(SimTest::post("/v1/chat/completions", "{not json", {kBearer}));
    QCOMPARE(r.status, 400);
    SIM_JCOMPARE(json(r.body)["error"]["type"], "invalid_request_error");
    r = send(SimTest::post("/v1/chat/completions", QByteArray(100000, '['), {kBearer}));
    QCOMPARE(r.status, 400);
    r = send(SimTest::get("/v1/chat/completions", {kBearer}));
    QCOMPARE(r.status, 405);
    r = send(SimTest::get("/nowhere"));
    QCOMPARE(r.status, 404);
    // Still serving after all that.
    r = send(SimTest::get("/"));
    QCOMPARE(r.status, 200);
}

void TestSimDialects::keepAliveAndPipelining()
{
    const QByteArray one = SimTest::post("/v1/chat/completions", chatBody("t-chat", "first", true), {kBearer});
    const QByteArray two = SimTest::post("/v1/chat/completions", chatBody("t-chat", "second", false), {kBearer});
    QTcpSocket socket;
    socket.connectToHost(QStringLiteral("127.0.0.1"), m_server.serverPort());
    QVERIFY(socket.waitForConnected(5000));
    socket.write(one + two); // pipelined: the second waits for the first
    QByteArray raw;
    QTRY_VERIFY_WITH_TIMEOUT((raw += socket.readAll()).count("HTTP/1.1 200 OK") == 2 && raw.endsWith("}\n"), 20000);
    QVERIFY(raw.indexOf("data: [DONE]") < raw.lastIndexOf("HTTP/1.1 200 OK"));
    QCOMPARE(socket.state(), QAbstractSocket::ConnectedState);
}

void TestSimDialects::deterministicBytes()
{
    auto normalise = [](QByteArray body) {
        static const QRegularExpression created(QStringLiteral("\"created(_at)?\": ?\"?[0-9TZ:.-]+\"?"));
        return QString::fromUtf8(body).replace(created, QStringLiteral("\"created\":0"));
    };
    const QByteArray body = chatBody("t-coin", "Tell me about tea.", true);
    const auto a = send(SimTest::post("/v1/chat/completions", body, {kBearer, "x-sim-repeat: 4"}));
    const auto b = send(SimTest::post("/v1/chat/completions", body, {kBearer, "x-sim-repeat: 4"}));
    QCOMPARE(normalise(a.body), normalise(b.body));
    QSet<QString> texts;
    for (int rep = 0; rep < 6; ++rep)
        texts.insert(normalise(
            send(SimTest::post("/v1/chat/completions", body, {kBearer, "x-sim-repeat: " + QByteArray::number(rep)}))
                .body));
    QVERIFY(texts.size() > 1);
}

void TestSimDialects::groundTruthRecords()
{
    const auto r = send(SimTest::post(
        "/v1/chat/completions", chatBody("t-chat", "What is 17 multiplied by 23? Reply with the number only.", true),
        {kBearer, "x-sim-tag: gt-1"}));
    QString text;
    for (const auto &e : SimTest::sseEvents(r.body)) {
        const auto j = json(e.data);
        if (!j.is_discarded() && !j["choices"].empty() && j["choices"][0]["delta"].contains("content"))
            text += QString::fromStdString(j["choices"][0]["delta"]["content"].get<std::string>());
    }
    const auto lookup = send(SimTest::get("/sim/requests?tag=gt-1"));
    const auto records = json(lookup.body);
    QCOMPARE(records.size(), 1u);
    const auto &rec = records[0];
    QCOMPARE(QString::fromStdString(rec["text"].get<std::string>()), text);
    SIM_JCOMPARE(rec["outcome"], "complete");
    SIM_JCOMPARE(rec["finish_reason"], "stop");
    SIM_JCOMPARE(rec["case_id"], "mul-17-23");
    SIM_JCOMPARE(rec["answer_kind"], "case_right");
    SIM_JCOMPARE(rec["form"], "canonical");
    SIM_JCOMPARE(rec["tokens_sent"], SimTokenizer::count(text.toUtf8()));
    SIM_JCOMPARE(rec["output_tokens"], rec["tokens_sent"]);
    // Ordering of the ground-truth times (no thresholds: the machine is shared).
    QVERIFY(rec["body_complete_ms"].get<double>() >= rec["arrival_ms"].get<double>());
    QVERIFY(rec["first_content_ms"].get<double>() >= rec["planned_first_content_ms"].get<double>());
    QVERIFY(rec["last_byte_ms"].get<double>() >= rec["first_content_ms"].get<double>());
    QVERIFY(rec["planned_last_token_ms"].get<double>() >= rec["planned_first_content_ms"].get<double>());
}

QTEST_GUILESS_MAIN(TestSimDialects)
#include "tst_simdialects.moc"
