#include "run/RunSession.h"

// Chain cells over the wire, against a scripted OpenAI-style server: a tool call answered from
// the case's script and followed by the next turn, and a request failing mid-chain.

#include "FakeProvider.h"

#include <QSignalSpy>
#include <QTest>

#include <nlohmann/json.hpp>

using namespace Slopscope;
using Slopscope::Test::FakeProvider;
using Slopscope::Test::FakeResponse;
using Slopscope::Test::RecordedRequest;

namespace {

FakeResponse sse(const QList<nlohmann::json> &deltas, const char *finish)
{
    QByteArray body;
    for (const nlohmann::json &delta : deltas) {
        const nlohmann::json chunk = {{"id", "x"},
                                      {"object", "chat.completion.chunk"},
                                      {"choices", {{{"index", 0}, {"delta", delta}, {"finish_reason", nullptr}}}}};
        body += "data: " + QByteArray::fromStdString(chunk.dump()) + "\n\n";
    }
    const nlohmann::json stop = {
        {"id", "x"},
        {"object", "chat.completion.chunk"},
        {"choices", {{{"index", 0}, {"delta", nlohmann::json::object()}, {"finish_reason", finish}}}}};
    const nlohmann::json usage = {
        {"id", "x"},
        {"object", "chat.completion.chunk"},
        {"choices", nlohmann::json::array()},
        {"usage", {{"prompt_tokens", 1000}, {"completion_tokens", 500}, {"total_tokens", 1500}}}};
    body += "data: " + QByteArray::fromStdString(stop.dump()) + "\n\n";
    body += "data: " + QByteArray::fromStdString(usage.dump()) + "\n\ndata: [DONE]\n\n";
    FakeResponse r;
    r.pieces.append(FakeResponse::Piece{0, body});
    return r;
}

FakeResponse text(const char *answer)
{
    return sse({{{"content", answer}}}, "stop");
}

FakeResponse toolCall()
{
    const nlohmann::json call = {{"tool_calls",
                                  {{{"index", 0},
                                    {"id", "call_abc"},
                                    {"type", "function"},
                                    {"function", {{"name", "weather"}, {"arguments", "{\"city\":\"Oslo\"}"}}}}}}};
    return sse({call}, "tool_calls");
}

QString lastUserMessage(const RecordedRequest &request)
{
    const nlohmann::json body = nlohmann::json::parse(request.body.toStdString(), nullptr, false);
    QString out;
    for (const auto &m : body.value("messages", nlohmann::json::array())) {
        if (m.value("role", "") == "user" && m.contains("content") && m.at("content").is_string())
            out = QString::fromStdString(m.at("content").get<std::string>());
    }
    return out;
}

// $1 / $2 per million tokens: each request costs $0.002 (1,000 in, 500 out).
RunSpec fakeSpec(const FakeProvider &fake)
{
    RunSpec spec;
    ProviderConfig p;
    p.id = QStringLiteral("fake");
    p.dialect = Dialect::OpenAIChat;
    p.baseUrl = fake.baseUrl() + QStringLiteral("/v1");
    p.maxRetries = 0;
    spec.workspace.providers = {p};
    TargetConfig t;
    t.id = QStringLiteral("t");
    t.providerId = p.id;
    t.model = QStringLiteral("m");
    t.price.inputPerMTok = 1.0;
    t.price.outputPerMTok = 2.0;
    spec.workspace.targets = {t};
    auto suite = Suite::fromJson(R"({"name": "s", "cases": [{"id": "c", "prompt": "Weather in Oslo tomorrow?",
        "assert": [{"type": "icontains", "value": "could not"}],
        "tool_results": [{"tool": "weather", "kind": "error", "content": "HTTP 503"}],
        "turns": [{"user": "Thanks. Anything else?", "assert": [{"type": "icontains", "value": "welcome"}]}]}]})",
                                 QStringLiteral("s.json"));
    if (!suite)
        qFatal("%s", qPrintable(suite.error()));
    spec.suite = suite.value();
    return spec;
}

} // namespace

