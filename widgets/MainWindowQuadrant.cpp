// MainWindow's quadrant dock: the controls bar above the chart, and each target's point with the
// quality over the wordings the bar chose.
#include "MainWindow.h"

#include "QuadrantChart.h"
#include "QuadrantControls.h"
#include "run/RunSession.h"
#include "run/ScopedQuality.h"
#include "store/RecordedRun.h"

#include <QDockWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace Slopscope {

void MainWindow::createQuadrant()
{
    m_quadrantDock = new QDockWidget(tr("Quadrant"), this);
    m_quadrantDock->setObjectName(QStringLiteral("quadrantDock"));
    auto *box = new QWidget(m_quadrantDock);
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    m_quadrantControls = new QuadrantControls(nullptr, box);
    m_quadrant = new QuadrantChart(box);
    m_quadrant->setMinimumSize(420, 320);
    layout->addWidget(m_quadrantControls);
    layout->addWidget(m_quadrant, 1);
    m_quadrantDock->setWidget(box);
    addDockWidget(Qt::RightDockWidgetArea, m_quadrantDock);

    m_quadrantControls->attach(m_quadrant);
    m_quadrant->setQualityTitle(QuadrantControls::qualityTitle(m_quadrantControls->qualityScope()));
    connect(m_quadrantControls, &QuadrantControls::qualityScopeChanged, this, &MainWindow::replotQuadrant);
}

void MainWindow::plotSummary(const TargetSummary &summary)
{
    const auto target = std::find_if(m_lineup.cbegin(), m_lineup.cend(),
                                     [&summary](const TargetConfig &t) { return t.id == summary.targetId; });
    if (target == m_lineup.cend())
        return;
    QuadrantPoint p;
    p.targetId = target->id;
    p.label = target->label;
    p.color = target->color;
    p.costPer1000Cases = summary.costPer1000Cases;
    p.blendedPricePerMTok = summary.blendedPricePerMTok;
    p.medianTtftMs = summary.medianTtftMs;
    p.decodeTokensPerSecond = summary.medianDecodeTokensPerSecond;
    p.p95LatencyMs = summary.p95LatencyMs;
    p.quality = summary.quality;
    p.qualityLow = summary.qualityLow;
    p.qualityHigh = summary.qualityHigh;
    p.n = summary.cases;
    const QualityScope scope = m_quadrantControls->qualityScope();
    if (scope != QualityScope::Canonical) {
        // The summary carries the canonical figure only; the others come from the same cells.
        const QList<CellResult> &cells = m_shownRun ? m_shownRun->cells : m_session->results();
        const Suite &suite = m_shownRun ? m_shownRun->spec.suite : m_session->spec().suite;
        const ScopedQuality q = scopedQuality(summary.targetId, cells, scope, &suite);
        p.quality = q.quality;
        p.qualityLow = q.low;
        p.qualityHigh = q.high;
        p.n = q.cases;
    }
    m_quadrant->setPoint(p);
}

void MainWindow::replotQuadrant()
{
    m_quadrant->setQualityTitle(QuadrantControls::qualityTitle(m_quadrantControls->qualityScope()));
    const QList<TargetSummary> summaries = m_shownRun ? m_shownRun->summaries() : m_session->summaries();
    for (const TargetSummary &summary : summaries)
        plotSummary(summary);
    updatePolicyPoints();
}

} // namespace Slopscope
