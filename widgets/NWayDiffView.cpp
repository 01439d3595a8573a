#include "NWayDiffView.h"

#include "LongTextView.h"

#include "views/DisagreementModel.h"
#include "views/ResultMatrixModel.h"
#include "views/ViewText.h"

#include <QComboBox>
#include <QEvent>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPlainTextEdit>
#include <QScrollArea>
#include <QScrollBar>
#include <QSplitter>
#include <QTableView>
#include <QtConcurrent/QtConcurrentRun>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

namespace Slopscope {

namespace {

// The DiffView's "only one side" orange: one colour for "disputed" across the results pages.
const QColor &disputedColor()
{
    static const QColor color(0xfd, 0xb8, 0x63);
    return color;
}

QTextEdit::ExtraSelection mark(LongTextView *edit, const Disagreement::Span &span, const QTextCharFormat &format)
{
    // Offsets are the text's; the view's short paragraphs may have moved them.
    QTextCursor cursor(edit->document());
    cursor.setPosition(edit->displayPosition(span.start));
    cursor.setPosition(edit->displayPosition(span.start + span.length), QTextCursor::KeepAnchor);
    return {cursor, format};
}

} // namespace

NWayDiffView::NWayDiffView(ResultMatrixModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_factModel(new DisagreementModel(this))
{
    setObjectName(QStringLiteral("nwayDiffView"));
    m_watcher = new QFutureWatcher<Disagreement::Result>(this);
    connect(m_watcher, &QFutureWatcher<Disagreement::Result>::finished, this, &NWayDiffView::onCompareFinished);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);

    auto *bar = new QHBoxLayout;
    auto *caption = new QLabel(tr("&Case"), this);
    m_cases = new QComboBox(this);
    m_cases->setObjectName(QStringLiteral("nwayCase"));
    m_cases->setAccessibleName(tr("Case to compare"));
    m_cases->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_cases->setMinimumContentsLength(12);
    caption->setBuddy(m_cases);
    bar->addWidget(caption);
    bar->addWidget(m_cases);
    bar->addStretch(1);
    m_summary = new QLabel(this);
    m_summary->setTextFormat(Qt::PlainText);
    bar->addWidget(m_summary);
    layout->addLayout(bar);

    auto *split = new QSplitter(Qt::Vertical, this);
    m_table = new QTableView(split);
    m_table->setObjectName(QStringLiteral("nwayFacts"));
    m_table->setAccessibleName(tr("Disputed facts"));
    m_table->setModel(m_factModel);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setTabKeyNavigation(false);
    m_table->verticalHeader()->hide();
    // The target lists share what is left and elide; the tooltip has them whole.
    QHeaderView *header = m_table->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Stretch);
    header->setSectionResizeMode(DisagreementModel::KindColumn, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(DisagreementModel::ValueColumn, QHeaderView::ResizeToContents);
    m_scroll = new QScrollArea(split);
    m_scroll->setObjectName(QStringLiteral("nwayColumns"));
    m_scroll->setWidgetResizable(true);
    m_scroll->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_strip = new QWidget(m_scroll);
    m_stripLayout = new QHBoxLayout(m_strip);
    m_stripLayout->setContentsMargins(0, 0, 0, 0);
    m_scroll->setWidget(m_strip);
    m_scroll->viewport()->installEventFilter(this);
    split->addWidget(m_table);
    split->addWidget(m_scroll);
    // The answers are what is read; the table is an index into them.
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 2);
    split->setSizes({100, 200});
    layout->addWidget(split, 1);

