#include "core/Workspace.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Slopscope;

Q_DECLARE_METATYPE(Slopscope::TargetConfig)

class TestWorkspace final : public QObject
{
    Q_OBJECT

private slots:
    void minimalWorkspaceLoads();
    void demoWorkspaceIsValid();
    void rejectsBadInput_data();
    void rejectsBadInput();
    void proxyChoiceIsRead();
    void bypassListIsReadAndChecked_data();
    void bypassListIsReadAndChecked();
    void providerProblemChecksTheProxy();
    void secretHeadersAreNamesNotValues();
    void malformedJsonNamesLineAndColumn();
    void fieldErrorsNameLineAndColumn();
    void everyTopLevelAndNestedKeyIsChecked();
    void caFileIsReadBesideTheWorkspace();
    void badCaFileIsNamed_data();
    void badCaFileIsNamed();
    void addTargetAppliesTheLoadersChecks_data();
    void addTargetAppliesTheLoadersChecks();
    void addProviderAndTargetThenRemove();
};

void TestWorkspace::minimalWorkspaceLoads()
{
    // The example from the CLI issue, verbatim.
    const QByteArray doc =
        R"({"providers": [{"id": "local", "dialect": "openai-chat", "base_url": "http://127.0.0.1:18080/v1",
        "api_key_env": "LOCAL_KEY", "max_concurrency": 8, "timeouts": {"idle_ms": 300}, "retry": {"max_retries": 5}}],
        "targets": [{"id": "fast", "provider": "local", "model": "gpt-oss-120b",
        "price": {"input_per_mtok": 0.25, "output_per_mtok": 0.69}, "params": {"temperature": 0, "max_tokens": 512}}]})";
    auto ws = Workspace::fromJson(doc, QStringLiteral("ws.json"));
    QVERIFY2(ws.ok(), qPrintable(ws.error()));
    QCOMPARE(ws.value().providers.size(), 1);
    const ProviderConfig &p = ws.value().providers.first();
    QCOMPARE(p.dialect, Dialect::OpenAIChat);
    QCOMPARE(p.maxConcurrency, 8);
    QCOMPARE(p.apiKeyEnv, QStringLiteral("LOCAL_KEY"));
    QCOMPARE(p.timeouts.idleMs, 300);
    QCOMPARE(p.timeouts.connectMs, Timeouts{}.connectMs);
    QCOMPARE(p.maxRetries, 5);
    QVERIFY(!p.simulated);
    const TargetConfig *t = ws.value().target(QStringLiteral("fast"));
    QVERIFY(t);
    QCOMPARE(t->model, QStringLiteral("gpt-oss-120b"));
    QCOMPARE(t->price.inputPerMTok.value(), 0.25);
    QCOMPARE(t->price.outputPerMTok.value(), 0.69);
    QVERIFY(!t->price.cachedInputPerMTok.has_value()); // unknown, not zero
    QCOMPARE(t->params.maxTokens.value(), 512);
    QCOMPARE(t->params.temperature.value(), 0.0);
    QCOMPARE(t->label, QStringLiteral("fast"));
    QCOMPARE(t->color.size(), 7);
}

void TestWorkspace::demoWorkspaceIsValid()
{
    auto ws = Workspace::fromFile(QStringLiteral(":/slopscope/demo/workspace.json"));
    QVERIFY2(ws.ok(), qPrintable(ws.error()));
    QVERIFY(ws.value().targets.size() >= 6);
    QSet<QString> dialects;
    for (const auto &p : ws.value().providers) {
        QVERIFY2(p.usesEmbeddedSimulator(), qPrintable(p.id));
        QVERIFY(p.simulated);
        dialects.insert(dialectName(p.dialect));
    }
    QVERIFY(dialects.contains(QStringLiteral("anthropic")));
    QVERIFY(dialects.contains(QStringLiteral("gemini")));
    QVERIFY(dialects.contains(QStringLiteral("ollama")));
    for (const auto &t : ws.value().targets)
        QVERIFY2(t.label.contains(QStringLiteral("simulated")), qPrintable(t.id));
}

