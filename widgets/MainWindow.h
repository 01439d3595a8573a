#pragma once

#include "core/Result.h"
#include "core/Workspace.h"
#include "quality/Suite.h"
#include "ProxyCredentialsDialog.h" // QPointer needs the complete type
#include "SettingsDialog.h"

#include <QDateTime>
#include <QHash>
#include <QMainWindow>
#include <QPointer>
#include <QSet>

#include <functional>
#include <memory>
#include <optional>

class QAction;
class QCheckBox;
class QDoubleSpinBox;
class QComboBox;
class QLabel;
class QMenu;
class QProgressBar;
class QSpinBox;
class QToolBar;
class QDockWidget;
class QTabWidget;
class QTimer;
class QUndoStack;
class QCloseEvent;
class QDragEnterEvent;
class QDropEvent;

namespace Slopscope {

class AddTargetDialog;
class ArenaDialog;
class DiffView;
class DriftView;
class LeaderboardModel;
class LeaderboardView;
class NWayDiffView;
class PriceCatalogue;
class ProviderStatusBoard;
struct JobResult;
class ProviderStatusStrip;
class QuadrantChart;
class QuadrantControls;
class QuickCompareView;
class RoutingDialog;
struct RoutingFetch;
class ResultMatrixModel;
class ResultMatrixView;
struct RecordedRun;
class HistoryWriter;
class KeyringSecrets;
class KeyStore;
class RunRecorder;
class RunSession;
struct OpenReport;
struct StoreProblem;
class StreamPaneGrid;
class SuiteEditor;
class TargetListWidget;
struct CellResult;
struct ContentDelta;
struct ProviderStatus;
struct TargetSummary;

// The workbench: the lineup on the left, one live pane per target in the middle, the quadrant on
// the right, and a run bar to pick a suite, press Run and watch progress and spend.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    enum class ResultsPage { Matrix, Leaderboard, Diff, Disagreements };
    Q_ENUM(ResultsPage)
    // The answer to "save the changes to the suite?".
    enum class UnsavedChoice { Save, Discard, Cancel };

    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // `path` is the workspace's file, where File ▸ Save Workspace writes; empty for the bundled demo.
    void setWorkspace(const Workspace &workspace, const QString &path = {});
    [[nodiscard]] const Workspace &workspace() const { return m_workspace; }
    // Adds a suite to the run bar's list and selects it, in the Suite panel too; `path` is the
    // file Save writes to (empty: Save asks). Unsaved edits of the suite shown before are dropped:
    // callers that may replace a user's work ask with maybeSaveSuite() first.
    void addSuite(const Suite &suite, const QString &path = {});

    // The Suite panel and its file handling (MainWindowSuites.cpp).
    [[nodiscard]] SuiteEditor *suiteEditor() const { return m_suiteEditor; }
    // The file of the suite in the Suite panel; empty for a new or bundled one.
    [[nodiscard]] QString suitePath() const;
    // Opens a suite file into the run bar and the panel (or selects and reloads it when it is
    // already there). A file the parser refuses changes nothing and returns its specific error.
    Status openSuiteFile(const QString &path);
    // Saves the panel's suite to `path`; refused, with the reason, while the suite has a problem.
    Status saveSuiteTo(const QString &path);
    // File ▸ Save Suite: to its file, or through Save As when it has none. False when not saved.
    bool saveSuite();
    bool saveSuiteAs();
    void newSuite();
    // File ▸ Recent Suites, newest first (QSettings "suites/recent", at most kMaxRecentSuites).
    [[nodiscard]] static QStringList recentSuites();
    static constexpr int kMaxRecentSuites = 8;
    // Opens a recent file; one that is gone leaves the list with a word in the status bar.
    void openRecentSuite(const QString &path);
    // Asks whether to save unsaved suite edits; false when the user cancelled (or saving failed).
    bool maybeSaveSuite();
    // A seam for tests: answers maybeSaveSuite's question instead of a message box.
    void setUnsavedChangesPrompt(std::function<UnsavedChoice()> prompt) { m_unsavedPrompt = std::move(prompt); }
    void showSuiteEditor();

