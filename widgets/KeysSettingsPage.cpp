#include "KeysSettingsPage.h"

#include "AppTheme.h"
#include "KeyEntryDialog.h"
#include "PlainHttpHostsBox.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace Slopscope {

KeysSettingsPage::KeysSettingsPage(KeyringSecrets *secrets, const Workspace &workspace, QWidget *parent)
    : QWidget(parent)
    , m_secrets(secrets)
    , m_workspace(workspace)
    , m_names(KeyringSecrets::keyNames(workspace, false))
{
    setObjectName(QStringLiteral("keysSettingsPage"));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("API keys are kept in the system keychain, never in the workspace or the settings. "
                                "An environment variable of the same name overrides the keychain."),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    m_table = new QTreeWidget(this);
    m_table->setObjectName(QStringLiteral("keysTable"));
    m_table->setAccessibleName(tr("API keys"));
    m_table->setRootIsDecorated(false);
    m_table->setUniformRowHeights(true);
    m_table->setColumnCount(ColumnCount);
    m_table->setHeaderLabels({tr("Key"), tr("Used by"), tr("Source")});
    m_table->header()->setSectionResizeMode(NameColumn, QHeaderView::ResizeToContents);
    m_table->header()->setSectionResizeMode(ProvidersColumn, QHeaderView::Interactive);
    m_table->header()->setStretchLastSection(true);
    m_table->setColumnWidth(ProvidersColumn, 220);
    layout->addWidget(m_table, 1);

    m_noKeys = new QLabel(tr("This workspace's providers need no API key: they are all simulated or local."), this);
    m_noKeys->setObjectName(QStringLiteral("noKeysLabel"));
    m_noKeys->setWordWrap(true);
    layout->addWidget(m_noKeys);
    fillTable();

    m_note = new QLabel(this);
    m_note->setObjectName(QStringLiteral("keyNote"));
    m_note->setTextFormat(Qt::PlainText);
    m_note->setWordWrap(true);
    m_note->hide();
    layout->addWidget(m_note);

    auto *buttons = new QHBoxLayout;
    m_setKey = new QPushButton(tr("&Set Key…"), this);
    m_setKey->setObjectName(QStringLiteral("setKeyButton"));
    m_remove = new QPushButton(tr("&Remove"), this);
    m_remove->setObjectName(QStringLiteral("removeKeyButton"));
    buttons->addWidget(m_setKey);
    buttons->addWidget(m_remove);
    buttons->addStretch(1);
    layout->addLayout(buttons);

    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("keyMessage"));
    m_message->setTextFormat(Qt::PlainText);
    m_message->setWordWrap(true);
    layout->addWidget(m_message);

    m_plainHttpHosts = new PlainHttpHostsBox(QString(), this);
    layout->addWidget(m_plainHttpHosts);

    connect(m_setKey, &QPushButton::clicked, this, &KeysSettingsPage::setKey);
    connect(m_remove, &QPushButton::clicked, this, &KeysSettingsPage::removeKey);
    connect(m_table, &QTreeWidget::currentItemChanged, this, &KeysSettingsPage::updateButtons);
    connect(m_table, &QTreeWidget::itemDoubleClicked, this, &KeysSettingsPage::setKey);
    if (!m_names.isEmpty())
        m_table->setCurrentItem(m_table->topLevelItem(0));
    refresh();
}

KeysSettingsPage::~KeysSettingsPage() = default;

void KeysSettingsPage::fillTable()
{
    m_table->clear();
    for (const QString &name : std::as_const(m_names)) {
        auto *item = new QTreeWidgetItem(m_table);
        item->setText(NameColumn, name);
        item->setData(NameColumn, Qt::UserRole, name);
        item->setText(ProvidersColumn, usedBy(name));
        item->setToolTip(ProvidersColumn, usedBy(name));
    }
    m_noKeys->setVisible(m_names.isEmpty());
}

