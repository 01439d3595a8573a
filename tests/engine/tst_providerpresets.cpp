#include "engine/ProviderPresets.h"
#include "engine/RequestBuilder.h"

#include <QSet>
#include <QTest>

using namespace Slopscope;

class tst_ProviderPresets : public QObject
{
    Q_OBJECT

private slots:
    void cloudPresets_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<int>("dialect");
        QTest::addColumn<QString>("keyEnv");
        QTest::addColumn<QString>("url"); // the streaming endpoint for model "m"
        const auto row = [](const char *id, Dialect d, const char *env, const char *url) {
            QTest::newRow(id) << QString::fromLatin1(id) << int(d) << QString::fromLatin1(env)
                              << QString::fromLatin1(url);
        };
        row("openai", Dialect::OpenAIChat, "OPENAI_API_KEY", "https://api.openai.com/v1/chat/completions");
        row("openai-responses", Dialect::OpenAIResponses, "OPENAI_API_KEY", "https://api.openai.com/v1/responses");
        row("anthropic", Dialect::Anthropic, "ANTHROPIC_API_KEY", "https://api.anthropic.com/v1/messages");
        row("gemini", Dialect::Gemini, "GEMINI_API_KEY",
            "https://generativelanguage.googleapis.com/v1beta/models/m:streamGenerateContent?alt=sse");
        row("groq", Dialect::OpenAIChat, "GROQ_API_KEY", "https://api.groq.com/openai/v1/chat/completions");
        row("cerebras", Dialect::OpenAIChat, "CEREBRAS_API_KEY", "https://api.cerebras.ai/v1/chat/completions");
        row("openrouter", Dialect::OpenAIChat, "OPENROUTER_API_KEY", "https://openrouter.ai/api/v1/chat/completions");
        row("together", Dialect::OpenAIChat, "TOGETHER_API_KEY", "https://api.together.xyz/v1/chat/completions");
        row("fireworks", Dialect::OpenAIChat, "FIREWORKS_API_KEY",
            "https://api.fireworks.ai/inference/v1/chat/completions");
        row("deepseek", Dialect::OpenAIChat, "DEEPSEEK_API_KEY", "https://api.deepseek.com/chat/completions");
        row("mistral", Dialect::OpenAIChat, "MISTRAL_API_KEY", "https://api.mistral.ai/v1/chat/completions");
        row("xai", Dialect::OpenAIChat, "XAI_API_KEY", "https://api.x.ai/v1/chat/completions");
    }
    void cloudPresets()
    {
        QFETCH(QString, id);
        QFETCH(int, dialect);
        QFETCH(QString, keyEnv);
        QFETCH(QString, url);
        const ProviderPreset *preset = ProviderPresets::find(id);
        QVERIFY(preset);
        QCOMPARE(int(preset->dialect), dialect);
        QCOMPARE(preset->apiKeyEnv, keyEnv);
        QVERIFY(!preset->local);
        QVERIFY(preset->baseUrl.startsWith(u"https://"));
        QCOMPARE(preset->defaultConcurrency, 8);

        const ProviderConfig config = preset->toProviderConfig();
        QCOMPARE(config.id, id);
        QCOMPARE(config.apiKeyEnv, keyEnv);
        ChatRequest r;
        r.model = u"m"_qs;
        r.messages = {{u"user"_qs, u"hi"_qs}};
        const auto built = RequestBuilder::build(r, config, SecretString(u"k"));
        QVERIFY2(built, qPrintable(built.error()));
        QCOMPARE(built.value().url.toString(QUrl::FullyEncoded), url);
    }

    void openRouterAttribution()
    {
        const ProviderPreset *p = ProviderPresets::find(u"openrouter"_qs);
        QVERIFY(p);
        QCOMPARE(p->headers.value(u"X-Title"_qs), u"Slopscope"_qs);
        QVERIFY(p->headers.contains(u"HTTP-Referer"_qs));
    }

    void localPresets_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<int>("port");
        QTest::addColumn<QString>("discoveryPath");
        QTest::addColumn<QString>("url");
        QTest::newRow("ollama") << u"ollama"_qs << 11434 << u"/api/tags"_qs << u"http://localhost:11434/api/chat"_qs;
        QTest::newRow("llama.cpp") << u"llamacpp"_qs << 8080 << u"/v1/models"_qs
                                   << u"http://localhost:8080/v1/chat/completions"_qs;
        QTest::newRow("vllm") << u"vllm"_qs << 8000 << u"/v1/models"_qs
                              << u"http://localhost:8000/v1/chat/completions"_qs;
        QTest::newRow("lm studio") << u"lmstudio"_qs << 1234 << u"/v1/models"_qs
                                   << u"http://localhost:1234/v1/chat/completions"_qs;
    }
    void localPresets()
    {
        QFETCH(QString, id);
        QFETCH(int, port);
        QFETCH(QString, discoveryPath);
        QFETCH(QString, url);
        const ProviderPreset *p = ProviderPresets::find(id);
        QVERIFY(p);
        QVERIFY(p->local);
        QVERIFY(p->apiKeyEnv.isEmpty());
        QCOMPARE(p->defaultPort, port);
        QCOMPARE(p->discoveryPath, discoveryPath);
        ChatRequest r;
        r.model = u"m"_qs;
        const auto built = RequestBuilder::build(r, p->toProviderConfig(), SecretString());
        QVERIFY(built);
        QCOMPARE(built.value().url.toString(), url);
        QVERIFY(!built.value().hasHeader("authorization"));
    }

    void idsAreUnique()
    {
        QSet<QString> ids;
        for (const auto &p : ProviderPresets::all()) {
            QVERIFY2(!ids.contains(p.id), qPrintable(p.id));
            ids.insert(p.id);
            QVERIFY(!p.displayName.isEmpty());
        }
        QCOMPARE(ProviderPresets::local().size(), 4);
        QVERIFY(!ProviderPresets::find(u"nope"_qs));
    }
};

QTEST_GUILESS_MAIN(tst_ProviderPresets)
#include "tst_providerpresets.moc"