    [[nodiscard]] TargetListWidget *targetList() const { return m_targets; }
    [[nodiscard]] StreamPaneGrid *streamPanes() const { return m_panes; }
    [[nodiscard]] QuadrantChart *quadrant() const { return m_quadrant; }
    [[nodiscard]] QuadrantControls *quadrantControls() const { return m_quadrantControls; }
    [[nodiscard]] RunSession *session() const { return m_session; }
    [[nodiscard]] ResultMatrixModel *resultMatrixModel() const { return m_matrixModel; }
    [[nodiscard]] LeaderboardModel *leaderboardModel() const { return m_leaderboardModel; }
    [[nodiscard]] ResultMatrixView *resultMatrixView() const { return m_matrixView; }
    [[nodiscard]] ProviderStatusStrip *providerStatusStrip() const { return m_providerStrip; }
    [[nodiscard]] LeaderboardView *leaderboardView() const { return m_leaderboard; }
    [[nodiscard]] DiffView *diffView() const { return m_diff; }
    [[nodiscard]] NWayDiffView *disagreementsView() const { return m_disagreements; }
    [[nodiscard]] QTabWidget *resultsTabs() const { return m_resultsTabs; }
    [[nodiscard]] QAction *runAction() const { return m_run; }
    [[nodiscard]] QAction *stopAction() const { return m_stop; }
    [[nodiscard]] QString progressText() const;

    // Starts a run of the selected suite on the checked targets; false (with a message) when it
    // cannot start.
    bool startRun();
    // Shows the Results dock on a page; `enlarge` gives it most of the window's height.
    void showResults(ResultsPage page, bool enlarge = false);
    // Records every run from now on into the history database at `path` (created, migrated or
    // recovered by HistoryStore::open). Fails with the reason when it cannot be opened (a
    // read-only or missing folder…): a box then names it and asks whether to continue without
    // history or quit (quitRequested); until the user agrees, no run starts. Without a call nothing is recorded. A damaged file
    // is replaced only after the user chose between its latest backup and an empty history.
    Status setHistoryPath(const QString &path);
    // The user is being asked whether to go on without the history setHistoryPath could not open.
    [[nodiscard]] bool isAwaitingHistoryConsent() const { return m_awaitingHistoryConsent; }
    // Writes the current run's results to `path`, the format by extension, as slopscope-cli
    // does: a report (.html, .pdf, .md), a chart (.png, .svg), a summary (.json), the results
    // (.jsonl, .csv).
    Status exportResults(const QString &path);
    // The id of the run being recorded, or of the last one; empty without a history.
    [[nodiscard]] QString recordedRunId() const;
    // The run Quick Compare's latest exchange is recorded as; empty without a history.
    [[nodiscard]] QString recordedQuickCompareRunId() const;

    // Shows a run of the history in every results view, from the database alone (nothing is
    // sent); Export Results then writes that run. Refused while a run is going.
    Status showRecordedRun(const QString &runId);
    // The run showRecordedRun put on screen; empty once a new run starts.
    [[nodiscard]] QString shownRunId() const;
    // showRecordedRun loads the matrix's needs only; reports, the arena and routing replays read
    // every cell in full, so they load the rest first (once per shown run).
    Status completeShownRun();
    // File ▸ History: the browser over the history file setHistoryPath opened.
    void showHistory();
    // File ▸ Drift: one target across the recorded runs, in a window of its own (raised when open).
    DriftView *showDrift();

    // Run ▸ Routing Policies: the session's policies (created on first use and kept until the
    // window closes), replayed over the run the views show; their points join the quadrant.
    [[nodiscard]] RoutingDialog *routingDialog();
    void showRoutingPolicies();
    // Loads a policy file into the session's policies (as the dialog's Load does).
    Status loadRoutingPolicies(const QString &path);