void KeysSettingsPage::setWorkspace(const Workspace &workspace)
{
    QStringList names = KeyringSecrets::keyNames(workspace, false);
    names.removeAll(QString()); // a secret header whose entry is still being typed
    m_workspace = workspace;
    if (names == m_names) {
        for (int i = 0; i < m_table->topLevelItemCount(); ++i) {
            QTreeWidgetItem *item = m_table->topLevelItem(i);
            item->setText(ProvidersColumn, usedBy(item->data(NameColumn, Qt::UserRole).toString()));
            item->setToolTip(ProvidersColumn, item->text(ProvidersColumn));
        }
        return;
    }
    const QString current = currentName();
    m_names = names;
    fillTable();
    if (m_names.contains(current))
        selectKey(current);
    else if (!m_names.isEmpty())
        m_table->setCurrentItem(m_table->topLevelItem(0));
    refresh();
}

QString KeysSettingsPage::usedBy(const QString &name) const
{
    QStringList ids;
    for (const ProviderConfig &p : std::as_const(m_workspace.providers)) {
        if (p.secretNames().contains(name) && !p.usesEmbeddedSimulator())
            ids.append(p.id);
    }
    return ids.join(QStringLiteral(", "));
}

bool KeysSettingsPage::isChecking() const
{
    return std::any_of(m_states.cbegin(), m_states.cend(), [](const KeyState &s) { return s.checking; });
}

QString KeysSettingsPage::sourceText(const QString &name) const
{
    const auto it = m_states.constFind(name);
    if (it == m_states.cend())
        return {};
    if (it->checking)
        return tr("checking…");
    switch (it->origin) {
    case KeyringSecrets::Origin::Environment:
        return tr("environment");
    case KeyringSecrets::Origin::Keychain:
        return tr("keychain");
    case KeyringSecrets::Origin::Session:
        return tr("this session only");
    case KeyringSecrets::Origin::Missing:
        break;
    }
    // The keychain's own message is long: the note under the table and the tooltip carry it.
    return it->error.isEmpty() ? tr("missing") : tr("unknown: keychain unavailable");
}

void KeysSettingsPage::refresh()
{
    for (const QString &name : std::as_const(m_names)) {
        m_states[name] = KeyState{};
        showState(name);
    }
    if (!m_secrets || m_names.isEmpty()) {
        updateButtons();
        return;
    }
    QPointer<KeysSettingsPage> self(this);
    m_secrets->load(m_names, [self](const KeyringSecrets::LoadReport &report) {
        if (!self || !self->m_secrets)
            return;
        const auto settle = [&self](const QString &name, KeyringSecrets::Origin origin, const QString &error) {
            self->m_states[name] = KeyState{false, origin, error};
            self->showState(name);
        };
        for (const QString &name : report.fromEnvironment)
            settle(name, KeyringSecrets::Origin::Environment, {});
        for (const QString &name : report.found)
            settle(name, self->m_secrets->origin(name), {});
        for (const QString &name : report.missing)
            settle(name, KeyringSecrets::Origin::Missing, {});
        for (const auto &[name, result] : report.failed)
            settle(name, self->m_secrets->origin(name), result.message);
        self->updateButtons();
    });
    updateButtons();
}

void KeysSettingsPage::showState(const QString &name)
{
    for (int i = 0; i < m_table->topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = m_table->topLevelItem(i);
        if (item->data(NameColumn, Qt::UserRole).toString() == name) {
            item->setText(SourceColumn, sourceText(name));
            const QString error = m_states.value(name).error;
            item->setToolTip(SourceColumn, error.isEmpty() ? sourceText(name) : error);
        }
    }
}

QString KeysSettingsPage::currentName() const
{
    const QTreeWidgetItem *item = m_table->currentItem();
    return item ? item->data(NameColumn, Qt::UserRole).toString() : QString();
}

void KeysSettingsPage::selectKey(const QString &name)
{
    for (int i = 0; i < m_table->topLevelItemCount(); ++i) {
        if (m_table->topLevelItem(i)->data(NameColumn, Qt::UserRole).toString() == name)
            m_table->setCurrentItem(m_table->topLevelItem(i));
    }
}

