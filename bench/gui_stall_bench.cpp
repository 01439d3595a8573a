// GUI event-loop stalls (issue #7): the real MainWindow, shown on the offscreen platform, runs a
// suite against N simulated targets that each stream at a given rate (the in-process simulator on
// its own thread, as the app's embedded one). A 1 ms precise timer on the GUI thread records the
// gap between its firings; a gap much longer than 1 ms is time the event loop could not run
// (appending, laying out, painting, models). Prints the gaps' count, p50, p99, max and the number
// over 50 ms, the tokens the GUI received per second (counted in the session's content signals
// with the simulator's tokenizer), the GUI thread's CPU share, and a verdict against "worst stall
// <= 50 ms". Exits 0 either way: a benchmark reports, it does not gate. Run a Release build:
//
//   bench_gui_stall [seconds=20] [targets=8] [tokens_per_second=3000]
#include "BenchSimulator.h"
#include "GuiBenchKit.h"

#include "core/Workspace.h"
#include "MainWindow.h"
#include "quality/Suite.h"
#include "run/CellResult.h"
#include "run/RunSession.h"
#include "sim/SimTokenizer.h"
#include "stream/StreamTypes.h"

#include <QAction>
#include <QApplication>
#include <QElapsedTimer>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <vector>

using namespace Slopscope;
using namespace Slopscope::Bench;

namespace {

constexpr int kAnswerTokens = 6000; // 2 s per answer at 3,000 tokens/s: the pane's text grows long
constexpr double kTtftMs = 150;
constexpr double kStallLimitMs = 50;

QByteArray personas(double tokensPerSecond)
{
    // No spread, no thinking, no faults: every stream offers exactly the asked rate.
    return R"j({"personas": [{"id": "bench-stall", "label": "GUI stall bench (simulated)", "dialect": "openai-chat",
        "ttft_ms": {"median": )j" +
           QByteArray::number(kTtftMs) + R"j(, "spread": 0}, "tokens_per_second": )j" +
           QByteArray::number(tokensPerSecond) + R"j(, "answer_tokens": )j" + QByteArray::number(kAnswerTokens) + "}]}";
}

// One provider per target, one stream at a time each: exactly `targets` streams at once, and each
// pane always shows the stream under way.
QByteArray workspace(const QString &baseUrl, int targets)
{
    QByteArray providers;
    QByteArray lineup;
    for (int i = 1; i <= targets; ++i) {
        const QByteArray n = QByteArray::number(i);
        providers += QByteArray(i > 1 ? ",\n" : "") + R"j({"id": "stall-)j" + n +
                     R"j(", "dialect": "openai-chat", "base_url": ")j" + baseUrl.toUtf8() +
                     R"j(/v1", "api_key_env": "SLOPSCOPE_BENCH_KEY", "simulated": true,
                     "max_concurrency": 1})j";
        lineup += QByteArray(i > 1 ? ",\n" : "") + R"j({"id": "target-)j" + n + R"j(", "label": "Stall target )j" + n +
                  R"j( (simulated)", "provider": "stall-)j" + n +
                  R"j(", "model": "bench-stall", "price": {"input_per_mtok": 0.1, "output_per_mtok": 0.4}})j";
    }
    return R"j({"name": "GUI stall bench", "providers": [)j" + providers + R"j(], "targets": [)j" + lineup + "]}";
}

