#include "DiffView.h"

#include "LongTextView.h"

#include "views/ResultMatrixModel.h"
#include "views/ViewText.h"

#include <QComboBox>
#include <QFutureWatcher>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QtConcurrent/QtConcurrentRun>
#include <QTextBlock>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

namespace Slopscope {

namespace {

// The item data of the reference entry in the side boxes; a target id is never empty.
const QString &referenceKey()
{
    static const QString key;
    return key;
}

QList<QTextEdit::ExtraSelection> highlights(LongTextView *edit, const QList<SideBySideDiff::Range> &ranges,
                                            const QColor &background)
{
    QTextCharFormat format;
    format.setBackground(background);
    format.setForeground(QColor(Qt::black));
    QList<QTextEdit::ExtraSelection> selections;
    for (const SideBySideDiff::Range &r : ranges) {
        QTextCursor cursor(edit->document());
        // Offsets are the text's; the view's short paragraphs may have moved them.
        cursor.setPosition(edit->displayPosition(r.start));
        cursor.setPosition(edit->displayPosition(r.start + r.length), QTextCursor::KeepAnchor);
        selections.append({cursor, format});
    }
    return selections;
}

QStringList selectedTexts(const LongTextView *edit)
{
    QStringList out;
    for (const QTextEdit::ExtraSelection &s : edit->extraSelections())
        out << edit->textBetween(s.cursor.selectionStart(), s.cursor.selectionEnd());
    return out;
}

LongTextView *pane(const QString &name, QWidget *parent)
{
    auto *edit = new LongTextView(parent);
    edit->setAccessibleName(name);
    edit->setTabChangesFocus(true);
    edit->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    return edit;
}

} // namespace

DiffView::DiffView(ResultMatrixModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
{
    setObjectName(QStringLiteral("diffView"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);

    auto *bar = new QHBoxLayout;
    const auto addBox = [this, bar](const QString &label, const QString &name) {
        auto *caption = new QLabel(label, this);
        auto *box = new QComboBox(this);
        box->setAccessibleName(name);
        box->setSizeAdjustPolicy(QComboBox::AdjustToContents);
        box->setMinimumContentsLength(12);
        caption->setBuddy(box);
        bar->addWidget(caption);
        bar->addWidget(box);
        return box;
    };
    m_cases = addBox(tr("&Case"), tr("Case to compare"));
    m_cases->setObjectName(QStringLiteral("diffCase"));
    m_leftBox = addBox(tr("&Left"), tr("Left side"));
    m_leftBox->setObjectName(QStringLiteral("diffLeft"));
    m_rightBox = addBox(tr("&Right"), tr("Right side"));
    m_rightBox->setObjectName(QStringLiteral("diffRight"));
    bar->addStretch(1);
    m_summary = new QLabel(this);
    m_summary->setTextFormat(Qt::PlainText);
    bar->addWidget(m_summary);
    layout->addLayout(bar);

    auto *grid = new QGridLayout;
    m_leftTitle = new QLabel(this);
    m_leftTitle->setTextFormat(Qt::PlainText);
    m_rightTitle = new QLabel(this);
    m_rightTitle->setTextFormat(Qt::PlainText);
    m_left = pane(tr("Left answer"), this);
    m_left->setObjectName(QStringLiteral("diffLeftText"));
    m_right = pane(tr("Right answer"), this);
    m_right->setObjectName(QStringLiteral("diffRightText"));
    grid->addWidget(m_leftTitle, 0, 0);
    grid->addWidget(m_rightTitle, 0, 1);
    grid->addWidget(m_left, 1, 0);
    grid->addWidget(m_right, 1, 1);
    layout->addLayout(grid, 1);

    m_watcher = new QFutureWatcher<SideBySideDiff::Result>(this);
    connect(m_watcher, &QFutureWatcher<SideBySideDiff::Result>::finished, this, &DiffView::onDiffFinished);

    connect(m_left->verticalScrollBar(), &QScrollBar::valueChanged, this, [this] { syncScroll(m_left, m_right); });
    connect(m_right->verticalScrollBar(), &QScrollBar::valueChanged, this, [this] { syncScroll(m_right, m_left); });
    for (QComboBox *box : {m_cases, m_leftBox, m_rightBox})
        connect(box, &QComboBox::currentIndexChanged, this, [this](int) { refreshDiff(); });

    // Choices follow the model; a live run inserts rows often, so refreshes are coalesced.
    const auto schedule = [this] {
        if (m_refreshScheduled)
            return;
        m_refreshScheduled = true;
        QTimer::singleShot(100, this, [this] {
            m_refreshScheduled = false;
            refreshChoices();
        });
    };
    connect(model, &QAbstractItemModel::modelReset, this, [this] { refreshChoices(); });
    connect(model, &QAbstractItemModel::rowsInserted, this, schedule);
    connect(model, &QAbstractItemModel::columnsInserted, this, schedule);
    connect(model, &QAbstractItemModel::rowsRemoved, this, [this] { refreshChoices(); });
    connect(model, &QAbstractItemModel::dataChanged, this, [this](const QModelIndex &topLeft, const QModelIndex &) {
        if (topLeft.row() == currentRow())
            refreshDiff();
    });
    refreshChoices();
}

DiffView::~DiffView()
{
    // A running diff finishes on its own copies of the texts; nobody is told.
    m_watcher->disconnect(this);
}

void DiffView::refreshChoices()
{
    const QVariant caseKey = m_cases->currentData();
    const QString leftKey = m_leftBox->currentData().toString();
    const QString rightKey = m_rightBox->currentData().toString();
    // Only "Reference" listed (no targets yet) is no choice to keep.
    const bool hadChoices = m_leftBox->count() > 1;
    {
        const QSignalBlocker b1(m_cases);
        const QSignalBlocker b2(m_leftBox);
        const QSignalBlocker b3(m_rightBox);
        m_cases->clear();
        for (int r = 0; r < m_model->rowCount(); ++r)
            m_cases->addItem(m_model->headerData(r, Qt::Vertical).toString(),
                             QStringList{m_model->caseIdAt(r), m_model->variantIdAt(r)});
        m_cases->setCurrentIndex(std::max(0, m_cases->findData(caseKey)));
        for (QComboBox *box : {m_leftBox, m_rightBox}) {
            box->clear();
            box->addItem(tr("Reference"), referenceKey());
            for (int c = 0; c < m_model->columnCount(); ++c)
                box->addItem(m_model->targetLabelAt(c), m_model->targetIdAt(c));
        }
        if (hadChoices) {
            m_leftBox->setCurrentIndex(std::max(0, m_leftBox->findData(leftKey)));
            m_rightBox->setCurrentIndex(std::max(0, m_rightBox->findData(rightKey)));
        } else {
            // First sight: the reference against the first target.
            m_leftBox->setCurrentIndex(0);
            m_rightBox->setCurrentIndex(m_rightBox->count() > 1 ? 1 : 0);
        }
    }
    refreshDiff();
}

void DiffView::compare(int sourceRow, const QString &leftTargetId, const QString &rightTargetId)
{
    if (m_cases->count() != m_model->rowCount() || m_leftBox->count() != m_model->columnCount() + 1)
        refreshChoices();
    const QSignalBlocker b1(m_cases);
    const QSignalBlocker b2(m_leftBox);
    const QSignalBlocker b3(m_rightBox);
    m_cases->setCurrentIndex(
        m_cases->findData(QStringList{m_model->caseIdAt(sourceRow), m_model->variantIdAt(sourceRow)}));
    m_leftBox->setCurrentIndex(std::max(0, m_leftBox->findData(leftTargetId)));
    m_rightBox->setCurrentIndex(std::max(0, m_rightBox->findData(rightTargetId)));
    refreshDiff();
}

QString DiffView::sideText(const QComboBox *box, int sourceRow, QString *title) const
{
    const QString key = box->currentData().toString();
    if (key.isEmpty()) {
        *title = tr("Reference");
        return m_model->referenceAt(sourceRow);
    }
    const int column = m_model->columnOf(key);
    const QList<CellResult> runs = m_model->cellsAt(sourceRow, column);
    if (runs.isEmpty()) {
        *title = tr("%1 (no answer yet)").arg(m_model->targetLabelAt(column));
        return {};
    }
    *title = runs.size() > 1 ? tr("%1 (repeat %2)").arg(m_model->targetLabelAt(column)).arg(runs.constLast().repeat + 1)
                             : m_model->targetLabelAt(column);
    return runs.constLast().job.result.text;
}

int DiffView::currentRow() const
{
    const QStringList key = m_cases->currentData().toStringList();
    return key.size() == 2 ? m_model->rowOf(key.at(0), key.at(1)) : -1;
}

void DiffView::refreshDiff()
{
    const int row = currentRow();
    if (row < 0 || row >= m_model->rowCount()) {
        setTexts(QString(), QString(), QString(), QString());
        m_summary->setText(tr("No results to compare yet."));
        return;
    }
    QString leftTitle;
    QString rightTitle;
    const QString left = sideText(m_leftBox, row, &leftTitle);
    const QString right = sideText(m_rightBox, row, &rightTitle);
    setTexts(leftTitle, left, rightTitle, right);
}

void DiffView::setTexts(const QString &leftTitle, const QString &left, const QString &rightTitle, const QString &right)
{
    // Offsets index the shown text, so the diff runs on the sanitised text that is shown.
    m_shownLeft = ViewText::sanitized(left);
    m_shownRight = ViewText::sanitized(right);
    m_leftTitle->setText(leftTitle);
    m_rightTitle->setText(rightTitle);
    m_left->setText(m_shownLeft);
    m_right->setText(m_shownRight);
    ++m_generation;
    if (m_shownLeft.size() + m_shownRight.size() <= kSyncDiffChars) {
        m_diffGeneration = m_generation;
        applyDiff(SideBySideDiff::compute(m_shownLeft, m_shownRight));
        return;
    }
    // The old marks would point into the old texts.
    m_diff = {};
    m_left->setExtraSelections({});
    m_right->setExtraSelections({});
    m_summary->setText(tr("Comparing…"));
    startDiff();
}

void DiffView::startDiff()
{
    if (m_watcher->isRunning())
        return; // onDiffFinished() starts the latest texts
    m_runningGeneration = m_generation;
    m_watcher->setFuture(QtConcurrent::run(&SideBySideDiff::compute, m_shownLeft, m_shownRight));
}

void DiffView::onDiffFinished()
{
    if (m_runningGeneration != m_generation) {
        if (isComparing())
            startDiff();
        return;
    }
    m_diffGeneration = m_generation;
    applyDiff(m_watcher->result());
}

void DiffView::applyDiff(const SideBySideDiff::Result &diff)
{
    m_diff = diff;
    // Colour-blind-safe pair (orange for only-left, blue for only-right); the summary says it in words.
    m_left->setExtraSelections(highlights(m_left, m_diff.removed, QColor(0xfd, 0xb8, 0x63)));
    m_right->setExtraSelections(highlights(m_right, m_diff.added, QColor(0x9e, 0xca, 0xe1)));
    const QLocale locale;
    if (!m_diff.complete)
        m_summary->setText(tr("Too long to compare word by word."));
    else if (m_shownLeft.isEmpty() && m_shownRight.isEmpty())
        m_summary->setText(QString());
    else
        m_summary->setText(tr("%1 words in common · %2 only left (orange) · %3 only right (blue)")
                               .arg(locale.toString(m_diff.commonWords),
                                    locale.toString(m_diff.leftWords - m_diff.commonWords),
                                    locale.toString(m_diff.rightWords - m_diff.commonWords)));
    emit diffReady();
}

void DiffView::syncScroll(QPlainTextEdit *from, QPlainTextEdit *to)
{
    if (m_syncing)
        return;
    m_syncing = true;
    // Proportional: the two answers rarely have the same length.
    const QScrollBar *source = from->verticalScrollBar();
    QScrollBar *target = to->verticalScrollBar();
    const int range = source->maximum() - source->minimum();
    const double fraction = range > 0 ? static_cast<double>(source->value() - source->minimum()) / range : 0.0;
    target->setValue(target->minimum() + static_cast<int>(fraction * (target->maximum() - target->minimum()) + 0.5));
    m_syncing = false;
}

QStringList DiffView::highlightedLeft() const
{
    return selectedTexts(m_left);
}

QStringList DiffView::highlightedRight() const
{
    return selectedTexts(m_right);
}

QString DiffView::summaryText() const
{
    return m_summary->text();
}

} // namespace Slopscope
