#include "../secrets/RevealSecret.h"
#include "engine/EnvSecretSource.h"
#include "engine/RequestBuilder.h"

#include <QTest>

#include <nlohmann/json.hpp>

using namespace Slopscope;

namespace {

const QString kKey = QStringLiteral("sk-CANARY-4f1d2c3b");

class MapSecrets final : public SecretSource
{
public:
    QHash<QString, QString> values;
    [[nodiscard]] std::optional<SecretString> secret(const QString &name) const override
    {
        const auto it = values.find(name);
        if (it == values.end() || it->isEmpty())
            return std::nullopt;
        return SecretString(*it);
    }
};

ProviderConfig provider(Dialect dialect, const QString &baseUrl)
{
    ProviderConfig p;
    p.id = QStringLiteral("p");
    p.dialect = dialect;
    p.baseUrl = baseUrl;
    return p;
}

ChatRequest request(const QString &model = QStringLiteral("m-1"))
{
    ChatRequest r;
    r.id = QStringLiteral("job");
    r.targetId = QStringLiteral("t");
    r.providerId = QStringLiteral("p");
    r.model = model;
    r.messages = {{QStringLiteral("system"), QStringLiteral("Be brief.")},
                  {QStringLiteral("user"), QStringLiteral("Hi")}};
    return r;
}

nlohmann::json body(const PreparedRequest &p)
{
    return nlohmann::json::parse(p.body.toStdString());
}

PreparedRequest built(const ChatRequest &r, const ProviderConfig &p, const QString &key = kKey)
{
    auto result = RequestBuilder::build(r, p, SecretString(key));
    if (!result)
        qWarning("%s", qPrintable(result.error()));
    return result ? result.value() : PreparedRequest{};
}

} // namespace

class tst_RequestBuilder : public QObject
{
    Q_OBJECT

private slots:
    void urls_data()
    {
        QTest::addColumn<int>("dialect");
        QTest::addColumn<QString>("base");
        QTest::addColumn<QString>("model");
        QTest::addColumn<bool>("stream");
        QTest::addColumn<QString>("url");
        QTest::newRow("openai-chat") << int(Dialect::OpenAIChat) << u"https://api.openai.com/v1"_qs << u"gpt-4o"_qs
                                     << true << u"https://api.openai.com/v1/chat/completions"_qs;
        QTest::newRow("openai-chat trailing slash")
            << int(Dialect::OpenAIChat) << u"https://api.groq.com/openai/v1/"_qs << u"x"_qs << true
            << u"https://api.groq.com/openai/v1/chat/completions"_qs;
        QTest::newRow("openai-responses") << int(Dialect::OpenAIResponses) << u"https://api.openai.com/v1"_qs
                                          << u"o4"_qs << true << u"https://api.openai.com/v1/responses"_qs;
        QTest::newRow("anthropic") << int(Dialect::Anthropic) << u"https://api.anthropic.com"_qs << u"claude"_qs << true
                                   << u"https://api.anthropic.com/v1/messages"_qs;
        QTest::newRow("gemini stream")
            << int(Dialect::Gemini) << u"https://generativelanguage.googleapis.com/v1beta"_qs << u"gemini-2.5-flash"_qs
            << true
            << u"https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse"_qs;
        QTest::newRow("gemini models/ prefix")
            << int(Dialect::Gemini) << u"https://g.example/v1beta"_qs << u"models/gemini-pro"_qs << true
            << u"https://g.example/v1beta/models/gemini-pro:streamGenerateContent?alt=sse"_qs;
        QTest::newRow("gemini odd model")
            << int(Dialect::Gemini) << u"https://g.example/v1beta"_qs << u"a b/c?d"_qs << true
            << u"https://g.example/v1beta/models/a%20b%2Fc%3Fd:streamGenerateContent?alt=sse"_qs;
        QTest::newRow("gemini no stream") << int(Dialect::Gemini) << u"https://g.example/v1beta"_qs << u"g"_qs << false
                                          << u"https://g.example/v1beta/models/g:generateContent"_qs;
        QTest::newRow("ollama") << int(Dialect::Ollama) << u"http://localhost:11434"_qs << u"llama3"_qs << true
                                << u"http://localhost:11434/api/chat"_qs;
    }
    void urls()
    {
        QFETCH(int, dialect);
        QFETCH(QString, base);
        QFETCH(QString, model);
        QFETCH(bool, stream);
        QFETCH(QString, url);
        ChatRequest r = request(model);
        r.stream = stream;
        const PreparedRequest p = built(r, provider(Dialect(dialect), base));
        QCOMPARE(p.url.toString(QUrl::FullyEncoded), url);
        QVERIFY(!p.url.toString().contains(kKey));
    }

