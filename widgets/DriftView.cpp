#include "DriftView.h"

#include "DriftChart.h"
#include "store/HistoryStore.h"
#include "views/DriftModel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateEdit>
#include <QDir>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QShortcut>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <set>

namespace Slopscope {

namespace {

// No quick_check: it reads the whole file, and the writer checked it when it opened.
Result<OpenReport> openForReading(HistoryStore &store, const QString &path)
{
    return store.open(path, HistoryStore::Mode::ReadOnly, StoreOpenOptions{.quickCheck = false});
}

} // namespace

DriftView::DriftView(QString historyPath, QWidget *parent)
    : QWidget(parent)
    , m_historyPath(std::move(historyPath))
    , m_model(new DriftModel(this))
{
    setObjectName(QStringLiteral("driftView"));
    setWindowTitle(tr("Drift"));

    m_target = new QComboBox(this);
    m_target->setObjectName(QStringLiteral("driftTarget"));
    m_target->setAccessibleName(tr("Target"));
    m_target->setMinimumContentsLength(20);
    m_metricBox = new QComboBox(this);
    m_metricBox->setObjectName(QStringLiteral("driftMetric"));
    m_metricBox->setAccessibleName(tr("Second chart"));
    for (const DriftChart::Metric m :
         {DriftChart::Metric::Ttft, DriftChart::Metric::TokensPerSecond, DriftChart::Metric::Cost})
        m_metricBox->addItem(DriftChart::metricName(m), static_cast<int>(m));

    m_limitDates = new QCheckBox(tr("&Limit dates"), this);
    m_from = new QDateEdit(this);
    m_to = new QDateEdit(this);
    for (QDateEdit *edit : {m_from, m_to}) {
        edit->setCalendarPopup(true);
        edit->setEnabled(false);
    }
    m_from->setAccessibleName(tr("From"));
    m_to->setAccessibleName(tr("To"));
    m_from->setDate(QDate::currentDate().addMonths(-3));
    m_to->setDate(QDate::currentDate());

    auto *controls = new QHBoxLayout;
    auto *targetLabel = new QLabel(tr("&Target:"), this);
    targetLabel->setBuddy(m_target);
    auto *metricLabel = new QLabel(tr("Second &chart:"), this);
    metricLabel->setBuddy(m_metricBox);
    auto *fromLabel = new QLabel(tr("&From"), this);
    fromLabel->setBuddy(m_from);
    auto *toLabel = new QLabel(tr("&Until"), this); // "T&o" underlined reads as "Tg"; T is Target's
    toLabel->setBuddy(m_to);
    controls->addWidget(targetLabel);
    controls->addWidget(m_target);
    controls->addWidget(metricLabel);
    controls->addWidget(m_metricBox);
    controls->addSpacing(12);
    controls->addWidget(m_limitDates);
    controls->addWidget(fromLabel);
    controls->addWidget(m_from);
    controls->addWidget(toLabel);
    controls->addWidget(m_to);
    controls->addStretch(1);

    m_quality = new DriftChart(DriftChart::Metric::Quality, this);
    m_quality->setObjectName(QStringLiteral("driftQualityChart"));
    m_metric = new DriftChart(DriftChart::Metric::Ttft, this);
    m_metric->setObjectName(QStringLiteral("driftMetricChart"));
    auto *charts = new QSplitter(Qt::Horizontal, this);
    charts->addWidget(m_quality);
    charts->addWidget(m_metric);
    charts->setStretchFactor(0, 3);
    charts->setStretchFactor(1, 2);

    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("driftTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setAccessibleName(tr("Runs of the target"));

    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(charts);
    split->addWidget(m_table);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    split->setSizes({520, 200}); // the charts first: the table's size hint would take half

    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("driftMessage"));
    m_message->setTextFormat(Qt::PlainText); // paths and database errors as they are
    m_message->setWordWrap(true);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(split, 1);
    layout->addWidget(m_message);
    resize(1200, 760);
    // Shown as a window of its own: Escape closes it as it would a dialog.
    auto *close = new QShortcut(QKeySequence(Qt::Key_Escape), this);
    connect(close, &QShortcut::activated, this, &QWidget::close);

    connect(m_target, &QComboBox::currentIndexChanged, this, [this] { setTarget(target()); });
    connect(m_metricBox, &QComboBox::currentIndexChanged, this, [this] {
        m_metric->setMetric(static_cast<DriftChart::Metric>(m_metricBox->currentData().toInt()));
    });
    connect(m_limitDates, &QCheckBox::toggled, this, [this](bool on) {
        m_from->setEnabled(on);
        m_to->setEnabled(on);
        reload();
    });
    for (QDateEdit *edit : {m_from, m_to})
        connect(edit, &QDateEdit::dateChanged, this, [this] {
            if (m_limitDates->isChecked())
                reload();
        });

    reload();
}

DriftView::~DriftView() = default;

DriftView::Read DriftView::read(const QString &historyPath, const QString &target, const QDateTime &from,
                                const QDateTime &to)
{
    Read out;
    HistoryStore store;
    auto opened = openForReading(store, historyPath);
    auto runs = opened ? store.listRuns() : Result<QList<RunRecord>>(Error{opened.error()});
    if (!runs) {
        out.error = runs.error();
        return out;
    }
    std::set<QString> ids;
    for (const RunRecord &run : runs.value()) {
        for (const QString &id : run.targetIds)
            ids.insert(id);
    }
    out.targets = QStringList(ids.begin(), ids.end());
    out.target = out.targets.contains(target) ? target : out.targets.value(0);
    if (out.target.isEmpty())
        return out;
    auto drift = store.drift(out.target, from, to);
    if (!drift)
        out.error = drift.error();
    else
        out.points = std::move(drift.value());
    return out;
}

void DriftView::reload()
{
    m_wanted = target();
    startRead();
}

void DriftView::setTarget(const QString &targetId)
{
    m_wanted = targetId;
    startRead();
}

QString DriftView::target() const
{
    return m_target->currentData().toString();
}

void DriftView::setDateRange(const QDate &from, const QDate &to)
{
    const QSignalBlocker quietFrom(m_from);
    const QSignalBlocker quietTo(m_to);
    const QSignalBlocker quietLimit(m_limitDates);
    const bool limit = from.isValid() || to.isValid();
    m_from->setDate(from.isValid() ? from : m_from->minimumDate());
    m_to->setDate(to.isValid() ? to : QDate::currentDate());
    m_limitDates->setChecked(limit);
    m_from->setEnabled(limit);
    m_to->setEnabled(limit);
    reload();
}

void DriftView::startRead()
{
    QDateTime from;
    QDateTime to;
    if (m_limitDates->isChecked()) {
        from = m_from->date().startOfDay().toUTC();
        to = m_to->date().addDays(1).startOfDay().toUTC(); // drift's `to` is exclusive
    }
    // Changes keep coming while a read runs (a target picked, a date typed): only the latest
    // read is shown.
    const quint64 generation = ++m_generation;
    m_reading = true;
    m_message->setText(tr("Reading the history…"));
    auto *watcher = new QFutureWatcher<Read>(this);
    connect(watcher, &QFutureWatcher<Read>::finished, this, [this, watcher] {
        watcher->deleteLater();
        const Read result = watcher->result();
        if (result.generation != m_generation)
            return;
        m_reading = false;
        apply(result);
    });
    watcher->setFuture(QtConcurrent::run([path = m_historyPath, wanted = m_wanted, from, to, generation] {
        Read result = read(path, wanted, from, to);
        result.generation = generation;
        return result;
    }));
}

void DriftView::apply(const Read &result)
{
    if (!result.error.isEmpty()) {
        m_message->setText(tr("Cannot read the history: %1").arg(result.error));
        emit loaded(false);
        return;
    }
    {
        const QSignalBlocker quiet(m_target); // picking the read's target must not read again
        QStringList listed;
        for (int i = 0; i < m_target->count(); ++i)
            listed.append(m_target->itemData(i).toString());
        if (listed != result.targets) {
            m_target->clear();
            for (const QString &id : result.targets)
                m_target->addItem(id, id);
        }
        m_target->setCurrentIndex(m_target->findData(result.target));
    }
    m_model->setPoints(result.points);
    m_quality->setPoints(m_model->points());
    m_metric->setPoints(m_model->points());
    m_table->resizeColumnsToContents();
    if (result.target.isEmpty()) {
        m_message->setText(tr("No run is recorded in %1 yet.").arg(QDir::toNativeSeparators(m_historyPath)));
        emit loaded(true);
        return;
    }
    int swaps = 0;
    for (int row = 0; row < m_model->rowCount(); ++row)
        swaps += m_model->modelChangedAt(row) ? 1 : 0;
    const QString runs = tr("%n run(s) of %1.", nullptr, m_model->rowCount()).arg(result.target);
    m_message->setText(swaps > 0 ? tr("%1 The reported model changed %n time(s) (▲ on the chart, ⚠ in the table).",
                                      nullptr, swaps)
                                       .arg(runs)
                                 : runs);
    emit loaded(true);
}

} // namespace Slopscope
