#include "ProvidersSettingsPage.h"

#include "core/WorkspaceWriter.h"
#include "engine/ProviderPresets.h"
#include "ProviderSettingsForm.h"
#include "TargetSettingsForm.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QStackedWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace Slopscope {

namespace {

enum ItemKind { ProviderItem = QTreeWidgetItem::UserType + 1, TargetItem };
constexpr int IndexRole = Qt::UserRole + 1;

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
    for (qsizetype i = 0; i < m_workspace.providers.size(); ++i)
        m_providerInputProblems.append(QString());
    for (const TargetConfig &t : std::as_const(m_workspace.targets)) {
        qsizetype owner = -1;
        for (qsizetype i = 0; owner < 0 && i < m_workspace.providers.size(); ++i) {
            if (m_workspace.providers.at(i).id == t.providerId)
                owner = i;
        }
        m_targetOwner.append(owner);
    }

    auto *layout = new QVBoxLayout(this);
    m_lockNote = new QLabel(this);
    m_lockNote->setObjectName(QStringLiteral("providersLockNote"));
    m_lockNote->setWordWrap(true);
    m_lockNote->hide();
    layout->addWidget(m_lockNote);

    auto *splitter = new QSplitter(this);
    auto *left = new QWidget(splitter);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    m_tree = new QTreeWidget(left);
    m_tree->setObjectName(QStringLiteral("providersTree"));
    m_tree->setAccessibleName(tr("Providers and targets"));
    m_tree->setHeaderHidden(true);
    m_tree->setRootIsDecorated(false);
    leftLayout->addWidget(m_tree, 1);
    auto *buttons = new QHBoxLayout;
    m_addProvider = new QPushButton(tr("&Add Provider"), left);
    m_addProvider->setObjectName(QStringLiteral("addProviderButton"));
    m_presetMenu = new QMenu(m_addProvider);
    for (const ProviderPreset &preset : ProviderPresets::all()) {
        const QString id = preset.id;
        m_presetMenu->addAction(preset.displayName, this, [this, id] { addProvider(id); });
    }
    m_presetMenu->addSeparator();
    m_presetMenu->addAction(tr("Other OpenAI-compatible server (blank)"), this, [this] { addProvider(QString()); });
    m_addProvider->setMenu(m_presetMenu);
    m_removeProvider = new QPushButton(tr("Re&move"), left);
    m_removeProvider->setObjectName(QStringLiteral("removeProviderButton"));
    m_removeProvider->setToolTip(tr("Remove the selected provider"));
    buttons->addWidget(m_addProvider);
    buttons->addWidget(m_removeProvider);
    buttons->addStretch(1);
    leftLayout->addLayout(buttons);

    m_stack = new QStackedWidget(splitter);
    m_empty = new QLabel(tr("Select a provider or a target."), m_stack);
    m_empty->setAlignment(Qt::AlignCenter);
    m_providerForm = new ProviderSettingsForm;
    m_targetForm = new TargetSettingsForm(catalogue);
    m_stack->addWidget(m_empty);
    m_stack->addWidget(scrolled(m_providerForm, m_stack));
    m_stack->addWidget(scrolled(m_targetForm, m_stack));
    splitter->addWidget(left);
    splitter->addWidget(m_stack);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({200, 560});
    layout->addWidget(splitter, 1);

    // Workspace-wide, beside the providers: a LAN range or a domain concerns every provider on it.
    auto *bypassRow = new QFormLayout;
    m_bypass = new QLineEdit(m_workspace.noProxy.join(QStringLiteral(", ")), this);
    m_bypass->setObjectName(QStringLiteral("providersBypass"));
    m_bypass->setPlaceholderText(tr("e.g. .corp.example, 10.0.0.0/8, gpu-box:11434"));
    m_bypass->setToolTip(tr("Hosts that never go through the proxy, besides those in no_proxy: names, .suffixes, "
                            "IP addresses, CIDR blocks, host:port, or * for all. Comma-separated. This computer "
                            "always goes direct."));
    m_bypass->setAccessibleName(tr("Hosts that bypass the proxy"));
    bypassRow->addRow(tr("&Bypass the proxy for:"), m_bypass);
    layout->addLayout(bypassRow);
    connect(m_bypass, &QLineEdit::textEdited, this, [this](const QString &text) {
        m_workspace.noProxy.clear();
        for (const QString &entry : text.split(u',', Qt::SkipEmptyParts)) {
            if (!entry.trimmed().isEmpty())
                m_workspace.noProxy.append(entry.trimmed());
        }
        validate();
    });

    m_notice = new QLabel(this);
    m_notice->setObjectName(QStringLiteral("providersNotice"));
    m_notice->setTextFormat(Qt::PlainText); // ids and labels come from a workspace file
    m_notice->setWordWrap(true);
    m_notice->hide();
    layout->addWidget(m_notice);

