// MainWindow's Disagreements page: every target's answer to the case selected in the matrix,
// with the numbers, dates and names they disagree on marked.

#include "MainWindow.h"

#include "NWayDiffView.h"
#include "ResultMatrixView.h"

#include <QTabWidget>

namespace Slopscope {

void MainWindow::createDisagreements()
{
    m_disagreements = new NWayDiffView(m_matrixModel, m_resultsTabs);
    m_disagreements->setAccessibleName(tr("Disagreements between the answers"));
    m_resultsTabs->addTab(m_disagreements, tr("Disa&greements"));
    // Follows the matrix, as the diff does: the case of the selected cell.
    connect(m_matrixView, &ResultMatrixView::cellSelected, m_disagreements,
            [this](int row, int) { m_disagreements->showCase(row); });
}

} // namespace Slopscope
