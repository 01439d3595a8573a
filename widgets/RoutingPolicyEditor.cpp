#include "RoutingPolicyEditor.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QStackedWidget>
#include <QTableWidget>
#include <QVBoxLayout>

namespace Slopscope {

namespace {

enum StageColumn { StageTarget, StageValidator, StageThreshold };
enum RuleColumn { RuleTag, RuleTarget };

QTableWidget *makeTable(const QStringList &headers, QWidget *parent)
{
    auto *table = new QTableWidget(0, static_cast<int>(headers.size()), parent);
    table->setHorizontalHeaderLabels(headers);
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    table->verticalHeader()->setDefaultSectionSize(30);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    return table;
}

QString comboValue(const QTableWidget *table, int row, int column)
{
    const auto *box = qobject_cast<QComboBox *>(table->cellWidget(row, column));
    if (!box)
        return {};
    const QVariant data = box->currentData();
    return data.isValid() ? data.toString() : box->currentText().trimmed();
}

void removeSelectedRow(QTableWidget *table)
{
    const int row = table->currentRow() >= 0 ? table->currentRow() : table->rowCount() - 1;
    if (row >= 0)
        table->removeRow(row);
}

} // namespace

RoutingPolicyEditor::RoutingPolicyEditor(QWidget *parent)
    : QWidget(parent)
{
    auto *form = new QFormLayout;
    m_name = new QLineEdit(this);
    m_name->setObjectName(QStringLiteral("policyName"));
    m_description = new QLineEdit(this);
    m_kind = new QComboBox(this);
    m_kind->addItem(tr("Cascade: draft, validate, escalate"), static_cast<int>(RoutingPolicy::Kind::Cascade));
    m_kind->addItem(tr("By tag: route by the case's tags"), static_cast<int>(RoutingPolicy::Kind::ByTag));
    m_kind->addItem(tr("Best of N: a judge picks one answer"), static_cast<int>(RoutingPolicy::Kind::BestOfN));
    form->addRow(tr("&Name"), m_name);
    form->addRow(tr("&Description"), m_description);
    form->addRow(tr("&Kind"), m_kind);

    m_pages = new QStackedWidget(this);

    // Cascade.
    auto *cascade = new QWidget(m_pages);
    auto *cascadeLayout = new QVBoxLayout(cascade);
    cascadeLayout->setContentsMargins(0, 0, 0, 0);
    m_stages = makeTable({tr("Target answers"), tr("Validator"), tr("Keep at score ≥")}, cascade);
    m_stages->setObjectName(QStringLiteral("stageTable"));
    m_stages->setMinimumHeight(110); // three stages in view
    auto *cascadeHint = new QLabel(tr("Each stage's answer is kept when its validator's score reaches the threshold; "
                                      "otherwise the next stage answers. The oracle reads the answer's own recorded "
                                      "grade: free, and an upper bound on a real validator."),
                                   cascade);
    cascadeHint->setWordWrap(true);
    auto *stageButtons = new QHBoxLayout;
    auto *addStageButton = new QPushButton(tr("Add Stage"), cascade);
    auto *removeStageButton = new QPushButton(tr("Remove Stage"), cascade);
    stageButtons->addWidget(addStageButton);
    stageButtons->addWidget(removeStageButton);
    stageButtons->addStretch();
    cascadeLayout->addWidget(m_stages);
    cascadeLayout->addLayout(stageButtons);
    cascadeLayout->addWidget(cascadeHint);
    connect(addStageButton, &QPushButton::clicked, this, &RoutingPolicyEditor::addStage);
    connect(removeStageButton, &QPushButton::clicked, this, [this] {
        if (m_stages->rowCount() > 1)
            removeSelectedRow(m_stages);
        refreshStageRows();
    });
    m_pages->addWidget(cascade);

    // By tag.
    auto *byTag = new QWidget(m_pages);
    auto *byTagLayout = new QVBoxLayout(byTag);
    byTagLayout->setContentsMargins(0, 0, 0, 0);
    m_rules = makeTable({tr("Cases tagged"), tr("go to")}, byTag);
    m_rules->setObjectName(QStringLiteral("ruleTable"));
    auto *ruleButtons = new QHBoxLayout;
    auto *addRuleButton = new QPushButton(tr("Add Rule"), byTag);
    auto *removeRuleButton = new QPushButton(tr("Remove Rule"), byTag);
    ruleButtons->addWidget(addRuleButton);
    ruleButtons->addWidget(removeRuleButton);
    ruleButtons->addStretch();
    m_default = new QComboBox(byTag);
    auto *defaultForm = new QFormLayout;
    defaultForm->addRow(tr("All other cases go to"), m_default);
    byTagLayout->addWidget(m_rules);
    byTagLayout->addLayout(ruleButtons);
    byTagLayout->addLayout(defaultForm);
    connect(addRuleButton, &QPushButton::clicked, this, &RoutingPolicyEditor::addRule);
    connect(removeRuleButton, &QPushButton::clicked, this, [this] { removeSelectedRow(m_rules); });
    m_pages->addWidget(byTag);

    // Best of N.
    auto *bestOf = new QWidget(m_pages);
    auto *bestOfLayout = new QVBoxLayout(bestOf);
    bestOfLayout->setContentsMargins(0, 0, 0, 0);
    bestOfLayout->addWidget(new QLabel(tr("Candidates (all answer; check two or more):"), bestOf));
    m_candidates = new QListWidget(bestOf);
    m_candidates->setObjectName(QStringLiteral("candidateList"));
    bestOfLayout->addWidget(m_candidates);
    m_judge = new QComboBox(bestOf);
    auto *judgeForm = new QFormLayout;
    judgeForm->addRow(tr("Judge picks one"), m_judge);
    bestOfLayout->addLayout(judgeForm);
    m_pages->addWidget(bestOf);

    connect(m_kind, &QComboBox::currentIndexChanged, m_pages, &QStackedWidget::setCurrentIndex);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(form);
    layout->addWidget(m_pages, 1);
    setPolicy(RoutingPolicy{});
}

void RoutingPolicyEditor::setChoices(const QStringList &targets, const QStringList &recordedValidators,
                                     const QStringList &tags)
{
    const RoutingPolicy current = policy();
    m_targets = targets;
    m_recordedValidators = recordedValidators;
    m_tags = tags;
    setPolicy(current);
}

void RoutingPolicyEditor::fillTargets(QComboBox *box, const QStringList &targets, const QString &current)
{
    box->clear();
    for (const QString &id : targets)
        box->addItem(id, id);
    // Without a run there is no lineup to be missing from: the id alone.
    if (!current.isEmpty() && !targets.contains(current))
        box->addItem(targets.isEmpty() ? current : tr("%1 (not in this run)").arg(current), current);
    const int index = box->findData(current);
    box->setCurrentIndex(index >= 0 ? index : 0);
}

QComboBox *RoutingPolicyEditor::targetBox(const QString &current) const
{
    auto *box = new QComboBox;
    fillTargets(box, m_targets, current);
    return box;
}

QComboBox *RoutingPolicyEditor::validatorBox(const QString &current) const
{
    auto *box = new QComboBox;
    box->addItem(tr("oracle (the answer's own grade)"), RoutingPolicy::kOracleValidator);
    // Targets whose verdicts the run recorded first: only those replay without the oracle's help.
    for (const QString &id : m_recordedValidators)
        box->addItem(tr("%1 (recorded verdicts)").arg(id), id);
    for (const QString &id : m_targets) {
        if (!m_recordedValidators.contains(id))
            box->addItem(tr("%1 (no verdicts recorded)").arg(id), id);
    }
    if (!current.isEmpty() && box->findData(current) < 0)
        box->addItem(m_targets.isEmpty() ? current : tr("%1 (not in this run)").arg(current), current);
    const int index = box->findData(current);
    box->setCurrentIndex(index >= 0 ? index : 0);
    return box;
}

void RoutingPolicyEditor::setStages(const QList<CascadeStage> &stages)
{
    m_stages->setRowCount(0);
    for (const CascadeStage &stage : stages) {
        const int row = m_stages->rowCount();
        m_stages->insertRow(row);
        m_stages->setCellWidget(row, StageTarget, targetBox(stage.targetId));
        m_stages->setCellWidget(row, StageValidator, validatorBox(stage.validatorId));
        auto *threshold = new QDoubleSpinBox;
        threshold->setRange(0.0, 1.0);
        threshold->setSingleStep(0.05);
        threshold->setDecimals(2);
        threshold->setValue(stage.threshold);
        m_stages->setCellWidget(row, StageThreshold, threshold);
    }
    refreshStageRows();
}

void RoutingPolicyEditor::refreshStageRows()
{
    // The last stage has nothing to escalate to: no validator, no threshold.
    for (int row = 0; row < m_stages->rowCount(); ++row) {
        const bool last = row == m_stages->rowCount() - 1;
        m_stages->cellWidget(row, StageValidator)->setEnabled(!last);
        m_stages->cellWidget(row, StageThreshold)->setEnabled(!last);
    }
}

void RoutingPolicyEditor::addStage()
{
    QList<CascadeStage> stages = policy().stages;
    if (!stages.isEmpty() && stages.last().validatorId.isEmpty())
        stages.last().validatorId = RoutingPolicy::kOracleValidator;
    // The next stage defaults to a target not used yet, the likely escalation.
    QString next = m_targets.value(0);
    for (const QString &id : std::as_const(m_targets)) {
        const bool used =
            std::any_of(stages.cbegin(), stages.cend(), [&id](const CascadeStage &s) { return s.targetId == id; });
        if (!used) {
            next = id;
            break;
        }
    }
    stages.append(CascadeStage{next, {}, 0.5});
    setStages(stages);
}

void RoutingPolicyEditor::setRules(const QList<TagRule> &rules)
{
    m_rules->setRowCount(0);
    for (const TagRule &rule : rules) {
        const int row = m_rules->rowCount();
        m_rules->insertRow(row);
        auto *tag = new QComboBox;
        tag->setEditable(true);
        tag->addItems(m_tags);
        tag->setCurrentText(rule.tag);
        m_rules->setCellWidget(row, RuleTag, tag);
        m_rules->setCellWidget(row, RuleTarget, targetBox(rule.targetId));
    }
}

void RoutingPolicyEditor::addRule()
{
    QList<TagRule> rules = policy().rules;
    rules.append(TagRule{m_tags.value(rules.size(), m_tags.value(0)), m_targets.value(0)});
    setRules(rules);
}

void RoutingPolicyEditor::setCandidates(const QStringList &candidates)
{
    m_candidates->clear();
    QStringList ids = m_targets;
    for (const QString &id : candidates) {
        if (!ids.contains(id))
            ids.append(id);
    }
    for (const QString &id : std::as_const(ids)) {
        auto *item = new QListWidgetItem(
            m_targets.contains(id) || m_targets.isEmpty() ? id : tr("%1 (not in this run)").arg(id));
        item->setData(Qt::UserRole, id);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
        item->setCheckState(candidates.contains(id) ? Qt::Checked : Qt::Unchecked);
        m_candidates->addItem(item);
    }
}

void RoutingPolicyEditor::setPolicy(const RoutingPolicy &policy)
{
    m_name->setText(policy.name);
    m_description->setText(policy.description);
    m_kind->setCurrentIndex(m_kind->findData(static_cast<int>(policy.kind)));
    m_pages->setCurrentIndex(m_kind->currentIndex());
    // Every page gets a usable start, so switching the kind offers something to edit.
    QList<CascadeStage> stages = policy.stages;
    if (stages.isEmpty())
        stages.append(CascadeStage{m_targets.value(0), {}, 0.5});
    setStages(stages);
    setRules(policy.rules);
    fillTargets(m_default, m_targets, policy.defaultTargetId);
    setCandidates(policy.candidateTargets);
    fillTargets(m_judge, m_targets, policy.judgeTargetId);
}

RoutingPolicy RoutingPolicyEditor::policy() const
{
    RoutingPolicy p;
    p.name = m_name->text().trimmed();
    p.description = m_description->text().trimmed();
    p.kind = static_cast<RoutingPolicy::Kind>(m_kind->currentData().toInt());
    for (int row = 0; row < m_stages->rowCount(); ++row) {
        const bool last = row == m_stages->rowCount() - 1;
        const auto *threshold = qobject_cast<QDoubleSpinBox *>(m_stages->cellWidget(row, StageThreshold));
        p.stages.append(CascadeStage{comboValue(m_stages, row, StageTarget),
                                     last ? QString() : comboValue(m_stages, row, StageValidator),
                                     last || !threshold ? 0.5 : threshold->value()});
    }
    for (int row = 0; row < m_rules->rowCount(); ++row) {
        const auto *tag = qobject_cast<QComboBox *>(m_rules->cellWidget(row, RuleTag));
        p.rules.append(TagRule{tag ? tag->currentText().trimmed() : QString(), comboValue(m_rules, row, RuleTarget)});
    }
    p.defaultTargetId = m_default->currentData().toString();
    for (int i = 0; i < m_candidates->count(); ++i) {
        const QListWidgetItem *item = m_candidates->item(i);
        if (item->checkState() == Qt::Checked)
            p.candidateTargets.append(item->data(Qt::UserRole).toString());
    }
    p.judgeTargetId = m_judge->currentData().toString();
    // Only the fields of the kind are kept: the others are what the pages showed, not the policy.
    if (p.kind != RoutingPolicy::Kind::Cascade)
        p.stages.clear();
    if (p.kind != RoutingPolicy::Kind::ByTag) {
        p.rules.clear();
        p.defaultTargetId.clear();
    }
    if (p.kind != RoutingPolicy::Kind::BestOfN) {
        p.candidateTargets.clear();
        p.judgeTargetId.clear();
    }
    return p;
}

} // namespace Slopscope
