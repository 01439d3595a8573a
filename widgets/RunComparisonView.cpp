#include "RunComparisonView.h"

#include "DriftView.h"
#include "run/RunSpec.h"
#include "store/HistoryStore.h"
#include "views/LeaderboardSortProxy.h"
#include "views/RunComparisonModel.h"

#include <QDialogButtonBox>
#include <QFutureWatcher>
#include <QHeaderView>
#include <QKeySequence>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

namespace Slopscope {

RunComparisonView::RunComparisonView(QString historyPath, QWidget *parent)
    : QWidget(parent)
    , m_historyPath(std::move(historyPath))
    , m_model(new RunComparisonModel(this))
    , m_proxy(new LeaderboardSortProxy(this))
{
    setObjectName(QStringLiteral("runComparisonView"));
    setWindowTitle(tr("Compare Runs"));

    auto *legend = new QLabel(
        tr("Each run against the oldest one. Bold ▼/▲ on a tint: a significant change (the 95% "
           "intervals do not overlap); ≈: within the noise. ⚠: the provider reported another model "
           "than in the run before, a sign of a silent model swap. —: unknown."),
        this);
    legend->setWordWrap(true);
    legend->setTextFormat(Qt::PlainText);

    m_view = new QTableView(this);
    m_view->setObjectName(QStringLiteral("runComparison"));
    // Sorted by the raw figures, unknowns last either way; unsorted, targets keep the runs' order.
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(RunComparisonModel::SortRole);
    m_view->setModel(m_proxy);
    m_view->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    m_view->setSortingEnabled(true);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->verticalHeader()->hide();
    m_view->setWordWrap(false);
    m_view->setAccessibleName(tr("Targets across the compared runs"));
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this, &RunComparisonView::updateButtons);

    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("runComparisonMessage"));
    m_message->setTextFormat(Qt::PlainText);
    m_message->setWordWrap(true);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_drift = buttons->addButton(tr("Show &Drift…"), QDialogButtonBox::ActionRole);
    m_drift->setObjectName(QStringLiteral("runComparisonDrift"));
    m_drift->setToolTip(tr("The selected target across every recorded run (Enter)"));
    connect(m_drift, &QPushButton::clicked, this, [this] { showDrift(selectedTargetId()); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QWidget::close);
    // A QWidget window has no Escape handling of its own; the Close button's shortcut gives it.
    buttons->button(QDialogButtonBox::Close)->setShortcut(QKeySequence(Qt::Key_Escape));
    // Enter or a double click on a row opens its drift.
    connect(m_view, &QTableView::activated, this, [this] { showDrift(selectedTargetId()); });

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(legend);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_message);
    layout->addWidget(buttons);
    resize(1400, 520);
    updateButtons();
}

RunComparisonView::~RunComparisonView() = default;

bool RunComparisonView::isComparable(const RunRecord &run)
{
    return run.kind != kQuickCompareKind;
}

Result<QList<RunComparisonModel::Run>> RunComparisonView::read(const QString &historyPath, const QStringList &runIds)
{
    HistoryStore store;
    // No quick_check: it reads the whole file, and the writer checked it when it opened.
    auto opened = store.open(historyPath, HistoryStore::Mode::ReadOnly, StoreOpenOptions{.quickCheck = false});
    if (!opened)
        return Error{opened.error()};
    auto listed = store.listRuns();
    if (!listed)
        return Error{listed.error()};
    QList<RunComparisonModel::Run> runs;
    for (const QString &id : runIds) {
        const auto record = std::find_if(listed.value().cbegin(), listed.value().cend(),
                                         [&id](const RunRecord &r) { return r.id == id; });
        if (record == listed.value().cend())
            return Error{tr("No run %1 in the history.").arg(id)};
        // A quick-compare exchange is a chat, not a measurement of a suite: its one-prompt
        // figures beside a suite run's would read as a change of the provider (as in drift).
        if (!isComparable(*record))
            continue;
        auto stats = store.targetStats(id);
        if (!stats)
            return Error{stats.error()};
        runs.append({id, record->startedAt, record->suiteName, std::move(stats.value())});
    }
    if (runs.size() < 2)
        return Error{tr("fewer than two suite runs are selected (quick-compare exchanges are not compared).")};
    return runs;
}

void RunComparisonView::compare(const QStringList &runIds)
{
    using Read = Result<QList<RunComparisonModel::Run>>;
    // Only the latest comparison asked for is shown.
    const quint64 generation = ++m_generation;
    m_reading = true;
    m_message->setText(tr("Reading the history…"));
    auto *watcher = new QFutureWatcher<Read>(this);
    connect(watcher, &QFutureWatcher<Read>::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != m_generation)
            return;
        m_reading = false;
        apply(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run([path = m_historyPath, runIds] { return read(path, runIds); }));
}

void RunComparisonView::apply(const Result<QList<RunComparisonModel::Run>> &runs)
{
    if (!runs) {
        m_model->setRuns({});
        m_message->setText(tr("Cannot compare the runs: %1").arg(runs.error()));
        updateButtons();
        emit compared(false);
        return;
    }
    m_model->setRuns(runs.value());
    m_view->resizeColumnsToContents();
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_message->setText(tr("%n run(s) compared, %1.", nullptr, static_cast<int>(runs.value().size()))
                           .arg(tr("%n target(s)", nullptr, m_model->rowCount())));
    // The first target current but not highlighted: a selection would hide the first row's tints.
    if (m_model->rowCount() > 0)
        m_view->selectionModel()->setCurrentIndex(m_proxy->index(0, 0), QItemSelectionModel::NoUpdate);
    updateButtons();
    emit compared(true);
}

QString RunComparisonView::selectedTargetId() const
{
    return m_view->currentIndex().data(RunComparisonModel::TargetIdRole).toString();
}

DriftView *RunComparisonView::showDrift(const QString &targetId)
{
    if (targetId.isEmpty())
        return nullptr;
    if (!m_driftView) {
        m_driftView = new DriftView(m_historyPath, this);
        m_driftView->setWindowFlag(Qt::Window);
        m_driftView->setAttribute(Qt::WA_DeleteOnClose);
    }
    m_driftView->setTarget(targetId);
    m_driftView->show();
    m_driftView->raise();
    m_driftView->activateWindow();
    return m_driftView;
}

void RunComparisonView::updateButtons()
{
    m_drift->setEnabled(!selectedTargetId().isEmpty());
}

} // namespace Slopscope
