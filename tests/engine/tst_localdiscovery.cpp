#include "FakeProvider.h"

#include "engine/LocalDiscovery.h"
#include "engine/ProviderPresets.h"

#include <QTcpServer>
#include <QTest>

using namespace Slopscope;
using namespace Slopscope::Test;

namespace {

FakeResponse json(const QByteArray &body)
{
    FakeResponse r;
    r.headers = {{"Content-Type", "application/json"}};
    r.pieces = {{0, body}};
    r.chunked = false;
    return r;
}

} // namespace

class tst_LocalDiscovery : public QObject
{
    Q_OBJECT

private slots:
    void parse_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QStringList>("models");
        QTest::newRow("ollama tags")
            << QByteArray(
                   R"({"models":[{"name":"llama3.2:latest","model":"llama3.2:latest","size":1},{"name":"qwen3:8b"}]})")
            << true << QStringList{u"llama3.2:latest"_qs, u"qwen3:8b"_qs};
        QTest::newRow("openai models") << QByteArray(
                                              R"({"object":"list","data":[{"id":"Qwen/Qwen3-8B","object":"model"}]})")
                                       << true << QStringList{u"Qwen/Qwen3-8B"_qs};
        QTest::newRow("llama.cpp both") << QByteArray(R"({"models":[{"model":"a.gguf"}],"data":[{"id":"a.gguf"}]})")
                                        << true << QStringList{u"a.gguf"_qs};
        QTest::newRow("empty list") << QByteArray(R"({"data":[]})") << true << QStringList{};
        QTest::newRow("odd entries skipped")
            << QByteArray(R"({"data":[1,{"id":2},{"id":"x"}]})") << true << QStringList{u"x"_qs};
        QTest::newRow("not json") << QByteArray("<html>") << false << QStringList{};
        QTest::newRow("no list") << QByteArray(R"({"status":"ok"})") << false << QStringList{};
    }
    void parse()
    {
        QFETCH(QByteArray, body);
        QFETCH(bool, ok);
        QFETCH(QStringList, models);
        const auto r = LocalDiscovery::parseModels(body);
        QCOMPARE(r.ok(), ok);
        if (ok)
            QCOMPARE(r.value(), models);
    }

    void defaultProbesAreTheLocalPresets()
    {
        LocalDiscovery d;
        QCOMPARE(d.probes().size(), 4);
        QCOMPARE(d.probes().first().port, 11434);
        QCOMPARE(d.probes().first().preset.discoveryPath, u"/api/tags"_qs);
    }

    void discoversServersOnEphemeralPorts()
    {
        FakeProvider ollama;
        QVERIFY(ollama.listen());
        ollama.enqueue(json(R"({"models":[{"name":"llama3.2:latest"}]})"));
        FakeProvider vllm;
        QVERIFY(vllm.listen());
        vllm.enqueue(json(R"({"object":"list","data":[{"id":"Qwen/Qwen3-8B"}]})"));
        FakeProvider broken; // answers, but not with a model list
        QVERIFY(broken.listen());
        broken.enqueue(FakeResponse::error(404, "not here"));
        FakeProvider silent; // accepts and never answers: the short timeout must end it
        QVERIFY(silent.listen());
        FakeResponse none;
        none.noResponse = true;
        silent.enqueue(none);
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
        const int closedPort = closed.serverPort();
        closed.close();

        const ProviderPreset *o = ProviderPresets::find(u"ollama"_qs);
        const ProviderPreset *v = ProviderPresets::find(u"vllm"_qs);
        const ProviderPreset *l = ProviderPresets::find(u"lmstudio"_qs);
        const ProviderPreset *c = ProviderPresets::find(u"llamacpp"_qs);
        LocalDiscovery discovery;
        discovery.setTimeoutMs(1000);
        discovery.setProbes(
            {{*c, silent.port()}, {*o, ollama.port()}, {*l, closedPort}, {*v, vllm.port()}, {*c, broken.port()}});
        std::optional<QList<DiscoveredServer>> found;
        connect(&discovery, &LocalDiscovery::finished, this, [&](const QList<DiscoveredServer> &s) { found = s; });
        discovery.start();
        QVERIFY(discovery.isRunning());
        QTRY_VERIFY_WITH_TIMEOUT(found.has_value(), 5000);
        QVERIFY(!discovery.isRunning());
        QCOMPARE(found->size(), 2);
        const DiscoveredServer &first = found->at(0);
        QCOMPARE(first.presetId, u"ollama"_qs);
        QCOMPARE(first.dialect, Dialect::Ollama);
        QCOMPARE(first.baseUrl, QStringLiteral("http://localhost:%1").arg(ollama.port()));
        QCOMPARE(first.models, QStringList{u"llama3.2:latest"_qs});
        const DiscoveredServer &second = found->at(1);
        QCOMPARE(second.presetId, u"vllm"_qs);
        QCOMPARE(second.baseUrl, QStringLiteral("http://localhost:%1/v1").arg(vllm.port()));
        QCOMPARE(second.models, QStringList{u"Qwen/Qwen3-8B"_qs});
        QCOMPARE(second.toProviderConfig().dialect, Dialect::OpenAIChat);
        QVERIFY(second.toProviderConfig().apiKeyEnv.isEmpty());

        QCOMPARE(ollama.requests().first().method, QByteArray("GET"));
        QCOMPARE(ollama.requests().first().target, QByteArray("/api/tags"));
        QCOMPARE(vllm.requests().first().target, QByteArray("/v1/models"));
        QCOMPARE(silent.requestCount(), 1);
    }

    void nothingToProbe()
    {
        LocalDiscovery d;
        d.setProbes({});
        std::optional<QList<DiscoveredServer>> found;
        connect(&d, &LocalDiscovery::finished, this, [&](const QList<DiscoveredServer> &s) { found = s; });
        d.start();
        QTRY_VERIFY(found.has_value());
        QVERIFY(found->isEmpty());
    }
};

QTEST_GUILESS_MAIN(tst_LocalDiscovery)
#include "tst_localdiscovery.moc"
