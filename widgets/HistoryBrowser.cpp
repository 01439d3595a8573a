#include "HistoryBrowser.h"

#include "DriftView.h"
#include "RunComparisonView.h"
#include "run/RunSpec.h"
#include "store/HistoryStore.h"
#include "views/ArenaRunModel.h"
#include "views/RunListModel.h"

#include <QAction>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QHeaderView>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QRegularExpression>
#include <QShortcut>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QHBoxLayout>
#include <QVBoxLayout>

#include <algorithm>

namespace Slopscope {

HistoryBrowser::HistoryBrowser(QString historyPath, QWidget *parent)
    : QDialog(parent)
    , m_historyPath(std::move(historyPath))
    , m_model(new RunListModel(this))
    , m_kindProxy(new QSortFilterProxyModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
{
    setWindowTitle(tr("History"));
    setObjectName(QStringLiteral("historyBrowser"));

    // Two proxies, each with its own filter: the kind box's, then the text box's.
    m_kindProxy->setSourceModel(m_model);
    m_kindProxy->setFilterRole(RunListModel::KindRole);
    m_kindProxy->setFilterKeyColumn(0);
    m_proxy->setSourceModel(m_kindProxy);
    m_proxy->setSortRole(RunListModel::SortRole);
    m_proxy->setFilterRole(RunListModel::FilterRole);
    m_proxy->setFilterKeyColumn(0);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);

    m_filter = new QLineEdit(this);
    m_filter->setObjectName(QStringLiteral("historyFilter"));
    m_filter->setPlaceholderText(tr("Filter by suite, prompt, target, state or run id"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setAccessibleName(tr("Filter runs"));
    connect(m_filter, &QLineEdit::textChanged, this, &HistoryBrowser::setFilterText);
    m_kindFilter = new QComboBox(this);
    m_kindFilter->setObjectName(QStringLiteral("historyKindFilter"));
    m_kindFilter->addItem(tr("All runs"), static_cast<int>(KindFilter::All));
    m_kindFilter->addItem(tr("Suite runs"), static_cast<int>(KindFilter::SuiteRuns));
    m_kindFilter->addItem(tr("Quick compares"), static_cast<int>(KindFilter::QuickCompares));
    m_kindFilter->setAccessibleName(tr("Show runs of kind"));
    m_kindFilter->setToolTip(tr("Suite runs, quick-compare exchanges, or both"));
    connect(m_kindFilter, &QComboBox::currentIndexChanged, this,
            [this](int index) { setKindFilter(static_cast<KindFilter>(m_kindFilter->itemData(index).toInt())); });
    auto *find = new QShortcut(QKeySequence::Find, this);
    connect(find, &QShortcut::activated, m_filter, [this] { m_filter->setFocus(Qt::ShortcutFocusReason); });

    m_view = new QTableView(this);
    m_view->setObjectName(QStringLiteral("historyRuns"));
    m_view->setModel(m_proxy);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    // Several runs (Ctrl/Shift+click, Shift+arrows) to compare them; the other actions take one.
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(RunListModel::StartedColumn, Qt::DescendingOrder);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setSectionResizeMode(RunListModel::SuiteColumn, QHeaderView::Stretch);
    m_view->setAccessibleName(tr("Recorded runs"));
    // Enter reaches Open, the default button, from the table and the filter alike.
    connect(m_view, &QTableView::doubleClicked, this, &HistoryBrowser::openSelected);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &HistoryBrowser::updateButtons);
    // The arena is a context action: the button row is full, and it acts on one run.
    m_arena = new QAction(tr("Open in &Arena…"), this);
    m_arena->setObjectName(QStringLiteral("historyOpenInArena"));
    m_arena->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A)); // as Blind Arena in the window
    m_arena->setToolTip(tr("Vote blind on this run's answers, two at a time (Ctrl+Shift+A)"));
    connect(m_arena, &QAction::triggered, this, [this] {
        if (m_arena->isEnabled())
            emit arenaRequested(selectedRunId());
    });
    m_view->addAction(m_arena);
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);
    auto *remove = new QShortcut(QKeySequence::Delete, m_view);
    connect(remove, &QShortcut::activated, this, &HistoryBrowser::askToDelete);

    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("historyMessage"));
    m_message->setWordWrap(true);
    m_message->setTextFormat(Qt::PlainText); // it quotes file paths and store errors
    m_message->setTextFormat(Qt::PlainText); // paths and database errors are shown as they are

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_open = buttons->addButton(tr("&Open"), QDialogButtonBox::AcceptRole);
    m_open->setDefault(true);
    m_export = buttons->addButton(tr("&Export Run…"), QDialogButtonBox::ActionRole);
    m_delete = buttons->addButton(tr("&Delete Run…"), QDialogButtonBox::DestructiveRole);
    m_compare = buttons->addButton(tr("Co&mpare"), QDialogButtonBox::ActionRole); // Alt+C may be Close
    m_compare->setObjectName(QStringLiteral("historyCompare"));
    m_compare->setToolTip(tr("Compare the selected runs side by side; select two or more with Ctrl or Shift (Ctrl+D)"));
    m_drift = buttons->addButton(tr("D&rift…"), QDialogButtonBox::ActionRole);
    m_drift->setObjectName(QStringLiteral("historyDrift"));
    m_drift->setToolTip(tr("One target's quality, speed and cost across every run (Ctrl+Shift+D)"));
    // The dialog stays open after an action; Close is the only way out.
    connect(m_open, &QPushButton::clicked, this, &HistoryBrowser::openSelected);
    connect(m_export, &QPushButton::clicked, this, &HistoryBrowser::askToExport);
    connect(m_delete, &QPushButton::clicked, this, &HistoryBrowser::askToDelete);
    connect(m_compare, &QPushButton::clicked, this, &HistoryBrowser::compareSelected);
    connect(m_drift, &QPushButton::clicked, this, &HistoryBrowser::showDrift);
    // Ctrl shortcuts beside the buttons' Alt mnemonics, which setShortcut would replace.
    auto *compare = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_D), this);
    connect(compare, &QShortcut::activated, m_compare, [this] {
        if (m_compare->isEnabled())
            m_compare->animateClick();
    });
    auto *drift = new QShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D), this);
    connect(drift, &QShortcut::activated, m_drift, [this] {
        if (m_drift->isEnabled())
            m_drift->animateClick();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *filters = new QHBoxLayout;
    filters->addWidget(m_filter, 1);
    filters->addWidget(m_kindFilter);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(filters);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_message);
    layout->addWidget(buttons);
    resize(900, 480);

    reload();
}

