#include "ResultMatrixView.h"

#include "CellDetailPanel.h"
#include "RatedCellDelegate.h"
#include "RatingBar.h"
#include "RatingBook.h"
#include "views/MatrixFilterProxy.h"
#include "views/ResultMatrixModel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QShortcut>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace Slopscope {

ResultMatrixView::ResultMatrixView(ResultMatrixModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
{
    setObjectName(QStringLiteral("resultMatrixView"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);

    auto *bar = new QHBoxLayout;
    m_failedOnly = new QCheckBox(tr("&Failed only"), this);
    m_failedOnly->setObjectName(QStringLiteral("failedOnly"));
    m_failedOnly->setToolTip(tr("Show only the cases where some answer did not pass"));
    bar->addWidget(m_failedOnly);
    auto *tagLabel = new QLabel(tr("&Tag"), this);
    m_tags = new QComboBox(this);
    m_tags->setObjectName(QStringLiteral("tagFilter"));
    m_tags->setAccessibleName(tr("Tag filter"));
    m_tags->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    tagLabel->setBuddy(m_tags);
    bar->addWidget(tagLabel);
    bar->addWidget(m_tags);
    auto *wordingLabel = new QLabel(tr("&Wording"), this);
    m_wording = new QComboBox(this);
    m_wording->setObjectName(QStringLiteral("wordingFilter"));
    m_wording->setAccessibleName(tr("Wording filter"));
    m_wording->addItem(tr("Canonical and variants"), QVariant::fromValue(MatrixFilterProxy::Wording::All));
    m_wording->addItem(tr("Canonical only"), QVariant::fromValue(MatrixFilterProxy::Wording::CanonicalOnly));
    m_wording->addItem(tr("Variants only"), QVariant::fromValue(MatrixFilterProxy::Wording::VariantsOnly));
    wordingLabel->setBuddy(m_wording);
    bar->addWidget(wordingLabel);
    bar->addWidget(m_wording);
    bar->addStretch(1);
    auto *legend = new QLabel(tr("✓ all passed   ◐ some   ✗ none   … awaiting judge   [pass] [★4] your rating"), this);
    legend->setTextFormat(Qt::PlainText);
    bar->addWidget(legend);
    layout->addLayout(bar);

    m_proxy = new MatrixFilterProxy(this);
    m_proxy->setSourceModel(model);

    auto *split = new QSplitter(Qt::Horizontal, this);
    m_table = new QTableView(split);
    m_table->setObjectName(QStringLiteral("matrixTable"));
    m_table->setAccessibleName(tr("Results matrix"));
    m_table->setModel(m_proxy);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setSelectionBehavior(QAbstractItemView::SelectItems);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(-1, Qt::AscendingOrder); // suite order until a header is clicked
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideRight);
    m_table->horizontalHeader()->setDefaultSectionSize(190);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->horizontalHeader()->setStretchLastSection(false);
    // Long target names: keep their start readable (the tooltip has the whole name).
    m_table->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_ratings = new RatingBook(this);
    m_delegate = new RatedCellDelegate(m_ratings, this);
    m_table->setItemDelegate(m_delegate);
    m_detail = new CellDetailPanel(split);
    split->addWidget(m_table);
    split->addWidget(m_detail);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    layout->addWidget(split, 1);

    connect(m_failedOnly, &QCheckBox::toggled, m_proxy, &MatrixFilterProxy::setFailedOnly);
    connect(m_tags, &QComboBox::currentIndexChanged, this,
            [this](int) { m_proxy->setTag(m_tags->currentData().toString()); });
    connect(m_wording, &QComboBox::currentIndexChanged, this,
            [this](int) { m_proxy->setWording(m_wording->currentData().value<MatrixFilterProxy::Wording>()); });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex &current, const QModelIndex &) { onCurrentChanged(current); });
    // First, so the handlers below read fresh agreement: any change of the cells may change it.
    connect(model, &QAbstractItemModel::modelReset, this, &ResultMatrixView::forgetAgreement);
    connect(model, &QAbstractItemModel::rowsInserted, this, &ResultMatrixView::forgetAgreement);
    connect(model, &QAbstractItemModel::columnsInserted, this, &ResultMatrixView::forgetAgreement);
    connect(model, &QAbstractItemModel::dataChanged, this, &ResultMatrixView::forgetAgreement);
    connect(model, &QAbstractItemModel::modelReset, this, &ResultMatrixView::refreshTags);
    // Without a history a new run reuses the cell ids of the last one: its ratings go.
    connect(model, &QAbstractItemModel::modelReset, m_ratings, &RatingBook::forgetUnrecorded);
    // A live run may update the cell being read (a repeat, a judge's verdict).
    connect(model, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &topLeft, const QModelIndex &bottomRight) {
                const QModelIndex current = m_proxy->mapToSource(m_table->currentIndex());
                if (current.isValid() && current.row() >= topLeft.row() && current.row() <= bottomRight.row() &&
                    current.column() >= topLeft.column() && current.column() <= bottomRight.column())
                    showCurrent();
            });
    RatingBar *ratingBar = m_detail->ratingBar();
    connect(ratingBar, &RatingBar::rated, this, &ResultMatrixView::rateCurrent);
    connect(ratingBar, &RatingBar::undoRequested, this, [this] { m_ratings->undo(currentJobId()); });
    connect(m_ratings, &RatingBook::changed, this, [this] {
        forgetAgreement();
        m_table->viewport()->update();
        showRating();
        showAgreement();
    });
    // The same keys the buttons' tooltips name; a note being typed keeps its letters.
    const QList<std::pair<QKeySequence, int>> keys = {
        {QKeySequence(Qt::Key_P), RatingBar::kPassId}, {QKeySequence(Qt::Key_F), RatingBar::kFailId},
        {QKeySequence(Qt::Key_1), 1}, {QKeySequence(Qt::Key_2), 2}, {QKeySequence(Qt::Key_3), 3},
        {QKeySequence(Qt::Key_4), 4}, {QKeySequence(Qt::Key_5), 5}};
    for (const auto &[key, id] : keys) {
        auto *shortcut = new QShortcut(key, this);
        shortcut->setContext(Qt::WidgetWithChildrenShortcut);
        connect(shortcut, &QShortcut::activated, ratingBar, [ratingBar, id = id] { ratingBar->choose(id); });
    }
    refreshTags();
}

