// GUI load (RELIABILITY L-1 and L-4): the real MainWindow, shown on the offscreen platform, runs a
// one-case suite against a generated workspace whose targets are all answered by the in-process
// simulator on its own thread (as the app's embedded one), and reports what the GUI thread and the
// process went through. A 1 ms precise timer on the GUI thread records the event loop's gaps.
//
//   l1: 64 streams across 7 providers of every dialect: 12 to one HTTP/1.1 host ("localhost"),
//       30 to an HTTP/2 host (nghttpx with TLS in front of the simulator; HTTP/1.1 when nghttpx
//       is missing, and said so), 22 over five more; each at a slow token rate
//       (~2 KB/s of SSE) for the whole duration. Prints the gaps, streams completed vs started,
//       RSS at start / peak / end, process and GUI-thread CPU, and the app's and Qt's queueing.
//   l4: 16 streams of 1,000 tiny SSE events a second each (one short token per event). Prints the
//       gaps, process CPU in cores, GUI-thread CPU, and how many GUI updates the events became.
//
// Exits 0 either way: a benchmark reports, it does not gate. Run a Release build:
//
//   bench_gui_load l1 [seconds=60] [tokens_per_second=15]
//   bench_gui_load l4 [seconds=20] [events_per_second=1000]
#include "BenchSimulator.h"
#include "EngineBenchKit.h"
#include "EventLoopProbe.h"
#include "GuiBenchKit.h"
#include "H2Front.h"

#include "core/Workspace.h"
#include "MainWindow.h"
#include "run/CellResult.h"
#include "run/RunSession.h"
#include "stream/StreamTypes.h"
#include "StreamPane.h"

#include <QApplication>
#include <QEvent>
#include <QHash>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>
#include <QUrl>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

using namespace Slopscope;
using namespace Slopscope::Bench;