// Enough cases that the run outlasts the measurement; prompts the simulator does not recognise,
// so each answer is the persona's filler of kAnswerTokens tokens.
QByteArray suite(int cases)
{
    QByteArray list;
    for (int i = 1; i <= cases; ++i) {
        const QByteArray n = QByteArray::number(i);
        list += QByteArray(i > 1 ? ",\n" : "") + R"j({"id": "case-)j" + n +
                R"j(", "prompt": "Tell a long story, part )j" + n +
                R"j(.", "assert": [{"type": "contains", "value": "the"}]})j";
    }
    return R"j({"name": "GUI stall bench", "cases": [)j" + list + "]}";
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
    QApplication::setApplicationName(QStringLiteral("slopscope-bench-gui-stall"));
    QApplication::setOrganizationName(QStringLiteral("Slopscope"));

    const QStringList args = QApplication::arguments();
    const int seconds = args.size() > 1 ? std::max(1, args.at(1).toInt()) : 20;
    const int targets = args.size() > 2 ? std::clamp(args.at(2).toInt(), 1, 64) : 8;
    const double tokensPerSecond = args.size() > 3 ? std::max(1.0, args.at(3).toDouble()) : 3000.0;
    const double answerSeconds = kTtftMs / 1000 + kAnswerTokens / tokensPerSecond;
    const int cases = static_cast<int>(std::ceil(seconds / answerSeconds)) + 2;

    QTemporaryDir dir;
    BenchSimulator sim;
    sim.start(personas(tokensPerSecond));
    const QString workspacePath = dir.filePath(QStringLiteral("workspace.json"));
    const QString suitePath = dir.filePath(QStringLiteral("suite.json"));
    if (!dir.isValid() || !writeFile(workspacePath, workspace(sim.baseUrl(), targets)) ||
        !writeFile(suitePath, suite(cases))) {
        std::fprintf(stderr, "cannot write the workspace and suite to a temporary folder\n");
        return 2;
    }
    auto loaded = Workspace::fromFile(workspacePath);
    if (!loaded) {
        std::fprintf(stderr, "workspace: %s\n", qPrintable(loaded.error()));
        return 2;
    }

    std::printf("GUI stall: %d targets x %.0f tokens/s offered (%.0f tokens/s), answers of %d tokens, "
                "%d cases, measured for %d s on the %s platform\n",
                targets, tokensPerSecond, targets * tokensPerSecond, kAnswerTokens, cases, seconds,
                qPrintable(QGuiApplication::platformName()));

    MainWindow window;
    window.setWorkspace(loaded.value());
    if (const Status opened = window.openSuiteFile(suitePath); !opened.ok()) {
        std::fprintf(stderr, "suite: %s\n", qPrintable(opened.error()));
        return 2;
    }
    window.resize(1600, 1000);
    window.show();

    // What the GUI thread received: content tokens and characters; cells finished and failed.
    qint64 tokens = 0;
    qint64 chars = 0;
    int cellsDone = 0;
    int cellsFailed = 0;
    QString firstError;
    bool finished = false;
    RunSession *session = window.session();
    QObject::connect(session, &RunSession::cellContent, &window,
                     [&tokens, &chars](const QString &, const QString &, const QList<ContentDelta> &deltas) {
                         for (const ContentDelta &d : deltas) {
                             tokens += SimTokenizer::count(d.text.toUtf8());
                             chars += d.text.size();
                         }
                     });
    QObject::connect(session, &RunSession::cellFinished, &window,
                     [&cellsDone, &cellsFailed, &firstError](const CellResult &c) {
                         ++cellsDone;
                         if (c.job.state != JobState::Completed) {
                             ++cellsFailed;
                             if (firstError.isEmpty())
                                 firstError = c.job.error;
                         }
                     });

    // The probe: a gap between two firings of a 1 ms timer is how long the loop could not turn.
    std::vector<double> gaps;
    gaps.reserve(static_cast<std::size_t>(seconds) * 1100);
    std::vector<std::pair<double, double>> worst; // (gap ms, seconds into the run when it ended)
    qint64 runStartNs = 0;
    qint64 lastNs = 0;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(1);
    QObject::connect(&probe, &QTimer::timeout, &window, [&] {
        const qint64 t = nowNs();
        if (lastNs != 0) {
            const double gap = static_cast<double>(t - lastNs) / 1e6;
            gaps.push_back(gap);
            worst.emplace_back(gap, static_cast<double>(t - runStartNs) / 1e9);
        }
        lastNs = t;
    });

    qint64 cpuStartNs = 0;
    qint64 wallNs = 0;
    qint64 cpuNs = 0;
    // Set only when the run ends by itself, not by the cancel at the time limit.
    QObject::connect(session, &RunSession::runFinished, &window, [&finished, &wallNs] { finished = wallNs == 0; });
    auto stop = [&] {
        if (wallNs != 0)
            return;
        probe.stop();
        wallNs = nowNs() - runStartNs;
        cpuNs = threadCpuNs() - cpuStartNs;
        if (session->isRunning())
            session->cancel();
        // Let the cancellation reach the workers before the window goes.
        QTimer::singleShot(300, &window, [] { QApplication::quit(); });
    };
    QObject::connect(session, &RunSession::runFinished, &window, stop);

    // After the window has laid itself out and painted once, as a user would press Run.
    QTimer::singleShot(500, &window, [&] {
        (void)sim.takeScheduleLagMs(); // resets: only the run's writes count
        runStartNs = nowNs();
        cpuStartNs = threadCpuNs();
        if (!window.startRun()) {
            std::fprintf(stderr, "the run did not start\n");
            QApplication::exit(2);
            return;
        }
        probe.start();
        QTimer::singleShot(seconds * 1000, Qt::PreciseTimer, &window, stop);
    });
    if (const int rc = QApplication::exec(); rc != 0)
        return rc;

    const std::array<double, 3> lag = sim.takeScheduleLagMs();
    std::vector<double> sorted = gaps;
    std::sort(sorted.begin(), sorted.end());
    const double wallS = static_cast<double>(wallNs) / 1e9;
    const auto over = std::count_if(sorted.begin(), sorted.end(), [](double g) { return g > kStallLimitMs; });
    const double maxGap = sorted.empty() ? 0 : sorted.back();
    std::printf("run: %.1f s measured (%s), %d cells finished (%d not completed)\n", wallS,
                finished ? "run ended" : "stopped at the time limit", cellsDone, cellsFailed);
    if (!firstError.isEmpty())
        std::printf("first failure: %s\n", qPrintable(firstError));
    std::printf("load: %.0f tokens/s received by the GUI (%.0f %% of %.0f offered), %.0f chars/s; "
                "simulator write lag p50 %.2f / p99 %.2f / max %.2f ms\n",
                static_cast<double>(tokens) / wallS,
                100.0 * static_cast<double>(tokens) / wallS / (targets * tokensPerSecond), targets * tokensPerSecond,
                static_cast<double>(chars) / wallS, lag[0], lag[1], lag[2]);
    std::printf("GUI thread CPU: %.0f %% of one core\n",
                100.0 * static_cast<double>(cpuNs) / static_cast<double>(wallNs));
    std::printf("event-loop gaps (1 ms timer): %zu, p50 %.2f ms, p99 %.2f ms, max %.2f ms, %lld over %.0f ms\n",
                sorted.size(), percentileOfSorted(sorted, 0.5), percentileOfSorted(sorted, 0.99), maxGap,
                static_cast<long long>(over), kStallLimitMs);
    std::sort(worst.begin(), worst.end(), [](const auto &a, const auto &b) { return a.first > b.first; });
    std::printf("worst gaps (ms @ s into the run):");
    for (std::size_t i = 0; i < std::min<std::size_t>(5, worst.size()); ++i)
        std::printf(" %.1f@%.2f", worst[i].first, worst[i].second);
    std::printf("\nverdict: worst stall %.1f ms %s %.0f ms: %s\n", maxGap, maxGap <= kStallLimitMs ? "<=" : ">",
                kStallLimitMs, maxGap <= kStallLimitMs ? "MET" : "NOT MET");
    return 0;
}