    void authHeaders_data()
    {
        QTest::addColumn<int>("dialect");
        QTest::addColumn<QByteArray>("name");
        QTest::addColumn<QByteArray>("value");
        QTest::newRow("openai-chat") << int(Dialect::OpenAIChat) << QByteArray("authorization")
                                     << "Bearer " + kKey.toUtf8();
        QTest::newRow("openai-responses")
            << int(Dialect::OpenAIResponses) << QByteArray("authorization") << "Bearer " + kKey.toUtf8();
        QTest::newRow("anthropic") << int(Dialect::Anthropic) << QByteArray("x-api-key") << kKey.toUtf8();
        QTest::newRow("gemini") << int(Dialect::Gemini) << QByteArray("x-goog-api-key") << kKey.toUtf8();
    }
    void authHeaders()
    {
        QFETCH(int, dialect);
        QFETCH(QByteArray, name);
        QFETCH(QByteArray, value);
        const PreparedRequest p = built(request(), provider(Dialect(dialect), u"https://api.example.com/v1"_qs));
        QCOMPARE(p.header(name), value);
        int credentialHeaders = 0;
        for (const QByteArray &h : {QByteArray("authorization"), QByteArray("x-api-key"), QByteArray("x-goog-api-key")})
            credentialHeaders += p.hasHeader(h) ? 1 : 0;
        QCOMPARE(credentialHeaders, 1);
        QCOMPARE(p.header("anthropic-version"),
                 Dialect(dialect) == Dialect::Anthropic ? QByteArray("2023-06-01") : QByteArray());
        QCOMPARE(p.header("accept-encoding"), QByteArray("identity"));
        QCOMPARE(p.header("accept"), QByteArray("text/event-stream"));
        QCOMPARE(p.header("content-type"), QByteArray("application/json"));
        QVERIFY(p.header("user-agent").startsWith("Slopscope/"));
    }

    void ollamaHasNoAuthWithoutKey()
    {
        const PreparedRequest p = built(request(), provider(Dialect::Ollama, u"http://localhost:11434"_qs), QString());
        QVERIFY(!p.hasHeader("authorization"));
        QCOMPARE(p.header("accept"), QByteArray("application/x-ndjson"));
        QCOMPARE(p.header("accept-encoding"), QByteArray("identity"));
    }

    void nonStreamLeavesEncodingToQt()
    {
        ChatRequest r = request();
        r.stream = false;
        const PreparedRequest p = built(r, provider(Dialect::OpenAIChat, u"https://api.example.com/v1"_qs));
        QVERIFY(!p.hasHeader("accept-encoding"));
        QCOMPARE(p.header("accept"), QByteArray("application/json"));
        const auto b = body(p);
        QVERIFY(!b.contains("stream"));
        QVERIFY(!b.contains("stream_options"));
    }

    void customHeadersOverrideDefaults()
    {
        ProviderConfig p = provider(Dialect::Anthropic, u"https://api.anthropic.com"_qs);
        p.headers.insert(u"anthropic-version"_qs, u"2099-01-01"_qs);
        p.headers.insert(u"X-Extra"_qs, u"1"_qs);
        const PreparedRequest r = built(request(), p);
        QCOMPARE(r.header("anthropic-version"), QByteArray("2099-01-01"));
        QCOMPARE(r.header("x-extra"), QByteArray("1"));
    }