    m_problemLabel = new QLabel(this);
    m_problemLabel->setObjectName(QStringLiteral("providersProblem"));
    m_problemLabel->setTextFormat(Qt::PlainText); // the message quotes what was typed
    m_problemLabel->setWordWrap(true);
    QPalette red = m_problemLabel->palette();
    red.setColor(QPalette::WindowText, QColor(0xc0, 0x1c, 0x28));
    m_problemLabel->setPalette(red);
    m_problemLabel->hide();
    layout->addWidget(m_problemLabel);

    m_removalPrompt = [this](const QString &provider, const QString &reason) {
        QMessageBox box(QMessageBox::Question, tr("Remove Provider"), QString(), QMessageBox::NoButton, this);
        box.setTextFormat(Qt::PlainText);
        box.setText(tr("%1\n\nRemove these targets together with provider \"%2\"?").arg(reason, provider));
        QPushButton *remove = box.addButton(tr("Remove All"), QMessageBox::DestructiveRole);
        QPushButton *cancel = box.addButton(QMessageBox::Cancel);
        box.setDefaultButton(cancel);
        box.setEscapeButton(cancel);
        box.exec();
        return box.clickedButton() == remove;
    };

    connect(m_tree, &QTreeWidget::currentItemChanged, this, &ProvidersSettingsPage::showCurrent);
    connect(m_removeProvider, &QPushButton::clicked, this, &ProvidersSettingsPage::removeCurrentProvider);
    connect(m_providerForm, &ProviderSettingsForm::edited, this, &ProvidersSettingsPage::onProviderEdited);
    connect(m_targetForm, &TargetSettingsForm::edited, this, &ProvidersSettingsPage::onTargetEdited);
    rebuildTree();
    if (!m_workspace.providers.isEmpty())
        selectProviderAt(0);
    updateButtons();
}

ProvidersSettingsPage::~ProvidersSettingsPage() = default;

void ProvidersSettingsPage::rebuildTree()
{
    const QSignalBlocker blocker(m_tree); // the caller selects, and the form follows, once
    m_tree->clear();
    auto *providers = new QTreeWidgetItem(m_tree, {tr("Providers")});
    for (qsizetype i = 0; i < m_workspace.providers.size(); ++i) {
        const ProviderConfig &p = m_workspace.providers.at(i);
        auto *item = new QTreeWidgetItem(providers, {p.id}, ProviderItem);
        item->setData(0, Qt::UserRole, p.id);
        item->setData(0, IndexRole, i);
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
}

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
    m_bypass->setEnabled(note.isEmpty());
    updateButtons();
}

QString ProvidersSettingsPage::addProvider(const QString &presetId)
{
    ProviderConfig provider;
    if (const ProviderPreset *preset = ProviderPresets::find(presetId)) {
        provider = preset->toProviderConfig();
    } else {
        provider.id = QStringLiteral("custom");
        provider.dialect = Dialect::OpenAIChat;
        provider.maxConcurrency = ProviderPreset{}.defaultConcurrency;
    }
    const QString base = provider.id;
    for (int n = 2; m_workspace.provider(provider.id); ++n)
        provider.id = base + u'-' + QString::number(n);
    m_workspace.providers.append(provider);
    m_providerInputProblems.append(QString());
    m_notice->hide();
    rebuildTree();
    selectProviderAt(m_workspace.providers.size() - 1);
    // A blank provider is invalid until it has an address: the form says so, and Tab starts there.
    QLineEdit *first = presetId.isEmpty() ? m_providerForm->baseUrlEdit() : m_providerForm->idEdit();
    first->setFocus();
    first->selectAll();
    validate();
    return provider.id;
}

void ProvidersSettingsPage::removeCurrentProvider()
{
    const qsizetype index = m_shownProvider;
    if (index < 0 || index >= m_workspace.providers.size() || m_stack->currentIndex() != 1)
        return;
    const QString id = m_workspace.providers.at(index).id;
    QList<qsizetype> users;
    QStringList labels;
    for (qsizetype j = 0; j < m_targetOwner.size(); ++j) {
        if (m_targetOwner.at(j) == index) {
            users.append(j);
            labels.append(m_workspace.targets.at(j).label);
        }
    }
    if (!users.isEmpty()) {
        const QString reason =
            tr("Provider \"%1\" is used by %n target(s): %2.", nullptr, static_cast<int>(users.size()))
                .arg(id, labels.join(QStringLiteral(", ")));
        if (!m_removalPrompt || !m_removalPrompt(id, reason)) {
            m_notice->setText(tr("Not removed. %1").arg(reason));
            m_notice->show();
            return;
        }
        for (auto it = users.crbegin(); it != users.crend(); ++it) {
            m_targetInputProblems.remove(m_workspace.targets.at(*it).id);
            m_workspace.targets.removeAt(*it);
            m_targetOwner.removeAt(*it);
        }
        m_notice->setText(
            tr("Removed provider \"%1\" and %n target(s) with it.", nullptr, static_cast<int>(users.size())).arg(id));
    } else {
        m_notice->setText(tr("Removed provider \"%1\".").arg(id));
    }
    m_notice->show();
    m_workspace.providers.removeAt(index);
    m_providerInputProblems.removeAt(index);
    for (qsizetype &owner : m_targetOwner) {
        if (owner > index)
            --owner;
    }
    m_shownProvider = -1;
    rebuildTree();
    if (!m_workspace.providers.isEmpty())
        selectProviderAt(std::min(index, m_workspace.providers.size() - 1));
    else
        showCurrent();
    m_tree->setFocus();
    validate();
}

