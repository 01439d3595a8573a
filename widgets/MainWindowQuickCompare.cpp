// MainWindow's quick compare: the dock, View ▸ Quick Compare, and saving an exchange into the
// selected suite.

#include "MainWindow.h"

#include "DiffView.h"
#include "QuickCompareView.h"
#include "SuiteEditor.h"
#include "run/QuickCompareSession.h"
#include "run/RunSpec.h"
#include "store/RunRecorder.h"
#include "TargetListWidget.h"

#include <QAction>
#include <QComboBox>
#include <QDockWidget>
#include <QMenu>
#include <QStatusBar>

namespace Slopscope {

void MainWindow::createQuickCompare(QMenu *viewMenu)
{
    m_quickCompareDock = new QDockWidget(tr("Quick Compare"), this);
    m_quickCompareDock->setObjectName(QStringLiteral("quickCompareDock"));
    m_quickCompare = new QuickCompareView(m_quickCompareDock);
    m_quickCompareDock->setWidget(m_quickCompare);
    addDockWidget(Qt::BottomDockWidgetArea, m_quickCompareDock);
    // A page beside the results rather than a new area: the live panes and quadrant keep their room.
    tabifyDockWidget(m_resultsDock, m_quickCompareDock);
    m_resultsDock->raise();

    m_quickCompare->setPrepare([this](QuickCompareSession &session) -> Status {
        if (m_keysLoading > 0)
            return Error{tr("The keychain is still giving the workspace's API keys; send again in a moment.")};
        session.setWorkspace(m_workspace);
        session.setTargetIds(m_targets->checkedTargetIds());
        session.setMaxCostUsd(spendCap());
        return {};
    });
    // Each exchange is a run in the history (kind "quick_compare"), recorded like a suite run:
    // cell by cell as answers finish, so a crash keeps what was acknowledged. No history (--no-db),
    // no recorder: nothing is written.
    m_quickCompare->session()->setBeforeStart([this](RunSession &run, const RunSpec &spec) {
        if (!m_quickRecorder)
            return;
        m_quickRecorder->attach(&run);
        m_quickRecorder->begin(spec);
    });
    connect(m_quickCompare, &QuickCompareView::caseSaved, this, &MainWindow::saveQuickCompareCase);
    connect(m_quickCompare, &QuickCompareView::diffRequested, this,
            [this](const QString &leftTitle, const QString &left, const QString &rightTitle, const QString &right) {
                m_diff->setTexts(leftTitle, left, rightTitle, right);
                showResults(ResultsPage::Diff, true);
            });

    QAction *show = viewMenu->addAction(tr("&Quick Compare"), this, [this] { showQuickCompare(); });
    show->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_K));
    show->setToolTip(tr("Send one prompt or a chat to every checked target (Ctrl+K)"));
}

QString MainWindow::recordedQuickCompareRunId() const
{
    return m_quickRecorder ? m_quickRecorder->runId() : QString();
}

void MainWindow::showQuickCompare(bool enlarge)
{
    m_quickCompareDock->show();
    m_quickCompareDock->raise();
    m_quickCompare->setFocus(Qt::ShortcutFocusReason);
    if (enlarge)
        resizeDocks({m_quickCompareDock}, {height() * 3 / 4}, Qt::Vertical);
}

void MainWindow::saveQuickCompareCase(const SuiteCase &suiteCase)
{
    int index = m_suiteBox->currentIndex();
    if (index < 0 || index >= m_suites.size()) {
        Suite suite;
        suite.name = tr("Quick compare cases");
        addSuite(suite);
        index = static_cast<int>(m_suites.size()) - 1;
    }
    if (index != m_editorIndex)
        showSuite(index);
    // Through the Suite panel, so the case is one undoable edit and the suite shows as unsaved.
    const QString id = m_suiteEditor->appendCase(suiteCase);
    statusBar()->showMessage(tr("Saved as case \"%1\" in the suite \"%2\".").arg(id, m_suiteEditor->suite().name), 10'000);
    updateRunActions();
}

} // namespace Slopscope
