#include "RoutingDialog.h"

#include "AppTheme.h"

#include "routing/RoutingEvaluator.h"
#include "RoutingComparisonModel.h"
#include "RoutingPolicyEditor.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <utility>

namespace Slopscope {

namespace {

QString missingLine(const MissingItem &m)
{
    switch (m.kind) {
    case MissingItem::Kind::Answer:
        return RoutingDialog::tr("answer   case %1, repeat %2: %3").arg(m.caseId).arg(m.repeat).arg(m.targetId);
    case MissingItem::Kind::Verdict:
        return RoutingDialog::tr("verdict  case %1, repeat %2: %3 on %4's answer")
            .arg(m.caseId)
            .arg(m.repeat)
            .arg(m.targetId, m.forTargetId);
    case MissingItem::Kind::Pick:
        return RoutingDialog::tr("pick     case %1, repeat %2: %3 over %4")
            .arg(m.caseId)
            .arg(m.repeat)
            .arg(m.targetId, m.candidates.join(QStringLiteral(", ")));
    }
    return {};
}

} // namespace

RoutingDialog::RoutingDialog(QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("routingDialog"));
    setWindowTitle(tr("Routing Policies"));
    buildUi();
    clearRun(tr("No finished run to replay yet: run a suite, or open one from File ▸ History."));
    resize(1280, 900);
}

RoutingDialog::~RoutingDialog() = default;

