// MainWindow: Settings ▸ Preferences… and the keys of the window's runs.
#include "MainWindow.h"

#include "core/WorkspaceWriter.h"
#include "engine/KeychainKeyStore.h"
#include "engine/KeyringSecrets.h"
#include "ProvidersSettingsPage.h"

#include <QMessageBox>
#include <QPushButton>
#include <QSet>
#include <QStatusBar>
#include <QUrl>

#include <algorithm>

namespace Slopscope {

KeyringSecrets *MainWindow::secrets()
{
    if (!m_secrets) {
        auto *store = new KeychainKeyStore;
        m_secrets = new KeyringSecrets(store, this);
        store->setParent(m_secrets);
        // Keys set or loaded in the dialog are then the ones this window's runs use.
        m_secrets->makeCurrent();
    }
    return m_secrets;
}

void MainWindow::useKeyStore(KeyStore *store)
{
    m_keysLoading = 0; // the old store's loads answer no one now
    delete m_secrets;
    m_secrets = new KeyringSecrets(store, this);
    m_secrets->makeCurrent();
}

void MainWindow::loadKeys()
{
    const QStringList names = KeyringSecrets::keyNames(m_workspace, false);
    if (names.isEmpty())
        return; // simulated providers need no key: the keychain is not even asked
    // Ahead of the first run, as the CLI does before its own. A Run pressed meanwhile waits for it
    // (startRun), or a real provider's first requests would go out with no key.
    ++m_keysLoading;
    secrets()->load(names, [this](const KeyringSecrets::LoadReport &report) {
        m_keysLoading = std::max(0, m_keysLoading - 1);
        if (m_keysLoading == 0 && m_runAfterKeys) {
            m_runAfterKeys = false;
            startRun();
        }
        if (report.failed.isEmpty())
            return;
        statusBar()->showMessage(
            tr("The keychain could not give %n key(s): %1", nullptr, static_cast<int>(report.failed.size()))
                .arg(report.failed.constFirst().second.message),
            15'000);
    });
}

bool MainWindow::confirmKeyHosts(const QList<TargetConfig> &lineup)
{
    QSet<QString> asked;
    for (const TargetConfig &target : lineup) {
        const ProviderConfig *provider = m_workspace.provider(target.providerId);
        if (!provider || provider->usesEmbeddedSimulator())
            continue;
        for (const QString &name : provider->secretNames()) {
            const KeyringSecrets::Origin origin = secrets()->origin(name);
            if (origin != KeyringSecrets::Origin::Keychain && origin != KeyringSecrets::Origin::Session)
                continue; // the environment's keys are the user's explicit choice
            const QString host = QUrl(provider->baseUrl).host().toLower();
            if (host.isEmpty() || asked.contains(name + u'@' + host))
                continue;
            asked.insert(name + u'@' + host);
            KeyHostBindings &bindings = secrets()->hostBindings();
            if (bindings.check(name, host) != KeyHostBindings::Decision::Refused)
                continue;
            // Plain text: host names come from a workspace file, which may be anyone's.
            QMessageBox box(QMessageBox::Warning, tr("Send the key to a new host?"), QString(), QMessageBox::NoButton,
                            this);
            box.setTextFormat(Qt::PlainText);
            box.setText(tr("The stored key %1 has been sent only to %2.\n\nProvider \"%3\" would now send it to %4. "
                           "If you did not change this provider's address yourself, the workspace may be trying to "
                           "collect your key.")
                            .arg(name, bindings.hostsFor(name).join(QStringLiteral(", ")), provider->id, host));
            QPushButton *send = box.addButton(tr("Send to %1").arg(host), QMessageBox::AcceptRole);
            QPushButton *cancel = box.addButton(QMessageBox::Cancel);
            box.setDefaultButton(cancel);
            box.setEscapeButton(cancel);
            box.exec();
            if (box.clickedButton() != send) {
                statusBar()->showMessage(tr("Run not started: the key %1 was not sent to %2.").arg(name, host), 15'000);
                return false;
            }
            bindings.allow(name, host);
        }
    }
    return true;
}

void MainWindow::showSettings(SettingsDialog::Page page)
{
    // A fresh dialog each time: the workspace may have changed and the keychain is asked again.
    if (m_settings)
        m_settings->deleteLater();
    m_settings = new SettingsDialog(secrets(), m_workspace, dialogCatalogue(), this);
    m_settings->setAttribute(Qt::WA_DeleteOnClose);
    m_settings->setWorkspaceApplier([this](const Workspace &next) -> Status {
        // The page edits a copy: applying it over a lineup changed meanwhile (Add Target, Undo)
        // would silently drop that change.
        if (workspaceToBytes(m_settings->providersPage()->baseline()) != workspaceToBytes(m_workspace))
            return Error{tr("The workspace changed since Preferences opened; close and reopen it to edit the "
                            "current one.")};
        return editWorkspace(next, tr("Edit providers and targets"));
    });
    updateRunActions(); // locks the Providers page during a run
    m_settings->showPage(page);
    m_settings->show();
    m_settings->raise();
    m_settings->activateWindow();
}

} // namespace Slopscope
