// MainWindow: Settings ▸ Preferences… and the keys of the window's runs.
#include "MainWindow.h"

#include "engine/KeychainKeyStore.h"
#include "engine/KeyringSecrets.h"

#include <QStatusBar>

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

void MainWindow::showSettings(SettingsDialog::Page page)
{
    // A fresh dialog each time: the workspace may have changed and the keychain is asked again.
    if (m_settings)
        m_settings->deleteLater();
    m_settings = new SettingsDialog(secrets(), m_workspace, this);
    m_settings->setAttribute(Qt::WA_DeleteOnClose);
    m_settings->showPage(page);
    m_settings->show();
    m_settings->raise();
    m_settings->activateWindow();
}

} // namespace Slopscope