void TestWorkspace::rejectsBadInput_data()
{
    QTest::addColumn<QByteArray>("doc");
    QTest::addColumn<QString>("expected");

    const QByteArray target = R"({"id": "t", "provider": "p", "model": "m"})";
    auto ws = [&](const QByteArray &provider, const QByteArray &targets = QByteArray()) -> QByteArray {
        return "{\"providers\": [" + provider + "], \"targets\": [" + (targets.isNull() ? target : targets) + "]}";
    };
    const QByteArray good = R"({"id": "p", "dialect": "openai-chat", "base_url": "http://127.0.0.1:1/v1"})";

    QTest::newRow("not an object") << QByteArray("[]") << QStringLiteral("must be a JSON object");
    QTest::newRow("no providers") << QByteArray(R"({"targets": []})") << QStringLiteral("providers: missing");
    QTest::newRow("key in file")
        << ws(R"({"id": "p", "dialect": "openai-chat", "base_url": "http://x/v1", "api_key": "sk-CANARY"})")
        << QStringLiteral("never read from workspace files");
    QTest::newRow("unknown dialect") << ws(R"({"id": "p", "dialect": "openai", "base_url": "http://x/v1"})")
                                     << QStringLiteral("providers[0].dialect: unknown dialect \"openai\"");
    QTest::newRow("bad url") << ws(R"({"id": "p", "dialect": "ollama", "base_url": "ftp://x"})")
                             << QStringLiteral("providers[0].base_url: \"ftp://x\" is not an http(s) URL");
    QTest::newRow("wrong type") << ws(R"({"id": 7, "dialect": "ollama", "base_url": "http://x"})")
                                << QStringLiteral("providers[0].id: expected a string");
    QTest::newRow("concurrency range")
        << ws(R"({"id": "p", "dialect": "ollama", "base_url": "http://x", "max_concurrency": 0})")
        << QStringLiteral("providers[0].max_concurrency: 0 is out of range");
    QTest::newRow("timeout type")
        << ws(R"({"id": "p", "dialect": "ollama", "base_url": "http://x", "timeouts": {"idle_ms": "5"}})")
        << QStringLiteral("providers[0].timeouts.idle_ms: expected an integer");
    QTest::newRow("duplicate provider") << ws(good + "," + good) << QStringLiteral("duplicate provider id \"p\"");
    QTest::newRow("dangling provider") << ws(good, R"({"id": "t", "provider": "q", "model": "m"})")
                                       << QStringLiteral("targets[0].provider: no provider with id \"q\"");
    QTest::newRow("duplicate target") << ws(good, target + "," + target)
                                      << QStringLiteral("targets[1].id: duplicate target id");
    QTest::newRow("negative price")
        << ws(good, R"({"id": "t", "provider": "p", "model": "m", "price": {"input_per_mtok": -1}})")
        << QStringLiteral("targets[0].price.input_per_mtok: a price cannot be negative");
    QTest::newRow("temperature") << ws(good,
                                       R"({"id": "t", "provider": "p", "model": "m", "params": {"temperature": 3}})")
                                 << QStringLiteral(
                                        "targets[0].params.temperature: temperature must be between 0 and 2");
    QTest::newRow("misspelt provider key")
        << ws(R"({"id": "p", "dialect": "ollama", "base_url": "http://x", "max_concurency": 8})")
        << QStringLiteral("providers[0].max_concurency: unknown key (expected one of: id, dialect");
    QTest::newRow("misspelt timeout")
        << ws(R"({"id": "p", "dialect": "ollama", "base_url": "http://x", "timeouts": {"idle": 5}})")
        << QStringLiteral("providers[0].timeouts.idle: unknown key");
    QTest::newRow("misspelt price") << ws(good, R"({"id": "t", "provider": "p", "model": "m", "price": {"input": 1}})")
                                    << QStringLiteral("targets[0].price.input: unknown key");
    QTest::newRow("colour") << ws(good, R"({"id": "t", "provider": "p", "model": "m", "color": "not-a-colour"})")
                            << QStringLiteral("targets[0].color");
    QTest::newRow("proxy credentials")
        << ws(R"({"id": "p", "dialect": "ollama", "base_url": "http://x", "proxy": "http://bob:hunter2@gate:3128"})")
        << QStringLiteral("providers[0].proxy: proxy credentials are secrets and are not read from workspace files");
    QTest::newRow("secret header, not a name")
        << ws(R"({"id": "p", "dialect": "ollama", "base_url": "http://x", "headers": {"X-Key": {"secret": 5}}})")
        << QStringLiteral("providers[0].headers.X-Key: expected a string, or {\"secret\": \"NAME\"}");
    QTest::newRow("secret header, extra key")
        << ws(R"({"id": "p", "dialect": "ollama", "base_url": "http://x",
                  "headers": {"X-Key": {"secret": "K", "value": "hunter2"}}})")
        << QStringLiteral("providers[0].headers.X-Key: expected a string, or {\"secret\": \"NAME\"}");
    QTest::newRow("header name with a space")
        << ws(R"({"id": "p", "dialect": "ollama", "base_url": "http://x", "headers": {"X Team": "evals"}})")
        << QStringLiteral("providers[0].headers: \"X Team\" is not a header name");
    QTest::newRow("header value with a line break")
        << ws(R"({"id": "p", "dialect": "ollama", "base_url": "http://x", "headers": {"X-Team": "a\r\nX-Evil: 1"}})")
        << QStringLiteral("providers[0].headers.X-Team: a header value cannot contain a line break");
    QTest::newRow("header both plain and secret")
        << ws(R"({"id": "p", "dialect": "ollama", "base_url": "http://x",
                  "headers": {"x-key": "plain", "X-Key": {"secret": "K"}}})")
        << QStringLiteral("providers[0].headers.X-Key: is both a plain and a secret header");
    QTest::newRow("proxy not a URL")
        << ws(R"({"id": "p", "dialect": "ollama", "base_url": "http://x", "proxy": "http://"})")
        << QStringLiteral("providers[0].proxy: not a proxy URL");
}

void TestWorkspace::rejectsBadInput()
{
    QFETCH(QByteArray, doc);
    QFETCH(QString, expected);
    auto ws = Workspace::fromJson(doc, QStringLiteral("bad.json"));
    QVERIFY(!ws.ok());
    QVERIFY2(ws.error().startsWith(QStringLiteral("bad.json")), qPrintable(ws.error()));
    QVERIFY2(ws.error().contains(expected), qPrintable(ws.error()));
    QVERIFY2(!ws.error().contains(u"hunter2"_qs), qPrintable(ws.error()));
}

void TestWorkspace::secretHeadersAreNamesNotValues()
{
    const QByteArray doc = R"({"providers": [{"id": "gw", "dialect": "openai-chat", "base_url": "https://gw.example/v1",
        "headers": {"X-Team": "evals", "X-Portkey-Api-Key": {"secret": "PORTKEY_KEY"}}}], "targets": []})";
    auto ws = Workspace::fromJson(doc, QStringLiteral("headers.json"));
    QVERIFY2(ws.ok(), qPrintable(ws.error()));
    const ProviderConfig &p = ws.value().providers.first();
    QCOMPARE(p.headers, (QHash<QString, QString>{{u"X-Team"_qs, u"evals"_qs}}));
    QCOMPARE(p.secretHeaders, (QHash<QString, QString>{{u"X-Portkey-Api-Key"_qs, u"PORTKEY_KEY"_qs}}));
}

void TestWorkspace::proxyChoiceIsRead()
{
    const QByteArray doc = R"({"providers": [
        {"id": "lan", "dialect": "ollama", "base_url": "http://gpu.lan:11434", "proxy": "none"},
        {"id": "eu", "dialect": "openai-chat", "base_url": "https://eu.example/v1", "proxy": " http://gate:3128 "},
        {"id": "env", "dialect": "openai-chat", "base_url": "https://api.example/v1"}],
        "targets": []})";
    auto ws = Workspace::fromJson(doc, QStringLiteral("proxy.json"));
    QVERIFY2(ws.ok(), qPrintable(ws.error()));
    QCOMPARE(ws.value().providers.value(0).proxy, u"none"_qs);
    QCOMPARE(ws.value().providers.value(1).proxy, u"http://gate:3128"_qs);
    QVERIFY(ws.value().providers.value(2).proxy.isEmpty());
}

void TestWorkspace::bypassListIsReadAndChecked_data()
{
    QTest::addColumn<QByteArray>("list");
    QTest::addColumn<QString>("error"); // empty: accepted
    QTest::newRow("entries") << QByteArray(R"([" gpu-box ", ".lan", "10.0.0.0/8", "[fd00::1]:8000", "*"])") << QString();
    QTest::newRow("empty list") << QByteArray("[]") << QString();
    QTest::newRow("not a list") << QByteArray(R"("a,b")") << u"no_proxy"_qs;
    QTest::newRow("not a string") << QByteArray("[1]") << u"no_proxy[0]: expected a string"_qs;
    QTest::newRow("blank") << QByteArray(R"(["a", "  "])") << u"no_proxy[1]: an empty entry"_qs;
    QTest::newRow("comma") << QByteArray(R"(["a,b"])") << u"no_proxy[0]"_qs;
    QTest::newRow("space") << QByteArray(R"(["a b"])") << u"no spaces or commas"_qs;
}

void TestWorkspace::bypassListIsReadAndChecked()
{
    QFETCH(QByteArray, list);
    QFETCH(QString, error);
    auto ws = Workspace::fromJson(R"({"providers": [], "targets": [], "no_proxy": )" + list + "}", u"np.json"_qs);
    if (!error.isEmpty()) {
        QVERIFY(!ws.ok());
        QVERIFY2(ws.error().contains(error), qPrintable(ws.error()));
        return;
    }
    QVERIFY2(ws.ok(), qPrintable(ws.error()));
    if (list != "[]")
        QCOMPARE(ws.value().noProxy,
                 QStringList({u"gpu-box"_qs, u".lan"_qs, u"10.0.0.0/8"_qs, u"[fd00::1]:8000"_qs, u"*"_qs}));
    else
        QVERIFY(ws.value().noProxy.isEmpty());
}

void TestWorkspace::malformedJsonNamesLineAndColumn()
{
    const QByteArray doc = "{\n  \"providers\": [],\n  \"targets\": [,]\n}";
    auto ws = Workspace::fromJson(doc, QStringLiteral("broken.json"));
    QVERIFY(!ws.ok());
    QVERIFY2(ws.error().startsWith(QStringLiteral("broken.json:3:15: invalid JSON")), qPrintable(ws.error()));
}

void TestWorkspace::fieldErrorsNameLineAndColumn()
{
    const QByteArray doc = "{\n"
                           "  \"providers\": [\n"
                           "    {\"id\": \"p\", \"dialect\": \"ollama\", \"base_url\": \"http://x\",\n"
                           "     \"timeouts\": {\"idle_ms\": -4}}\n"
                           "  ],\n"
                           "  \"targets\": []\n"
                           "}\n";
    auto ws = Workspace::fromJson(doc, QStringLiteral("team.json"));
    QVERIFY(!ws.ok());
    // Line 4, column 30: where the value -4 sits.
    QVERIFY2(ws.error().startsWith(QStringLiteral("team.json:4:30: providers[0].timeouts.idle_ms")),
             qPrintable(ws.error()));
}

void TestWorkspace::everyTopLevelAndNestedKeyIsChecked()
{
    auto ws = Workspace::fromJson(R"({"providers": [], "targets": [], "extra": 1})", QStringLiteral("x.json"));
    QVERIFY(!ws.ok());
    QVERIFY2(ws.error().startsWith(QStringLiteral("x.json:1:")), qPrintable(ws.error()));
    QVERIFY2(ws.error().contains(QStringLiteral("extra: unknown key")), qPrintable(ws.error()));
    // Keys are still refused with the dedicated message, not as an unknown key.
    ws = Workspace::fromJson(
        R"({"providers": [{"id": "p", "dialect": "ollama", "base_url": "http://x", "api_key": "sk-CANARY"}], "targets": []})",
        QStringLiteral("x.json"));
    QVERIFY(ws.error().contains(QStringLiteral("never read from workspace files")));
    QVERIFY(!ws.error().contains(QStringLiteral("sk-CANARY")));
}

namespace {

QByteArray workspaceWithCaFile(const QString &caFile)
{
    return QStringLiteral(
               R"({"providers": [{"id": "corp", "dialect": "openai-chat", "base_url": "https://llm.corp.example/v1",
        "api_key_env": "CORP_KEY", "ca_file": "%1"}],
        "targets": [{"id": "t", "provider": "corp", "model": "m"}]})")
        .arg(caFile)
        .toUtf8();
}

} // namespace

// A provider's own CA (RELIABILITY S-5, F-16): the path is relative to the workspace file and the
// certificates are read at load, so a run never finds the file gone or changed half-way.
// The GUI validates edits with providerProblem: it must hold the proxy to the loader's rules.
void TestWorkspace::providerProblemChecksTheProxy()
{
    ProviderConfig p;
    p.id = QStringLiteral("p");
    p.baseUrl = QStringLiteral("https://api.example.test/v1");
    for (const char *fine : {"", "none", "NONE", "http://proxy.corp:3128", "proxy.corp:3128"}) {
        p.proxy = QString::fromLatin1(fine);
        QVERIFY2(Workspace::providerProblem(p, u"providers[0]"_qs).isEmpty(), fine);
    }
    p.proxy = QStringLiteral("http://user:pw-7f3a@proxy.corp:3128");
    const QString credentials = Workspace::providerProblem(p, u"providers[0]"_qs);
    QVERIFY(credentials.startsWith(QStringLiteral("providers[0].proxy: proxy credentials")));
    QVERIFY(!credentials.contains(QStringLiteral("pw-7f3a"))); // never echoed
    p.proxy = QStringLiteral("http://");
    QVERIFY(Workspace::providerProblem(p, u"providers[0]"_qs)
                .startsWith(QStringLiteral("providers[0].proxy: not a proxy URL")));
}

void TestWorkspace::caFileIsReadBesideTheWorkspace()
{
    QTemporaryDir dir;
    QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("certs")));
    QVERIFY(QFile::copy(QStringLiteral(SLOPSCOPE_TEST_DATA "/engine/test-ca-cert.pem"),
                        dir.filePath(u"certs/corp.pem"_qs)));
    QFile file(dir.filePath(u"ws.json"_qs));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(workspaceWithCaFile(QStringLiteral("certs/corp.pem")));
    file.close();
    auto ws = Workspace::fromFile(file.fileName());
    QVERIFY2(ws.ok(), qPrintable(ws.error()));
    const ProviderConfig &p = ws.value().providers.first();
    QCOMPARE(p.caFile, dir.filePath(u"certs/corp.pem"_qs));
    QVERIFY(p.caCertificates.startsWith("-----BEGIN CERTIFICATE-----"));
}