HistoryBrowser::~HistoryBrowser() = default;

bool HistoryBrowser::reload()
{
    const QString keep = selectedRunId();
    HistoryStore store;
    auto opened = store.open(m_historyPath, HistoryStore::Mode::ReadOnly, StoreOpenOptions{.quickCheck = false});
    auto runs = opened ? store.listRuns() : Result<QList<RunRecord>>(Error{opened.error()});
    if (!runs) {
        m_model->setRuns({});
        m_message->setText(tr("Cannot read the history: %1").arg(runs.error()));
        updateButtons();
        return false;
    }
    m_model->setRuns(runs.value());
    m_message->setText(runs.value().isEmpty()
                           ? tr("No run is recorded in %1 yet.").arg(QDir::toNativeSeparators(m_historyPath))
                           : tr("%n run(s) in %1", nullptr, static_cast<int>(runs.value().size()))
                                 .arg(QDir::toNativeSeparators(m_historyPath)));
    if (!keep.isEmpty())
        selectRun(keep);
    if (selectedRunId().isEmpty() && m_proxy->rowCount() > 0)
        m_view->selectRow(0);
    m_view->resizeColumnsToContents();
    updateButtons();
    return true;
}

void HistoryBrowser::setFilterText(const QString &text)
{
    if (m_filter->text() != text)
        m_filter->setText(text); // comes back here through textChanged
    m_proxy->setFilterFixedString(text);
    if (selectedRunId().isEmpty() && m_proxy->rowCount() > 0)
        m_view->selectRow(0);
    updateButtons();
}

void HistoryBrowser::setKindFilter(KindFilter filter)
{
    if (const int index = m_kindFilter->findData(static_cast<int>(filter)); index != m_kindFilter->currentIndex()) {
        m_kindFilter->setCurrentIndex(index); // comes back here through currentIndexChanged
        return;
    }
    switch (filter) {
    case KindFilter::All:
        m_kindProxy->setFilterRegularExpression(QRegularExpression());
        break;
    case KindFilter::SuiteRuns:
        m_kindProxy->setFilterRegularExpression(QRegularExpression(QStringLiteral("^$")));
        break;
    case KindFilter::QuickCompares:
        m_kindProxy->setFilterRegularExpression(
            QRegularExpression(QStringLiteral("^%1$").arg(QRegularExpression::escape(QString(kQuickCompareKind)))));
        break;
    }
    if (selectedRunId().isEmpty() && m_proxy->rowCount() > 0)
        m_view->selectRow(0);
    updateButtons();
}

QString HistoryBrowser::selectedRunId() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : rows.first().data(RunListModel::RunIdRole).toString();
}

QStringList HistoryBrowser::selectedRunIds() const
{
    QModelIndexList rows = m_view->selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end(), [](const QModelIndex &a, const QModelIndex &b) { return a.row() < b.row(); });
    QStringList ids;
    for (const QModelIndex &row : std::as_const(rows))
        ids.append(row.data(RunListModel::RunIdRole).toString());
    return ids;
}

void HistoryBrowser::selectRun(const QString &runId)
{
    for (int row = 0; row < m_proxy->rowCount(); ++row) {
        if (m_proxy->index(row, 0).data(RunListModel::RunIdRole).toString() == runId) {
            m_view->selectRow(row);
            return;
        }
    }
}