void RoutingDialog::buildUi()
{
    m_runLabel = new QLabel(this);
    m_runLabel->setWordWrap(true);

    // Policies and their editor.
    auto *listBox = new QGroupBox(tr("Policies"), this);
    m_list = new QListWidget(listBox);
    m_list->setObjectName(QStringLiteral("policyList"));
    auto *add = new QToolButton(listBox);
    add->setText(tr("&Add"));
    add->setPopupMode(QToolButton::InstantPopup);
    auto *addMenu = new QMenu(add);
    addMenu->addAction(tr("Cascade"), this, [this] { addNewPolicy(RoutingPolicy::Kind::Cascade); });
    addMenu->addAction(tr("By Tag"), this, [this] { addNewPolicy(RoutingPolicy::Kind::ByTag); });
    addMenu->addAction(tr("Best of N"), this, [this] { addNewPolicy(RoutingPolicy::Kind::BestOfN); });
    add->setMenu(addMenu);
    m_remove = new QPushButton(tr("Re&move"), listBox);
    auto *load = new QPushButton(tr("&Load…"), listBox);
    auto *save = new QPushButton(tr("&Save…"), listBox);
    load->setToolTip(tr("Replace the list with the policies of a policy file (docs/ROUTING.md)."));
    auto *listButtons = new QHBoxLayout;
    listButtons->addWidget(add);
    listButtons->addWidget(m_remove);
    listButtons->addStretch();
    listButtons->addWidget(load);
    listButtons->addWidget(save);
    auto *listLayout = new QVBoxLayout(listBox);
    listLayout->addWidget(m_list);
    listLayout->addLayout(listButtons);
    connect(m_remove, &QPushButton::clicked, this, &RoutingDialog::removeSelected);
    connect(load, &QPushButton::clicked, this, &RoutingDialog::loadInteractively);
    connect(save, &QPushButton::clicked, this, &RoutingDialog::saveInteractively);

    auto *editBox = new QGroupBox(tr("Selected policy"), this);
    m_editor = new RoutingPolicyEditor(editBox);
    m_apply = new QPushButton(tr("A&pply"), editBox);
    m_apply->setObjectName(QStringLiteral("applyPolicy"));
    m_message = new QLabel(editBox);
    m_message->setObjectName(QStringLiteral("routingMessage"));
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *applyRow = new QHBoxLayout;
    applyRow->addWidget(m_message, 1);
    applyRow->addWidget(m_apply, 0, Qt::AlignTop);
    auto *editLayout = new QVBoxLayout(editBox);
    editLayout->addWidget(m_editor, 1);
    editLayout->addLayout(applyRow);
    connect(m_apply, &QPushButton::clicked, this, &RoutingDialog::applyEdit);
    connect(m_list, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row >= 0 && row < m_policies.size()) {
            m_editor->setPolicy(m_policies.at(row));
            selectTableRow(m_policies.at(row).name);
        }
        updateButtons();
    });

    auto *top = new QWidget(this);
    auto *topLayout = new QHBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addWidget(listBox, 2);
    topLayout->addWidget(editBox, 3);

    // The comparison.
    auto *tableBox = new QGroupBox(tr("Comparison: every row replayed over the same recorded cells"), this);
    m_model = new RoutingComparisonModel(this);
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(RoutingComparisonModel::ValueRole);
    m_table = new QTableView(tableBox);
    m_table->setObjectName(QStringLiteral("comparisonTable"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(false); // policies first, then targets, until a header is clicked
    m_table->horizontalHeader()->setSectionsClickable(true);
    connect(m_table->horizontalHeader(), &QHeaderView::sectionClicked, this,
            [this] { m_table->setSortingEnabled(true); });
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(RoutingComparisonModel::RouteColumn, QHeaderView::Stretch);
    auto *tableLayout = new QVBoxLayout(tableBox);
    tableLayout->addWidget(m_table);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &RoutingDialog::showMissing);

    // The search questions.
    auto *searchBox = new QGroupBox(tr("Search the lineup"), this);
    m_floor = new QDoubleSpinBox(searchBox);
    m_floor->setRange(0.0, 100.0);
    m_floor->setDecimals(1);
    m_floor->setSuffix(QStringLiteral(" %"));
    m_floor->setValue(80.0);
    m_ceiling = new QDoubleSpinBox(searchBox);
    m_ceiling->setRange(0.0, 1e6);
    m_ceiling->setDecimals(4);
    m_ceiling->setSingleStep(0.01);
    m_ceiling->setPrefix(QStringLiteral("$ "));
    m_ceiling->setValue(1.0);
    m_findCheapest = new QPushButton(tr("&Find"), searchBox);
    m_findCheapest->setObjectName(QStringLiteral("findCheapest"));
    m_findBest = new QPushButton(tr("F&ind"), searchBox);
    m_findBest->setObjectName(QStringLiteral("findBest"));
    m_searchResult = new QLabel(searchBox);
    m_searchResult->setWordWrap(true);
    auto *searchLayout = new QGridLayout(searchBox);
    searchLayout->addWidget(new QLabel(tr("Cheapest policy with quality at least"), searchBox), 0, 0);
    searchLayout->addWidget(m_floor, 0, 1);
    searchLayout->addWidget(m_findCheapest, 0, 2);
    searchLayout->addWidget(new QLabel(tr("Best quality at a cost per 1,000 cases of at most"), searchBox), 1, 0);
    searchLayout->addWidget(m_ceiling, 1, 1);
    searchLayout->addWidget(m_findBest, 1, 2);
    searchLayout->addWidget(m_searchResult, 2, 0, 1, 3);
    searchLayout->setRowStretch(3, 1);
    connect(m_findCheapest, &QPushButton::clicked, this, [this] { findCheapest(m_floor->value() / 100.0); });
    connect(m_findBest, &QPushButton::clicked, this, [this] { findBestUnder(m_ceiling->value()); });

    // What a replay lacked, and the fetch of just that.
    auto *missingBox = new QGroupBox(tr("Missing for the selected row"), this);
    m_missing = new QPlainTextEdit(missingBox);
    m_missing->setObjectName(QStringLiteral("missingList"));
    m_missing->setReadOnly(true);
    m_missing->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_fetch = new QPushButton(tr("&Fetch What Is Missing…"), missingBox);
    m_fetch->setObjectName(QStringLiteral("fetchMissing"));
    m_fetch->setToolTip(tr("Send only the answers and validator verdicts the policies' replays lack, and record "
                           "them into this run"));
    m_fetchStatus = new QLabel(missingBox);
    m_fetchStatus->setObjectName(QStringLiteral("fetchStatus"));
    m_fetchStatus->setWordWrap(true);
    connect(m_fetch, &QPushButton::clicked, this, &RoutingDialog::fetchInteractively);
    auto *fetchRow = new QHBoxLayout;
    fetchRow->addWidget(m_fetch);
    fetchRow->addWidget(m_fetchStatus, 1);
    auto *missingLayout = new QVBoxLayout(missingBox);
    missingLayout->addWidget(m_missing);
    missingLayout->addLayout(fetchRow);

    auto *bottom = new QWidget(this);
    auto *bottomLayout = new QHBoxLayout(bottom);
    bottomLayout->setContentsMargins(0, 0, 0, 0);
    bottomLayout->addWidget(searchBox, 1);
    bottomLayout->addWidget(missingBox, 1);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(top);
    splitter->addWidget(tableBox);
    splitter->addWidget(bottom);
    splitter->setSizes({340, 320, 170});

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_runLabel);
    layout->addWidget(splitter, 1);
    layout->addWidget(buttons);
}

