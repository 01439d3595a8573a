// Simulator schedule benchmark: can one server thread keep 64 streams at 3,000 tokens/s each on
// schedule? The server runs in its own QThread; 64 raw HTTP clients read in the main thread.
// Prints the schedule lag (due time → write), the tokens/s each client achieved, and how far the
// ground-truth log's first/last token times are from the configured schedule.
//
//   bench_sim_schedule [streams=64] [tokens_per_stream=6000] [rate=3000]
#include "sim/SimServer.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <vector>

using namespace Slopscope;

namespace {

struct Client
{
    std::unique_ptr<QTcpSocket> socket;
    QByteArray tail; // the last bytes of the previous read, for markers split across reads
    qint64 firstNs = -1;
    qint64 lastNs = -1;
    int tokens = 0;
    bool done = false;
};

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0.0;
    std::sort(v.begin(), v.end());
    const auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
    return v[std::min(i, v.size() - 1)];
}

QByteArray personas(double rate)
{
    return QByteArrayLiteral(R"({"personas": [{"id": "bench", "dialect": "openai-chat", "ttft_ms": {"median": 50},
        "tokens_per_second": )") +
           QByteArray::number(rate) + "}]}";
}

struct Run
{
    std::vector<double> clientRates;
    std::vector<double> ttftErrors;
    std::vector<double> endErrors;
    std::vector<double> serverRates;
    double lagP50 = 0, lagP99 = 0, lagMax = 0;
    qint64 lagCount = 0;
    double wallSeconds = 0;
    int completed = 0;
};