void TestWorkspace::badCaFileIsNamed_data()
{
    QTest::addColumn<QByteArray>("content"); // empty: no file at all
    QTest::addColumn<QString>("error");
    QTest::newRow("missing") << QByteArray() << u"providers[0].ca_file: cannot read %1: No such file or directory"_qs;
    QTest::newRow("not a certificate") << QByteArray("just some text\n")
                                       << u"providers[0].ca_file: %1 holds no PEM certificate"_qs;
    QTest::newRow("a key, not a certificate")
        << QByteArray("-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----\n")
        << u"providers[0].ca_file: %1 holds no PEM certificate"_qs;
}

void TestWorkspace::badCaFileIsNamed()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, error);
    QTemporaryDir dir;
    const QString ca = dir.filePath(u"ca.pem"_qs);
    if (!content.isEmpty()) {
        QFile file(ca);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(content);
    }
    const auto ws = Workspace::fromJson(workspaceWithCaFile(QStringLiteral("ca.pem")), dir.filePath(u"ws.json"_qs));
    QVERIFY(!ws.ok());
    QVERIFY2(ws.error().contains(error.arg(QDir::toNativeSeparators(ca))), qPrintable(ws.error()));
    QVERIFY2(ws.error().startsWith(dir.filePath(u"ws.json"_qs)), qPrintable(ws.error())); // the file, then line:column
}