void ProvidersSettingsPage::selectProviderAt(qsizetype index)
{
    const QTreeWidgetItem *group = m_tree->topLevelItem(0);
    if (index >= 0 && index < group->childCount())
        m_tree->setCurrentItem(group->child(static_cast<int>(index)));
    showCurrent(); // also when the item was current already, before a rebuild
}

void ProvidersSettingsPage::selectProvider(const QString &id)
{
    for (qsizetype i = 0; i < m_workspace.providers.size(); ++i) {
        if (m_workspace.providers.at(i).id == id) {
            selectProviderAt(i);
            return;
        }
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

void ProvidersSettingsPage::updateButtons()
{
    const bool unlocked = m_lockNote->isHidden();
    m_addProvider->setEnabled(unlocked);
    m_removeProvider->setEnabled(unlocked && m_shownProvider >= 0 && m_stack->currentIndex() == 1);
}

void ProvidersSettingsPage::showCurrent()
{
    const QTreeWidgetItem *item = m_tree->currentItem();
    m_shownProvider = -1;
    if (item && item->type() == ProviderItem) {
        const qsizetype index = item->data(0, IndexRole).toLongLong();
        if (index >= 0 && index < m_workspace.providers.size()) {
            QStringList others;
            for (qsizetype i = 0; i < m_workspace.providers.size(); ++i) {
                if (i != index)
                    others.append(m_workspace.providers.at(i).id);
            }
            m_shownProvider = index;
            m_providerForm->setProvider(m_workspace.providers.at(index), others);
            m_stack->setCurrentIndex(1);
            updateButtons();
            return;
        }
    } else if (item && item->type() == TargetItem) {
        if (const TargetConfig *t = m_workspace.target(item->data(0, Qt::UserRole).toString())) {
            m_targetForm->setTarget(*t);
            m_stack->setCurrentIndex(2);
            updateButtons();
            return;
        }
    }
    m_stack->setCurrentWidget(m_empty);
    updateButtons();
}

void ProvidersSettingsPage::onProviderEdited()
{
    const qsizetype index = m_shownProvider;
    if (index < 0 || index >= m_workspace.providers.size())
        return;
    const ProviderConfig edited = m_providerForm->provider();
    if (edited.id != m_workspace.providers.at(index).id) {
        // A rename: the targets on this provider follow it.
        for (qsizetype j = 0; j < m_targetOwner.size(); ++j) {
            if (m_targetOwner.at(j) == index)
                m_workspace.targets[j].providerId = edited.id;
        }
        if (QTreeWidgetItem *item = m_tree->topLevelItem(0)->child(static_cast<int>(index))) {
            item->setText(0, edited.id);
            item->setData(0, Qt::UserRole, edited.id);
        }
    }
    m_workspace.providers[index] = edited;
    m_providerInputProblems[index] = m_providerForm->inputProblem();
    m_notice->hide();
    validate();
}

void ProvidersSettingsPage::onTargetEdited()
{
    const TargetConfig edited = m_targetForm->target();
    for (TargetConfig &t : m_workspace.targets) {
        if (t.id == edited.id)
            t = edited;
    }
    m_targetInputProblems.insert(edited.id, m_targetForm->inputProblem());
    m_notice->hide();
    validate();
}

void ProvidersSettingsPage::validate()
{
    // The same paths and words the loader uses, so a message reads the same here as for a file.
    QString problem;
    for (const QString &p : std::as_const(m_providerInputProblems)) {
        if (problem.isEmpty() && !p.isEmpty())
            problem = p;
    }
    for (const QString &p : std::as_const(m_targetInputProblems)) {
        if (problem.isEmpty() && !p.isEmpty())
            problem = p;
    }
    const QList<ProviderConfig> &providers = m_workspace.providers;
    for (qsizetype i = 0; problem.isEmpty() && i < providers.size(); ++i) {
        const QString path = QStringLiteral("providers[%1]").arg(i);
        problem = Workspace::providerProblem(providers.at(i), path);
        for (qsizetype j = 0; problem.isEmpty() && j < i; ++j) {
            if (providers.at(j).id == providers.at(i).id)
                problem = tr("%1.id: duplicate provider id \"%2\"").arg(path, providers.at(i).id);
        }
    }
    for (qsizetype i = 0; problem.isEmpty() && i < m_workspace.targets.size(); ++i)
        problem = Workspace::targetProblem(m_workspace.targets.at(i), QStringLiteral("targets[%1]").arg(i));
    for (qsizetype i = 0; problem.isEmpty() && i < m_workspace.noProxy.size(); ++i)
        problem = Workspace::bypassEntryProblem(m_workspace.noProxy.at(i), QStringLiteral("no_proxy[%1]").arg(i));
    m_problem = problem;
    m_problemLabel->setText(problem);
    m_problemLabel->setVisible(!problem.isEmpty());
    emit changed();
}

} // namespace Slopscope
