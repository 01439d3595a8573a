#pragma once

#include "core/Result.h"
#include "quality/Suite.h"
#include "routing/RoutingEvaluation.h"
#include "routing/RoutingFetch.h"
#include "run/CellResult.h"

#include <QDialog>

#include <memory>

class QDoubleSpinBox;
class QLabel;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace Slopscope {

class RoutingComparisonModel;
class RoutingEvaluator;
class RoutingPolicyEditor;

// Run ▸ Routing Policies: the session's routing policies, edited and saved as a policy file
// (docs/ROUTING.md), each replayed over the cells of the run the main window shows, compared in
// one table with the run's single targets, and the two search questions. A replay sends nothing:
// it needs the answers and verdicts the run recorded and lists the ones it lacks; Fetch asks the
// main window (fetchRequested) to send just those, recorded into the same run.
class RoutingDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RoutingDialog)

public:
    explicit RoutingDialog(QWidget *parent = nullptr);
    ~RoutingDialog() override;

    // The run to replay: its cells, suite and lineup (target ids, the run's order). `source` says
    // which run it is ("the live run", "a recorded run of …").
    void setRun(const QList<CellResult> &cells, const Suite &suite, const QStringList &lineup, const QString &source);
    // No run to replay (none yet, or one is going): the policies stay, without figures.
    void clearRun(const QString &reason);
    [[nodiscard]] bool hasRun() const { return m_evaluator != nullptr; }

    [[nodiscard]] QList<RoutingPolicy> policies() const { return m_policies; }
    void setPolicies(const QList<RoutingPolicy> &policies);
    // Adds a policy, its name made unique ("name (2)"); returns the name it got.
    QString addPolicy(RoutingPolicy policy);
    // Load replaces the list with the file's policies; on error the list is kept and the
    // message (file:line:column: field: problem) is shown in the dialog and returned.
    Status loadFile(const QString &path);
    Status saveFile(const QString &path);

    // The replays, in the order of policies() (empty without a run), and of the lineup's targets.
    // They are computed off the GUI thread after every change of the run or the policies; until
    // the latest is in (isReplaying()), these are the previous ones. evaluationsChanged says when.
    [[nodiscard]] bool isReplaying() const { return m_replaying; }
    [[nodiscard]] QList<RoutingEvaluation> policyEvaluations() const { return m_policyEvaluations; }
    [[nodiscard]] QList<RoutingEvaluation> targetEvaluations() const { return m_targetEvaluations; }

    // The search questions, answered off the GUI thread over the policies above plus
    // RoutingSearch::enumerate's; searchFinished tells the answer (added to the list) or "".
    void findCheapest(double qualityFloor);
    void findBestUnder(double costCeilingPer1000Cases);
    [[nodiscard]] bool isSearching() const { return m_searching; }

    // Applies the editor to the selected policy; false (with the reason shown) when it is invalid.
    bool applyEdit();
    void selectPolicy(const QString &name);

    [[nodiscard]] RoutingComparisonModel *comparisonModel() const { return m_model; }
    [[nodiscard]] QTableView *comparisonView() const { return m_table; }
    [[nodiscard]] QListWidget *policyList() const { return m_list; }
    [[nodiscard]] RoutingPolicyEditor *editor() const { return m_editor; }
    [[nodiscard]] QDoubleSpinBox *qualityFloorBox() const { return m_floor; }
    [[nodiscard]] QDoubleSpinBox *costCeilingBox() const { return m_ceiling; }
    [[nodiscard]] QString messageText() const;
    [[nodiscard]] QString missingText() const;
    [[nodiscard]] QString runText() const;

    // What the policies' replays lack, planned as one fetch (RoutingFetch::plan over the lineup).
    [[nodiscard]] RoutingFetch plannedFetch() const { return m_plannedFetch; }
    // Emits fetchRequested with plannedFetch(), without asking; the button asks first.
    void fetchMissing();
    // Whether the run on show can take a fetch (it is in the history, no run is going); `why`
    // says why not, beside the disabled button.
    void setFetchAvailable(bool available, const QString &why = {});
    // A fetch is going (the button waits) or has ended; `status` is shown beside the button.
    void setFetching(bool fetching, const QString &status);
    [[nodiscard]] bool isFetching() const { return m_fetching; }
    [[nodiscard]] QString fetchStatusText() const;
    [[nodiscard]] QPushButton *fetchButton() const { return m_fetch; }

Q_SIGNALS:
    // The policies or their figures changed: the quadrant redraws its policy points.
    void evaluationsChanged();
    void searchFinished(const QString &policyName);
    void fetchRequested(const Slopscope::RoutingFetch &fetch);

private:
    struct SearchAnswer;
    struct Replays;
    void buildUi();
    void reevaluate();
    void applyReplays(const Replays &replays);
    void refreshList();
    void showMessage(const QString &text, bool error);
    void showMissing();
    void selectTableRow(const QString &policyName);
    void startSearch(bool cheapest, double limit);
    void searchDone(const SearchAnswer &answer);
    void addNewPolicy(RoutingPolicy::Kind kind);
    void removeSelected();
    void loadInteractively();
    void saveInteractively();
    void fetchInteractively();
    void updateButtons();
    [[nodiscard]] QString uniqueName(const QString &wanted, qsizetype except = -1) const;

    QList<RoutingPolicy> m_policies;
    QList<RoutingEvaluation> m_policyEvaluations;
    QList<RoutingEvaluation> m_targetEvaluations;
    RoutingFetch m_plannedFetch;
    std::shared_ptr<const RoutingEvaluator> m_evaluator; // shared with a search running off the GUI thread
    QStringList m_lineup;
    QString m_filePath;
    bool m_searching = false;
    bool m_fetching = false;
    bool m_fetchAvailable = false;
    QString m_fetchUnavailable;
    int m_runGeneration = 0;    // a search answer for an earlier run is dropped
    int m_replayGeneration = 0; // a replay older than the latest change is dropped
    bool m_replaying = false;
    bool m_seedSearchLimits = false; // the first replay of a run sets the floor and the ceiling
    QString m_runSource;

    QLabel *m_runLabel = nullptr;
    QListWidget *m_list = nullptr;
    RoutingPolicyEditor *m_editor = nullptr;
    QPushButton *m_apply = nullptr;
    QPushButton *m_remove = nullptr;
    QLabel *m_message = nullptr;
    RoutingComparisonModel *m_model = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    QTableView *m_table = nullptr;
    QDoubleSpinBox *m_floor = nullptr;
    QDoubleSpinBox *m_ceiling = nullptr;
    QPushButton *m_findCheapest = nullptr;
    QPushButton *m_findBest = nullptr;
    QLabel *m_searchResult = nullptr;
    QPlainTextEdit *m_missing = nullptr;
    QPushButton *m_fetch = nullptr;
    QLabel *m_fetchStatus = nullptr;
};

} // namespace Slopscope
