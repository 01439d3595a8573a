#include "AppTheme.h"
#include "ArenaDialog.h"
#include "core/CoreDumps.h"
#include "core/SingleInstance.h"
#include "core/Version.h"
#include "core/Workspace.h"
#include "engine/TraceLog.h"
#include "DriftView.h"
#include "MainWindow.h"
#include "QuadrantChart.h"
#include "QuickCompareView.h"
#include "RoutingDialog.h"
#include "RunComparisonView.h"
#include "store/HistoryStore.h"
#include "StreamPaneGrid.h"
#include "TargetListWidget.h"
#include "Translations.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QMessageBox>
#include <QPointer>
#include <QTimer>

#include <cstdio>
#include <optional>

using namespace Slopscope;

namespace {

// Opens the window, lets it lay itself out, checks that it shows the workspace, and quits.
// Used by the smoke test and after installation.
int runSelfTest(MainWindow &window)
{
    window.show();
    int exitCode = 1;
    QTimer::singleShot(200, &window, [&window, &exitCode] {
        const bool shown = window.isVisible() && window.width() > 0;
        const bool hasTargets = window.targetList()->topLevelItemCount() == window.workspace().targets.size();
        exitCode = shown && hasTargets && !window.workspace().targets.isEmpty() ? 0 : 1;
        std::fprintf(stderr, "self-test: window %s, %lld target(s) listed: %s\n", shown ? "shown" : "NOT shown",
                     static_cast<long long>(window.targetList()->topLevelItemCount()), exitCode == 0 ? "ok" : "FAILED");
        QApplication::exit(exitCode);
    });
    QApplication::exec();
    return exitCode;
}

// --view compare: the newest runs of the history (up to four) side by side, for screenshots.
QWidget *compareNewestRuns(const QString &historyPath, QWidget *parent)
{
    HistoryStore store;
    auto opened = store.open(historyPath, HistoryStore::Mode::ReadOnly, StoreOpenOptions{.quickCheck = false});
    auto runs = opened ? store.listRuns() : Result<QList<RunRecord>>(Error{opened.error()});
    if (!runs || runs.value().size() < 2) {
        std::fprintf(stderr, "%s\n",
                     qPrintable(runs ? QApplication::translate("main", "The history holds fewer than two runs.")
                                     : runs.error()));
        return nullptr;
    }
    QStringList ids;
    for (const RunRecord &run : runs.value()) { // newest first
        if (ids.size() < 4 && RunComparisonView::isComparable(run))
            ids.append(run.id);
    }
    auto *comparison = new RunComparisonView(historyPath, parent);
    comparison->setWindowFlag(Qt::Window);
    comparison->setAttribute(Qt::WA_DeleteOnClose);
    comparison->compare(ids);
    comparison->show();
    return comparison;
}

} // namespace

