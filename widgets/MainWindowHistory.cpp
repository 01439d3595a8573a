// MainWindow's side of the history: the browser, and a recorded run shown in every results view.
#include "MainWindow.h"

#include "HistoryBrowser.h"
#include "QuadrantChart.h"
#include "run/RunSession.h"
#include "store/RecordedRun.h"
#include "StreamPaneGrid.h"
#include "views/LeaderboardModel.h"
#include "views/ResultMatrixModel.h"
#include "views/RunListModel.h"

#include <QAction>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QProgressBar>
#include <QStatusBar>

namespace Slopscope {

void MainWindow::resetResults(const Suite &suite, const QList<TargetConfig> &lineup)
{
    m_shownRun.reset();
    m_lineup = lineup;
    m_panes->clearAll();
    m_paneJob.clear();
    m_quadrant->clearPoints();
    m_matrixModel->setSuite(suite);
    m_matrixModel->setTargets(lineup);
    m_leaderboardModel->setTargets(lineup);
}

Status MainWindow::showRecordedRun(const QString &runId)
{
    if (m_session->isRunning())
        return Error{tr("Stop the current run before opening another from the history.")};
    if (m_historyPath.isEmpty())
        return Error{tr("No history is open.")};
    auto loaded = RecordedRun::load(m_historyPath, runId);
    if (!loaded)
        return Error{loaded.error()};
    auto run = std::make_unique<RecordedRun>(std::move(loaded.value()));

    resetResults(run->spec.suite, run->lineup());
    for (const CellResult &cell : std::as_const(run->cells)) {
        m_matrixModel->addCell(cell);
        m_leaderboardModel->addCell(cell);
    }
    const QList<TargetSummary> summaries = run->summaries();
    for (const TargetSummary &summary : summaries)
        onSummary(summary);
    m_progress->setRange(0, std::max(run->record.plannedCells, 1));
    m_progress->setValue(run->record.okCells);
    m_spend->setText(tr("spent $%1").arg(QLocale().toString(run->record.costUsd, 'f', 4)));
    statusBar()->showMessage(tr("Showing the recorded run of %1 from %2 (%3): nothing was sent.")
                                 .arg(run->record.suiteName,
                                      QLocale().toString(run->record.startedAt.toLocalTime(), QLocale::ShortFormat),
                                      RunListModel::stateText(run->record.state)));
    m_shownRun = std::move(run);
    showResults(ResultsPage::Matrix);
    return {};
}

QString MainWindow::shownRunId() const
{
    return m_shownRun ? m_shownRun->record.id : QString();
}

void MainWindow::showHistory()
{
    if (m_historyPath.isEmpty())
        return;
    HistoryBrowser browser(m_historyPath, this);
    if (m_shownRun)
        browser.selectRun(m_shownRun->record.id);
    connect(&browser, &HistoryBrowser::openRequested, this, [this, &browser](const QString &runId) {
        const Status shown = showRecordedRun(runId);
        if (shown.ok())
            browser.accept();
        else
            QMessageBox::warning(&browser, tr("Cannot open the run"), shown.error());
    });
    browser.exec();
}

} // namespace Slopscope
