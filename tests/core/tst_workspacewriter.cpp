// WorkspaceWriter: what it writes reads back field for field, atomically, and holds no key.
#include "core/Workspace.h"
#include "core/WorkspaceWriter.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace Slopscope;

class TestWorkspaceWriter final : public QObject
{
    Q_OBJECT

private slots:
    void demoRoundTrips();
    void fullWorkspaceRoundTrips();
    void defaultsAreLeftOut();
    void saveIsAtomic();
    void keyNeverWritten();
};

namespace {

// Every field the loader reads, compared one by one so a failure names the field.
bool sameWorkspace(const Workspace &a, const Workspace &b, QString *why)
{
    const auto differs = [why](const QString &what) {
        *why = what;
        return false;
    };
    if (a.name != b.name)
        return differs(u"name"_qs);
    if (a.noProxy != b.noProxy)
        return differs(u"no_proxy"_qs);
    if (a.providers.size() != b.providers.size())
        return differs(u"provider count"_qs);
    for (qsizetype i = 0; i < a.providers.size(); ++i) {
        const ProviderConfig &p = a.providers.at(i);
        const ProviderConfig &q = b.providers.at(i);
        const QString at = QStringLiteral("providers[%1].").arg(i);
        if (p.id != q.id || p.dialect != q.dialect || p.baseUrl != q.baseUrl || p.apiKeyEnv != q.apiKeyEnv)
            return differs(at + u"id/dialect/base_url/api_key_env"_qs);
        if (p.maxConcurrency != q.maxConcurrency || p.maxRetries != q.maxRetries)
            return differs(at + u"max_concurrency/retry"_qs);
        const Timeouts &s = p.timeouts;
        const Timeouts &t = q.timeouts;
        if (s.connectMs != t.connectMs || s.firstByteMs != t.firstByteMs || s.firstTokenMs != t.firstTokenMs ||
            s.idleMs != t.idleMs || s.contentIdleMs != t.contentIdleMs || s.totalMs != t.totalMs)
            return differs(at + u"timeouts"_qs);
        if (p.headers != q.headers || p.secretHeaders != q.secretHeaders)
            return differs(at + u"headers"_qs);
        if (p.allowInsecureKey != q.allowInsecureKey || p.simulated != q.simulated || p.proxy != q.proxy)
            return differs(at + u"allow_insecure_key/simulated/proxy"_qs);
        if (p.caFile != q.caFile || p.caCertificates != q.caCertificates)
            return differs(at + u"ca_file"_qs);
    }
    if (a.targets.size() != b.targets.size())
        return differs(u"target count"_qs);
    for (qsizetype i = 0; i < a.targets.size(); ++i) {
        const TargetConfig &s = a.targets.at(i);
        const TargetConfig &t = b.targets.at(i);
        const QString at = QStringLiteral("targets[%1].").arg(i);
        if (s.id != t.id || s.label != t.label || s.providerId != t.providerId || s.model != t.model ||
            s.color != t.color)
            return differs(at + u"id/label/provider/model/color"_qs);
        if (s.price.inputPerMTok != t.price.inputPerMTok || s.price.outputPerMTok != t.price.outputPerMTok ||
            s.price.cachedInputPerMTok != t.price.cachedInputPerMTok ||
            s.price.cacheWritePerMTok != t.price.cacheWritePerMTok ||
            s.price.reasoningPerMTok != t.price.reasoningPerMTok)
            return differs(at + u"price"_qs);
        if (s.params.temperature != t.params.temperature || s.params.maxTokens != t.params.maxTokens ||
            s.params.reasoningEffort != t.params.reasoningEffort)
            return differs(at + u"params"_qs);
    }
    return true;
}

// Every field away from its default, in a folder with a CA file beside it.
QByteArray fullWorkspace()
{
    return R"({"name": "Everything", "no_proxy": ["gpu-box", ".lab.example", "10.0.0.0/8", "vllm.box:8000", "*"],
      "providers": [
        {"id": "corp", "dialect": "anthropic", "base_url": "https://llm.corp.example/v1", "api_key_env": "CORP_KEY",
         "max_concurrency": 9, "allow_insecure_key": true, "simulated": true,
         "timeouts": {"connect_ms": 11, "first_byte_ms": 12, "first_token_ms": 13, "idle_ms": 14,
                      "content_idle_ms": 15, "total_ms": 16},
         "retry": {"max_retries": 7},
         "headers": {"X-Team": "evals", "X-Portkey-Api-Key": {"secret": "PORTKEY_KEY"}},
         "ca_file": "certs/corp.pem", "proxy": "http://proxy.corp:3128"},
        {"id": "sim", "dialect": "gemini", "base_url": "{simulator}/gemini", "proxy": "none", "simulated": false},
        {"id": "local", "dialect": "ollama", "base_url": "http://127.0.0.1:11434", "retry": {"max_retries": 0}}
      ],
      "targets": [
        {"id": "a", "label": "Model A", "provider": "corp", "model": "claude-x", "color": "#123456",
         "price": {"input_per_mtok": 3, "output_per_mtok": 15.5, "cached_input_per_mtok": 0.3,
                   "cache_write_per_mtok": 3.75, "reasoning_per_mtok": 0},
         "params": {"temperature": 0.7, "max_tokens": 2048, "reasoning_effort": "high"}},
        {"id": "b", "provider": "sim", "model": "gemini-y", "params": {"temperature": 0}},
        {"id": "c", "provider": "local", "model": "llama", "price": {"output_per_mtok": 0.1}}
      ]})";
}

} // namespace

