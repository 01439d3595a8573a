// MainWindow's side of routing: Run ▸ Routing Policies, the run the dialog replays, and the
// policies' points on the quadrant.
#include "MainWindow.h"

#include "QuadrantChart.h"
#include "RoutingDialog.h"
#include "run/RunSession.h"
#include "store/RecordedRun.h"

#include <QAction>
#include <QLocale>
#include <QMenu>

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
    QStringList lineup;
    for (const TargetConfig &t : std::as_const(m_lineup))
        lineup.append(t.id);
    if (m_shownRun) {
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

} // namespace Slopscope