    // Mouse and keyboard alike: the current row is the fact to show.
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                if (current.isValid())
                    revealFact(current.row());
            });
    connect(m_table, &QTableView::clicked, this, [this](const QModelIndex &index) { revealFact(index.row()); });
    connect(m_cases, &QComboBox::currentIndexChanged, this, [this](int) { refreshFacts(); });

    // A live run inserts rows and changes cells often, so refreshes are coalesced.
    connect(model, &QAbstractItemModel::modelReset, this, [this] { refreshChoices(); });
    connect(model, &QAbstractItemModel::rowsInserted, this, [this] { scheduleRefresh(); });
    connect(model, &QAbstractItemModel::columnsInserted, this, [this] { scheduleRefresh(); });
    connect(model, &QAbstractItemModel::rowsRemoved, this, [this] { refreshChoices(); });
    connect(model, &QAbstractItemModel::columnsRemoved, this, [this] { refreshChoices(); });
    connect(model, &QAbstractItemModel::dataChanged, this, [this](const QModelIndex &topLeft, const QModelIndex &) {
        if (topLeft.row() == currentRow())
            scheduleRefresh();
    });
    refreshChoices();
}

NWayDiffView::~NWayDiffView()
{
    // A running comparison finishes on its own copies of the answers; nobody is told.
    m_watcher->disconnect(this);
}

void NWayDiffView::scheduleRefresh()
{
    if (m_refreshScheduled)
        return;
    m_refreshScheduled = true;
    QTimer::singleShot(100, this, [this] {
        m_refreshScheduled = false;
        refreshChoices();
    });
}

void NWayDiffView::refreshChoices()
{
    const QVariant caseKey = m_cases->currentData();
    {
        const QSignalBlocker blocker(m_cases);
        m_cases->clear();
        for (int r = 0; r < m_model->rowCount(); ++r)
            m_cases->addItem(m_model->headerData(r, Qt::Vertical).toString(),
                             QStringList{m_model->caseIdAt(r), m_model->variantIdAt(r)});
        m_cases->setCurrentIndex(std::max(0, m_cases->findData(caseKey)));
    }
    refreshFacts();
}

void NWayDiffView::showCase(int sourceRow)
{
    if (m_cases->count() != m_model->rowCount())
        refreshChoices();
    const int index = m_cases->findData(QStringList{m_model->caseIdAt(sourceRow), m_model->variantIdAt(sourceRow)});
    if (index >= 0 && index != m_cases->currentIndex())
        m_cases->setCurrentIndex(index); // refreshes
    else
        refreshFacts();
}

int NWayDiffView::currentRow() const
{
    const QStringList key = m_cases->currentData().toStringList();
    return key.size() == 2 ? m_model->rowOf(key.at(0), key.at(1)) : -1;
}

void NWayDiffView::rebuildColumns()
{
    QStringList ids;
    for (int c = 0; c < m_model->columnCount(); ++c)
        ids << m_model->targetIdAt(c);
    QStringList shown;
    for (const Column &column : std::as_const(m_columns))
        shown << column.targetId;
    if (ids == shown)
        return;
    for (const Column &column : std::as_const(m_columns))
        delete column.box;
    m_columns.clear();
    for (const QString &id : std::as_const(ids)) {
        Column column;
        column.targetId = id;
        column.box = new QWidget(m_strip);
        auto *boxLayout = new QVBoxLayout(column.box);
        boxLayout->setContentsMargins(0, 0, 0, 0);
        column.title = new QLabel(column.box);
        column.title->setTextFormat(Qt::PlainText);
        // Long target names must not widen the column: twelve share the width.
        column.title->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
        column.edit = new LongTextView(column.box);
        column.edit->setObjectName(QStringLiteral("nwayAnswer"));
        column.edit->setTabChangesFocus(true);
        column.edit->setLineWrapMode(QPlainTextEdit::WidgetWidth);
        // Keyboard users can move through a read-only answer and select in it, as mouse users can.
        column.edit->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
        boxLayout->addWidget(column.title);
        boxLayout->addWidget(column.edit, 1);
        m_stripLayout->addWidget(column.box, 1);
        m_columns.append(column);
    }
    sizeColumns();
}

void NWayDiffView::sizeColumns()
{
    // Up to kMaxVisibleColumns share the width; more keep that width and scroll.
    const int count = int(m_columns.size());
    const int width = m_scroll->viewport()->width();
    if (count > kMaxVisibleColumns)
        m_strip->setMinimumWidth(count * (width / kMaxVisibleColumns));
    else
        m_strip->setMinimumWidth(0);
}