namespace {

constexpr double kTtftMs = 300;
constexpr double kStallLimitMs = 50;
constexpr double kRssGrowthLimitMiB = 200;

enum class Host { Sim, SimByName, H2 };

struct ProviderPlan
{
    QByteArray id;
    Dialect dialect;
    int streams;
    Host host;
};

struct Scenario
{
    QByteArray name;
    int seconds = 0;
    // l1: body kilobytes a second per stream; l4: SSE events (tokens) a second per stream.
    double rate = 0;
    QList<ProviderPlan> providers;
};

QByteArray basePath(Dialect dialect)
{
    switch (dialect) {
    case Dialect::OpenAIChat:
    case Dialect::OpenAIResponses:
        return "/v1";
    case Dialect::Gemini:
        return "/v1beta";
    case Dialect::Anthropic:
    case Dialect::Ollama:
        break;
    }
    return {};
}

// Body bytes of one streamed token event per dialect, as the simulator writes them for these
// personas (measured: body bytes / tokens in a run), so that l1 can offer ~2 KB/s in every dialect.
double eventBytes(Dialect dialect)
{
    switch (dialect) {
    case Dialect::OpenAIChat:
        return 327;
    case Dialect::OpenAIResponses:
        return 293;
    case Dialect::Gemini:
        return 325;
    case Dialect::Anthropic:
        return 130;
    case Dialect::Ollama:
        return 135;
    }
    return 300;
}

double tokensPerSecond(const Scenario &s, Dialect dialect)
{
    return s.name == "l4" ? s.rate : std::max(0.1, s.rate * 1000 / eventBytes(dialect));
}

// The filler answer lasts the whole measurement (the personas allow at most 100,000 tokens).
int answerTokens(const Scenario &s, Dialect dialect)
{
    return std::clamp(static_cast<int>(std::ceil(s.seconds * tokensPerSecond(s, dialect))), 1, 100'000);
}

// One persona per dialect, fixed timing, no spread, no faults, no thinking: every stream offers
// exactly its rate, and its filler answer lasts the whole measurement.
QByteArray personas(const Scenario &s)
{
    QByteArray out = R"({"personas": [)";
    bool first = true;
    for (Dialect d : allDialects()) {
        const QByteArray name = dialectName(d).toUtf8();
        out += QByteArray(first ? "" : ",") + R"({"id": "bench-)" + name + R"(", "dialect": ")" + name +
               R"(", "dialects": [")" + name + R"("], "ttft_ms": {"median": )" + QByteArray::number(kTtftMs) +
               R"(, "spread": 0}, "tokens_per_second": )" + QByteArray::number(tokensPerSecond(s, d)) +
               R"(, "answer_tokens": )" + QByteArray::number(answerTokens(s, d)) + "}";
        first = false;
    }
    return out + "]}";
}

// One provider per plan with max_concurrency equal to its streams, one target per stream: with
// the one-case suite, exactly the planned number of streams per provider at once.
QByteArray workspace(const Scenario &s, quint16 simPort, quint16 h2Port, const QString &caFile)
{
    QByteArray providers;
    QByteArray lineup;
    for (const ProviderPlan &p : s.providers) {
        QByteArray origin = "http://127.0.0.1:" + QByteArray::number(simPort);
        if (p.host == Host::SimByName)
            origin = "http://localhost:" + QByteArray::number(simPort);
        else if (p.host == Host::H2 && h2Port != 0)
            origin = "https://127.0.0.1:" + QByteArray::number(h2Port);
        const QByteArray ca =
            p.host == Host::H2 && h2Port != 0 ? QByteArray(R"(, "ca_file": ")" + caFile.toUtf8() + '"') : QByteArray();
        providers += QByteArray(providers.isEmpty() ? "" : ",\n") + R"({"id": ")" + p.id + R"(", "dialect": ")" +
                     dialectName(p.dialect).toUtf8() + R"(", "base_url": ")" + origin + basePath(p.dialect) +
                     R"(", "api_key_env": "SLOPSCOPE_BENCH_KEY", "simulated": true, "max_concurrency": )" +
                     QByteArray::number(p.streams) + ca + "}";
        for (int i = 1; i <= p.streams; ++i) {
            const QByteArray n = QByteArray::number(i);
            lineup += QByteArray(lineup.isEmpty() ? "" : ",\n") + R"j({"id": ")j" + p.id + '-' + n +
                      R"j(", "label": ")j" + p.id + ' ' + n + R"j( (simulated)", "provider": ")j" + p.id +
                      R"j(", "model": "bench-)j" + dialectName(p.dialect).toUtf8() +
                      R"j(", "price": {"input_per_mtok": 0.1, "output_per_mtok": 0.4}})j";
        }
    }
    return R"({"name": "GUI load bench )" + s.name + R"(", "providers": [)" + providers + R"(], "targets": [)" +
           lineup + "]}";
}

// A prompt the simulator does not recognise: each answer is the persona's filler.
QByteArray suite()
{
    return R"({"name": "GUI load bench", "cases": [{"id": "case-1", "prompt": "Tell a long story.",
        "assert": [{"type": "contains", "value": "the"}]}]})";
}

Scenario scenario(const QStringList &args)
{
    Scenario s;
    s.name = args.size() > 1 ? args.at(1).toLatin1() : QByteArray();
    const bool l4 = s.name == "l4";
    s.seconds = args.size() > 2 ? std::clamp(args.at(2).toInt(), 1, 3600) : (l4 ? 20 : 60);
    s.rate = args.size() > 3 ? std::clamp(args.at(3).toDouble(), 0.1, 100000.0) : (l4 ? 1000.0 : 2.0);
    if (l4) {
        s.providers = {{"burst", Dialect::OpenAIChat, 16, Host::Sim}};
    } else {
        s.providers = {{"h1-openai", Dialect::OpenAIChat, 12, Host::SimByName},
                       {"h2-anthropic", Dialect::Anthropic, 30, Host::H2},
                       {"responses", Dialect::OpenAIResponses, 5, Host::Sim},
                       {"gemini", Dialect::Gemini, 5, Host::Sim},
                       {"ollama", Dialect::Ollama, 4, Host::Sim},
                       {"anthropic-b", Dialect::Anthropic, 4, Host::Sim},
                       {"compat", Dialect::OpenAIChat, 4, Host::Sim}};
    }
    return s;
}