void HistoryBrowser::updateButtons()
{
    const qsizetype selected = m_view->selectionModel()->selectedRows().size();
    m_open->setEnabled(selected == 1);
    m_export->setEnabled(selected == 1);
    m_delete->setEnabled(selected == 1);
    m_compare->setEnabled(comparableRunIds().size() >= 2);
    m_drift->setEnabled(m_model->rowCount() > 0);
    const RunRecord *run = selected == 1 ? m_model->run(selectedRunId()) : nullptr;
    m_arena->setEnabled(run && ArenaRunModel::isArenaRun(*run));
}

void HistoryBrowser::openSelected()
{
    if (selectedRunIds().size() != 1)
        return; // Enter with several runs selected opens none of them
    emit openRequested(selectedRunId());
}

QStringList HistoryBrowser::comparableRunIds() const
{
    QStringList ids = selectedRunIds();
    ids.removeIf([this](const QString &id) {
        const RunRecord *run = m_model->run(id);
        return !run || !RunComparisonView::isComparable(*run);
    });
    return ids;
}

RunComparisonView *HistoryBrowser::compareSelected()
{
    // Quick-compare exchanges in the selection are left out, as drift leaves them out.
    const QStringList runIds = comparableRunIds();
    if (runIds.size() < 2)
        return nullptr;
    // A window of its own beside the browser, one per comparison; a child so the browser's
    // modality does not block it.
    auto *comparison = new RunComparisonView(m_historyPath, this);
    comparison->setWindowFlag(Qt::Window);
    comparison->setAttribute(Qt::WA_DeleteOnClose);
    comparison->compare(runIds); // says itself if it cannot
    comparison->show();
    return comparison;
}

DriftView *HistoryBrowser::showDrift()
{
    if (!m_driftView) {
        m_driftView = new DriftView(m_historyPath, this);
        m_driftView->setWindowFlag(Qt::Window);
        m_driftView->setAttribute(Qt::WA_DeleteOnClose);
    }
    if (const RunRecord *run = m_model->run(selectedRunId()); run && !run->targetIds.isEmpty())
        m_driftView->setTarget(run->targetIds.first());
    m_driftView->show();
    m_driftView->raise();
    m_driftView->activateWindow();
    return m_driftView;
}

bool HistoryBrowser::exportSelected(const QString &file)
{
    const QString runId = selectedRunIds().size() == 1 ? selectedRunId() : QString();
    if (runId.isEmpty())
        return false;
    HistoryStore store;
    auto opened = store.open(m_historyPath, HistoryStore::Mode::ReadOnly, StoreOpenOptions{.quickCheck = false});
    const Status exported = opened ? store.exportRun(runId, file) : Status(Error{opened.error()});
    m_message->setText(exported.ok() ? tr("Exported the run to %1.").arg(QDir::toNativeSeparators(file))
                                     : tr("Cannot export the run: %1").arg(exported.error()));
    return exported.ok();
}

bool HistoryBrowser::deleteSelected()
{
    // One run at a time: a Delete key press with several selected must not take them all.
    const QString runId = selectedRunIds().size() == 1 ? selectedRunId() : QString();
    if (runId.isEmpty())
        return false;
    HistoryStore store;
    auto opened = store.open(m_historyPath);
    const Status deleted = opened ? store.deleteRun(runId) : Status(Error{opened.error()});
    if (!deleted.ok()) {
        m_message->setText(tr("Cannot delete the run: %1").arg(deleted.error()));
        return false;
    }
    store.close();
    reload();
    return true;
}

void HistoryBrowser::askToExport()
{
    const QString runId = selectedRunId();
    if (runId.isEmpty())
        return;
    const QString file = QFileDialog::getSaveFileName(this, tr("Export Run"),
                                                      QStringLiteral("slopscope-run-%1.sqlite").arg(runId.left(8)),
                                                      tr("Slopscope run (*.sqlite)"));
    if (!file.isEmpty())
        exportSelected(file);
}

void HistoryBrowser::askToDelete()
{
    if (selectedRunIds().size() != 1)
        return;
    const RunRecord *run = m_model->run(selectedRunId());
    if (!run)
        return;
    QMessageBox confirm(
        QMessageBox::Warning, tr("Delete Run"),
        tr("Delete the run of %1 started %2 and its %n result(s)? This cannot be undone.", nullptr, run->cells)
            .arg(run->suiteName, QLocale().toString(run->startedAt.toLocalTime(), QLocale::ShortFormat)),
        QMessageBox::Cancel, this);
    QPushButton *remove = confirm.addButton(tr("Delete"), QMessageBox::DestructiveRole);
    confirm.setDefaultButton(QMessageBox::Cancel);
    confirm.exec();
    if (confirm.clickedButton() == remove)
        deleteSelected();
}

} // namespace Slopscope