void KeysSettingsPage::updateButtons()
{
    const QString name = currentName();
    const KeyState state = m_states.value(name);
    const bool usable = !name.isEmpty() && m_secrets && !state.checking && !m_entry;
    m_setKey->setEnabled(usable);
    // An environment variable cannot be removed from here; a stored key behind it can.
    m_remove->setEnabled(usable && state.origin != KeyringSecrets::Origin::Missing);
    if (!name.isEmpty() && !state.checking && state.origin == KeyringSecrets::Origin::Environment) {
        m_note->setText(tr("%1 is set in the environment: that value is used, whatever the keychain holds, "
                           "until the variable is unset.")
                            .arg(name));
        m_note->show();
    } else if (!name.isEmpty() && !state.checking && !state.error.isEmpty()) {
        m_note->setText(
            state.origin == KeyringSecrets::Origin::Session
                ? tr("%1 is kept for this session only. The keychain could not take it: %2").arg(name, state.error)
                : tr("The keychain could not answer about %1: %2").arg(name, state.error));
        m_note->show();
    } else {
        m_note->hide();
    }
}

void KeysSettingsPage::showMessage(const QString &text, bool error)
{
    const bool dark = AppTheme::isDark(palette());
    m_message->setStyleSheet(error ? (dark ? QStringLiteral("color: #f87171;") : QStringLiteral("color: #b91c1c;"))
                                   : QString());
    m_message->setText(text);
}

void KeysSettingsPage::setKey()
{
    const QString name = currentName();
    if (name.isEmpty() || !m_secrets || m_entry)
        return;
    m_entry = new KeyEntryDialog(name, usedBy(name), this);
    m_entry->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_entry, &QDialog::accepted, this, [this, name] {
        QString value = m_entry ? m_entry->takeValue() : QString();
        if (value.isEmpty() || !m_secrets)
            return;
        m_states[name].checking = true;
        showState(name);
        showMessage(tr("Saving %1…").arg(name), false);
        QPointer<KeysSettingsPage> self(this);
        m_secrets->save(name, SecretString::takeFrom(value), [self, name](const KeyringSecrets::SaveReport &report) {
            if (self)
                self->onSaved(name, report);
        });
    });
    connect(m_entry, &QDialog::finished, this, [this] {
        m_entry = nullptr;
        updateButtons();
    });
    updateButtons();
    m_entry->open(); // window-modal, without a nested event loop
}

void KeysSettingsPage::onSaved(const QString &name, const KeyringSecrets::SaveReport &report)
{
    KeyState &state = m_states[name];
    state.checking = false;
    state.origin = m_secrets ? m_secrets->origin(name) : KeyringSecrets::Origin::Missing;
    if (report.result.ok()) {
        state.error.clear();
        showMessage(tr("%1 is saved in the system keychain.").arg(name), false);
    } else if (report.keptForSession) {
        state.error = report.result.message;
        // The keychain's reason is in the note under the table.
        showMessage(
            tr("%1 is kept for this session only: it works until Slopscope quits and is written nowhere.").arg(name),
            true);
    } else {
        showMessage(tr("%1 was not saved: %2").arg(name, report.result.message), true);
    }
    showState(name);
    updateButtons();
}

void KeysSettingsPage::removeKey()
{
    const QString name = currentName();
    if (name.isEmpty() || !m_secrets)
        return;
    auto *box = new QMessageBox(QMessageBox::Question, tr("Remove Key"),
                                tr("Remove %1 from the keychain? Providers that use it will fail until a key is "
                                   "set again.")
                                    .arg(name),
                                QMessageBox::Yes | QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("removeKeyConfirmation"));
    box->setTextFormat(Qt::PlainText);
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, name](int answer) {
        if (answer != QMessageBox::Yes || !m_secrets)
            return;
        m_states[name].checking = true;
        showState(name);
        updateButtons();
        QPointer<KeysSettingsPage> self(this);
        m_secrets->remove(name, [self, name](const KeyStoreResult &result) {
            if (!self)
                return;
            KeyState &state = self->m_states[name];
            state.checking = false;
            state.origin = self->m_secrets ? self->m_secrets->origin(name) : KeyringSecrets::Origin::Missing;
            if (result.ok() || result.status == KeyStoreStatus::NotFound) {
                state.error.clear();
                self->showMessage(result.ok() ? tr("%1 is removed.").arg(name) : result.message, false);
            } else {
                state.error = result.message;
                self->showMessage(tr("%1 was not removed: %2").arg(name, result.message), true);
            }
            self->showState(name);
            self->updateButtons();
        });
    });
    box->open();
}

} // namespace Slopscope