namespace {

Workspace oneProvider()
{
    Workspace ws;
    ProviderConfig p;
    p.id = QStringLiteral("p");
    p.baseUrl = QStringLiteral("http://127.0.0.1:1/v1");
    ws.providers.append(p);
    TargetConfig t;
    t.id = QStringLiteral("t");
    t.providerId = QStringLiteral("p");
    t.model = QStringLiteral("m");
    t.color = Workspace::paletteColor(0);
    ws.targets.append(t);
    return ws;
}

TargetConfig goodTarget()
{
    TargetConfig t;
    t.id = QStringLiteral("new");
    t.label = QStringLiteral("New");
    t.providerId = QStringLiteral("p");
    t.model = QStringLiteral("m2");
    t.color = QStringLiteral("#112233");
    return t;
}

} // namespace

void TestWorkspace::addTargetAppliesTheLoadersChecks_data()
{
    QTest::addColumn<TargetConfig>("target");
    QTest::addColumn<QString>("error");
    TargetConfig t = goodTarget();
    QTest::newRow("valid") << t << QString();
    t = goodTarget();
    t.id = QStringLiteral("t");
    QTest::newRow("duplicate id") << t << QStringLiteral("targets[1].id: duplicate target id \"t\"");
    t = goodTarget();
    t.model = QStringLiteral("  ");
    QTest::newRow("empty model") << t << QStringLiteral("targets[1].model: a target needs a model");
    t = goodTarget();
    t.id.clear();
    QTest::newRow("empty id") << t << QStringLiteral("targets[1].id: a target needs an id");
    t = goodTarget();
    t.providerId = QStringLiteral("nope");
    QTest::newRow("unknown provider") << t << QStringLiteral("targets[1].provider: no provider with id \"nope\"");
    t = goodTarget();
    t.color = QStringLiteral("red");
    QTest::newRow("colour") << t << QStringLiteral("targets[1].color: \"red\" is not a colour of the form #rrggbb");
    t = goodTarget();
    t.price.outputPerMTok = -1;
    QTest::newRow("negative price") << t
                                    << QStringLiteral("targets[1].price.output_per_mtok: a price cannot be negative");
    t = goodTarget();
    t.params.temperature = 2.5;
    QTest::newRow("temperature") << t
                                 << QStringLiteral(
                                        "targets[1].params.temperature: temperature must be between 0 and 2");
    t = goodTarget();
    t.params.maxTokens = 0;
    QTest::newRow("max tokens") << t << QStringLiteral("targets[1].params.max_tokens: must be between 1 and 10000000");
}