// Paint events the answer panes received: what the GUI actually redrew for the streamed text.
class PaneRepaintCounter final : public QObject
{
public:
    using QObject::QObject;
    qint64 panePaints = 0;
    qint64 allPaints = 0;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint && watched->isWidgetType()) {
            ++allPaints;
            for (auto *w = static_cast<QWidget *>(watched); w; w = w->parentWidget()) {
                if (qobject_cast<StreamPane *>(w)) {
                    ++panePaints;
                    break;
                }
            }
        }
        return false;
    }
};

struct ProviderTally
{
    int completed = 0;
    int failed = 0;
    int http2 = 0;
    std::vector<double> bytesPerSecond; // body bytes over first byte to end, per stream
};

// What the GUI thread saw of the run.
struct Tally
{
    QSet<QString> started;
    int finished = 0;
    int completed = 0;
    QString firstError;
    qint64 contentSignals = 0; // cellContent deliveries (the engine's batches)
    qint64 deltas = 0;         // content pieces in them: one per SSE event carrying a token
    qint64 chars = 0;
    int peakInFlight = 0;
    int peakSimConnections = 0;
    qint64 peakRssKiB = 0;
    std::vector<double> appQueueMs; // queued → posted to Qt (waiting in the app's provider queue)
    std::vector<double> qtQueueMs;  // posted to Qt → request written (waiting in Qt, e.g. its per-host queue)
    QHash<QString, ProviderTally> providers;
};

double ms(qint64 ns)
{
    return static_cast<double>(ns) / 1e6;
}

void recordCell(Tally &t, const CellResult &c)
{
    ++t.finished;
    ProviderTally &p = t.providers[c.job.providerId];
    if (c.job.state == JobState::Completed) {
        ++t.completed;
        ++p.completed;
    } else {
        ++p.failed;
        if (t.firstError.isEmpty())
            t.firstError = c.job.error.isEmpty() ? QStringLiteral("not completed") : c.job.error;
    }
    const RequestTimeline &tl = c.job.timeline;
    if (!tl.attempts.isEmpty()) {
        const AttemptRecord &first = tl.attempts.constFirst();
        if (tl.queuedNs && first.startedNs)
            t.appQueueMs.push_back(ms(*first.startedNs - *tl.queuedNs));
        if (first.startedNs && first.sentNs)
            t.qtQueueMs.push_back(ms(*first.sentNs - *first.startedNs));
        const AttemptRecord &last = tl.attempts.constLast();
        if (last.http2)
            ++p.http2;
        if (last.firstByteNs && last.endNs && *last.endNs > *last.firstByteNs)
            p.bytesPerSecond.push_back(static_cast<double>(last.bytesReceived) /
                                       (static_cast<double>(*last.endNs - *last.firstByteNs) / 1e9));
    }
}