void RoutingDialog::setRun(const QList<CellResult> &cells, const Suite &suite, const QStringList &lineup,
                           const QString &source)
{
    ++m_runGeneration;
    m_evaluator = std::make_shared<const RoutingEvaluator>(cells, suite);
    m_lineup = lineup;
    // A status of the previous run's fetch does not belong to another run.
    if (source != m_runSource && !m_fetching)
        m_fetchStatus->clear();
    m_runSource = source;
    // Targets with answers that are not in the lineup (a merged run) still get their row.
    for (const QString &id : m_evaluator->targets()) {
        if (!m_lineup.contains(id))
            m_lineup.append(id);
    }
    m_editor->setChoices(m_lineup, m_evaluator->recordedValidators(), m_evaluator->tags());
    m_runLabel->setText(tr("Replaying %1: %2 on %3 target(s), %4 recorded cell(s). Nothing is sent.")
                            .arg(source, suite.name)
                            .arg(m_lineup.size())
                            .arg(cells.size()));
    m_seedSearchLimits = true;
    reevaluate();
}

void RoutingDialog::clearRun(const QString &reason)
{
    ++m_runGeneration;
    m_evaluator.reset();
    m_runLabel->setText(reason);
    m_runSource.clear();
    reevaluate();
}

void RoutingDialog::refreshList()
{
    const int current = m_list->currentRow();
    const QSignalBlocker blocker(m_list);
    m_list->clear();
    for (const RoutingPolicy &p : std::as_const(m_policies)) {
        auto *item = new QListWidgetItem(p.name, m_list);
        item->setToolTip(p.summary());
    }
    if (!m_policies.isEmpty()) {
        const int row = std::clamp(current, 0, static_cast<int>(m_policies.size()) - 1);
        m_list->setCurrentRow(row);
        m_editor->setPolicy(m_policies.at(row));
    }
}

void RoutingDialog::updateButtons()
{
    const bool selected = m_list->currentRow() >= 0;
    m_editor->setEnabled(selected);
    m_apply->setEnabled(selected);
    m_remove->setEnabled(selected);
    m_findCheapest->setEnabled(hasRun() && !m_searching);
    m_findBest->setEnabled(hasRun() && !m_searching);
    // While a replay is coming the plan is the previous one's: nothing to send yet.
    m_fetch->setEnabled(hasRun() && m_fetchAvailable && !m_fetching && !m_replaying && !m_plannedFetch.isEmpty());
    if (!m_fetching && !m_replaying) {
        if (hasRun() && !m_fetchAvailable && !m_fetchUnavailable.isEmpty())
            m_fetchStatus->setText(m_fetchUnavailable);
        else if (hasRun() && m_plannedFetch.isEmpty() && m_fetchStatus->text().isEmpty())
            m_fetchStatus->setText(tr("No replay lacks anything that can be fetched."));
    }
}

void RoutingDialog::fetchMissing()
{
    if (m_plannedFetch.isEmpty() || m_fetching || m_replaying || !m_fetchAvailable)
        return;
    Q_EMIT fetchRequested(m_plannedFetch);
}

