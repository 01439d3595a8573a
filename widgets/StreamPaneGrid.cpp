#include "StreamPaneGrid.h"

#include "StreamPane.h"

#include <QGridLayout>
#include <QLabel>
#include <QResizeEvent>
#include <QVBoxLayout>

namespace Slopscope {

namespace {
constexpr int kMaxColumns = 4;
constexpr int kMaxVisibleRows = 3; // 4 × 3 = twelve panes visible before scrolling
constexpr int kMinPaneWidth = 280;
constexpr int kMinPaneHeight = 180;
} // namespace

StreamPaneGrid::StreamPaneGrid(QWidget *parent)
    : QWidget(parent)
{
    m_caseTitle = new QLabel(this);
    m_caseTitle->setTextFormat(Qt::PlainText);
    m_caseTitle->setWordWrap(true);
    m_caseTitle->setObjectName(QStringLiteral("caseTitle"));
    m_caseTitle->setMargin(4);

    m_canvas = new QWidget;
    m_grid = new QGridLayout(m_canvas);
    m_grid->setContentsMargins(0, 0, 0, 0);
    m_grid->setSpacing(6);

    m_scroll = new QScrollArea(this);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setWidget(m_canvas);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_caseTitle);
    layout->addWidget(m_scroll, 1);
    setCaseTitle({});
}

void StreamPaneGrid::setTargets(const QList<TargetConfig> &targets)
{
    for (const auto &pane : std::as_const(m_order)) {
        if (pane) {
            pane->hide(); // gone from view now, not when the event loop gets to the deletion
            pane->deleteLater();
        }
    }
    m_order.clear();
    m_panes.clear();
    for (const auto &target : targets) {
        auto *pane = new StreamPane(target.id, target.label, target.color, m_canvas);
        m_order.append(pane);
        m_panes.insert(target.id, pane);
    }
    relayout();
}

void StreamPaneGrid::setCaseTitle(const QString &title)
{
    m_caseTitle->setText(title.isEmpty() ? tr("No case running.") : title);
}

StreamPane *StreamPaneGrid::pane(const QString &targetId) const
{
    return m_panes.value(targetId);
}

void StreamPaneGrid::clearAll()
{
    for (const auto &pane : std::as_const(m_order)) {
        if (pane)
            pane->clear();
    }
}

void StreamPaneGrid::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    const int fit = std::max(1, std::min(kMaxColumns, event->size().width() / kMinPaneWidth));
    if (fit != m_columns)
        relayout();
}

void StreamPaneGrid::relayout()
{
    const auto count = static_cast<int>(m_order.size());
    const int fit = std::max(1, std::min(kMaxColumns, width() / kMinPaneWidth));
    m_columns = std::max(1, std::min(count, fit));
    while (m_grid->count() > 0)
        delete m_grid->takeAt(0); // the layout item only; the pane lives on
    const int rows = (count + m_columns - 1) / m_columns;
    const int visibleRows = std::min(rows, kMaxVisibleRows);
    const int viewport = m_scroll->viewport()->height();
    const int paneHeight = visibleRows > 0 ? std::max(kMinPaneHeight, viewport / visibleRows - 6) : kMinPaneHeight;
    for (int i = 0; i < count; ++i) {
        StreamPane *pane = m_order.at(i);
        pane->setMinimumHeight(rows > kMaxVisibleRows ? paneHeight : kMinPaneHeight);
        m_grid->addWidget(pane, i / m_columns, i % m_columns);
    }
    for (int c = 0; c < kMaxColumns; ++c)
        m_grid->setColumnStretch(c, c < m_columns ? 1 : 0);
}

} // namespace Slopscope