    // Settings ▸ Preferences…: a fresh dialog for the current workspace, on `page`.
    void showSettings(SettingsDialog::Page page = SettingsDialog::Page::Keys);
    [[nodiscard]] SettingsDialog *settingsDialog() const { return m_settings; }
    // The proxy credentials prompt while it is open (askProxyCredentials), else null.
    [[nodiscard]] ProxyCredentialsDialog *proxyCredentialsDialog() const { return m_proxyDialog; }
    // The keys of this window's runs, over the system keychain; created on first use and made
    // the one RunSession consults.
    [[nodiscard]] KeyringSecrets *secrets();
    // Keys from `store` (borrowed) instead of the system keychain: a seam for tests. Call it
    // before setWorkspace, which loads the workspace's keys.
    void useKeyStore(KeyStore *store);
    // Run ▸ Add Target (MainWindowTargets.cpp): opens the dialog, discovery running, and
    // returns it; null while a run is going. Accepting it calls addTarget().
    AddTargetDialog *showAddTarget();
    // Adds `provider` (when given) and `target` to the workspace, checked in the lineup. Both
    // edits go on targetEdits() (Run ▸ Undo, Ctrl+Z); opening another workspace clears it.
    Status addTarget(const TargetConfig &target, const std::optional<ProviderConfig> &provider = std::nullopt);
    Status removeTarget(const QString &id);
    [[nodiscard]] QUndoStack *targetEdits() const { return m_targetEdits; }
    // Settings ▸ Providers (MainWindowWorkspace.cpp): `next` replaces the workspace as one change on
    // targetEdits(), named `text`; refused during a run.
    Status editWorkspace(const Workspace &next, const QString &text);
    // File ▸ Save Workspace: through WorkspaceWriter to workspacePath(), or through Save As when it
    // has none (the demo). False when not saved. Unsaved means targetEdits() is not clean.
    [[nodiscard]] QString workspacePath() const { return m_workspacePath; }
    [[nodiscard]] bool isWorkspaceModified() const;
    Status saveWorkspaceTo(const QString &path);
    bool saveWorkspace();
    bool saveWorkspaceAs();
    // Asks whether to save unsaved workspace edits (through setUnsavedChangesPrompt's seam too);
    // false when the user cancelled or saving failed.
    bool maybeSaveWorkspace();
    // A seam for tests: answers Save Workspace As's file dialog (given the suggested path).
    void setSaveFileNamePrompt(std::function<QString(const QString &)> prompt)
    {
        m_saveFileNamePrompt = std::move(prompt);
    }
    // View ▸ Quick Compare (MainWindowQuickCompare.cpp): a chat with the checked targets whose
    // exchanges can be saved into the selected suite.
    [[nodiscard]] QuickCompareView *quickCompare() const { return m_quickCompare; }
    void showQuickCompare(bool enlarge = false);
    // Appends `suiteCase` to the selected suite (a new one when there is none), its id made unique.
    void saveQuickCompareCase(const SuiteCase &suiteCase);
    // Run ▸ Blind Arena (MainWindowArena.cpp): pairwise votes over the run on screen (a history run
    // opened from File ▸ History, or the last run), saved with it when it is recorded. Null, with
    // a word why, when there is no finished run to vote on.
    ArenaDialog *showArena();
    // The arena on a recorded run of the history (the history browser's Open in Arena); null,
    // with the reason in the status bar, when it cannot be opened.
    ArenaDialog *showArenaOnRun(const QString &runId);

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

Q_SIGNALS:
    // The user chose to quit rather than run without a history (setHistoryPath).
    void quitRequested();

private:
    void createActions();
    // The run bar's spend cap and the Run menu's options, kept in QSettings (MainWindowRunOptions.cpp).
    void createSpendCap(QToolBar *bar);
    void createRunOptionActions(QMenu *run);
    // The spend cap for runs and quick-compare chats; nullopt at "no cap".
    [[nodiscard]] std::optional<double> spendCap() const;
    // The Suite dock, tabbed with the Targets one, and its File and Edit actions.
    void createSuiteDock();
    void createSuiteActions(QMenu *file, QMenu *edit);
    void createWorkspaceActions(QMenu *file); // MainWindowWorkspace.cpp
    // Settings ▸ Providers says why it cannot be edited while a run is going.
    void lockWorkspaceEdits(bool running);
    // The bundled price catalogue for Add Target and Preferences; null when it cannot be read.
    static const PriceCatalogue *dialogCatalogue();
    void fillRecentMenu();
    static void rememberRecentSuite(const QString &path);
    // Open with the questions and messages of the menus: unsaved changes, a refused file.
    void openSuiteInteractively(const QString &path);
    // Shows the run bar's entry `index` in the Suite panel.
    void showSuite(int index);
    void onSuiteChosen(int index);
    void onSuiteEdited();
    void updateTitle();
    // Ctrl+Z undoes suite edits while the Suite panel has the focus, target changes elsewhere.
    void routeUndoShortcuts(QWidget *focus);
    void createLanguageMenu(QMenu *menu);
    // Loads from the keychain the keys the workspace's real providers use, in the background.
    void loadKeys();
    // Before a run: asks before a stored key goes to a host it was never used with (a provider's
    // base URL changed, RELIABILITY S-11); false when the user declined.
    bool confirmKeyHosts(const QList<TargetConfig> &lineup);
    // Before a run (MainWindowNetwork.cpp): a provider that would send its key over plain HTTP to
    // a host that is not loopback, without the workspace's "allow_insecure_key" nor an "always"
    // for that host, is refused by the engine: ask first (S-7). Allow once / Always for this host /
    // Cancel (the run goes, and the engine refuses that host's cells). The allowed hosts go to the
    // session as data. Always true: kept a bool to sit beside confirmKeyHosts.
    bool confirmPlainHttpKeys(const QList<TargetConfig> &lineup);
    // A proxy answered 407 (F-16): asks for its credentials once per run, without blocking (the
    // dialog is window-modal and answers through a signal); they go to the session for the next run.
    void askProxyCredentials(const JobResult &job);
    void createRunBar();
    void createResults();
    void createDisagreements(); // MainWindowDisagreements.cpp
    // The quadrant's dock: its controls above the chart (MainWindowQuadrant.cpp).
    void createQuadrant();
    // Plots a target's figures, the quality over the wordings the controls chose.
    void plotSummary(const TargetSummary &summary);
    // Plots every target again: the quality's wordings changed.
    void replotQuadrant();
    void onMatrixCellSelected(int row, int column);
    void loadBundledSuites(); // MainWindowSuites.cpp
    void openWorkspace();
    void showAbout();
    void updateRunActions();
    void onCellStarted(const QString &jobId, const QString &targetId, const QString &caseId, int attempt);
    void onCellContent(const QString &jobId, const QString &targetId, const QList<ContentDelta> &deltas);
    void onCellFinished(const CellResult &cell);
    void onSummary(const TargetSummary &summary);
    void onProviderStatus(const ProviderStatus &status);
    void onProgress(int done, int total, double spentUsd);
    void onRunFinished(bool cancelled);
    void onHistoryProblem(const StoreProblem &problem);
    void onDispatchHeld(bool held, const QString &reason);
    void askToContinueWithoutHistory(const QString &error);
    void startRecording(const QString &path);
    void offerHistoryBackup(const OpenReport &report);
    void resetResults(const Suite &suite, const QList<TargetConfig> &lineup);
    void createRoutingActions(QMenu *menu);
    void createArenaAction(QMenu *menu);
    void createTargetActions(QMenu *menu);
    void createQuickCompare(QMenu *viewMenu);
    // The workspace with other targets, without clearing the last run's results.
    void applyTargets(const Workspace &workspace);
    // Gives the routing dialog the run on screen (or says there is none yet) to replay.
    void updateRoutingRun();
    void updatePolicyPoints();
    // The routing dialog's Fetch: sends what the replays lack, recorded into the run on show, then
    // shows that run again from the history once the writer has it.
    void fetchForRouting(const RoutingFetch &fetch);
    void fetchCommitted(const QStringList &jobIds);
    void fetchFinished();
    void endFetch();
    // The run the dialog replays, when it is in the history: the one on show, or the last run.
    [[nodiscard]] QString routingRunId() const;