void RoutingDialog::fetchInteractively()
{
    const RoutingFetch fetch = m_plannedFetch;
    if (fetch.isEmpty() || m_replaying)
        return;
    QString text = tr("Send %n answer request(s),", nullptr, static_cast<int>(fetch.answerJobIds.size())) + u' ' +
                   tr("ask for %n validator verdict(s)", nullptr, static_cast<int>(fetch.verdicts.size())) + u' ' +
                   tr("and %n best-of-N pick(s)?", nullptr, static_cast<int>(fetch.picks.size()));
    QString detail = tr("They are recorded into this run, which keeps everything it already has.");
    if (!fetch.picks.isEmpty())
        detail += u' ' + tr("A pick asks the judge twice, the answers' positions swapped.");
    if (!fetch.notFetchable.isEmpty())
        detail += u' ' + tr("%n item(s) cannot be fetched: answers of targets the run did not compare.", nullptr,
                            static_cast<int>(fetch.notFetchable.size()));
    QMessageBox box(QMessageBox::Question, tr("Fetch What Is Missing"), text, QMessageBox::Cancel, this);
    box.setInformativeText(detail);
    QPushButton *send = box.addButton(tr("Send"), QMessageBox::AcceptRole);
    box.setDefaultButton(send);
    box.exec();
    if (box.clickedButton() == send)
        fetchMissing();
}

void RoutingDialog::setFetchAvailable(bool available, const QString &why)
{
    m_fetchAvailable = available;
    m_fetchUnavailable = why;
    if (available && m_fetchStatus->text() == why)
        m_fetchStatus->clear();
    updateButtons();
}

void RoutingDialog::setFetching(bool fetching, const QString &status)
{
    m_fetching = fetching;
    m_fetchStatus->setText(status);
    updateButtons();
}

QString RoutingDialog::fetchStatusText() const
{
    return m_fetchStatus->text();
}

void RoutingDialog::showMessage(const QString &text, bool error)
{
    const bool dark = AppTheme::isDark(palette());
    m_message->setStyleSheet(error ? (dark ? QStringLiteral("color: #f87171;") : QStringLiteral("color: #b91c1c;"))
                                   : QString());
    m_message->setText(text);
}

QString RoutingDialog::messageText() const
{
    return m_message->text();
}

QString RoutingDialog::missingText() const
{
    return m_missing->toPlainText();
}

QString RoutingDialog::runText() const
{
    return m_runLabel->text();
}

void RoutingDialog::showMissing()
{
    const QModelIndex current = m_proxy->mapToSource(m_table->currentIndex());
    if (!current.isValid()) {
        m_missing->setPlainText(hasRun() ? tr("Select a row of the table.") : QString());
        return;
    }
    const RoutingEvaluation &e = m_model->evaluationAt(current.row());
    if (e.missing.isEmpty()) {
        m_missing->setPlainText(tr("%1: nothing missing; every replay is complete.").arg(e.policy.name));
        return;
    }
    QStringList lines;
    lines << tr("%1: %2 answer(s) and %3 verdict(s) or pick(s) missing; %4 replay(s) left out.")
                 .arg(e.policy.name)
                 .arg(e.missingAnswers)
                 .arg(e.missingVerdicts)
                 .arg(e.incomplete);
    for (const MissingItem &m : e.missing)
        lines << missingLine(m);
    m_missing->setPlainText(lines.join(u'\n'));
}

void RoutingDialog::selectPolicy(const QString &name)
{
    for (qsizetype i = 0; i < m_policies.size(); ++i) {
        if (m_policies.at(i).name == name)
            m_list->setCurrentRow(static_cast<int>(i));
    }
    selectTableRow(name);
}

void RoutingDialog::selectTableRow(const QString &policyName)
{
    const int row = m_model->rowOf(policyName, true);
    if (row >= 0)
        m_table->setCurrentIndex(m_proxy->mapFromSource(m_model->index(row, 0)));
}

QString RoutingDialog::uniqueName(const QString &wanted, qsizetype except) const
{
    const auto taken = [this, except](const QString &name) {
        for (qsizetype i = 0; i < m_policies.size(); ++i) {
            if (i != except && m_policies.at(i).name == name)
                return true;
        }
        return false;
    };
    QString name = wanted.trimmed().isEmpty() ? tr("policy") : wanted.trimmed();
    const QString base = name;
    for (int n = 2; taken(name); ++n)
        name = QStringLiteral("%1 (%2)").arg(base).arg(n);
    return name;
}

