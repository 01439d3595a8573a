#include "RoutingDialog.h"

// RoutingDialog's work off the GUI thread: the replays of the policies and targets, and the two
// search questions. Each takes copies or the shared read-only evaluator, never the dialog.

#include "routing/RoutingEvaluator.h"
#include "routing/RoutingSearch.h"
#include "RoutingComparisonModel.h"

#include <QDoubleSpinBox>
#include <QFutureWatcher>
#include <QLabel>
#include <QListWidget>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <cmath>
#include <utility>

namespace Slopscope {

namespace {

// Two policies route alike when all but their names and descriptions agree.
bool sameRoute(RoutingPolicy a, RoutingPolicy b)
{
    a.name.clear();
    b.name.clear();
    a.description.clear();
    b.description.clear();
    return a == b;
}

} // namespace

// One replay of every policy and target, computed off the GUI thread.
struct RoutingDialog::Replays
{
    QList<RoutingEvaluation> policies;
    QList<RoutingEvaluation> targets;
    int generation = 0;
};

struct RoutingDialog::SearchAnswer
{
    std::optional<RoutingPolicy> policy;
    qsizetype considered = 0;
    int generation = 0;
};

void RoutingDialog::reevaluate()
{
    const int generation = ++m_replayGeneration;
    if (!m_evaluator) {
        m_replaying = false;
        applyReplays(Replays{{}, {}, generation});
        return;
    }
    // A large run with many policies takes long enough to freeze the window: replay on the pool.
    // Edits keep coming meanwhile; only the latest replay is shown.
    m_replaying = true;
    refreshList();
    updateButtons();
    auto *watcher = new QFutureWatcher<Replays>(this);
    connect(watcher, &QFutureWatcher<Replays>::finished, this, [this, watcher] {
        watcher->deleteLater();
        const Replays replays = watcher->result();
        if (replays.generation != m_replayGeneration)
            return; // a newer replay is on its way
        m_replaying = false;
        applyReplays(replays);
    });
    watcher->setFuture(
        QtConcurrent::run([evaluator = m_evaluator, policies = m_policies, lineup = m_lineup, generation] {
            Replays replays;
            replays.generation = generation;
            for (const RoutingPolicy &p : policies)
                replays.policies.append(evaluator->evaluate(p));
            for (const QString &id : lineup)
                replays.targets.append(evaluator->evaluate(RoutingPolicy::singleTarget(id)));
            return replays;
        }));
}

void RoutingDialog::applyReplays(const Replays &replays)
{
    m_policyEvaluations = replays.policies;
    m_targetEvaluations = replays.targets;
    QList<MissingItem> missing;
    for (const RoutingEvaluation &e : std::as_const(m_policyEvaluations))
        missing.append(e.missing);
    m_plannedFetch = RoutingFetch::plan(missing, m_lineup);
    if (std::exchange(m_seedSearchLimits, false)) {
        // Start the questions from the run itself: the strongest target's quality as the floor,
        // the dearest target's cost as the ceiling.
        double bestQuality = 0.0;
        double dearest = 0.0;
        for (const RoutingEvaluation &e : std::as_const(m_targetEvaluations)) {
            bestQuality = std::max(bestQuality, e.quality.value_or(0.0));
            dearest = std::max(dearest, e.costPer1000Cases.value_or(0.0));
        }
        if (bestQuality > 0)
            m_floor->setValue(std::floor(bestQuality * 1000.0) / 10.0);
        if (dearest > 0)
            m_ceiling->setValue(dearest);
    }
    m_model->setEvaluations(m_policyEvaluations, m_targetEvaluations);
    refreshList();
    if (const int row = m_list->currentRow(); row >= 0)
        selectTableRow(m_policies.at(row).name);
    showMissing();
    updateButtons();
    Q_EMIT evaluationsChanged();
}

void RoutingDialog::findCheapest(double qualityFloor)
{
    startSearch(true, qualityFloor);
}

void RoutingDialog::findBestUnder(double costCeilingPer1000Cases)
{
    startSearch(false, costCeilingPer1000Cases);
}

void RoutingDialog::startSearch(bool cheapest, double limit)
{
    if (!m_evaluator || m_searching)
        return;
    m_searching = true;
    updateButtons();
    m_searchResult->setText(tr("Searching…"));
    // The session's own policies come first, so a tie goes to one the user already has.
    auto *watcher = new QFutureWatcher<SearchAnswer>(this);
    connect(watcher, &QFutureWatcher<SearchAnswer>::finished, this, [this, watcher] {
        watcher->deleteLater();
        searchDone(watcher->result());
    });
    watcher->setFuture(
        QtConcurrent::run([evaluator = m_evaluator, own = m_policies, cheapest, limit, generation = m_runGeneration] {
            QList<RoutingPolicy> candidates = own;
            candidates += RoutingSearch::enumerate(*evaluator, RoutingSearch::Options{});
            const QList<RoutingEvaluation> all = RoutingSearch::evaluateAll(*evaluator, candidates);
            const std::optional<qsizetype> pick =
                cheapest ? RoutingSearch::cheapestMeeting(all, limit) : RoutingSearch::bestUnder(all, limit);
            SearchAnswer answer;
            answer.considered = all.size();
            answer.generation = generation;
            if (pick)
                answer.policy = all.at(*pick).policy;
            return answer;
        }));
}

void RoutingDialog::searchDone(const SearchAnswer &answer)
{
    m_searching = false;
    updateButtons();
    if (answer.generation != m_runGeneration) {
        m_searchResult->setText(tr("The run changed during the search: ask again."));
        Q_EMIT searchFinished(QString());
        return;
    }
    if (!answer.policy) {
        m_searchResult->setText(
            tr("None of the %1 policies considered meets it (with a known cost and quality).").arg(answer.considered));
        Q_EMIT searchFinished(QString());
        return;
    }
    QString name;
    for (const RoutingPolicy &p : std::as_const(m_policies)) {
        if (sameRoute(p, *answer.policy))
            name = p.name;
    }
    if (name.isEmpty())
        name = addPolicy(*answer.policy);
    selectPolicy(name);
    m_searchResult->setText(tr("Answer, out of %1 policies: \"%2\" (selected in the list and the table).")
                                .arg(answer.considered)
                                .arg(name));
    Q_EMIT searchFinished(name);
}

} // namespace Slopscope