void TestWorkspaceWriter::demoRoundTrips()
{
    const Workspace demo = Workspace::demo();
    QVERIFY(!demo.providers.isEmpty());
    auto back = Workspace::fromJson(workspaceToBytes(demo), u"demo.json"_qs);
    QVERIFY2(back.ok(), qPrintable(back.error()));
    QString why;
    QVERIFY2(sameWorkspace(demo, back.value(), &why), qPrintable(why));
}

void TestWorkspaceWriter::fullWorkspaceRoundTrips()
{
    QTemporaryDir dir;
    QVERIFY(QDir(dir.path()).mkpath(u"certs"_qs));
    QVERIFY(QFile::copy(QStringLiteral(SLOPSCOPE_TEST_DATA "/engine/test-ca-cert.pem"),
                        dir.filePath(u"certs/corp.pem"_qs)));
    QFile source(dir.filePath(u"ws.json"_qs));
    QVERIFY(source.open(QIODevice::WriteOnly));
    source.write(fullWorkspace());
    source.close();
    auto loaded = Workspace::fromFile(source.fileName());
    QVERIFY2(loaded.ok(), qPrintable(loaded.error()));
    // The fixture really is away from the defaults, or the round trip would prove little.
    QCOMPARE(loaded.value().providers.at(0).timeouts.totalMs, 16);
    QVERIFY(loaded.value().providers.at(0).simulated);
    QVERIFY(!loaded.value().providers.at(1).simulated);
    QCOMPARE(loaded.value().noProxy.size(), 5);

    const QString copy = dir.filePath(u"copy.json"_qs);
    const Status saved = saveWorkspace(loaded.value(), copy);
    QVERIFY2(saved.ok(), qPrintable(saved.error()));
    auto back = Workspace::fromFile(copy);
    QVERIFY2(back.ok(), qPrintable(back.error()));
    QString why;
    QVERIFY2(sameWorkspace(loaded.value(), back.value(), &why), qPrintable(why));
    // Beside the file, the CA stays relative so the folder can move.
    QFile written(copy);
    QVERIFY(written.open(QIODevice::ReadOnly));
    QVERIFY(written.readAll().contains(R"("ca_file": "certs/corp.pem")"));
}

void TestWorkspaceWriter::defaultsAreLeftOut()
{
    auto ws = Workspace::fromJson(R"({"providers": [{"id": "p", "dialect": "openai-chat",
        "base_url": "http://127.0.0.1:1/v1"}], "targets": [{"id": "t", "provider": "p", "model": "m"}]})",
                                  u"min.json"_qs);
    QVERIFY2(ws.ok(), qPrintable(ws.error()));
    const nlohmann::json doc = workspaceToJson(ws.value());
    const nlohmann::json &provider = doc["providers"][0];
    QVERIFY(!provider.contains("timeouts"));
    QVERIFY(!provider.contains("retry"));
    QVERIFY(!provider.contains("max_concurrency"));
    QVERIFY(!provider.contains("simulated"));
    QVERIFY(!doc["targets"][0].contains("label"));
    QVERIFY(!doc["targets"][0].contains("price"));
    QVERIFY(!doc.contains("no_proxy"));
}

void TestWorkspaceWriter::saveIsAtomic()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"ws.json"_qs);
    QFile old(path);
    QVERIFY(old.open(QIODevice::WriteOnly));
    old.write("the old file\n");
    old.close();
    // A folder that cannot be written: the save fails, naming the path, and the old file stays.
    QVERIFY(QFile::setPermissions(dir.path(), QFile::ReadOwner | QFile::ExeOwner));
    const Status failed = saveWorkspace(Workspace::demo(), path);
    QVERIFY(QFile::setPermissions(dir.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
    // As root the permissions do not stop the write; the missing folder below still fails.
    if (!failed.ok()) {
        QVERIFY(failed.error().contains(QDir::toNativeSeparators(path)));
        QVERIFY(old.open(QIODevice::ReadOnly));
        QCOMPARE(old.readAll(), QByteArray("the old file\n"));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{u"ws.json"_qs});
        old.close();
    }
    const QString nowhere = dir.filePath(u"missing/ws.json"_qs);
    const Status noFolder = saveWorkspace(Workspace::demo(), nowhere);
    QVERIFY(!noFolder.ok());
    QVERIFY(noFolder.error().contains(QDir::toNativeSeparators(nowhere)));
    // And a successful save replaces the file whole.
    QVERIFY(saveWorkspace(Workspace::demo(), path).ok());
    QVERIFY(old.open(QIODevice::ReadOnly));
    QVERIFY(Workspace::fromJson(old.readAll(), path).ok());
    // No temporary file is left beside it.
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{u"ws.json"_qs});
}

void TestWorkspaceWriter::keyNeverWritten()
{
    const QByteArray canary = "sk-CANARY-" + QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
    qputenv("CORP_KEY", canary);
    qputenv("PORTKEY_KEY", canary);
    auto ws = Workspace::fromJson(fullWorkspace().replace(R"("ca_file": "certs/corp.pem", )", ""), u"ws.json"_qs);
    QVERIFY2(ws.ok(), qPrintable(ws.error()));
    const QByteArray bytes = workspaceToBytes(ws.value());
    qunsetenv("CORP_KEY");
    qunsetenv("PORTKEY_KEY");
    QVERIFY(!bytes.contains(canary));
    QVERIFY(!bytes.contains("sk-CANARY"));
    // The names are written, so the key is found again at run time.
    QVERIFY(bytes.contains(R"("api_key_env": "CORP_KEY")"));
    QVERIFY(bytes.contains(R"({"secret": "PORTKEY_KEY"})") || bytes.contains(R"("secret": "PORTKEY_KEY")"));
}

QTEST_GUILESS_MAIN(TestWorkspaceWriter)
#include "tst_workspacewriter.moc"