void TestWorkspace::addTargetAppliesTheLoadersChecks()
{
    QFETCH(TargetConfig, target);
    QFETCH(QString, error);
    Workspace ws = oneProvider();
    const Status added = ws.addTarget(target);
    QCOMPARE(added.error(), error);
    QCOMPARE(ws.targets.size(), error.isEmpty() ? 2 : 1); // nothing changes on error
    if (error.isEmpty())
        QCOMPARE(ws.targets.last().model, target.model);
}

void TestWorkspace::addProviderAndTargetThenRemove()
{
    Workspace ws = oneProvider();
    ProviderConfig bad;
    bad.id = QStringLiteral("q");
    bad.baseUrl = QStringLiteral("ftp://x");
    QCOMPARE(ws.addProvider(bad).error(), QStringLiteral("providers[1].base_url: \"ftp://x\" is not an http(s) URL"));
    ProviderConfig dup = ws.providers.first();
    QCOMPARE(ws.addProvider(dup).error(), QStringLiteral("providers[1].id: duplicate provider id \"p\""));
    ProviderConfig q;
    q.id = QStringLiteral("q");
    q.baseUrl = QStringLiteral("http://localhost:11434");
    q.dialect = Dialect::Ollama;
    QVERIFY(ws.addProvider(q).ok());
    TargetConfig t = goodTarget();
    t.providerId = QStringLiteral("q");
    QVERIFY(ws.addTarget(t).ok());
    QCOMPARE(ws.target(QStringLiteral("new"))->providerId, QStringLiteral("q"));
    QVERIFY(ws.removeTarget(QStringLiteral("t")).ok());
    QCOMPARE(ws.targets.size(), 1);
    QVERIFY(!ws.removeTarget(QStringLiteral("t")).ok());
}

QTEST_GUILESS_MAIN(TestWorkspace)
#include "tst_workspace.moc"
