// The engine with the real stream decoders (RunScheduler::productionDependencies) against recorded
// provider traffic from tests/data/wire, served byte-exact in random pieces by FakeProvider:
// complete answers per dialect, retries before content, no retry after content or on quota/401.

#include "FakeProvider.h"

#include "engine/RunScheduler.h"
#include "engine/SecretSource.h"
#include "engine/StreamHandler.h"

#include <QFile>
#include <QTest>

#include <nlohmann/json.hpp>

#include <random>

using namespace Slopscope;
using namespace Slopscope::Test;

namespace {

const QString kKeyName = QStringLiteral("SLOPSCOPE_WIRING_KEY");

class OneSecret final : public SecretSource
{
public:
    [[nodiscard]] std::optional<SecretString> secret(const QString &name) const override
    {
        return name == kKeyName ? std::optional<SecretString>(SecretString(u"sk-CANARY-wiring")) : std::nullopt;
    }
};

struct Fixture
{
    FakeResponse response;
    QString expectedText;
};

// Loads tests/data/wire/<name>(.expected.json + its body) as a response cut into seeded random pieces.
std::optional<Fixture> loadFixture(const QString &name, quint64 seed)
{
    const QString base = QStringLiteral(SLOPSCOPE_TEST_DATA "/wire/") + name;
    QFile expectedFile(base + u".expected.json");
    if (!expectedFile.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QByteArray text = expectedFile.readAll();
    const auto doc = nlohmann::json::parse(text.cbegin(), text.cend(), nullptr, false);
    if (!doc.is_object())
        return std::nullopt;
    const QString dir = base.left(base.lastIndexOf(u'/') + 1);
    QFile bodyFile(dir + QString::fromStdString(doc.at("fixture").get<std::string>()));
    if (!bodyFile.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QByteArray body = bodyFile.readAll();

    Fixture f;
    const auto &response = doc.at("response");
    f.response.status = response.at("status").get<int>();
    f.response.reason = f.response.status == 200 ? "OK" : "Error";
    f.response.headers.clear();
    for (auto it = response.at("headers").begin(); it != response.at("headers").end(); ++it) {
        const std::string key = it.key();
        if (key == "transfer-encoding" || key == "content-length" || key == "connection")
            continue; // FakeProvider frames the body itself
        f.response.headers.append(
            {QByteArray::fromStdString(key), QByteArray::fromStdString(it.value().get<std::string>())});
    }
    std::mt19937_64 rng(seed);
    qsizetype at = 0;
    while (at < body.size()) {
        const qsizetype n = std::min<qsizetype>(body.size() - at, 1 + static_cast<qsizetype>(rng() % 700));
        f.response.pieces.append({1, body.mid(at, n)});
        at += n;
    }
    const auto &expected = doc.at("expected");
    if (expected.contains("text") && expected.at("text").is_string())
        f.expectedText = QString::fromStdString(expected.at("text").get<std::string>());
    return f;
}

} // namespace

class tst_EngineWiring : public QObject
{
    Q_OBJECT

private slots:
    void recordedTraffic_data()
    {
        QTest::addColumn<int>("dialect");
        QTest::addColumn<QStringList>("served"); // one fixture per attempt
        QTest::addColumn<int>("state");
        QTest::addColumn<int>("attempts");
        QTest::addColumn<QString>("errorContains");
        const auto row = [](const char *name, Dialect d, QStringList served, JobState s, int attempts,
                            const char *err = "") {
            QTest::newRow(name) << int(d) << served << int(s) << attempts << QString::fromUtf8(err);
        };
        row("openai-chat complete", Dialect::OpenAIChat, {u"openai-chat/01_text_with_usage"_qs}, JobState::Completed,
            1);
        row("anthropic complete", Dialect::Anthropic, {u"anthropic/01_sdk_basic_no_trailing_newline"_qs},
            JobState::Completed, 1);
        row("gemini complete (CRLF)", Dialect::Gemini, {u"gemini/01_text_crlf"_qs}, JobState::Completed, 1);
        row("ollama complete (NDJSON)", Dialect::Ollama, {u"ollama/01_chat_stream"_qs}, JobState::Completed, 1);
        row("openrouter keep-alive comments", Dialect::OpenAIChat,
            {u"openai-compat/openrouter_01_comments_reasoning_cost"_qs}, JobState::Completed, 1);
        // Thinking deltas were shown before the error: content was delivered, so no retry.
        row("in-band overloaded after reasoning is not retried", Dialect::Anthropic,
            {u"anthropic/06_midstream_overloaded_error"_qs, u"anthropic/01_sdk_basic_no_trailing_newline"_qs},
            JobState::Failed, 1, "overloaded_error: Overloaded");
        row("529 is retried", Dialect::Anthropic,
            {u"anthropic/08_http529_overloaded"_qs, u"anthropic/01_sdk_basic_no_trailing_newline"_qs},
            JobState::Completed, 2);
        row("in-band error after content is not retried", Dialect::OpenAIChat,
            {u"openai-chat/13_inband_error_after_partial_output"_qs, u"openai-chat/01_text_with_usage"_qs},
            JobState::Failed, 1, "The server had an error");
        row("insufficient_quota is not retried", Dialect::OpenAIChat,
            {u"openai-chat/12_http429_insufficient_quota"_qs, u"openai-chat/01_text_with_usage"_qs}, JobState::Failed,
            1, "quota");
        row("401 is not retried", Dialect::OpenAIChat,
            {u"openai-chat/10_http401_invalid_api_key"_qs, u"openai-chat/01_text_with_usage"_qs}, JobState::Failed, 1,
            "HTTP 401");
    }
    void recordedTraffic()
    {
        QFETCH(int, dialect);
        QFETCH(QStringList, served);
        QFETCH(int, state);
        QFETCH(int, attempts);
        QFETCH(QString, errorContains);

        FakeProvider server;
        QVERIFY(server.listen());
        QString expectedText;
        for (int i = 0; i < served.size(); ++i) {
            const auto f = loadFixture(served[i], 1000 + quint64(i));
            QVERIFY2(f, qPrintable(u"cannot load fixture "_qs + served[i]));
            server.enqueue(f->response);
            if (i == attempts - 1)
                expectedText = f->expectedText;
        }
        runOne(server, Dialect(dialect), JobState(state), attempts, errorContains, expectedText);
    }

    // Anthropic's overloaded error event before any content (message_start and ping only): retried
    // like a 529 status (RELIABILITY F-4a).
    void inBandOverloadedBeforeAnyContentIsRetried()
    {
        FakeProvider server;
        QVERIFY(server.listen());
        FakeResponse overloaded;
        overloaded.headers = {{"content-type", "text/event-stream"}};
        overloaded.pieces = {
            {0, "event: message_start\ndata: "
                "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\","
                "\"role\":\"assistant\",\"model\":\"m\",\"content\":[],\"usage\":{\"input_tokens\":5,\"output_tokens\":"
                "1}}}\n\n"},
            {5, "event: ping\ndata: {\"type\": \"ping\"}\n\n"},
            {5, "event: error\ndata: "
                "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n"}};
        server.enqueue(overloaded);
        const auto f = loadFixture(u"anthropic/01_sdk_basic_no_trailing_newline"_qs, 7);
        QVERIFY(f);
        server.enqueue(f->response);
        runOne(server, Dialect::Anthropic, JobState::Completed, 2, QString(), f->expectedText);
    }

private:
    void runOne(FakeProvider &server, Dialect dialect, JobState state, int attempts, const QString &errorContains,
                const QString &expectedText)
    {

        RunScheduler::Dependencies deps = RunScheduler::productionDependencies();
        deps.secrets = std::make_shared<OneSecret>();
        RetryPolicy::Settings fast;
        fast.initialDelaySeconds = 0.005;
        deps.retryPolicy = RetryPolicy(
            fast, [] { return 0.0; }, [] { return QDateTime::currentDateTimeUtc(); });
        deps.networkThreads = 1;
        RunScheduler scheduler(deps);
        ProviderConfig p;
        p.id = u"p"_qs;
        p.dialect = dialect;
        p.baseUrl = server.baseUrl();
        p.apiKeyEnv = kKeyName;
        scheduler.setProviders({p});
        ChatRequest r;
        r.id = u"j"_qs;
        r.providerId = u"p"_qs;
        r.model = u"m"_qs;
        r.messages = {{u"user"_qs, u"hello"_qs}};

        std::optional<JobResult> result;
        QString streamed;
        connect(&scheduler, &RunScheduler::jobContent, this, [&](const QString &, const QList<ContentDelta> &deltas) {
            for (const auto &d : deltas) {
                if (d.kind == ContentKind::Answer)
                    streamed += d.text;
            }
        });
        connect(&scheduler, &RunScheduler::jobFinished, this, [&](const JobResult &jr) { result = jr; });
        QVERIFY(scheduler.start({r}));
        QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 8000);

        QCOMPARE(result->state, state);
        QCOMPARE(result->attempts(), attempts);
        QCOMPARE(server.requestCount(), attempts);
        QCOMPARE(result->result.text, expectedText);
        QCOMPARE(streamed, expectedText);
        if (!errorContains.isEmpty())
            QVERIFY2(result->error.contains(errorContains), qPrintable(result->error));
        if (result->state == JobState::Completed) {
            QVERIFY(result->error.isEmpty());
            QCOMPARE(result->result.outcome, StreamOutcome::Complete);
            const AttemptRecord &last = result->timeline.attempts.last();
            QVERIFY(!last.deltas.isEmpty());
            QVERIFY(*last.firstByteNs <= last.deltas.first().atNs);
        }
        QVERIFY(!result->error.contains(u"CANARY"));
    }

private slots:
    void cleanup() { QTRY_COMPARE(StreamHandler::liveReplies(), 0); }
};

QTEST_GUILESS_MAIN(tst_EngineWiring)
#include "tst_enginewiring.moc"