bool NWayDiffView::eventFilter(QObject *watched, QEvent *event)
{
    // The columns' share follows the strip's visible width, not this widget's.
    if (watched == m_scroll->viewport() && event->type() == QEvent::Resize)
        sizeColumns();
    return QWidget::eventFilter(watched, event);
}

bool NWayDiffView::deferWhileHidden()
{
    // On a tab nobody looks at, comparing a live run's long answers only stalls the window
    // (bench_gui_stall: ~80 ms per refresh of eight 30 KB answers). A view whose window is not
    // shown at all (a test, a grab) still works at once.
    if (isVisible() || !window()->isVisible())
        return false;
    m_stale = true;
    return true;
}

void NWayDiffView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_stale)
        refreshFacts();
}

void NWayDiffView::refreshFacts()
{
    if (deferWhileHidden())
        return;
    m_stale = false;
    rebuildColumns();
    const int row = currentRow();
    QList<Disagreement::Answer> answers;
    QHash<QString, QString> labels;
    for (int c = 0; c < m_columns.size(); ++c) {
        const Column &column = m_columns.at(c);
        const int modelColumn = m_model->columnOf(column.targetId);
        const QString label = m_model->targetLabelAt(modelColumn);
        labels.insert(column.targetId, label);
        const QList<CellResult> runs = row >= 0 ? m_model->cellsAt(row, modelColumn) : QList<CellResult>();
        // Offsets index the shown text, so facts are read from the sanitised text that is shown.
        const QString text = runs.isEmpty() ? QString() : ViewText::sanitized(runs.constLast().job.result.text);
        column.title->setText(runs.isEmpty() ? tr("%1 (no answer yet)").arg(label) : label);
        column.edit->setMinimumWidth(0);
        column.edit->setAccessibleName(tr("Answer of %1").arg(label));
        // Unchanged text keeps its scroll position through a live run's refreshes.
        if (column.edit->text() != text)
            column.edit->setText(text);
        answers.append({column.targetId, text});
    }
    // A live run refreshes often with the same answers: nothing to compare again.
    const bool same =
        m_row == row && m_answers.size() == answers.size() &&
        std::equal(answers.cbegin(), answers.cend(), m_answers.cbegin(),
                   [](const auto &x, const auto &y) { return x.targetId == y.targetId && x.text == y.text; });
    m_labels = labels;
    m_row = row;
    if (same) {
        if (!isComparing())
            applyResult(m_result);
        return;
    }
    m_answers = answers;
    ++m_generation;
    qsizetype total = 0;
    for (const Disagreement::Answer &a : std::as_const(answers))
        total += a.text.size();
    if (total <= kSyncCompareChars) {
        m_resultGeneration = m_generation;
        applyResult(Disagreement::compare(answers));
        return;
    }
    // The old marks would point into the old texts.
    m_result = {};
    m_factModel->setResult(m_result, labels);
    for (const Column &column : std::as_const(m_columns))
        column.edit->setExtraSelections({});
    m_summary->setText(tr("Comparing…"));
    startCompare();
}

void NWayDiffView::startCompare()
{
    if (m_watcher->isRunning())
        return; // onCompareFinished() starts the latest answers
    m_runningGeneration = m_generation;
    m_watcher->setFuture(QtConcurrent::run(&Disagreement::compare, m_answers));
}

void NWayDiffView::onCompareFinished()
{
    if (m_runningGeneration != m_generation) {
        if (isComparing())
            startCompare();
        return;
    }
    m_resultGeneration = m_generation;
    applyResult(m_watcher->result());
}