void printReport(const Scenario &s, const Tally &t, const EventLoopProbe &probe, qint64 wallNs, qint64 procCpuNs,
                 qint64 guiCpuNs, qint64 simCpuNs, const ProcessMemory &start, const ProcessMemory &end, bool ended,
                 const PaneRepaintCounter &paints, int total)
{
    const double wallS = static_cast<double>(wallNs) / 1e9;
    const bool l4 = s.name == "l4";
    std::printf("run: %.1f s measured (%s); streams: %d started, %d completed, %d ended otherwise, %d never ended "
                "(of %d)\n",
                wallS, ended ? "run ended" : "stopped at the time limit", static_cast<int>(t.started.size()),
                t.completed, t.finished - t.completed, total - t.finished, total);
    if (!t.firstError.isEmpty())
        std::printf("first failure: %s\n", qPrintable(t.firstError));
    for (const ProviderPlan &p : s.providers) {
        const ProviderTally pt = t.providers.value(QString::fromLatin1(p.id));
        std::printf("  %-13s %-16s %2d streams: %2d completed, %2d not, %2d over HTTP/2, body %.2f KB/s per stream "
                    "(median)\n",
                    p.id.constData(), qPrintable(dialectName(p.dialect)), p.streams, pt.completed, pt.failed, pt.http2,
                    percentile(pt.bytesPerSecond, 0.5) / 1000);
    }
    std::printf("queues: peak %d streams in flight (cellStarted - cellFinished); simulator connections open: peak "
                "%d (sampled each second)\n",
                t.peakInFlight, t.peakSimConnections);
    std::printf("  in the app (queued -> posted to Qt; the first wave waits for its pre-opened connections): "
                "p50 %.1f / p99 %.1f / max %.1f ms\n",
                percentile(t.appQueueMs, 0.5), percentile(t.appQueueMs, 0.99), percentile(t.appQueueMs, 1.0));
    std::printf("  in Qt (posted -> request written; a stream parked in Qt's per-host queue would wait here for a "
                "whole answer): p50 %.1f / p99 %.1f / max %.1f ms\n",
                percentile(t.qtQueueMs, 0.5), percentile(t.qtQueueMs, 0.99), percentile(t.qtQueueMs, 1.0));
    const double events = static_cast<double>(t.deltas);
    std::printf("GUI updates: %lld SSE content events (%.0f/s), %lld cellContent batches (%.0f/s, %.1f events each), "
                "%lld answer-pane paint events (%.0f/s, %.1f events each), %lld paint events in all\n",
                static_cast<long long>(t.deltas), events / wallS, static_cast<long long>(t.contentSignals),
                static_cast<double>(t.contentSignals) / wallS,
                t.contentSignals ? events / static_cast<double>(t.contentSignals) : 0.0,
                static_cast<long long>(paints.panePaints), static_cast<double>(paints.panePaints) / wallS,
                paints.panePaints ? events / static_cast<double>(paints.panePaints) : 0.0,
                static_cast<long long>(paints.allPaints));
    const double procCores = static_cast<double>(procCpuNs) / static_cast<double>(wallNs);
    const double simCores = static_cast<double>(simCpuNs) / static_cast<double>(wallNs);
    const double appCores = procCores - simCores;
    std::printf("CPU: process %.2f cores (simulator thread %.2f, so the app %.2f); GUI thread %.0f %% of one core\n",
                procCores, simCores, appCores, 100.0 * static_cast<double>(guiCpuNs) / static_cast<double>(wallNs));
    const double mib = 1024.0;
    const double growth = static_cast<double>(end.rssKiB - start.rssKiB) / mib;
    const double peakGrowth = static_cast<double>(std::max(t.peakRssKiB, end.peakKiB) - start.rssKiB) / mib;
    std::printf("RSS: start %.1f MiB, peak %.1f MiB (VmHWM), end %.1f MiB; growth %.1f MiB (peak - start %.1f MiB)\n",
                static_cast<double>(start.rssKiB) / mib, static_cast<double>(end.peakKiB) / mib,
                static_cast<double>(end.rssKiB) / mib, growth, peakGrowth);
    const EventLoopProbe::Summary g = probe.summary(kStallLimitMs);
    std::printf("event-loop gaps (1 ms timer): %zu, p50 %.2f ms, p99 %.2f ms, max %.2f ms, %zu over %.0f ms\n", g.count,
                g.p50, g.p99, g.max, g.over, kStallLimitMs);
    std::printf("worst gaps (ms @ s into the run):");
    for (const auto &[gap, at] : probe.worst(5))
        std::printf(" %.1f@%.2f", gap, at);
    std::printf("\n");
    if (l4) {
        std::printf("verdict L-4: app CPU %.2f cores %s 1 core: %s; %.1f SSE events per pane repaint\n", appCores,
                    appCores < 1 ? "<" : ">=", appCores < 1 ? "MET" : "NOT MET",
                    paints.panePaints ? events / static_cast<double>(paints.panePaints) : 0.0);
    } else {
        const bool allDone = t.completed == total;
        std::printf("verdict L-1: gap p99 %.1f ms %s %.0f ms: %s; every stream completed: %s; RSS growth %.1f MiB %s "
                    "%.0f MiB: %s\n",
                    g.p99, g.p99 < kStallLimitMs ? "<" : ">=", kStallLimitMs, g.p99 < kStallLimitMs ? "MET" : "NOT MET",
                    allDone ? "MET" : "NOT MET", peakGrowth,
                    peakGrowth < kRssGrowthLimitMiB ? "<" : ">=", kRssGrowthLimitMiB,
                    peakGrowth < kRssGrowthLimitMiB ? "MET" : "NOT MET");
    }
}

} // namespace