    void openAIChatBody()
    {
        ChatRequest r = request();
        r.params.temperature = 0.25;
        r.params.maxTokens = 300;
        r.params.reasoningEffort = u"low"_qs;
        const auto b = body(built(r, provider(Dialect::OpenAIChat, u"https://api.groq.com/openai/v1"_qs)));
        const auto expected = nlohmann::json::parse(R"({
            "model": "m-1",
            "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}],
            "stream": true, "stream_options": {"include_usage": true},
            "temperature": 0.25, "max_tokens": 300, "reasoning_effort": "low"})");
        QCOMPARE(b.dump(), expected.dump());
    }

    void openAIItselfGetsMaxCompletionTokens()
    {
        ChatRequest r = request();
        r.params.maxTokens = 64;
        const auto b = body(built(r, provider(Dialect::OpenAIChat, u"https://api.openai.com/v1"_qs)));
        QCOMPARE(b.value("max_completion_tokens", 0), 64);
        QVERIFY(!b.contains("max_tokens"));
        QVERIFY(b["stream_options"]["include_usage"].get<bool>());
    }

    void responsesBody()
    {
        ChatRequest r = request();
        r.params.maxTokens = 500;
        r.params.temperature = 1.0;
        r.params.reasoningEffort = u"high"_qs;
        const auto b = body(built(r, provider(Dialect::OpenAIResponses, u"https://api.openai.com/v1"_qs)));
        const auto expected = nlohmann::json::parse(R"({
            "model": "m-1",
            "input": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}],
            "stream": true, "store": false, "temperature": 1.0, "max_output_tokens": 500,
            "reasoning": {"effort": "high", "summary": "auto"},
            "include": ["reasoning.encrypted_content"]})");
        QCOMPARE(b.dump(), expected.dump());
    }

    void anthropicBody()
    {
        ChatRequest r = request();
        r.messages.append({u"assistant"_qs, u"Hello"_qs});
        r.messages.append({u"user"_qs, u"More"_qs});
        r.params.temperature = 0.5;
        const auto b = body(built(r, provider(Dialect::Anthropic, u"https://api.anthropic.com"_qs)));
        const auto expected = nlohmann::json::parse(R"({
            "model": "m-1", "max_tokens": 4096, "system": "Be brief.",
            "messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"},
                         {"role": "user", "content": "More"}],
            "stream": true, "temperature": 0.5})");
        QCOMPARE(b.dump(), expected.dump());
        QVERIFY(!b.contains("stream_options"));
    }

    void anthropicThinking()
    {
        ChatRequest r = request();
        r.params.maxTokens = 8000;
        r.params.reasoningEffort = u"medium"_qs;
        const auto b = body(built(r, provider(Dialect::Anthropic, u"https://api.anthropic.com"_qs)));
        QCOMPARE(b["max_tokens"].get<int>(), 8000);
        QCOMPARE(b["thinking"]["type"].get<std::string>(), std::string("enabled"));
        QCOMPARE(b["thinking"]["budget_tokens"].get<int>(), 4096);

        r.params.maxTokens = 2000;
        r.params.reasoningEffort = u"high"_qs;
        const auto tooSmall =
            RequestBuilder::build(r, provider(Dialect::Anthropic, u"https://api.anthropic.com"_qs), SecretString(kKey));
        QVERIFY(!tooSmall);
        QVERIFY2(tooSmall.error().contains(u"max_tokens"), qPrintable(tooSmall.error()));
    }

    void geminiBody()
    {
        ChatRequest r = request();
        r.messages.append({u"assistant"_qs, u"Hello"_qs});
        r.params.maxTokens = 256;
        r.params.temperature = 0.0;
        r.params.reasoningEffort = u"low"_qs;
        const auto b =
            body(built(r, provider(Dialect::Gemini, u"https://generativelanguage.googleapis.com/v1beta"_qs)));
        const auto expected = nlohmann::json::parse(R"({
            "contents": [{"role": "user", "parts": [{"text": "Hi"}]}, {"role": "model", "parts": [{"text": "Hello"}]}],
            "systemInstruction": {"parts": [{"text": "Be brief."}]},
            "generationConfig": {"temperature": 0.0, "maxOutputTokens": 256,
                                 "thinkingConfig": {"thinkingBudget": 1024, "includeThoughts": true}}})");
        QCOMPARE(b.dump(), expected.dump());
    }

    void ollamaBody()
    {
        ChatRequest r = request();
        r.params.maxTokens = 128;
        r.params.temperature = 0.7;
        r.params.reasoningEffort = u"none"_qs;
        const auto b = body(built(r, provider(Dialect::Ollama, u"http://localhost:11434"_qs), QString()));
        const auto expected = nlohmann::json::parse(R"({
            "model": "m-1",
            "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}],
            "stream": true, "options": {"temperature": 0.7, "num_predict": 128}, "think": false})");
        QCOMPARE(b.dump(), expected.dump());
    }

    void unknownEffortIsAnError()
    {
        ChatRequest r = request();
        r.params.reasoningEffort = u"extreme"_qs;
        QVERIFY(
            !RequestBuilder::build(r, provider(Dialect::Gemini, u"https://g.example/v1beta"_qs), SecretString(kKey)));
    }

    void plainHttpKey_data()
    {
        QTest::addColumn<QString>("base");
        QTest::addColumn<bool>("withKey");
        QTest::addColumn<bool>("allowInsecure");
        QTest::addColumn<bool>("ok");
        QTest::newRow("remote http + key") << u"http://10.0.0.5:8000/v1"_qs << true << false << false;
        QTest::newRow("unspecified address + key") << u"http://0.0.0.0:8000/v1"_qs << true << false << false;
        QTest::newRow("remote name + key") << u"http://llm.lan/v1"_qs << true << false << false;
        QTest::newRow("remote http + key, consented") << u"http://10.0.0.5:8000/v1"_qs << true << true << true;
        QTest::newRow("remote http, no key") << u"http://10.0.0.5:8000/v1"_qs << false << false << true;
        QTest::newRow("localhost + key") << u"http://localhost:8000/v1"_qs << true << false << true;
        QTest::newRow("127.0.0.2 + key") << u"http://127.0.0.2:8000/v1"_qs << true << false << true;
        QTest::newRow("[::1] + key") << u"http://[::1]:8000/v1"_qs << true << false << true;
        QTest::newRow("https remote + key") << u"https://10.0.0.5/v1"_qs << true << false << true;
    }
    void plainHttpKey()
    {
        QFETCH(QString, base);
        QFETCH(bool, withKey);
        QFETCH(bool, allowInsecure);
        QFETCH(bool, ok);
        ProviderConfig p = provider(Dialect::OpenAIChat, base);
        p.allowInsecureKey = allowInsecure;
        const auto result = RequestBuilder::build(request(), p, withKey ? SecretString(kKey) : SecretString());
        QCOMPARE(result.ok(), ok);
        if (!ok) {
            QVERIFY2(result.error().contains(u"plain HTTP"), qPrintable(result.error()));
            QVERIFY(!result.error().contains(kKey));
        }
    }

    void badBaseUrls_data()
    {
        QTest::addColumn<QString>("base");
        QTest::newRow("credentials") << u"https://user:pass@api.example.com/v1"_qs;
        QTest::newRow("query key") << u"https://api.example.com/v1?key=abc"_qs;
        QTest::newRow("file") << u"file:///etc/passwd"_qs;
        QTest::newRow("javascript") << u"javascript:alert(1)"_qs;
        QTest::newRow("no host") << u"https:///v1"_qs;
    }
    void badBaseUrls()
    {
        QFETCH(QString, base);
        const auto result = RequestBuilder::build(request(), provider(Dialect::OpenAIChat, base), SecretString(kKey));
        QVERIFY(!result);
        QVERIFY(!result.error().contains(kKey));
    }

    void simulatorPlaceholder()
    {
        const ProviderConfig p = provider(Dialect::Anthropic, u"{simulator}/anthropic"_qs);
        QVERIFY(!RequestBuilder::build(request(), p, SecretString()));
        const auto result = RequestBuilder::build(request(), p, SecretString(), u"http://127.0.0.1:4567"_qs);
        QVERIFY(result);
        QCOMPARE(result.value().url.toString(), u"http://127.0.0.1:4567/anthropic/v1/messages"_qs);
        QCOMPARE(result.value().hostKey(), u"http://127.0.0.1:4567"_qs);
    }

    void repeatHeaderOnlyForSimulators_data()
    {
        QTest::addColumn<QString>("base");
        QTest::addColumn<bool>("simulated");
        QTest::addColumn<bool>("expected");
        QTest::newRow("embedded simulator") << u"{simulator}/v1"_qs << false << true;
        QTest::newRow("marked simulated") << u"http://127.0.0.1:18080/v1"_qs << true << true;
        QTest::newRow("real provider") << u"https://api.openai.com/v1"_qs << false << false;
        QTest::newRow("local server") << u"http://127.0.0.1:8080/v1"_qs << false << false;
    }
    void repeatHeaderOnlyForSimulators()
    {
        QFETCH(QString, base);
        QFETCH(bool, simulated);
        QFETCH(bool, expected);
        ProviderConfig p = provider(Dialect::OpenAIChat, base);
        p.simulated = simulated;
        ChatRequest r = request();
        r.repeat = 3;
        const auto result = RequestBuilder::build(r, p, SecretString(kKey), u"http://127.0.0.1:4567"_qs);
        QVERIFY2(result, qPrintable(result.error()));
        QCOMPARE(result.value().hasHeader("x-slopscope-repeat"), expected);
        if (expected)
            QCOMPARE(result.value().header("x-slopscope-repeat"), QByteArray("3"));
        r.repeat = 0;
        const auto first = RequestBuilder::build(r, p, SecretString(kKey), u"http://127.0.0.1:4567"_qs);
        QVERIFY(first);
        QCOMPARE(first.value().header("x-slopscope-repeat"), expected ? QByteArray("0") : QByteArray());
    }

    void keyResolution()
    {
        MapSecrets secrets;
        ProviderConfig p = provider(Dialect::OpenAIChat, u"https://api.example.com/v1"_qs);
        QVERIFY(RequestBuilder::resolveKey(p, secrets).value().isEmpty()); // names no key: none needed
        p.apiKeyEnv = u"EXAMPLE_API_KEY"_qs;
        const auto missing = RequestBuilder::resolveKey(p, secrets);
        QVERIFY(!missing);
        QVERIFY(missing.error().contains(u"EXAMPLE_API_KEY"));
        secrets.values.insert(u"EXAMPLE_API_KEY"_qs, kKey);
        QCOMPARE(revealed(RequestBuilder::resolveKey(p, secrets).value()), kKey);
    }

    // S-14: a header flagged secret is resolved like the key, sent, refused over plain HTTP to a
    // remote host, redacted, and named (never shown) when missing.
    void secretHeaders()
    {
        const QString value = u"pk-CANARY-header-5f1c"_qs;
        MapSecrets secrets;
        ProviderConfig p = provider(Dialect::OpenAIChat, u"https://gateway.example.com/v1"_qs);
        p.secretHeaders.insert(u"X-Portkey-Api-Key"_qs, u"PORTKEY_KEY"_qs);
        const auto missing = RequestBuilder::resolveSecretHeaders(p, secrets);
        QVERIFY(!missing);
        QCOMPARE(missing.error(), u"Provider p: the header X-Portkey-Api-Key needs the secret PORTKEY_KEY: set "
                                  u"PORTKEY_KEY in the environment or store it with \"slopscope-cli keys set "
                                  u"PORTKEY_KEY\""_qs);
        secrets.values.insert(u"PORTKEY_KEY"_qs, value);
        const auto resolved = RequestBuilder::resolveSecretHeaders(p, secrets);
        QVERIFY(resolved);
        const auto built = RequestBuilder::build(request(), p, SecretString(), {}, resolved.value());
        QVERIFY2(built, qPrintable(built.error()));
        QCOMPARE(built.value().header("x-portkey-api-key"), value.toUtf8());
        for (const auto &h : RequestBuilder::redactedHeaders(built.value()))
            QVERIFY2(!h.second.contains(value.toUtf8()), h.first.constData());

        p.baseUrl = u"http://gateway.example.com/v1"_qs;
        const auto insecure = RequestBuilder::build(request(), p, SecretString(), {}, resolved.value());
        QVERIFY(!insecure);
        QCOMPARE(insecure.error(), u"Refusing to send the secret header X-Portkey-Api-Key of provider p over plain "
                                   u"HTTP to gateway.example.com; use https, or mark the provider "
                                   u"\"allow_insecure_key\" if this network is trusted"_qs);
        p.baseUrl = u"http://127.0.0.1:8080/v1"_qs; // loopback: a local gateway is fine
        QVERIFY(RequestBuilder::build(request(), p, SecretString(), {}, resolved.value()));
    }

    // S-1: the key (bare, or as a bearer token) and secret header values are cut from text a server
    // echoed; values too short to be keys are left alone so ordinary text is not mangled.
    void credentialsScrubbedFromText()
    {
        ProviderConfig p = provider(Dialect::OpenAIChat, u"https://api.example.com/v1"_qs);
        p.headers.insert(u"X-Team"_qs, u"research-team-1"_qs); // not secret: stays
        p.secretHeaders.insert(u"X-Gateway-Key"_qs, u"GW"_qs);
        const auto built = RequestBuilder::build(request(), p, SecretString(kKey), {},
                                                 {{u"X-Gateway-Key"_qs, SecretString(u"gw-secret-77")}});
        QVERIFY2(built, qPrintable(built.error()));
        const QString echoed = u"bad key " + kKey + u" (Bearer " + kKey + u") via gw-secret-77 for research-team-1";
        QCOMPARE(RequestBuilder::scrubCredentials(built.value(), echoed),
                 u"bad key *** (Bearer ***) via *** for research-team-1"_qs);
        QCOMPARE(RequestBuilder::scrubCredentials(built.value(), echoed.toUtf8()),
                 QByteArray("bad key *** (Bearer ***) via *** for research-team-1"));

        ProviderConfig anthropic = provider(Dialect::Anthropic, u"https://api.anthropic.com"_qs);
        const auto short_ = RequestBuilder::build(request(), anthropic, SecretString(u"abc"));
        QVERIFY(short_);
        QCOMPARE(RequestBuilder::scrubCredentials(short_.value(), u"abc def"_qs), u"abc def"_qs);
    }

    void environmentSecrets()
    {
        const char *name = "SLOPSCOPE_TEST_ENGINE_KEY";
        qputenv(name, "  sk-env-value \n");
        EnvSecretSource env;
        QCOMPARE(revealed(env.secret(QString::fromLatin1(name))), std::optional<QString>(u"sk-env-value"_qs));
        qunsetenv(name);
        QVERIFY(!env.secret(QString::fromLatin1(name)));
        QVERIFY(!env.secret(QString()));
    }

    void redaction()
    {
        for (Dialect d : {Dialect::OpenAIChat, Dialect::Anthropic, Dialect::Gemini}) {
            const PreparedRequest p = built(request(), provider(d, u"https://api.example.com/v1"_qs));
            const auto headers = RequestBuilder::redactedHeaders(p);
            QCOMPARE(headers.size(), p.headers.size());
            for (const auto &h : headers)
                QVERIFY2(!h.second.contains(kKey.toUtf8()), h.first.constData());
        }
    }

    void estimate()
    {
        ChatRequest r = request();
        r.messages = {{u"user"_qs, QString(400, u'x')}};
        r.params.maxTokens = 50;
        QCOMPARE(RequestBuilder::estimateTokens(r), 100 + 1 + 50);
    }
};

QTEST_GUILESS_MAIN(tst_RequestBuilder)
#include "tst_requestbuilder.moc"