class TestRunSessionChainTools final : public QObject
{
    Q_OBJECT

private slots:
    void toolCallIsAnsweredFromTheScript();
    void failingRequestMidChainEndsTheCell();
};

void TestRunSessionChainTools::toolCallIsAnsweredFromTheScript()
{
    FakeProvider fake;
    QVERIFY(fake.listen());
    fake.setScript([](const RecordedRequest &, int index) {
        return index == 0 ? toolCall() : index == 1 ? text("I could not get the forecast.") : text("You're welcome!");
    });
    RunSession session;
    QSignalSpy finished(&session, &RunSession::runFinished);
    QSignalSpy cells(&session, &RunSession::cellFinished);
    const Status started = session.start(fakeSpec(fake));
    QVERIFY2(started.ok(), qPrintable(started.error()));
    QVERIFY(finished.wait(60'000));
    QCOMPARE(cells.size(), 1);
    QCOMPARE(fake.requestCount(), 3);
    QCOMPARE(lastUserMessage(fake.requests().at(0)), QStringLiteral("Weather in Oslo tomorrow?"));
    QCOMPARE(lastUserMessage(fake.requests().at(2)), QStringLiteral("Thanks. Anything else?"));

    const CellResult &cell = session.results().first();
    QVERIFY2(cell.job.state == JobState::Completed, qPrintable(cell.job.error));
    QCOMPARE(cell.job.jobId, composeJobId(QStringLiteral("c"), {}, 0, QStringLiteral("t")));
    QCOMPARE(cell.turns.size(), 2);
    const ChainTurnResult &first = cell.turns.first();
    QCOMPARE(first.requests, 2);
    QCOMPARE(first.toolCalls.size(), 1);
    QCOMPARE(first.toolCalls.first(), (ChatToolCall{QStringLiteral("call_abc"), QStringLiteral("weather"),
                                                    QStringLiteral("{\"city\":\"Oslo\"}")}));
    QCOMPARE(first.toolResults.size(), 1);
    QCOMPARE(first.toolResults.first().kind, ToolResultKind::Error);
    QCOMPARE(first.toolResults.first().callId, QStringLiteral("call_abc"));
    QCOMPARE(first.answer, QStringLiteral("I could not get the forecast."));
    QVERIFY(first.grade.pass);
    QCOMPARE(cell.turns.at(1).answer, QStringLiteral("You're welcome!"));
    QVERIFY(cell.grade.pass);
    QCOMPARE(cell.grade.score, 1.0);
    // Tokens and cost over all three requests.
    QCOMPARE(cell.job.result.usage->inputTokens, 3000);
    QCOMPARE(cell.job.result.usage->outputTokens, 1500);
    QVERIFY(qAbs(cell.cost.usd.value() - 0.006) < 1e-12);
    QVERIFY(qAbs(session.spentUsd() - 0.006) < 1e-12);
}

void TestRunSessionChainTools::failingRequestMidChainEndsTheCell()
{
    FakeProvider fake;
    QVERIFY(fake.listen());
    fake.setScript([](const RecordedRequest &, int index) {
        if (index == 0)
            return text("I could not get the forecast.");
        return FakeResponse::error(400,
                                   R"({"error": {"message": "context too long", "type": "invalid_request_error"}})");
    });
    RunSession session;
    QSignalSpy finished(&session, &RunSession::runFinished);
    QVERIFY(session.start(fakeSpec(fake)).ok());
    QVERIFY(finished.wait(60'000));
    QCOMPARE(fake.requestCount(), 2);
    QCOMPARE(session.results().size(), 1);
    const CellResult &cell = session.results().first();
    QCOMPARE(cell.job.state, JobState::Failed);
    QVERIFY2(cell.job.error.contains(QStringLiteral("context too long")), qPrintable(cell.job.error));
    QCOMPARE(cell.turns.size(), 2);
    QVERIFY(cell.turns.first().grade.pass); // the turn done is kept
    QVERIFY(!cell.turns.at(1).grade.pass);
    QVERIFY(!cell.grade.pass);
    QCOMPARE(cell.grade.score, 0.0);
}

QTEST_GUILESS_MAIN(TestRunSessionChainTools)
#include "tst_runsessionchaintools.moc"