int main(int argc, char *argv[])
{
    std::setvbuf(stdout, nullptr, _IOLBF, 0); // lines appear as they are printed, even in a pipe
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    // The simulator asks for a key as the real APIs do; from the environment, the keychain is not asked.
    qputenv("SLOPSCOPE_BENCH_KEY", "sk-sim-bench");
    // The window keeps recent suites, checked targets and the theme in QSettings: not the user's.
    QStandardPaths::setTestModeEnabled(true);
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("slopscope-bench-gui-load"));
    QApplication::setOrganizationName(QStringLiteral("Slopscope"));

    const Scenario s = scenario(QApplication::arguments());
    if (s.name != "l1" && s.name != "l4") {
        std::fprintf(stderr, "usage: bench_gui_load l1 [seconds=60] [body_kilobytes_per_second=2]\n"
                             "       bench_gui_load l4 [seconds=20] [events_per_second=1000]\n");
        return 2;
    }
    int total = 0;
    for (const ProviderPlan &p : s.providers)
        total += p.streams;

    QTemporaryDir dir;
    BenchSimulator sim;
    sim.start(personas(s));
    const auto simPort = static_cast<quint16>(QUrl(sim.baseUrl()).port());
    H2Front h2;
    QString h2Note = QStringLiteral("no HTTP/2 host in this scenario");
    const bool wantH2 =
        std::any_of(s.providers.cbegin(), s.providers.cend(), [](const ProviderPlan &p) { return p.host == Host::H2; });
    bool haveH2 = false;
    if (wantH2 && dir.isValid()) {
        QString why;
        haveH2 = h2.start(dir.path(), simPort, &why);
        h2Note = haveH2 ? QStringLiteral("HTTP/2 host: nghttpx (TLS, ALPN h2) on port %1").arg(h2.port())
                        : QStringLiteral("HTTP/2 host NOT available (%1): its streams go over HTTP/1.1").arg(why);
    }
    const QString workspacePath = dir.filePath(QStringLiteral("workspace.json"));
    const QString suitePath = dir.filePath(QStringLiteral("suite.json"));
    if (!dir.isValid() ||
        !writeFile(workspacePath, workspace(s, simPort, haveH2 ? h2.port() : quint16(0), h2.caFile())) ||
        !writeFile(suitePath, suite())) {
        std::fprintf(stderr, "cannot write the workspace and suite to a temporary folder\n");
        return 2;
    }
    auto loaded = Workspace::fromFile(workspacePath);
    if (!loaded) {
        std::fprintf(stderr, "workspace: %s\n", qPrintable(loaded.error()));
        return 2;
    }

    std::printf("GUI load %s: %d streams over %d providers for %d s, one SSE event per token, on the %s platform\n",
                s.name.toUpper().constData(), total, static_cast<int>(s.providers.size()), s.seconds,
                qPrintable(QGuiApplication::platformName()));
    for (const ProviderPlan &p : s.providers)
        std::printf("  %-13s %-16s %2d streams at %.1f tokens/s, answers of %d tokens (~%.2f KB/s of body each)\n",
                    p.id.constData(), qPrintable(dialectName(p.dialect)), p.streams, tokensPerSecond(s, p.dialect),
                    answerTokens(s, p.dialect), tokensPerSecond(s, p.dialect) * eventBytes(p.dialect) / 1000);
    std::printf("%s\n", qPrintable(h2Note));

    MainWindow window;
    window.setWorkspace(loaded.value());
    if (const Status opened = window.openSuiteFile(suitePath); !opened.ok()) {
        std::fprintf(stderr, "suite: %s\n", qPrintable(opened.error()));
        return 2;
    }
    window.resize(1600, 1000);
    window.show();

    Tally t;
    PaneRepaintCounter paints;
    RunSession *session = window.session();
    QObject::connect(session, &RunSession::cellStarted, &window,
                     [&t](const QString &jobId, const QString &, const QString &, int) {
                         t.started.insert(jobId);
                         t.peakInFlight = std::max(t.peakInFlight, static_cast<int>(t.started.size()) - t.finished);
                     });
    QObject::connect(session, &RunSession::cellContent, &window,
                     [&t](const QString &, const QString &, const QList<ContentDelta> &deltas) {
                         ++t.contentSignals;
                         t.deltas += deltas.size();
                         for (const ContentDelta &d : deltas)
                             t.chars += d.text.size();
                     });
    QObject::connect(session, &RunSession::cellFinished, &window, [&t](const CellResult &c) { recordCell(t, c); });

    // Once a second: the connections the simulator holds (a stream left in Qt's per-host queue has
    // none), and the RSS.
    QTimer sampler;
    sampler.setInterval(1000);
    QObject::connect(&sampler, &QTimer::timeout, &window, [&] {
        t.peakSimConnections = std::max(t.peakSimConnections, sim.openConnections());
        t.peakRssKiB = std::max(t.peakRssKiB, processMemory().rssKiB);
    });

    EventLoopProbe probe;
    qint64 runStartNs = 0;
    qint64 wallNs = 0;
    qint64 cpuStart[3] = {};
    qint64 cpu[3] = {}; // process, GUI thread, simulator thread
    ProcessMemory memStart;
    ProcessMemory memEnd;
    bool ended = false;
    QObject::connect(session, &RunSession::runFinished, &window, [&ended, &wallNs] { ended = wallNs == 0; });
    auto stop = [&] {
        if (wallNs != 0)
            return;
        probe.stop();
        sampler.stop();
        wallNs = nowNs() - runStartNs;
        cpu[0] = processCpuNs() - cpuStart[0];
        cpu[1] = threadCpuNs() - cpuStart[1];
        cpu[2] = sim.cpuNs() - cpuStart[2];
        memEnd = processMemory();
        app.removeEventFilter(&paints);
        if (session->isRunning())
            session->cancel();
        // Let the cancellation reach the workers before the window goes.
        QTimer::singleShot(300, &window, [] { QApplication::quit(); });
    };
    QObject::connect(session, &RunSession::runFinished, &window, stop);

    // After the window has laid itself out and painted once, as a user would press Run.
    QTimer::singleShot(500, &window, [&] {
        memStart = processMemory();
        runStartNs = nowNs();
        cpuStart[0] = processCpuNs();
        cpuStart[1] = threadCpuNs();
        cpuStart[2] = sim.cpuNs();
        app.installEventFilter(&paints);
        if (!window.startRun()) {
            std::fprintf(stderr, "the run did not start\n");
            QApplication::exit(2);
            return;
        }
        probe.start(runStartNs);
        sampler.start();
        // The answers last `seconds` plus the TTFT; a GUI that falls behind gets as long again.
        QTimer::singleShot(s.seconds * 2000 + 30'000, Qt::PreciseTimer, &window, stop);
    });
    if (const int rc = QApplication::exec(); rc != 0)
        return rc;

    printReport(s, t, probe, wallNs, cpu[0], cpu[1], cpu[2], memStart, memEnd, ended, paints, total);
    return 0;
}