ResultMatrixView::~ResultMatrixView() = default;

QString ResultMatrixView::currentJobId() const
{
    const QModelIndex source = m_proxy->mapToSource(m_table->currentIndex());
    if (!source.isValid())
        return {};
    const QList<CellResult> runs = m_model->cellsAt(source.row(), source.column());
    return runs.isEmpty() ? QString() : jobIdOf(runs.constLast());
}

void ResultMatrixView::showRating()
{
    const QString jobId = currentJobId();
    RatingBar *bar = m_detail->ratingBar();
    if (jobId.isEmpty()) {
        bar->showRating(std::nullopt, false);
        bar->setNotice({});
        return;
    }
    bar->showRating(m_ratings->latest(jobId), m_ratings->canUndo(jobId));
    bar->setNotice(m_ratings->persistent() ? QString()
                                           : tr("No history is recorded: ratings are kept for this session only."));
}

QList<CellResult> ResultMatrixView::shownCells() const
{
    QList<CellResult> cells;
    for (int r = 0; r < m_model->rowCount(); ++r) {
        for (int c = 0; c < m_model->columnCount(); ++c) {
            const QList<CellResult> runs = m_model->cellsAt(r, c);
            if (!runs.isEmpty())
                cells.append(runs.constLast()); // the repeat a rating names
        }
    }
    return cells;
}

const ResultMatrixView::Agreement &ResultMatrixView::agreement() const
{
    if (!m_agreement) {
        // The common case, on every summary of a live run: nothing rated, no cell to gather.
        if (!m_ratings->hasRatings()) {
            m_agreement.emplace();
        } else {
            const QList<CellResult> cells = shownCells();
            const QList<HumanRating> people = m_ratings->humanRatings(cells);
            m_agreement = Agreement{JudgeHumanAgreement::overall(cells, people),
                                    JudgeHumanAgreement::perTarget(cells, people)};
        }
    }
    return *m_agreement;
}

QList<TargetAgreement> ResultMatrixView::agreementByTarget() const
{
    return agreement().byTarget;
}

void ResultMatrixView::showAgreement()
{
    const Stats::Agreement a = agreement().overall;
    const QLocale locale;
    m_detail->ratingBar()->setAgreement(
        a.n == 0 ? QString()
                 : tr("Agreement with the judge: %1% (Cohen's κ %2) over %n rated answer(s)", nullptr, int(a.n))
                       .arg(locale.toString(a.percent * 100.0, 'f', 0), locale.toString(a.kappa, 'f', 2)));
}

void ResultMatrixView::rateCurrent(const QString &kind, int rating, const QString &note)
{
    m_ratings->rate(currentJobId(), kind, rating, note);
}

void ResultMatrixView::refreshTags()
{
    const QString current = m_tags->currentData().toString();
    const QSignalBlocker block(m_tags);
    m_tags->clear();
    m_tags->addItem(tr("All tags"), QString());
    for (const QString &tag : m_model->tags())
        m_tags->addItem(tag, tag);
    const int keep = m_tags->findData(current);
    m_tags->setCurrentIndex(std::max(keep, 0));
    m_proxy->setTag(m_tags->currentData().toString());
    m_detail->clear();
}

void ResultMatrixView::setDetailSource(DetailSource source)
{
    m_detailSource = std::move(source);
}

bool ResultMatrixView::selectCell(int sourceRow, int sourceColumn)
{
    const QModelIndex proxyIndex = m_proxy->mapFromSource(m_model->index(sourceRow, sourceColumn));
    if (!proxyIndex.isValid())
        return false;
    m_table->setCurrentIndex(proxyIndex);
    m_table->scrollTo(proxyIndex);
    return true;
}

void ResultMatrixView::onCurrentChanged(const QModelIndex &current)
{
    showCurrent();
    const QModelIndex source = m_proxy->mapToSource(current);
    if (source.isValid())
        Q_EMIT cellSelected(source.row(), source.column());
}

void ResultMatrixView::showCurrent()
{
    const QModelIndex source = m_proxy->mapToSource(m_table->currentIndex());
    if (!source.isValid()) {
        m_detail->clear();
        return;
    }
    QList<CellResult> runs = m_model->cellsAt(source.row(), source.column());
    // Only the answer shown in full needs its detail; the other repeats are summarised.
    if (m_detailSource && !runs.isEmpty()) {
        if (auto full = m_detailSource(runs.constLast()))
            runs.last() = std::move(full.value());
        else
            Q_EMIT detailUnreadable(full.error());
    }
    m_detail->showCell(m_model->targetLabelAt(source.column()),
                       m_model->headerData(source.row(), Qt::Vertical).toString(), runs);
    showRating();
    showAgreement();
}

} // namespace Slopscope
