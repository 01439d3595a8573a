#include "ProvidersSettingsPage.h"

#include "core/WorkspaceWriter.h"
#include "ProviderSettingsForm.h"
#include "TargetSettingsForm.h"

#include <QHeaderView>
#include <QLabel>
#include <QScrollArea>
#include <QSplitter>
#include <QStackedWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace Slopscope {

namespace {

enum ItemKind { ProviderItem = QTreeWidgetItem::UserType + 1, TargetItem };

QWidget *scrolled(QWidget *form, QWidget *parent)
{
    auto *area = new QScrollArea(parent);
    area->setWidgetResizable(true);
    area->setFrameShape(QFrame::NoFrame);
    area->setWidget(form);
    return area;
}

} // namespace

ProvidersSettingsPage::ProvidersSettingsPage(const Workspace &workspace, const PriceCatalogue *catalogue,
                                             QWidget *parent)
    : QWidget(parent)
    , m_workspace(workspace)
    , m_baseline(workspace)
    , m_applied(workspaceToBytes(workspace))
{
    setObjectName(QStringLiteral("providersSettingsPage"));
    auto *layout = new QVBoxLayout(this);
    m_lockNote = new QLabel(this);
    m_lockNote->setObjectName(QStringLiteral("providersLockNote"));
    m_lockNote->setWordWrap(true);
    m_lockNote->hide();
    layout->addWidget(m_lockNote);

    auto *splitter = new QSplitter(this);
    m_tree = new QTreeWidget(splitter);
    m_tree->setObjectName(QStringLiteral("providersTree"));
    m_tree->setHeaderHidden(true);
    m_tree->setRootIsDecorated(false);
    auto *providers = new QTreeWidgetItem(m_tree, {tr("Providers")});
    for (const ProviderConfig &p : std::as_const(m_workspace.providers)) {
        auto *item = new QTreeWidgetItem(providers, {p.id}, ProviderItem);
        item->setData(0, Qt::UserRole, p.id);
    }
    auto *targets = new QTreeWidgetItem(m_tree, {tr("Targets")});
    for (const TargetConfig &t : std::as_const(m_workspace.targets)) {
        auto *item = new QTreeWidgetItem(targets, {t.label}, TargetItem);
        item->setData(0, Qt::UserRole, t.id);
        item->setToolTip(0, t.model);
    }
    for (QTreeWidgetItem *group : {providers, targets}) {
        group->setFlags(Qt::ItemIsEnabled);
        QFont bold = group->font(0);
        bold.setBold(true);
        group->setFont(0, bold);
    }
    m_tree->expandAll();

    m_stack = new QStackedWidget(splitter);
    m_empty = new QLabel(tr("Select a provider or a target."), m_stack);
    m_empty->setAlignment(Qt::AlignCenter);
    m_providerForm = new ProviderSettingsForm;
    m_targetForm = new TargetSettingsForm(catalogue);
    m_stack->addWidget(m_empty);
    m_stack->addWidget(scrolled(m_providerForm, m_stack));
    m_stack->addWidget(scrolled(m_targetForm, m_stack));
    splitter->addWidget(m_tree);
    splitter->addWidget(m_stack);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({180, 520});
    layout->addWidget(splitter, 1);

    m_problemLabel = new QLabel(this);
    m_problemLabel->setObjectName(QStringLiteral("providersProblem"));
    m_problemLabel->setTextFormat(Qt::PlainText); // the message quotes what was typed
    m_problemLabel->setWordWrap(true);
    QPalette red = m_problemLabel->palette();
    red.setColor(QPalette::WindowText, QColor(0xc0, 0x1c, 0x28));
    m_problemLabel->setPalette(red);
    m_problemLabel->hide();
    layout->addWidget(m_problemLabel);

    connect(m_tree, &QTreeWidget::currentItemChanged, this, &ProvidersSettingsPage::showCurrent);
    connect(m_providerForm, &ProviderSettingsForm::edited, this, &ProvidersSettingsPage::onProviderEdited);
    connect(m_targetForm, &TargetSettingsForm::edited, this, &ProvidersSettingsPage::onTargetEdited);
    if (!m_workspace.providers.isEmpty())
        selectProvider(m_workspace.providers.constFirst().id);
}