    Workspace m_workspace;
    QList<Suite> m_suites;
    QStringList m_suitePaths; // per entry of m_suites: its file, empty when it has none
    int m_editorIndex = -1;   // the entry the Suite panel shows
    std::function<UnsavedChoice()> m_unsavedPrompt;
    QString m_workspacePath; // empty for the bundled demo
    std::function<QString(const QString &)> m_saveFileNamePrompt;
    RunSession *m_session = nullptr; // child
    std::unique_ptr<HistoryWriter> m_historyWriter;
    std::unique_ptr<RunRecorder> m_recorder;
    std::unique_ptr<RunRecorder> m_quickRecorder; // Quick Compare's exchanges, each a run of its own
    // The job each pane is showing: the latest one started for its target.
    QHash<QString, QString> m_paneJob;
    QDateTime m_runStartedAt;
    QList<TargetConfig> m_lineup; // the targets of the run the views show
    QString m_historyPath;
    bool m_awaitingHistoryConsent = false; // RELIABILITY F-12: no unrecorded run without a yes
    std::unique_ptr<RecordedRun> m_shownRun; // set while a run of the history is on screen

    TargetListWidget *m_targets = nullptr; // children, owned through the window
    StreamPaneGrid *m_panes = nullptr;
    QuadrantChart *m_quadrant = nullptr;
    QuadrantControls *m_quadrantControls = nullptr;
    QDockWidget *m_quadrantDock = nullptr;
    QDockWidget *m_targetsDock = nullptr;
    QDockWidget *m_suiteDock = nullptr;
    SuiteEditor *m_suiteEditor = nullptr;
    QMenu *m_recentMenu = nullptr;
    QDockWidget *m_resultsDock = nullptr;
    QTabWidget *m_resultsTabs = nullptr;
    ResultMatrixModel *m_matrixModel = nullptr;
    LeaderboardModel *m_leaderboardModel = nullptr;
    ResultMatrixView *m_matrixView = nullptr;
    LeaderboardView *m_leaderboard = nullptr;
    DiffView *m_diff = nullptr;
    NWayDiffView *m_disagreements = nullptr;
    QComboBox *m_suiteBox = nullptr;
    QSpinBox *m_repeats = nullptr;
    QCheckBox *m_variants = nullptr;
    QDoubleSpinBox *m_spendCap = nullptr;
    QAction *m_retryTruncated = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_spend = nullptr;
    QLabel *m_workspaceStatus = nullptr;
    ProviderStatusBoard *m_providerStatus = nullptr; // each provider's latest state, for the strip
    ProviderStatusStrip *m_providerStrip = nullptr;
    QAction *m_run = nullptr;
    QAction *m_stop = nullptr;
    QAction *m_history = nullptr;
    QAction *m_drift = nullptr;
    QPointer<DriftView> m_driftView; // child window while open
    RoutingDialog *m_routing = nullptr;  // child, created on first use
    KeyringSecrets *m_secrets = nullptr; // child, created on first use
    QPointer<SettingsDialog> m_settings; // child while open
    QPointer<ProxyCredentialsDialog> m_proxyDialog; // child while open
    bool m_proxyAskedThisRun = false;
    QUndoStack *m_targetEdits = nullptr; // child
    int m_keysLoading = 0;       // keychain loads under way (loadKeys)
    bool m_runAfterKeys = false; // Run was pressed while they were: start when they end
    // A routing fetch under way: the run it records into, and the results not yet on disk.
    QString m_fetchRunId;
    QSet<QString> m_fetchUncommitted;
    bool m_fetchSessionDone = false;
    int m_fetchAnswers = 0;        // answers the fetch sends
    QTimer *m_fetchWait = nullptr; // child: gives up waiting for the writer
    QuickCompareView *m_quickCompare = nullptr; // child of its dock
    QDockWidget *m_quickCompareDock = nullptr;
    // The arena dialog while it is open (it deletes itself on close).
    QPointer<ArenaDialog> m_arena;
};

} // namespace Slopscope
