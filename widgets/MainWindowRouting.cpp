// MainWindow's side of routing: Run ▸ Routing Policies, the run the dialog replays, and the
// policies' points on the quadrant.
#include "MainWindow.h"

#include "QuadrantChart.h"
#include "QuadrantControls.h"
#include "RoutingDialog.h"
#include "run/RunSession.h"
#include "store/HistoryWriter.h"
#include "store/RecordedRun.h"
#include "store/RunRecorder.h"
#include "store/RunSnapshot.h"

#include <QAction>
#include <QLocale>
#include <QMenu>
#include <QTimer>

namespace Slopscope {

void MainWindow::createRoutingActions(QMenu *menu)
{
    menu->addSeparator();
    QAction *routing = menu->addAction(tr("Routing &Policies…"), this, &MainWindow::showRoutingPolicies);
    routing->setObjectName(QStringLiteral("routingAction"));
    routing->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    routing->setToolTip(tr("Replay routing policies over this run's results (Ctrl+Shift+R)"));
    // A run starting or ending changes what there is to replay.
    connect(m_session, &RunSession::runStarted, this, &MainWindow::updateRoutingRun);
    connect(m_session, &RunSession::runFinished, this, &MainWindow::updateRoutingRun);
}

RoutingDialog *MainWindow::routingDialog()
{
    if (!m_routing) {
        m_routing = new RoutingDialog(this);
        connect(m_routing, &RoutingDialog::evaluationsChanged, this, &MainWindow::updatePolicyPoints);
        connect(m_routing, &RoutingDialog::fetchRequested, this, &MainWindow::fetchForRouting);
        connect(m_session, &RunSession::cellFinished, this, [this](const CellResult &cell) {
            if (!m_fetchRunId.isEmpty())
                m_fetchUncommitted.insert(cell.job.jobId);
        });
        connect(m_session, &RunSession::runFinished, this, [this] {
            if (!m_fetchRunId.isEmpty())
                fetchFinished();
        });
        m_fetchWait = new QTimer(this);
        m_fetchWait->setSingleShot(true);
        m_fetchWait->setInterval(15'000);
        connect(m_fetchWait, &QTimer::timeout, this, &MainWindow::endFetch);
        updateRoutingRun();
    }
    return m_routing;
}

void MainWindow::showRoutingPolicies()
{
    RoutingDialog *dialog = routingDialog();
    // Modeless: the quadrant stays in view and usable while policies are edited.
    dialog->show();
    dialog->raise();
    dialog->activateWindow();
}

Status MainWindow::loadRoutingPolicies(const QString &path)
{
    return routingDialog()->loadFile(path);
}

void MainWindow::updateRoutingRun()
{
    if (!m_routing)
        return;
    if (m_fetchRunId.isEmpty()) {
        if (m_session->isRunning())
            m_routing->setFetchAvailable(false, tr("A run is going."));
        else if (!m_recorder)
            m_routing->setFetchAvailable(false, tr("Fetching records into the history, and none is open."));
        else
            m_routing->setFetchAvailable(!routingRunId().isEmpty());
    }
    QStringList lineup;
    for (const TargetConfig &t : std::as_const(m_lineup))
        lineup.append(t.id);
    const Status complete = completeShownRun();
    if (!complete.ok()) {
        m_routing->clearRun(complete.error());
    } else if (m_shownRun) {
        m_routing->setRun(
            m_shownRun->cells, m_shownRun->spec.suite, lineup,
            tr("the recorded run of %1")
                .arg(QLocale().toString(m_shownRun->record.startedAt.toLocalTime(), QLocale::ShortFormat)));
    } else if (m_session->isRunning()) {
        m_routing->clearRun(tr("A run is going: its results are replayed when it ends."));
    } else if (!m_session->results().isEmpty()) {
        m_routing->setRun(m_session->results(), m_session->spec().suite, lineup, tr("the last run"));
    } else {
        m_routing->clearRun(tr("No finished run to replay yet: run a suite, or open one from File ▸ History."));
    }
}

void MainWindow::updatePolicyPoints()
{
    QList<QuadrantPolicyPoint> points;
    // A replay grades the canonical wording only: beside another quality its point would mislead.
    if (m_quadrantControls->qualityScope() != QualityScope::Canonical) {
        m_quadrant->setPolicyPoints(points);
        return;
    }
    const QList<RoutingEvaluation> evaluations =
        m_routing ? m_routing->policyEvaluations() : QList<RoutingEvaluation>();
    for (const RoutingEvaluation &e : evaluations) {
        QuadrantPolicyPoint p;
        p.name = e.policy.name;
        p.summary = e.policy.summary();
        p.costPer1000Cases = e.costPer1000Cases;
        p.p95LatencyMs = e.latencyP95Ms;
        p.quality = e.quality;
        p.qualityLow = e.qualityLow;
        p.qualityHigh = e.qualityHigh;
        p.escalatedShare = e.policy.kind == RoutingPolicy::Kind::BestOfN ? std::nullopt : e.escalatedShare;
        p.n = e.cases;
        points.append(p);
    }
    m_quadrant->setPolicyPoints(points);
}

QString MainWindow::routingRunId() const
{
    if (m_shownRun)
        return m_shownRun->record.id;
    if (m_recorder && !m_session->isRunning() && !m_session->results().isEmpty())
        return m_recorder->runId();
    return {};
}

void MainWindow::fetchForRouting(const RoutingFetch &fetch)
{
    const QString runId = routingRunId();
    if (runId.isEmpty() || !m_recorder || m_session->isRunning() || !m_fetchRunId.isEmpty())
        return;
    RunSpec recorded;
    QList<CellResult> cells;
    if (m_shownRun) {
        if (const Status complete = completeShownRun(); !complete.ok()) {
            m_routing->setFetching(false, tr("Cannot fetch: %1").arg(complete.error()));
            return;
        }
        // The history keeps no key or header: the open workspace gives the providers back.
        auto withProviders = RunSnapshot::withProvidersFrom(m_shownRun->spec, m_workspace);
        if (!withProviders) {
            m_routing->setFetching(false, tr("Cannot fetch: %1").arg(withProviders.error()));
            return;
        }
        recorded = withProviders.value();
        cells = m_shownRun->cells;
    } else {
        recorded = m_session->spec();
        cells = m_session->results();
    }
    auto fetchSpec = RoutingFetch::spec(recorded, cells, fetch, m_workspace);
    if (!fetchSpec) {
        m_routing->setFetching(false, tr("Cannot fetch: %1").arg(fetchSpec.error()));
        return;
    }
    m_fetchRunId = runId;
    m_fetchUncommitted.clear();
    m_fetchSessionDone = false;
    m_fetchAnswers = static_cast<int>(fetch.answerJobIds.size());
    m_recorder->resume(runId);
    const Status started = m_session->start(fetchSpec.value());
    if (!started.ok()) {
        m_fetchRunId.clear();
        m_routing->setFetching(false, tr("Cannot fetch: %1").arg(started.error()));
        updateRoutingRun();
        return;
    }
    m_routing->setFetching(true, tr("Fetching %n answer(s)", nullptr, static_cast<int>(fetch.answerJobIds.size())) +
                                     u' ' + tr("and %n judge call(s)…", nullptr, fetch.judgeCalls()));
    connect(m_historyWriter.get(), &HistoryWriter::committed, this, &MainWindow::fetchCommitted, Qt::UniqueConnection);
    updateRunActions();
}

void MainWindow::fetchCommitted(const QStringList &jobIds)
{
    if (m_fetchRunId.isEmpty())
        return;
    for (const QString &id : jobIds)
        m_fetchUncommitted.remove(id);
    if (m_fetchSessionDone && m_fetchUncommitted.isEmpty())
        endFetch();
}

void MainWindow::fetchFinished()
{
    // The views show the run from the history, so wait until the writer has every result.
    m_fetchSessionDone = true;
    if (m_fetchUncommitted.isEmpty())
        endFetch();
    else
        m_fetchWait->start();
}

void MainWindow::endFetch()
{
    if (m_fetchRunId.isEmpty())
        return;
    m_fetchWait->stop();
    const QString runId = std::exchange(m_fetchRunId, QString());
    const bool cancelled = !m_session->stopReason().isEmpty();
    QString status = cancelled ? tr("The fetch stopped: %1.").arg(m_session->stopReason())
                               : tr("Fetched %n answer(s)", nullptr, m_fetchAnswers) + u' ' +
                                     tr("and %n judge call(s).", nullptr, m_session->judgeCallsMade());
    if (const QStringList skipped = m_session->extraVerdictsSkipped(); !skipped.isEmpty())
        status +=
            u' ' + tr("(%n verdict(s) or pick(s) could not be asked: %1)", nullptr, static_cast<int>(skipped.size()))
                       .arg(skipped.first());
    if (!m_fetchUncommitted.isEmpty())
        status += u' ' + tr("%n result(s) were still being written; the history will have them.", nullptr,
                            static_cast<int>(m_fetchUncommitted.size()));
    m_fetchUncommitted.clear();
    if (const Status shown = showRecordedRun(runId); !shown.ok())
        status = tr("Fetched, but the run cannot be shown again: %1").arg(shown.error());
    m_routing->setFetching(false, status);
    updateRoutingRun();
}

} // namespace Slopscope
