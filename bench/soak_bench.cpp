// RELIABILITY L-8, the soak: for a chosen time, one small run every few seconds (4 streams a
// minute by default) against the simulator with about 10 % of requests faulty, every run recorded
// in a history database, in one long-lived process holding the engine, the simulator and the
// writer. Once a minute it prints the process's resident memory and open file descriptors; at the
// end it compares them with the first minute's and checks the database (PRAGMA integrity_check).
// Exit 0 when RSS grew by at most 10 %, no descriptor leaked and the database is intact.
//
//   bench_soak [minutes=10] [streams_per_minute=4] [database_folder]
//
// The 24-hour soak of RELIABILITY.md is `bench_soak 1440`; a Release build is meant.
#include "BenchSimulator.h"

#include "core/Workspace.h"
#include "quality/Suite.h"
#include "run/RunSession.h"
#include "store/HistoryStore.h"
#include "store/HistoryWriter.h"
#include "store/RunRecorder.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTimer>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <optional>

using namespace Slopscope;
using namespace Slopscope::Bench;

namespace {

// The bundled personas with every persona's faults replaced by one mix of about 10 %: the kinds a
// provider really produces, each handled differently by the engine (retried, truncated, failed).
QByteArray faultyPersonas(double share)
{
    QFile file(QStringLiteral(":/slopscope/sim/personas.json"));
    if (!file.open(QIODevice::ReadOnly)) {
        std::fprintf(stderr, "soak: the bundled personas are missing\n");
        std::exit(2);
    }
    nlohmann::json doc = nlohmann::json::parse(file.readAll().toStdString());
    const std::pair<const char *, double> mix[] = {
        {"server_error;status=500", 0.3}, {"rate_limit;retry_after=1", 0.2}, {"drop;after=10", 0.2},
        {"overloaded", 0.1},              {"error_inband;after=5", 0.1},    {"malformed", 0.1},
    };
    for (auto &persona : doc["personas"]) {
        nlohmann::json faults = nlohmann::json::array();
        for (const auto &[fault, weight] : mix)
            faults.push_back({{"fault", fault}, {"probability", share * weight}});
        persona["faults"] = faults;
    }
    return QByteArray::fromStdString(doc.dump());
}

struct Sample
{
    qint64 rssKb = 0;
    int fds = 0;
};

Sample sampleProcess()
{
    Sample s;
    QFile status(QStringLiteral("/proc/self/status"));
    if (status.open(QIODevice::ReadOnly)) {
        for (const QByteArray &line : status.readAll().split('\n')) {
            if (line.startsWith("VmRSS:"))
                s.rssKb = line.mid(6).trimmed().split(' ').value(0).toLongLong();
        }
    }
    s.fds = static_cast<int>(QDir(QStringLiteral("/proc/self/fd")).entryList(QDir::Files | QDir::System).size());
    return s;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    const double minutes = args.value(1, QStringLiteral("10")).toDouble();
    const double perMinute = std::max(0.1, args.value(2, QStringLiteral("4")).toDouble());
    QTemporaryDir scratch;
    const QString folder = args.size() > 3 ? args.at(3) : scratch.path();
    const QString dbPath = QDir(folder).filePath(QStringLiteral("soak.sqlite"));
    qputenv("SLOPSCOPE_SIM_KEY", "sk-soak-not-a-secret");

    BenchSimulator sim;
    sim.start(faultyPersonas(0.10));
    Workspace workspace = Workspace::demo();
    for (ProviderConfig &p : workspace.providers) {
        p.baseUrl.replace(QStringLiteral("{simulator}"), sim.baseUrl());
        p.simulated = true;
        p.timeouts.idleMs = 10'000;
    }
    auto suite = Suite::fromFile(QStringLiteral(":/slopscope/demo/suites/facts.json"));
    if (!suite) {
        std::fprintf(stderr, "soak: %s\n", qPrintable(suite.error()));
        return 2;
    }
    {
        HistoryStore store;
        if (auto opened = store.open(dbPath); !opened) {
            std::fprintf(stderr, "soak: %s\n", qPrintable(opened.error()));
            return 2;
        }
    }
    HistoryWriter writer;
    writer.start(dbPath);
    RunRecorder recorder(&writer);
    RunSession session;
    recorder.attach(&session);

    int runs = 0;
    int answered = 0;
    int failed = 0;
    QObject::connect(&session, &RunSession::cellFinished, &session, [&](const CellResult &cell) {
        (cell.job.state == JobState::Completed ? answered : failed) += 1;
    });
    // One cell per run, rotating over the lineup and the cases, so every dialect and persona is hit.
    const auto startNext = [&] {
        if (session.isRunning())
            return; // a slow cell (a stall, a retry) delays the next, it never overlaps
        RunSpec spec;
        spec.workspace = workspace;
        spec.suite = suite.value();
        spec.targetIds = {workspace.targets.at(runs % workspace.targets.size()).id};
        spec.caseIds = {suite.value().cases.at(runs % suite.value().cases.size()).id};
        spec.seed = static_cast<quint64>(runs) + 1;
        recorder.begin(spec);
        if (const Status started = session.start(spec); !started.ok()) {
            std::fprintf(stderr, "soak: %s\n", qPrintable(started.error()));
            QCoreApplication::exit(2);
            return;
        }
        ++runs;
    };
    QTimer pace;
    pace.setInterval(static_cast<int>(60'000.0 / perMinute));
    QObject::connect(&pace, &QTimer::timeout, &session, startNext);

    QElapsedTimer clock;
    std::optional<Sample> baseline;
    Sample last;
    QTimer sampler;
    sampler.setInterval(60'000);
    QObject::connect(&sampler, &QTimer::timeout, &session, [&] {
        last = sampleProcess();
        // The first minute warms caches, the connection pools and SQLite's page cache.
        if (!baseline)
            baseline = last;
        std::printf("%6.1f min  runs %5d  answered %5d  failed %4d  RSS %7lld KiB  fds %3d\n",
                    static_cast<double>(clock.elapsed()) / 60'000.0, runs, answered, failed,
                    static_cast<long long>(last.rssKb), last.fds);
        std::fflush(stdout);
    });
    QTimer::singleShot(static_cast<int>(minutes * 60'000.0), &session, [&] {
        pace.stop();
        sampler.stop();
        if (session.isRunning()) {
            QObject::connect(&session, &RunSession::runFinished, &app, &QCoreApplication::quit);
            session.cancel();
        } else {
            QCoreApplication::quit();
        }
    });
    clock.start();
    startNext();
    pace.start();
    sampler.start();
    const int loopResult = QCoreApplication::exec();
    writer.stop();
    if (loopResult != 0)
        return loopResult;
    if (baseline)
        last = sampleProcess(); // the end itself, not the last whole minute

    HistoryStore check;
    QString integrity = QStringLiteral("not checked");
    if (auto opened = check.open(dbPath); opened) {
        if (auto result = check.integrityCheck())
            integrity = result.value();
        else
            integrity = result.error();
    } else {
        integrity = opened.error();
    }
    std::printf("soak: %.1f min, %d run(s), %d answered, %d failed (faults injected in ~10 %% of requests)\n",
                static_cast<double>(clock.elapsed()) / 60'000.0, runs, answered, failed);
    bool ok = integrity == u"ok";
    std::printf("soak: integrity_check: %s\n", qPrintable(integrity));
    if (baseline && last.rssKb > 0) {
        const double growth = 100.0 * static_cast<double>(last.rssKb - baseline->rssKb) /
                              static_cast<double>(baseline->rssKb);
        std::printf("soak: RSS %lld KiB after the first minute, %lld KiB at the end: %+.1f %% (limit +10 %%)\n",
                    static_cast<long long>(baseline->rssKb), static_cast<long long>(last.rssKb), growth);
        std::printf("soak: open descriptors %d after the first minute, %d at the end\n", baseline->fds, last.fds);
        ok = ok && growth <= 10.0 && last.fds <= baseline->fds;
    } else {
        std::printf("soak: shorter than two samples; no growth figures (run at least 2 minutes)\n");
    }
    std::printf("soak: %s\n", ok ? "PASS" : "FAIL");
    return ok ? 0 : 1;
}