int main(int argc, char *argv[])
{
    // Before anything can hold a key: no core file, no /proc/<pid>/mem for others (S-3).
    if (const Status dumps = disableCoreDumps(); !dumps)
        std::fprintf(stderr, "%s\n", qPrintable(dumps.error()));
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Slopscope"));
    QApplication::setOrganizationName(QStringLiteral("Slopscope"));
    QApplication::setApplicationVersion(QString::fromLatin1(kVersion));
    QApplication::setDesktopFileName(QString::fromLatin1(kAppId));
    installTranslations(app);

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "Slopscope workbench"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption workspaceOption(
        QStringLiteral("workspace"),
        QApplication::translate("main", "Open this workspace file (\"demo\" for the bundled demo)."),
        QApplication::translate("main", "file"), QStringLiteral("demo"));
    const QCommandLineOption selfTestOption(
        QStringLiteral("self-test"), QApplication::translate("main", "Open the main window, check it, and quit."));
    const QCommandLineOption screenshotOption(
        QStringLiteral("screenshot"),
        QApplication::translate("main", "Save a PNG of the main window after it settles, then quit."),
        QApplication::translate("main", "file"));
    const QCommandLineOption runOption(QStringLiteral("run"),
                                       QApplication::translate("main", "Start a run of the selected suite at once."));
    const QCommandLineOption delayOption(
        QStringLiteral("screenshot-delay"),
        QApplication::translate("main", "Milliseconds to wait before the screenshot (default 1500)."),
        QApplication::translate("main", "ms"), QStringLiteral("1500"));
    const QCommandLineOption viewOption(
        QStringLiteral("view"),
        QApplication::translate("main",
                                "Show a results page large: results (the matrix), leaderboard, diff or disagreements; "
                                "routing opens Run ▸ Routing Policies; quadrant saves the screenshot as the "
                                "chart export; settings, providers and appearance open Settings ▸ Preferences… on that page; "
                                "suite brings the Suite panel to the front; quick opens View ▸ Quick Compare; drift opens "
                                "File ▸ Drift…; compare compares the newest runs of the history (up to four); arena opens "
                                "Run ▸ Blind Arena over the run on show (with --run, once it ends)."),
        QApplication::translate("main", "page"));
    const QCommandLineOption promptOption(
        QStringLiteral("prompt"),
        QApplication::translate("main", "Send this prompt in Quick Compare to the checked targets; repeat it for a "
                                        "chat, each sent once the previous one is answered."),
        QApplication::translate("main", "text"));
    const QCommandLineOption dbOption(
        QStringLiteral("db"),
        QApplication::translate("main", "Record runs in this history database (default: the user's)."),
        QApplication::translate("main", "file"));
    const QCommandLineOption noDbOption(QStringLiteral("no-db"),
                                        QApplication::translate("main", "Do not record runs."));
    const QCommandLineOption openRunOption(
        QStringLiteral("open-run"),
        QApplication::translate("main", "Show this run of the history (its id) instead of an empty window."),
        QApplication::translate("main", "run-id"));
    const QCommandLineOption policiesOption(
        QStringLiteral("policies"),
        QApplication::translate("main", "Load this routing policy file: its policies are replayed over each run and "
                                        "drawn on the quadrant."),
        QApplication::translate("main", "file"));
    const QCommandLineOption themeOption(
        QStringLiteral("theme"),
        QApplication::translate("main", "Use this theme for this start only: system, light or dark."),
        QApplication::translate("main", "theme"));
    const QCommandLineOption traceOption(
        QStringLiteral("trace"), QApplication::translate("main", "Log each request (credentials shown as ***) and the "
                                                                 "scheduler's decisions to stderr."));
    parser.addOption(traceOption);
    parser.addOption(themeOption);
    parser.addOption(policiesOption);
    parser.addOption(openRunOption);
    parser.addOption(dbOption);
    parser.addOption(noDbOption);
    parser.addOption(viewOption);
    parser.addOption(promptOption);
    parser.addOption(runOption);
    parser.addOption(delayOption);
    parser.addOption(workspaceOption);
    parser.addOption(selfTestOption);
    parser.addOption(screenshotOption);
    parser.process(app);
    if (parser.isSet(traceOption))
        enableTraceLogging();
    // Before any window exists, so none is drawn twice.
    AppTheme::apply(AppTheme::fromKey(parser.value(themeOption)).value_or(AppTheme::saved()));

    // One window per history database (RELIABILITY.md F-11): a second start raises the first. The
    // self-test and screenshots are short-lived probes and need no lock.
    const QString historyPath = parser.isSet(dbOption) ? parser.value(dbOption) : HistoryStore::defaultPath();
    std::optional<SingleInstance> instance;
    if (!parser.isSet(noDbOption) && !parser.isSet(selfTestOption) && !parser.isSet(screenshotOption)) {
        instance.emplace(historyPath + QStringLiteral(".lock"));
        switch (instance->claim()) {
        case SingleInstance::Claim::First:
            break;
        case SingleInstance::Claim::AlreadyRunning: {
            const bool raised = instance->activateOther();
            std::fprintf(stderr, "%s\n",
                         qPrintable(raised ? QApplication::translate(
                                                 "main", "Slopscope is already running (pid %1); its window was "
                                                         "brought to the front.")
                                                 .arg(instance->otherPid())
                                           : QApplication::translate(
                                                 "main", "Slopscope is already running (pid %1) with %2.")
                                                 .arg(instance->otherPid())
                                                 .arg(QDir::toNativeSeparators(historyPath))));
            return 0;
        }
        case SingleInstance::Claim::Failed:
            // Not fatal: the database itself is safe with two writers; only the "raise" is lost.
            std::fprintf(stderr, "%s\n", qPrintable(instance->error()));
            break;
        }
    }

    MainWindow window;
    if (instance) {
        QObject::connect(&*instance, &SingleInstance::activationRequested, &window, [&window] {
            window.setWindowState((window.windowState() & ~Qt::WindowMinimized) | Qt::WindowActive);
            window.show();
            window.raise();
            window.activateWindow();
        });
    }
    const QString workspacePath = parser.value(workspaceOption);
    if (workspacePath == u"demo") {
        window.setWorkspace(Workspace::demo());
    } else {
        auto loaded = Workspace::fromFile(workspacePath);
        if (!loaded) {
            std::fprintf(stderr, "%s\n", qPrintable(loaded.error()));
            if (!parser.isSet(selfTestOption))
                QMessageBox::critical(nullptr, QApplication::translate("main", "Cannot open workspace"),
                                      loaded.error());
            return 2;
        }
        window.setWorkspace(loaded.value(), workspacePath);
    }

    if (parser.isSet(selfTestOption))
        return runSelfTest(window);
    if (!parser.isSet(noDbOption)) {
        // A history that cannot be opened is named in a box asking whether to go on without it
        // (RELIABILITY F-12); quitting there ends the app with status 3.
        QObject::connect(&window, &MainWindow::quitRequested, &window, [] { QCoreApplication::exit(3); });
        const Status history = window.setHistoryPath(historyPath);
        if (!history.ok())
            std::fprintf(stderr, "%s\n", qPrintable(history.error()));
    }
    if (parser.isSet(policiesOption)) {
        const Status loaded = window.loadRoutingPolicies(parser.value(policiesOption));
        if (!loaded.ok()) {
            std::fprintf(stderr, "%s\n", qPrintable(loaded.error()));
            return 2;
        }
    }
    if (parser.isSet(openRunOption)) {
        const Status shown = window.showRecordedRun(parser.value(openRunOption));
        if (!shown.ok()) {
            std::fprintf(stderr, "%s\n", qPrintable(shown.error()));
            return 2;
        }
    }

    std::optional<MainWindow::ResultsPage> page;
    bool routingView = false;
    bool quadrantView = false;
    bool suiteView = false;
    bool arenaView = false;
    bool quickView = parser.isSet(promptOption);
    bool driftView = false;
    bool compareView = false;
    std::optional<SettingsDialog::Page> settingsPage;
    if (parser.isSet(viewOption)) {
        const QString view = parser.value(viewOption);
        if (view == u"routing")
            routingView = true;
        else if (view == u"quadrant")
            quadrantView = true;
        else if (view == u"suite")
            suiteView = true;
        else if (view == u"settings" || view == u"keys")
            settingsPage = SettingsDialog::Page::Keys;
        else if (view == u"providers")
            settingsPage = SettingsDialog::Page::Providers;
        else if (view == u"appearance")
            settingsPage = SettingsDialog::Page::Appearance;
        else if (view == u"results" || view == u"matrix")
            page = MainWindow::ResultsPage::Matrix;
        else if (view == u"leaderboard")
            page = MainWindow::ResultsPage::Leaderboard;
        else if (view == u"diff")
            page = MainWindow::ResultsPage::Diff;
        else if (view == u"disagreements")
            page = MainWindow::ResultsPage::Disagreements;
        else if (view == u"quick")
            quickView = true;
        else if (view == u"drift")
            driftView = true;
        else if (view == u"compare")
            compareView = true;
        else if (view == u"arena")
            arenaView = true;
        else {
            std::fprintf(stderr, "%s\n",
                         qPrintable(QApplication::translate(
                                        "main", "Unknown view %1: use results, leaderboard, diff, disagreements, "
                                                "routing, quadrant, suite, settings, providers, appearance, quick, drift, "
                                                "compare or arena.")
                                        .arg(view)));
            return 2;
        }
    }

    window.show();
    if (page)
        QTimer::singleShot(0, &window, [&window, page] { window.showResults(*page, true); });
    if (routingView)
        QTimer::singleShot(0, &window, [&window] { window.showRoutingPolicies(); });
    if (suiteView)
        QTimer::singleShot(0, &window, [&window] { window.showSuiteEditor(); });
    if (settingsPage)
        QTimer::singleShot(0, &window, [&window, settingsPage] { window.showSettings(*settingsPage); });
    if (quickView)
        QTimer::singleShot(0, &window, [&window] { window.showQuickCompare(true); });
    if (arenaView && !parser.isSet(runOption))
        QTimer::singleShot(0, &window, [&window] { window.showArena(); });
    if (parser.isSet(promptOption))
        QTimer::singleShot(0, &window, [&window, prompts = parser.values(promptOption)] {
            window.quickCompare()->sendPrompts(prompts);
        });
    if (parser.isSet(runOption))
        QTimer::singleShot(0, &window, [&window] { window.startRun(); });
    QPointer<QWidget> extraWindow; // the drift or comparison window a --view opened
    if (driftView)
        QTimer::singleShot(0, &window, [&window, &extraWindow] { extraWindow = window.showDrift(); });
    if (compareView)
        QTimer::singleShot(0, &window, [&window, &extraWindow, historyPath] {
            extraWindow = compareNewestRuns(historyPath, &window);
        });
    if (parser.isSet(screenshotOption)) {
        const QString path = parser.value(screenshotOption);
        const int delay = std::max(0, parser.value(delayOption).toInt());
        QTimer::singleShot(delay, &window, [&window, &extraWindow, path, page, routingView, quadrantView, quickView,
                                            settingsPage, arenaView] {
            if (page)
                window.showResults(*page, true);
            if (quickView)
                window.showQuickCompare(true);
            // The routing view is its own window: the picture is of the dialog. The quadrant one is
            // what File ▸ Export Quadrant writes.
            QWidget *shown = routingView ? static_cast<QWidget *>(window.routingDialog()) : &window;
            if (settingsPage && window.settingsDialog())
                shown = window.settingsDialog();
            if (extraWindow)
                shown = extraWindow;
            if (arenaView) {
                if (ArenaDialog *arena = window.showArena())
                    shown = arena;
            }
            // A question the window asks at start (a damaged history) is what the user sees.
            if (QWidget *modal = QApplication::activeModalWidget(); modal && !quadrantView)
                shown = modal;
            const bool saved = quadrantView ? window.quadrant()->exportTo(path) : shown->grab().save(path);
            std::fprintf(stderr, "screenshot %s: %s\n", qPrintable(path), saved ? "saved" : "FAILED");
            QApplication::exit(saved ? 0 : 1);
        });
    }
    return QApplication::exec();
}