ProvidersSettingsPage::~ProvidersSettingsPage() = default;

bool ProvidersSettingsPage::isModified() const
{
    return workspaceToBytes(m_workspace) != m_applied;
}

void ProvidersSettingsPage::markApplied()
{
    m_baseline = m_workspace;
    m_applied = workspaceToBytes(m_workspace);
    emit changed();
}

void ProvidersSettingsPage::setLocked(const QString &note)
{
    m_lockNote->setText(note);
    m_lockNote->setVisible(!note.isEmpty());
    m_stack->setEnabled(note.isEmpty());
}

void ProvidersSettingsPage::selectProvider(const QString &id)
{
    const QTreeWidgetItem *group = m_tree->topLevelItem(0);
    for (int i = 0; i < group->childCount(); ++i) {
        if (group->child(i)->data(0, Qt::UserRole).toString() == id)
            m_tree->setCurrentItem(group->child(i));
    }
}

void ProvidersSettingsPage::selectTarget(const QString &id)
{
    const QTreeWidgetItem *group = m_tree->topLevelItem(1);
    for (int i = 0; i < group->childCount(); ++i) {
        if (group->child(i)->data(0, Qt::UserRole).toString() == id)
            m_tree->setCurrentItem(group->child(i));
    }
}

void ProvidersSettingsPage::showCurrent()
{
    const QTreeWidgetItem *item = m_tree->currentItem();
    const QString id = item ? item->data(0, Qt::UserRole).toString() : QString();
    if (item && item->type() == ProviderItem) {
        if (const ProviderConfig *p = m_workspace.provider(id)) {
            m_providerForm->setProvider(*p);
            m_stack->setCurrentIndex(1);
            return;
        }
    } else if (item && item->type() == TargetItem) {
        if (const TargetConfig *t = m_workspace.target(id)) {
            m_targetForm->setTarget(*t);
            m_stack->setCurrentIndex(2);
            return;
        }
    }
    m_stack->setCurrentWidget(m_empty);
}

void ProvidersSettingsPage::onProviderEdited()
{
    const ProviderConfig edited = m_providerForm->provider();
    for (ProviderConfig &p : m_workspace.providers) {
        if (p.id == edited.id)
            p = edited;
    }
    m_inputProblems.insert(u"p:" + edited.id, m_providerForm->inputProblem());
    validate();
}

void ProvidersSettingsPage::onTargetEdited()
{
    const TargetConfig edited = m_targetForm->target();
    for (TargetConfig &t : m_workspace.targets) {
        if (t.id == edited.id)
            t = edited;
    }
    m_inputProblems.insert(u"t:" + edited.id, m_targetForm->inputProblem());
    validate();
}

void ProvidersSettingsPage::validate()
{
    // The same paths the loader names, so a message reads the same here as for a file.
    QString problem;
    for (const QString &p : std::as_const(m_inputProblems)) {
        if (problem.isEmpty() && !p.isEmpty())
            problem = p;
    }
    for (qsizetype i = 0; problem.isEmpty() && i < m_workspace.providers.size(); ++i)
        problem = Workspace::providerProblem(m_workspace.providers.at(i), QStringLiteral("providers[%1]").arg(i));
    for (qsizetype i = 0; problem.isEmpty() && i < m_workspace.targets.size(); ++i)
        problem = Workspace::targetProblem(m_workspace.targets.at(i), QStringLiteral("targets[%1]").arg(i));
    m_problem = problem;
    m_problemLabel->setText(problem);
    m_problemLabel->setVisible(!problem.isEmpty());
    emit changed();
}

} // namespace Slopscope