void NWayDiffView::applyResult(const Disagreement::Result &result)
{
    m_result = result;
    m_factModel->setResult(m_result, m_labels);
    for (const Column &column : std::as_const(m_columns))
        markColumn(column);
    const int disputed = m_factModel->rowCount();
    if (m_row < 0)
        m_summary->setText(tr("No results to compare yet."));
    else if (disputed == 0)
        m_summary->setText(tr("No disputed numbers, dates or names."));
    else
        m_summary->setText(
            tr("%n disputed fact(s), highlighted in orange; agreed ones are underlined.", nullptr, disputed));
    emit factsReady();
}

void NWayDiffView::markColumn(const Column &column)
{
    QTextCharFormat disputed;
    disputed.setBackground(disputedColor());
    disputed.setForeground(QColor(Qt::black));
    QTextCharFormat agreed;
    agreed.setUnderlineStyle(QTextCharFormat::DotLine);
    agreed.setUnderlineColor(QColor(Qt::gray));
    QList<QTextEdit::ExtraSelection> marks;
    QStringList said;
    for (const Disagreement::Fact &fact : std::as_const(m_result.facts)) {
        const QList<Disagreement::Span> spans = fact.spans.value(column.targetId);
        // A fact only this answer states, with no other answer speaking of its kind, is neither.
        if (spans.isEmpty() || (!fact.disputed && fact.targets.size() < 2))
            continue;
        for (const Disagreement::Span &span : spans)
            marks.append(mark(column.edit, span, fact.disputed ? disputed : agreed));
        if (fact.disputed)
            said << m_factModel->describe(fact);
    }
    column.edit->setExtraSelections(marks);
    // Screen readers and tooltips say in words what the colours show.
    const QString description =
        said.isEmpty() ? tr("Nothing disputed in this answer.") : tr("Disputed here: %1").arg(said.join(u' '));
    column.edit->setAccessibleDescription(description);
    column.title->setToolTip(ViewText::html(column.title->text() + u'\n' + description));
}

void NWayDiffView::revealFact(int row)
{
    if (row < 0 || row >= m_factModel->rowCount())
        return;
    const Disagreement::Fact &fact = m_factModel->factAt(row);
    for (const Column &column : std::as_const(m_columns)) {
        const QList<Disagreement::Span> spans = fact.spans.value(column.targetId);
        QTextCursor cursor(column.edit->document());
        if (!spans.isEmpty()) {
            cursor.setPosition(int(spans.first().start));
            cursor.setPosition(int(spans.first().start + spans.first().length), QTextCursor::KeepAnchor);
        }
        // Columns without the fact drop a selection left from an earlier pick.
        column.edit->setTextCursor(cursor);
        if (!spans.isEmpty())
            column.edit->centerCursor();
    }
    // The column of the first target stating it comes into view when the strip scrolls sideways.
    for (const Column &column : std::as_const(m_columns)) {
        if (fact.spans.contains(column.targetId)) {
            m_scroll->ensureWidgetVisible(column.box);
            break;
        }
    }
}

QList<QPlainTextEdit *> NWayDiffView::columns() const
{
    QList<QPlainTextEdit *> out;
    for (const Column &column : m_columns)
        out << column.edit;
    return out;
}

QStringList NWayDiffView::highlightedIn(int column) const
{
    QStringList out;
    const LongTextView *edit = m_columns.at(column).edit;
    for (const QTextEdit::ExtraSelection &s : edit->extraSelections()) {
        if (s.format.background().style() != Qt::NoBrush)
            out << edit->textBetween(s.cursor.selectionStart(), s.cursor.selectionEnd());
    }
    return out;
}

QStringList NWayDiffView::underlinedIn(int column) const
{
    QStringList out;
    const LongTextView *edit = m_columns.at(column).edit;
    for (const QTextEdit::ExtraSelection &s : edit->extraSelections()) {
        if (s.format.underlineStyle() != QTextCharFormat::NoUnderline)
            out << edit->textBetween(s.cursor.selectionStart(), s.cursor.selectionEnd());
    }
    return out;
}

QString NWayDiffView::summaryText() const
{
    return m_summary->text();
}

} // namespace Slopscope