QString RoutingDialog::addPolicy(RoutingPolicy policy)
{
    policy.name = uniqueName(policy.name);
    m_policies.append(policy);
    reevaluate();
    selectPolicy(policy.name);
    return policy.name;
}

void RoutingDialog::setPolicies(const QList<RoutingPolicy> &policies)
{
    m_policies = policies;
    reevaluate();
    if (!m_policies.isEmpty())
        selectPolicy(m_policies.first().name);
}

void RoutingDialog::addNewPolicy(RoutingPolicy::Kind kind)
{
    RoutingPolicy p;
    p.kind = kind;
    const QString first = m_lineup.value(0);
    const QString second = m_lineup.value(1, first);
    switch (kind) {
    case RoutingPolicy::Kind::Cascade:
        p.name = tr("cascade");
        p.stages = {CascadeStage{first, RoutingPolicy::kOracleValidator, 1.0}, CascadeStage{second, {}, 0.5}};
        break;
    case RoutingPolicy::Kind::ByTag:
        p.name = tr("by tag");
        p.defaultTargetId = first;
        if (hasRun() && !m_evaluator->tags().isEmpty())
            p.rules = {TagRule{m_evaluator->tags().first(), second}};
        break;
    case RoutingPolicy::Kind::BestOfN:
        p.name = tr("best of N");
        p.candidateTargets = m_lineup.mid(0, 2);
        p.judgeTargetId = m_lineup.value(2, first);
        break;
    }
    addPolicy(p);
    showMessage(tr("Added \"%1\": edit it and press Apply.").arg(m_policies.last().name), false);
}

bool RoutingDialog::applyEdit()
{
    const int row = m_list->currentRow();
    if (row < 0 || row >= m_policies.size())
        return false;
    RoutingPolicy edited = m_editor->policy();
    const Status valid = edited.validate();
    if (!valid) {
        showMessage(valid.error(), true);
        return false;
    }
    if (uniqueName(edited.name, row) != edited.name) {
        showMessage(tr("Another policy is already called \"%1\".").arg(edited.name), true);
        return false;
    }
    m_policies[row] = edited;
    reevaluate();
    selectPolicy(edited.name);
    showMessage(tr("\"%1\" replayed.").arg(edited.name), false);
    return true;
}

void RoutingDialog::removeSelected()
{
    const int row = m_list->currentRow();
    if (row < 0 || row >= m_policies.size())
        return;
    m_policies.removeAt(row);
    reevaluate();
}

Status RoutingDialog::loadFile(const QString &path)
{
    auto loaded = RoutingPolicy::fromFile(path);
    if (!loaded) {
        showMessage(tr("Cannot load the policies: %1").arg(loaded.error()), true);
        return Error{loaded.error()};
    }
    m_filePath = path;
    setPolicies(loaded.value());
    showMessage(tr("Loaded %n policy(ies) from %1.", nullptr, static_cast<int>(m_policies.size()))
                    .arg(QDir::toNativeSeparators(path)),
                false);
    return {};
}

Status RoutingDialog::saveFile(const QString &path)
{
    const Status saved = RoutingPolicy::saveFile(path, m_policies);
    if (!saved) {
        showMessage(tr("Cannot save the policies: %1").arg(saved.error()), true);
        return saved;
    }
    m_filePath = path;
    showMessage(tr("Saved %n policy(ies) to %1.", nullptr, static_cast<int>(m_policies.size()))
                    .arg(QDir::toNativeSeparators(path)),
                false);
    return {};
}

void RoutingDialog::loadInteractively()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Load Routing Policies"), m_filePath,
                                                      tr("Routing policies (*.json);;All files (*)"));
    if (!path.isEmpty())
        loadFile(path);
}

void RoutingDialog::saveInteractively()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Save Routing Policies"),
                                                      m_filePath.isEmpty() ? QStringLiteral("routes.json") : m_filePath,
                                                      tr("Routing policies (*.json)"));
    if (!path.isEmpty())
        saveFile(path);
}

} // namespace Slopscope