Run runOnce(int streams, int tokens, double rate)
{
    Run run;
    QTemporaryDir dir;
    const QString logPath = dir.filePath(QStringLiteral("sim.jsonl"));

    QThread serverThread;
    serverThread.setObjectName(QStringLiteral("sim-server"));
    auto *server = new SimServer;
    server->setPersonas(SimPersonas::fromJson(personas(rate), QStringLiteral("bench")).value());
    if (Status s = server->setLogFile(logPath); !s)
        qFatal("%s", qPrintable(s.error()));
    server->moveToThread(&serverThread);
    serverThread.start();
    quint16 port = 0;
    QMetaObject::invokeMethod(
        server,
        [&] {
            server->listen();
            port = server->serverPort();
        },
        Qt::BlockingQueuedConnection);

    nlohmann::json body{{"model", "bench"},
                        {"messages", nlohmann::json::array({{{"role", "user"}, {"content", "Write a long story."}}})},
                        {"stream", true}};
    const QByteArray payload = QByteArray::fromStdString(body.dump());
    const QByteArray request =
        "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer bench\r\n"
        "x-sim-fault: none\r\nx-sim-tokens: " +
        QByteArray::number(tokens) +
        "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(payload.size()) + "\r\n\r\n" +
        payload;
    const QByteArray marker = "{\"content\":\"";

    QElapsedTimer clock;
    clock.start();
    std::vector<Client> clients(static_cast<std::size_t>(streams));
    int finished = 0;
    for (auto &c : clients) {
        c.socket = std::make_unique<QTcpSocket>();
        QTcpSocket *s = c.socket.get();
        Client *cp = &c;
        QObject::connect(s, &QTcpSocket::connected, s, [s, request] { s->write(request); });
        QObject::connect(s, &QTcpSocket::readyRead, s, [s, cp, &clock, &marker, &finished] {
            const QByteArray data = s->readAll();
            const qint64 now = clock.nsecsElapsed();
            const QByteArray window = cp->tail + data;
            // Count markers that end inside the new data (those inside the tail were counted before).
            qsizetype from = 0;
            int found = 0;
            while ((from = window.indexOf(marker, from)) >= 0) {
                if (from + marker.size() > cp->tail.size())
                    ++found;
                from += marker.size();
            }
            if (found > 0) {
                if (cp->firstNs < 0)
                    cp->firstNs = now;
                cp->lastNs = now;
                cp->tokens += found;
            }
            cp->tail = window.right(marker.size());
            if (!cp->done && window.contains("data: [DONE]")) {
                cp->done = true;
                ++finished;
            }
        });
        s->connectToHost(QStringLiteral("127.0.0.1"), port);
    }
    QTimer deadline;
    deadline.setSingleShot(true);
    deadline.start(static_cast<int>(tokens / rate * 1000.0) + 30'000);
    while (finished < streams && deadline.isActive())
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    run.wallSeconds = static_cast<double>(clock.nsecsElapsed()) / 1e9;
    run.completed = finished;

    QMetaObject::invokeMethod(
        server,
        [&] {
            const SimScheduleStats &st = server->scheduleStats();
            run.lagP50 = st.percentileMs(0.5);
            run.lagP99 = st.percentileMs(0.99);
            run.lagMax = st.maxMs();
            run.lagCount = st.count();
            delete server;
        },
        Qt::BlockingQueuedConnection);
    serverThread.quit();
    serverThread.wait();

    for (const auto &c : clients) {
        if (c.tokens > 1 && c.lastNs > c.firstNs)
            run.clientRates.push_back((c.tokens - 1) / (static_cast<double>(c.lastNs - c.firstNs) / 1e9));
    }
    // The ground-truth log: one JSON line per request.
    QFile log(logPath);
    if (log.open(QIODevice::ReadOnly)) {
        while (!log.atEnd()) {
            const QByteArray line = log.readLine();
            const auto j = nlohmann::json::parse(line.toStdString(), nullptr, false);
            if (j.is_discarded() || j["outcome"] != "complete")
                continue;
            const double first = j["first_content_ms"].get<double>();
            const double last = j["last_byte_ms"].get<double>();
            run.ttftErrors.push_back(first - j["planned_first_content_ms"].get<double>());
            run.endErrors.push_back(last - j["planned_last_token_ms"].get<double>());
            const int sent = j["tokens_sent"].get<int>();
            if (sent > 1 && last > first)
                run.serverRates.push_back((sent - 1) / ((last - first) / 1000.0));
        }
    }
    return run;
}

void report(const char *title, int streams, int tokens, double rate, const Run &r)
{
    std::printf("\n== %s: %d stream(s) x %d tokens at %.0f tokens/s ==\n", title, streams, tokens, rate);
    std::printf("completed streams            %d/%d in %.2f s\n", r.completed, streams, r.wallSeconds);
    std::printf("schedule lag (due -> write)  p50 %.3f ms  p99 %.3f ms  max %.3f ms  (%lld tokens)\n", r.lagP50,
                r.lagP99, r.lagMax, static_cast<long long>(r.lagCount));
    std::printf("client tokens/s per stream   min %.1f  p50 %.1f  max %.1f  (configured %.0f)\n",
                r.clientRates.empty() ? 0.0 : *std::min_element(r.clientRates.begin(), r.clientRates.end()),
                percentile(r.clientRates, 0.5),
                r.clientRates.empty() ? 0.0 : *std::max_element(r.clientRates.begin(), r.clientRates.end()), rate);
    std::printf("log tokens/s per stream      p50 %.1f\n", percentile(r.serverRates, 0.5));
    std::printf("log first-token error        p50 %.3f ms  p99 %.3f ms  max %.3f ms\n", percentile(r.ttftErrors, 0.5),
                percentile(r.ttftErrors, 0.99), percentile(r.ttftErrors, 1.0));
    std::printf("log last-token error         p50 %.3f ms  p99 %.3f ms  max %.3f ms\n", percentile(r.endErrors, 0.5),
                percentile(r.endErrors, 0.99), percentile(r.endErrors, 1.0));
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    const int streams = args.size() > 1 ? args.at(1).toInt() : 64;
    const int tokens = args.size() > 2 ? args.at(2).toInt() : 6000;
    const double rate = args.size() > 3 ? args.at(3).toDouble() : 3000.0;

    const Run single = runOnce(1, tokens, rate);
    report("single stream", 1, tokens, rate, single);
    const Run many = runOnce(streams, tokens, rate);
    report("concurrent", streams, tokens, rate, many);
    return many.completed == streams && single.completed == 1 ? 0 : 1;
}
